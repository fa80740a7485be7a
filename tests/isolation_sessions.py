"""The session part of an isolation world: a trajectory with a session step, a session, a seat.

Kept apart from ``tests/isolation.py`` so the trajectory parts of the world can
grow beside it; ``build_world`` calls ``build_sessions`` once and keeps what it
returns in ``World.sessions``. Every courses table gets a row.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from courses.models import (
    Enrolment,
    Session,
    SessionSeat,
    Step,
    StepProgress,
    StepRequirement,
    StepSkill,
    Trajectory,
)


def build_sessions(*, organisation, members, skill, text) -> dict:
    trajectory = Trajectory.objects.create(
        organisation=organisation,
        title=text("trajectory-title"),
        status=Trajectory.Status.PUBLISHED,
        created_by=members["author"],
    )
    version = trajectory.versions.create(
        organisation=organisation,
        number=1,
        title=text("trajectory-title"),
        description=text("trajectory-description"),
        audience=text("trajectory-audience"),
        cover_alt=text("trajectory-cover-alt"),
    )
    trajectory.live_version = version
    trajectory.save(update_fields=["live_version"])
    first = Step.objects.create(
        organisation=organisation,
        version=version,
        position=0,
        kind=Step.Kind.EXTERNAL,
        title=text("step-external"),
        instructions=text("step-instructions"),
        url="https://example.test/module",
    )
    step = Step.objects.create(
        organisation=organisation,
        version=version,
        position=1,
        kind=Step.Kind.SESSION,
        session_kind=Step.SessionKind.INTERVISION,
        title=text("step-session"),
        required=False,
    )
    StepRequirement.objects.create(organisation=organisation, step=step, required_step=first)
    StepSkill.objects.create(organisation=organisation, step=step, skill=skill)
    enrolment = Enrolment.objects.create(
        organisation=organisation,
        trajectory=trajectory,
        version=version,
        membership=members["learner"],
    )
    for each in (first, step):
        StepProgress.objects.create(organisation=organisation, enrolment=enrolment, step=each)
    start = (timezone.now() + dt.timedelta(days=7)).replace(microsecond=0)
    session = Session.objects.create(
        organisation=organisation,
        trajectory=trajectory,
        step_key=step.key,
        title=text("session-title"),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        place=text("session-place"),
        online_url="https://meet.example.test/room",
        capacity=4,
        facilitator=members["manager"],
        created_by=members["author"],
    )
    seat = SessionSeat.objects.create(
        organisation=organisation, session=session, enrolment=enrolment
    )
    return {"trajectory": trajectory, "session": session, "seat": seat, "enrolment": enrolment}
