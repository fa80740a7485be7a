"""Reads about group sessions: what a learner may book, who sits where, who runs what.

A seat is *active* while it still stands for the step: its session is not
cancelled and the learner was not marked excused or absent. An enrolment has at
most one active seat per step (the services keep it so); excused or absent, the
step stays open and they book another session.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from organisations.models import Membership
from organisations.permissions import Action, can, session_booking_team_ids

from ..models import Enrolment, Session, SessionSeat, Step, StepProgress, Trajectory

INACTIVE_ATTENDANCE = (SessionSeat.Attendance.EXCUSED, SessionSeat.Attendance.ABSENT)


def active_seats() -> QuerySet[SessionSeat]:
    return SessionSeat.objects.filter(session__cancelled_at__isnull=True).exclude(
        attendance__in=INACTIVE_ATTENDANCE
    )


def with_counts(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Annotate ``booked_count``, ``waiting_count`` and ``seats_left``: in the same query."""
    return sessions.annotate(
        booked_count=Count("seats", filter=Q(seats__status=SessionSeat.Status.BOOKED)),
        waiting_count=Count("seats", filter=Q(seats__status=SessionSeat.Status.WAITING)),
    ).annotate(seats_left=F("capacity") - F("booked_count"))


def _with_people(sessions: QuerySet[Session]) -> QuerySet[Session]:
    return sessions.select_related("facilitator__user", "trajectory", "organisation")


def step_titles(*, trajectory_ids: Iterable[int], keys: Iterable[uuid.UUID]) -> dict:
    """``(trajectory id, step key)`` → the step's title, the newest version's wording winning."""
    rows = (
        Step.objects.filter(version__trajectory_id__in=set(trajectory_ids), key__in=set(keys))
        .order_by("version__number")
        .values_list("version__trajectory_id", "key", "title")
    )
    return {(trajectory_id, key): title for trajectory_id, key, title in rows}


def with_titles(sessions: Iterable[Session]) -> list[Session]:
    """Set ``display_title`` on each session: its own title, else its step's (one query)."""
    sessions = list(sessions)
    titles = step_titles(
        trajectory_ids=[s.trajectory_id for s in sessions], keys=[s.step_key for s in sessions]
    )
    for session in sessions:
        session.display_title = session.title or titles.get(
            (session.trajectory_id, session.step_key), ""
        )
    return sessions


def session_title(session: Session) -> str:
    return with_titles([session])[0].display_title


def session_step(*, session: Session, enrolment: Enrolment | None = None) -> Step | None:
    """The step a session serves: in the enrolment's version, else the live (or newest) one."""
    steps = Step.objects.filter(
        organisation_id=session.organisation_id,
        version__trajectory_id=session.trajectory_id,
        key=session.step_key,
    )
    if enrolment is not None:
        return steps.filter(version_id=enrolment.version_id).first()
    live_id = session.trajectory.live_version_id
    return (
        steps.filter(version_id=live_id).first()
        if live_id
        else steps.order_by("-version__number").first()
    )


def session_steps_of(*, trajectory: Trajectory) -> list[Step]:
    """The session steps of the version being shown: the live one, else the draft."""
    version_id = trajectory.live_version_id or trajectory.draft_version_id
    return list(
        Step.objects.filter(
            organisation_id=trajectory.organisation_id,
            version_id=version_id,
            kind=Step.Kind.SESSION,
        ).order_by("position", "id")
    )


def is_session_step(*, trajectory: Trajectory, step_key: uuid.UUID) -> bool:
    return Step.objects.filter(
        organisation_id=trajectory.organisation_id,
        version__trajectory_id=trajectory.pk,
        key=step_key,
        kind=Step.Kind.SESSION,
    ).exists()


def sessions_of_trajectory(*, trajectory: Trajectory) -> list[Session]:
    """Every session of a trajectory, with counts and titles, in time order (L&D's schedule)."""
    sessions = _with_people(
        with_counts(Session.objects.filter(organisation_id=trajectory.organisation_id))
    ).filter(trajectory=trajectory)
    return with_titles(sessions.order_by("starts_at", "id"))


