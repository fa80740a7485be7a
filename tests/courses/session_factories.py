"""Rows for the session tests: a published trajectory with a session step, enrolments, sessions.

Built directly (the enrolment services belong to another part of the work), in
the shape those services make: an enrolment in the live version with a progress
row for every step.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from courses.models import Enrolment, Session, Step, StepProgress, StepRequirement, Trajectory
from tests.conftest import make_member


def session_trajectory(organisation, *, kinds=(Step.Kind.SESSION,), title="Leidinggeven"):
    """A published trajectory whose steps have these kinds; session steps are intervisions."""
    trajectory = Trajectory.objects.create(
        organisation=organisation, title=title, status=Trajectory.Status.PUBLISHED
    )
    version = trajectory.versions.create(organisation=organisation, number=1, title=title)
    trajectory.live_version = version
    trajectory.save(update_fields=["live_version"])
    for position, kind in enumerate(kinds):
        Step.objects.create(
            organisation=organisation,
            version=version,
            position=position,
            kind=kind,
            title="Intervision on feedback" if kind == Step.Kind.SESSION else f"{kind} {position}",
            session_kind=Step.SessionKind.INTERVISION if kind == Step.Kind.SESSION else "",
        )
    return trajectory


def session_step(trajectory) -> Step:
    return trajectory.live_version.steps.filter(kind=Step.Kind.SESSION).first()


def requires(trajectory, step: Step, required: Step) -> None:
    StepRequirement.objects.create(
        organisation=trajectory.organisation, step=step, required_step=required
    )


def enrol(trajectory, membership=None, **member_kwargs) -> Enrolment:
    organisation = trajectory.organisation
    membership = membership or make_member(organisation, **member_kwargs)
    enrolment = Enrolment.objects.create(
        organisation=organisation,
        trajectory=trajectory,
        version=trajectory.live_version,
        membership=membership,
    )
    for step in trajectory.live_version.steps.all():
        StepProgress.objects.create(organisation=organisation, enrolment=enrolment, step=step)
    return enrolment


def make_session(trajectory, *, starts_at=None, hours=2, capacity=2, facilitator=None, **kwargs):
    """A session of the trajectory's session step, tomorrow at ten unless told otherwise."""
    starts_at = starts_at or (timezone.now() + dt.timedelta(days=1)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    return Session.objects.create(
        organisation=trajectory.organisation,
        trajectory=trajectory,
        step_key=session_step(trajectory).key,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=hours),
        place=kwargs.pop("place", "Room 2.14"),
        capacity=capacity,
        facilitator=facilitator,
        **kwargs,
    )
