"""Loading trajectories, steps, enrolments and step progress for web views and API alike.

Everything is loaded through the request's organisation, so another
organisation's id is simply not found (404); within the organisation, the
permission module decides, and a refusal is 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from organisations.permissions import Action, can, can_follow_enrolment, can_manage_enrolment

from .models import Enrolment, Step, StepProgress, Trajectory, TrajectoryVersion


def authored_trajectory(request, trajectory_id: int) -> Trajectory:
    """A trajectory of the organisation in any status (for authors)."""
    return get_object_or_404(
        Trajectory.objects.filter(organisation=request.organisation).select_related(
            "live_version", "draft_version"
        ),
        pk=trajectory_id,
    )


def authored_step(request, trajectory: Trajectory, step_id: int) -> Step:
    """A step of one of ``trajectory``'s versions (another trajectory's or organisation's: 404)."""
    return get_object_or_404(
        Step.objects.filter(
            organisation=request.organisation, version__trajectory=trajectory
        ).select_related("version__trajectory"),
        pk=step_id,
    )


def published_trajectory(request, trajectory_id: int) -> Trajectory:
    """A published trajectory of the organisation (drafts and archived ones: 404 for learners)."""
    trajectories = Trajectory.objects.filter(organisation=request.organisation)
    if not can(request.membership, Action.AUTHOR_TRAJECTORIES):
        trajectories = trajectories.filter(status=Trajectory.Status.PUBLISHED)
    return get_object_or_404(trajectories.select_related("live_version"), pk=trajectory_id)


def _enrolments(request):
    return Enrolment.objects.filter(organisation=request.organisation).select_related(
        "membership__user", "membership__team", "trajectory", "version", "buddy__user"
    )


def followed_enrolment(request, enrolment_id: int) -> Enrolment:
    """An enrolment the caller may follow: their own, as buddy, as manager, as L&D (else 403)."""
    enrolment = get_object_or_404(_enrolments(request), pk=enrolment_id)
    if not can_follow_enrolment(
        request.membership,
        learner_id=enrolment.membership_id,
        buddy_id=enrolment.buddy_id,
        learner_team_id=enrolment.membership.team_id,
    ):
        raise PermissionDenied
    return enrolment


def managed_enrolment(request, enrolment_id: int) -> Enrolment:
    """An enrolment the caller may withdraw or give a buddy: L&D, the learner's managers."""
    enrolment = get_object_or_404(_enrolments(request), pk=enrolment_id)
    if not can_manage_enrolment(request.membership, learner_team_id=enrolment.membership.team_id):
        raise PermissionDenied
    return enrolment


def followed_progress(request, progress_id: int) -> StepProgress:
    """A step of an enrolment the caller may follow (see ``followed_enrolment``)."""
    progress = get_object_or_404(
        StepProgress.objects.filter(organisation=request.organisation).select_related(
            "step__unit",
            "enrolment__membership__user",
            "enrolment__membership__team",
            "enrolment__trajectory",
            "enrolment__version",
            "enrolment__buddy__user",
        ),
        pk=progress_id,
    )
    enrolment = progress.enrolment
    if not can_follow_enrolment(
        request.membership,
        learner_id=enrolment.membership_id,
        buddy_id=enrolment.buddy_id,
        learner_team_id=enrolment.membership.team_id,
    ):
        raise PermissionDenied
    return progress


def openable_versions(request):
    """Versions whose cover the caller may see: every version for authors, live ones otherwise."""
    versions = TrajectoryVersion.objects.filter(organisation=request.organisation)
    if can(request.membership, Action.AUTHOR_TRAJECTORIES):
        return versions
    return versions.filter(
        trajectory__status=Trajectory.Status.PUBLISHED,
        pk__in=Trajectory.objects.filter(organisation=request.organisation).values("live_version"),
    )