def sessions_upcoming_for_step(
    *,
    trajectory_id: int,
    step_key: uuid.UUID,
    now: dt.datetime | None = None,
    with_seats_only: bool = False,
) -> QuerySet[Session]:
    """Sessions of a step still to come and not cancelled, with ``seats_left``.

    Full sessions are included unless ``with_seats_only``: booking one puts the
    learner on its waiting list.
    """
    sessions = with_counts(
        Session.objects.filter(
            trajectory_id=trajectory_id,
            step_key=step_key,
            cancelled_at__isnull=True,
            starts_at__gt=now or timezone.now(),
        )
    )
    if with_seats_only:
        sessions = sessions.filter(seats_left__gt=0)
    return _with_people(sessions).order_by("starts_at", "id")


def waiting_rank(seat: SessionSeat) -> int | None:
    """A waiting seat's place in line (1 is next), or None for a booked one."""
    if seat.status != SessionSeat.Status.WAITING:
        return None
    return (
        SessionSeat.objects.filter(
            session_id=seat.session_id,
            status=SessionSeat.Status.WAITING,
            position__lt=seat.position,
        ).count()
        + 1
    )


def active_seat_for_step(*, enrolment: Enrolment, step_key: uuid.UUID) -> SessionSeat | None:
    """The enrolment's seat that stands for this step, with its session, or None."""
    seat = (
        active_seats()
        .filter(enrolment_id=enrolment.pk, session__step_key=step_key)
        .select_related("session__facilitator__user")
        .first()
    )
    if seat is not None:
        seat.waiting_rank = waiting_rank(seat)
    return seat


def seats_for_step(*, enrolment: Enrolment, step_key: uuid.UUID) -> list[SessionSeat]:
    """Every seat this enrolment had for the step, newest session first (history included)."""
    return list(
        SessionSeat.objects.filter(enrolment_id=enrolment.pk, session__step_key=step_key)
        .select_related("session__facilitator__user")
        .order_by("-session__starts_at")
    )


def sessions_booked_by(
    *, membership: Membership, now: dt.datetime | None = None
) -> list[SessionSeat]:
    """A learner's seats (booked or waiting) on sessions still to come, soonest first."""
    seats = (
        active_seats()
        .filter(
            organisation_id=membership.organisation_id,
            enrolment__membership=membership,
            session__ends_at__gt=now or timezone.now(),
        )
        .select_related("session__facilitator__user", "session__trajectory")
        .order_by("session__starts_at", "pk")
    )
    seats = list(seats)
    with_titles([seat.session for seat in seats])
    for seat in seats:
        seat.waiting_rank = (
            waiting_rank(seat) if seat.status == SessionSeat.Status.WAITING else None
        )
    return seats


def session_participants(*, session: Session) -> list[SessionSeat]:
    """Everyone with a seat, booked first then the waiting list in order; one query.

    Each seat carries ``waiting_rank`` (its place in line, or None) computed here,
    not per row.
    """
    seats = list(
        SessionSeat.objects.filter(organisation_id=session.organisation_id, session=session)
        .select_related(
            "enrolment__membership__user", "enrolment__membership__team", "marked_by__user"
        )
        .order_by("status", "position", "enrolment__membership__user__first_name", "pk")
    )
    rank = 0
    for seat in seats:
        if seat.status == SessionSeat.Status.WAITING:
            rank += 1
            seat.waiting_rank = rank
        else:
            seat.waiting_rank = None
    return seats


def sessions_facilitated_by(
    *, membership: Membership, now: dt.datetime | None = None, upcoming: bool = True
) -> list[Session]:
    """Sessions this member runs: still to come (or ended, with ``upcoming=False``)."""
    sessions = with_counts(
        Session.objects.filter(organisation_id=membership.organisation_id, facilitator=membership)
    )
    moment = now or timezone.now()
    if upcoming:
        sessions = sessions.filter(ends_at__gt=moment).order_by("starts_at", "pk")
    else:
        sessions = sessions.filter(ends_at__lte=moment).order_by("-starts_at", "-pk")
    return with_titles(_with_people(sessions))


