"""Trajectory steps to link plan activities to, made directly (courses owns the services)."""

from __future__ import annotations

from courses.models import Enrolment, Step, StepProgress, Trajectory, TrajectoryVersion


def a_step(
    organisation,
    *,
    kind: str = Step.Kind.ASSIGNMENT,
    learner=None,
    title: str = "Plan a week",
    trajectory_title: str = "Onboarding",
    status: str = Enrolment.Status.IN_PROGRESS,
) -> Step:
    """A step of a trajectory of its own; with ``learner``, they are enrolled in it."""
    trajectory = Trajectory.objects.create(organisation=organisation, title=trajectory_title)
    version = TrajectoryVersion.objects.create(
        organisation=organisation, trajectory=trajectory, number=1, title=trajectory_title
    )
    step = Step.objects.create(
        organisation=organisation, version=version, kind=kind, title=title, position=1
    )
    if learner is not None:
        enrolment = Enrolment.objects.create(
            organisation=organisation,
            trajectory=trajectory,
            version=version,
            membership=learner,
            status=status,
        )
        StepProgress.objects.create(organisation=organisation, enrolment=enrolment, step=step)
    return step
