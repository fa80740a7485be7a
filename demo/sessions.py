"""Group sessions for a demo trajectory: one that took place, one to come with a waiting list.

``sessions_seed(trajectory=..., facilitator=...)`` adds, for every session step
of the trajectory's live version, a session of last week with attendance
marked (the first learner attended, which completes their step; the second was
excused) and a session next week that is full, with one more learner on its
waiting list. Deterministic: learners are taken in enrolment order, times are
fixed hours in the organisation's time zone. Call it inside the organisation's
scope, after the trajectory's enrolments exist (with their step progress).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from courses.models import Enrolment, Session, SessionSeat, Step, Trajectory
from courses.selectors.sessions import progress_for_step
from courses.services.progress import progress_check_open
from courses.services.sessions import attendance_mark, seat_book
from organisations.models import Membership


def _at(day: dt.date, hour: int, zone) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=zone)


def _open_enrolments(*, trajectory: Trajectory, step: Step) -> list[Enrolment]:
    """Enrolments that may take this step now: in the version, not done, not locked."""
    found = []
    enrolments = Enrolment.objects.filter(
        organisation_id=trajectory.organisation_id,
        trajectory=trajectory,
        status__in=Enrolment.OPEN,
    ).select_related("membership", "organisation")
    for enrolment in enrolments.order_by("pk"):
        progress = progress_for_step(enrolment=enrolment, step_key=step.key)
        if progress is None or progress.status == "done":
            continue
        try:
            progress_check_open(progress=progress)
        except ValidationError:
            continue
        found.append(enrolment)
    return found


def sessions_seed(
    *, trajectory: Trajectory, facilitator: Membership, now: dt.datetime | None = None
) -> list[Session]:
    """Add a past and an upcoming session to each session step; returns them in that order."""
    now = now or timezone.now()
    organisation = trajectory.organisation
    zone = organisation.zone
    today = timezone.localtime(now, zone).date()
    steps = Step.objects.filter(
        organisation_id=organisation.pk,
        version_id=trajectory.live_version_id,
        kind=Step.Kind.SESSION,
    ).order_by("position", "pk")
    made: list[Session] = []
    for step in steps:
        learners = _open_enrolments(trajectory=trajectory, step=step)
        past_day = today - dt.timedelta(days=7)
        past = Session.objects.create(
            organisation=organisation,
            trajectory=trajectory,
            step_key=step.key,
            starts_at=_at(past_day, 14, zone),
            ends_at=_at(past_day, 16, zone),
            place="Vergaderzaal De Linde",
            capacity=8,
            facilitator=facilitator,
            created_by=facilitator,
        )
        # Seats of a session that has taken place: written directly (booking wants a future one).
        attendees = learners[:2]
        seats = [
            SessionSeat.objects.create(
                organisation=organisation, session=past, enrolment=enrolment, booked_by=facilitator
            )
            for enrolment in attendees
        ]
        marks = dict(zip([s.pk for s in seats], ["attended", "excused"], strict=False))
        if marks:
            attendance_mark(session=past, by=facilitator, marks=marks, now=now)
        # Who still needs the step: the excused one and everyone who was not there.
        waiting_for_step = learners[1:]
        next_day = today + dt.timedelta(days=7)
        upcoming = Session.objects.create(
            organisation=organisation,
            trajectory=trajectory,
            step_key=step.key,
            starts_at=_at(next_day, 10, zone),
            ends_at=_at(next_day, 12, zone),
            place="Vergaderzaal De Linde",
            online_url="https://meet.example.test/intervisie",
            capacity=max(1, len(waiting_for_step) - 1),
            facilitator=facilitator,
            created_by=facilitator,
        )
        for enrolment in waiting_for_step:
            seat_book(session=upcoming, enrolment=enrolment, by=enrolment.membership, now=now)
        made += [past, upcoming]
    return made