def visible_sessions(*, membership: Membership) -> QuerySet[Session]:
    """Sessions a member may open: all for L&D; else those they run, sit in or may book."""
    sessions = Session.objects.filter(organisation_id=membership.organisation_id)
    if can(membership, Action.SCHEDULE_SESSIONS):
        return sessions
    enrolled = Enrolment.objects.filter(
        organisation_id=membership.organisation_id, membership=membership
    ).values("trajectory_id")
    return sessions.filter(
        Q(facilitator=membership)
        | Q(trajectory_id__in=enrolled)
        | Q(seats__enrolment__membership=membership)
    ).distinct()


def own_enrolment_for(*, membership: Membership, trajectory_id: int) -> Enrolment | None:
    return (
        Enrolment.objects.filter(
            organisation_id=membership.organisation_id,
            membership=membership,
            trajectory_id=trajectory_id,
        )
        .select_related("membership")
        .first()
    )


def progress_for_step(*, enrolment: Enrolment, step_key: uuid.UUID) -> StepProgress | None:
    """The enrolment's progress on the step with this key, in its own version."""
    return (
        StepProgress.objects.filter(
            organisation_id=enrolment.organisation_id,
            enrolment_id=enrolment.pk,
            step__key=step_key,
            step__version_id=enrolment.version_id,
        )
        .select_related("step", "enrolment")
        .first()
    )


def step_session_choice(
    *, enrolment: Enrolment, step: Step, done: bool = False, now: dt.datetime | None = None
) -> dict:
    """What the step page shows for a session step: the seat, the sessions to choose, history.

    ``attended``, for a ``done`` step: the latest seat marked attended, the session the
    step was done in (kept when that session was cancelled afterwards, unlike the
    active seat).
    """
    now = now or timezone.now()
    seat = active_seat_for_step(enrolment=enrolment, step_key=step.key)
    upcoming = []
    if seat is None:
        upcoming = with_titles(
            sessions_upcoming_for_step(
                trajectory_id=enrolment.trajectory_id, step_key=step.key, now=now
            )
        )
    seats = seats_for_step(enrolment=enrolment, step_key=step.key)
    attended = next(
        (s for s in seats if done and s.attendance == SessionSeat.Attendance.ATTENDED), None
    )
    shown = {s.pk for s in (seat, attended) if s is not None}
    history = [s for s in seats if s.pk not in shown]
    return {"seat": seat, "attended": attended, "upcoming": upcoming, "history": history}


def enrolments_bookable_by(*, membership: Membership, session: Session) -> list[Enrolment]:
    """Whom ``membership`` may book a seat on ``session`` for, besides themselves.

    The open enrolments in the session's trajectory of active members that
    ``organisations.permissions.session_booking_team_ids`` allows (L&D: everyone; a
    manager: their teams', sub-teams included), by name. Each carries ``seat_status``:
    the status of their seat on this session, "" without one. One query; none at all
    for someone who books for nobody else.
    """
    team_ids = session_booking_team_ids(membership)
    if team_ids is not None and not team_ids:
        return []
    enrolments = Enrolment.objects.filter(
        organisation_id=session.organisation_id,
        trajectory_id=session.trajectory_id,
        status__in=Enrolment.OPEN,
        membership__is_active=True,
    ).exclude(membership_id=membership.pk)
    if team_ids is not None:
        enrolments = enrolments.filter(membership__team_id__in=team_ids)
    seat = SessionSeat.objects.filter(session_id=session.pk, enrolment_id=OuterRef("pk"))
    return list(
        enrolments.annotate(seat_status=Coalesce(Subquery(seat.values("status")[:1]), Value("")))
        .select_related("membership__user", "membership__team")
        .order_by("membership__user__first_name", "membership__user__last_name", "pk")
    )
