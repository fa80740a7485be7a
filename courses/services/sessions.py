"""Writes for group sessions: scheduling, moving and cancelling; seats; attendance.

A session is planned by L&D for a session step; learners (or L&D, or their
manager, for them) book a seat. A full session is no error: the learner joins
its waiting list, and the first in line moves up when a seat comes free. The
facilitator marks attendance: *attended* makes the step done (through
``step_progress_done``, the one way a step becomes done), *excused* and
*absent* are recorded and leave the step open for another session.

Participants are told by mail after the commit (the outbox) when their session
moves or is cancelled, and when they move up from the waiting list; each mail
carries the invitation with the session's stable UID and its new SEQUENCE.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from events.models import LearningEvent
from events.services import learning_event_record
from organisations.models import Membership
from organisations.permissions import Action, can, can_book_for, can_run_session
from organisations.services import audit_log_record, enqueue_after_commit

from ..models import Enrolment, Session, SessionSeat, StepProgress, Trajectory
from ..selectors import sessions as selectors
from .progress import progress_check_open, step_progress_done

ERROR_STARTS_IN_PAST = _("Choose a start time that is still to come.")
ERROR_ENDS_BEFORE_START = _("The session must end after it starts.")
ERROR_NO_PLACE = _("Give a place, an online link, or both.")
ERROR_CAPACITY = _("A session has at least one place.")
ERROR_NOT_A_SESSION_STEP = _("Choose a group session step of this trajectory.")
ERROR_FACILITATOR = _("The facilitator must be an active member of this organisation.")
ERROR_CANCELLED = _("This session was cancelled.")
ERROR_STARTED = _("This session has started already.")
ERROR_NOT_STARTED = _("Attendance can be marked once the session has started.")
ERROR_OTHER_TRAJECTORY = _("This session belongs to another trajectory.")
ERROR_STEP_NOT_IN_VERSION = _("This step is not part of the learner's version of the trajectory.")
ERROR_STEP_DONE = _("This step is done already.")
ERROR_ALREADY_BOOKED = _(
    "There is already a place for this step on %(session)s. Cancel that booking first."
)
ERROR_NOT_BOOKED = _("%(name)s has no booked place on this session.")
ERROR_ATTENDANCE = _("Choose attended, excused or absent.")

# What a mail tells: moved (time or place changed), cancelled, or a seat came free.
MAIL_MOVED = "moved"
MAIL_CANCELLED = "cancelled"
MAIL_PROMOTED = "promoted"

# Changes a calendar shows; each bumps SEQUENCE. Time and place also tell participants.
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "place", "online_url", "facilitator")
MOVE_FIELDS = ("starts_at", "ends_at", "place", "online_url")
EDITABLE_FIELDS = (*CALENDAR_FIELDS, "capacity")


def local_datetime(moment: dt.datetime, organisation) -> str:
    """A moment as the organisation's people read it: their zone, the active language's format."""
    return formats.date_format(
        timezone.localtime(moment, organisation.zone), "SHORT_DATETIME_FORMAT"
    )


def _check_schedule(
    *,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: str,
    online_url: str,
    capacity: int,
    facilitator: Membership | None,
    organisation_id: int,
    now: dt.datetime,
    check_start: bool,
) -> None:
    errors: dict[str, list] = {}
    if check_start and starts_at <= now:
        errors["starts_at"] = [ERROR_STARTS_IN_PAST]
    if ends_at <= starts_at:
        errors["ends_at"] = [ERROR_ENDS_BEFORE_START]
    if not place.strip() and not online_url.strip():
        errors["place"] = [ERROR_NO_PLACE]
    if capacity is None or capacity < 1:
        errors["capacity"] = [ERROR_CAPACITY]
    if facilitator is not None and (
        facilitator.organisation_id != organisation_id or not facilitator.is_active
    ):
        errors["facilitator"] = [ERROR_FACILITATOR]
    if errors:
        raise ValidationError(errors)


def _require_scheduler(by: Membership) -> None:
    if not can(by, Action.SCHEDULE_SESSIONS):
        raise PermissionDenied


def _tell_after_commit(*, session: Session, seat_ids: list[int], kind: str) -> None:
    # The tasks module imports these services, so the task is imported when used.
    from ..tasks import send_session_emails

    if seat_ids:
        enqueue_after_commit(
            send_session_emails,
            organisation=session.organisation_id,
            session_id=session.pk,
            seat_ids=sorted(seat_ids),
            kind=kind,
        )


def session_schedule(
    *,
    by: Membership,
    trajectory: Trajectory,
    step_key: uuid.UUID,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: str = "",
    online_url: str = "",
    capacity: int = 12,
    facilitator: Membership | None = None,
    title: str = "",
    now: dt.datetime | None = None,
) -> Session:
    """Plan a session of one of the trajectory's session steps (L&D and admins)."""
    _require_scheduler(by)
    if trajectory.organisation_id != by.organisation_id:
        raise PermissionDenied
    if not selectors.is_session_step(trajectory=trajectory, step_key=step_key):
        raise ValidationError({"step_key": [ERROR_NOT_A_SESSION_STEP]})
    _check_schedule(
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        online_url=online_url,
        capacity=capacity,
        facilitator=facilitator,
        organisation_id=by.organisation_id,
        now=now or timezone.now(),
        check_start=True,
    )
    with transaction.atomic():
        session = Session.objects.create(
            organisation_id=by.organisation_id,
            trajectory=trajectory,
            step_key=step_key,
            title=title.strip(),
            starts_at=starts_at,
            ends_at=ends_at,
            place=place.strip(),
            online_url=online_url.strip(),
            capacity=capacity,
            facilitator=facilitator,
            created_by=by,
        )
        audit_log_record(
            actor=by,
            action="session.scheduled",
            obj=session,
            data={"trajectory": trajectory.pk, "starts_at": starts_at.isoformat()},
        )
    return session


def _locked(session: Session) -> Session:
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("facilitator__user", "trajectory")
        .get(pk=session.pk, organisation_id=session.organisation_id)
    )


def session_update(
    *, session: Session, by: Membership, now: dt.datetime | None = None, **changes
) -> Session:
    """Change a session (L&D). Moving it (time, place, link) tells every participant.

    Unknown fields raise TypeError. Every change a calendar shows bumps
    ``sequence``. A new start must still be to come; a larger capacity lets the
    waiting list move up. A smaller one bumps nobody already booked.
    """
    _require_scheduler(by)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"session_update() got unexpected fields: {sorted(unknown)}")
    now = now or timezone.now()
    with transaction.atomic():
        session = _locked(session)
        if session.is_cancelled:
            raise ValidationError(ERROR_CANCELLED)
        for name in ("title", "place", "online_url"):
            if name in changes:
                changes[name] = (changes[name] or "").strip()
        changed = [name for name, value in changes.items() if getattr(session, name) != value]
        if not changed:
            return session
        new = {name: changes.get(name, getattr(session, name)) for name in EDITABLE_FIELDS}
        _check_schedule(
            starts_at=new["starts_at"],
            ends_at=new["ends_at"],
            place=new["place"],
            online_url=new["online_url"],
            capacity=new["capacity"],
            facilitator=new["facilitator"],
            organisation_id=session.organisation_id,
            now=now,
            check_start="starts_at" in changed,
        )
        for name in changed:
            setattr(session, name, new[name])
        fields = [*changed, "updated_at"]
        if any(name in CALENDAR_FIELDS for name in changed):
            session.sequence += 1
            fields.append("sequence")
        session.updated_at = now
        session.save(update_fields=fields)
        audit_log_record(
            actor=by,
            action="session.updated",
            obj=session,
            data={"changed": changed, "sequence": session.sequence},
        )
        if any(name in MOVE_FIELDS for name in changed):
            _tell_after_commit(
                session=session,
                seat_ids=list(session.seats.values_list("pk", flat=True)),
                kind=MAIL_MOVED,
            )
        if "capacity" in changed:
            _fill_from_waiting_list(session=session)
    return session


def session_cancel(*, session: Session, by: Membership, now: dt.datetime | None = None) -> Session:
    """Cancel a session (L&D); everyone with a seat is told. Cancelling again is a no-op.

    The seats are kept (who was booked, for the record) but no longer count: each
    learner books another session of the step.
    """
    _require_scheduler(by)
    now = now or timezone.now()
    with transaction.atomic():
        session = _locked(session)
        if session.is_cancelled:
            return session
        session.cancelled_at = now
        session.sequence += 1
        session.updated_at = now
        session.save(update_fields=["cancelled_at", "sequence", "updated_at"])
        audit_log_record(actor=by, action="session.cancelled", obj=session)
        _tell_after_commit(
            session=session,
            seat_ids=list(session.seats.values_list("pk", flat=True)),
            kind=MAIL_CANCELLED,
        )
    return session


def _fill_from_waiting_list(*, session: Session) -> list[int]:
    """Move the first in line up into free seats (caller holds the session's lock)."""
    booked = session.seats.filter(status=SessionSeat.Status.BOOKED).count()
    free = session.capacity - booked
    if free <= 0:
        return []
    promoted = list(
        session.seats.filter(status=SessionSeat.Status.WAITING)
        .order_by("position", "pk")
        .values_list("pk", flat=True)[:free]
    )
    if promoted:
        SessionSeat.objects.filter(pk__in=promoted).update(
            status=SessionSeat.Status.BOOKED, position=None
        )
        _tell_after_commit(session=session, seat_ids=promoted, kind=MAIL_PROMOTED)
    return promoted


def seat_book(
    *,
    session: Session,
    enrolment: Enrolment,
    by: Membership,
    now: dt.datetime | None = None,
) -> SessionSeat:
    """Book a seat for an enrolment; a full session puts it on the waiting list.

    The learner books for themselves, L&D or their manager for them. One seat per
    enrolment per step across the step's sessions: the same session again is a
    no-op, another one while a seat stands raises. A locked step, a step done
    already, a cancelled or started session raise ValidationError.
    """
    now = now or timezone.now()
    with transaction.atomic():
        session = _locked(session)
        # The enrolment's lock serialises two bookings of one learner on different sessions.
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("membership")
            .get(pk=enrolment.pk, organisation_id=session.organisation_id)
        )
        if not can_book_for(
            by,
            learner_id=enrolment.membership_id,
            learner_team_id=enrolment.membership.team_id,
        ):
            raise PermissionDenied
        if enrolment.trajectory_id != session.trajectory_id:
            raise ValidationError(ERROR_OTHER_TRAJECTORY)
        if session.is_cancelled:
            raise ValidationError(ERROR_CANCELLED)
        if session.starts_at <= now:
            raise ValidationError(ERROR_STARTED)
        progress = selectors.progress_for_step(enrolment=enrolment, step_key=session.step_key)
        if progress is None:
            raise ValidationError(ERROR_STEP_NOT_IN_VERSION)
        if progress.status == StepProgress.Status.DONE:
            raise ValidationError(ERROR_STEP_DONE)
        progress_check_open(progress=progress)
        current = selectors.active_seat_for_step(enrolment=enrolment, step_key=session.step_key)
        if current is not None:
            if current.session_id == session.pk:
                return current
            raise ValidationError(
                ERROR_ALREADY_BOOKED,
                params={"session": local_datetime(current.session.starts_at, by.organisation)},
            )
        booked = session.seats.filter(status=SessionSeat.Status.BOOKED).count()
        if booked < session.capacity:
            status, position = SessionSeat.Status.BOOKED, None
        else:
            last = session.seats.aggregate(last=Max("position"))["last"] or 0
            status, position = SessionSeat.Status.WAITING, last + 1
        seat = SessionSeat.objects.create(
            organisation_id=session.organisation_id,
            session=session,
            enrolment=enrolment,
            status=status,
            position=position,
            booked_by=by,
        )
        audit_log_record(
            actor=by,
            action="session.booked",
            obj=seat,
            data={"session": session.pk, "enrolment": enrolment.pk, "status": status},
        )
    seat.waiting_rank = selectors.waiting_rank(seat)
    return seat


def seat_cancel(*, seat: SessionSeat, by: Membership, now: dt.datetime | None = None) -> None:
    """Give up a seat before the session starts; the first on the waiting list moves up."""
    now = now or timezone.now()
    with transaction.atomic():
        session = _locked(seat.session)
        seat = (
            SessionSeat.objects.select_related("enrolment__membership")
            .select_for_update(of=("self",))
            .get(pk=seat.pk, organisation_id=session.organisation_id)
        )
        learner = seat.enrolment.membership
        if not can_book_for(by, learner_id=learner.pk, learner_team_id=learner.team_id):
            raise PermissionDenied
        if session.starts_at <= now and not session.is_cancelled:
            raise ValidationError(ERROR_STARTED)
        was_booked = seat.status == SessionSeat.Status.BOOKED
        audit_log_record(
            actor=by,
            action="session.booking_cancelled",
            obj=session,
            data={"enrolment": seat.enrolment_id, "status": seat.status},
        )
        seat.delete()
        if was_booked and not session.is_cancelled:
            _fill_from_waiting_list(session=session)


def attendance_mark(
    *,
    session: Session,
    by: Membership,
    marks: dict[int, str],
    now: dt.datetime | None = None,
) -> list[SessionSeat]:
    """Mark who came, for booked seats (seat id → attended / excused / absent / "").

    Only the facilitator or L&D (else PermissionDenied). *Attended* makes the
    learner's step done (by the marker) and records ``attended`` in the step's
    category; marking the same again is a no-op. A done step stays done if the
    mark changes afterwards. "" leaves a seat as it is.
    """
    if not can_run_session(by, facilitator_id=session.facilitator_id):
        raise PermissionDenied
    now = now or timezone.now()
    allowed = {choice.value for choice in SessionSeat.Attendance if choice.value}
    with transaction.atomic():
        session = _locked(session)
        if session.is_cancelled:
            raise ValidationError(ERROR_CANCELLED)
        if session.starts_at > now:
            raise ValidationError(ERROR_NOT_STARTED)
        wanted = {int(seat_id): value for seat_id, value in marks.items() if value}
        bad = [value for value in wanted.values() if value not in allowed]
        if bad:
            raise ValidationError({"attendance": [ERROR_ATTENDANCE]})
        seats = {
            seat.pk: seat
            for seat in SessionSeat.objects.filter(
                organisation_id=session.organisation_id, session=session, pk__in=list(wanted)
            ).select_related("enrolment__membership__user", "enrolment__trajectory")
        }
        missing = [seat_id for seat_id in wanted if seat_id not in seats]
        if missing:
            raise ValidationError({"attendance": [ERROR_ATTENDANCE]})
        changed = []
        for seat_id, value in wanted.items():
            seat = seats[seat_id]
            if seat.status != SessionSeat.Status.BOOKED:
                raise ValidationError(
                    ERROR_NOT_BOOKED, params={"name": seat.enrolment.membership.display_name}
                )
            if seat.attendance == value:
                continue
            seat.attendance = value
            seat.marked_by = by
            seat.marked_at = now
            seat.save(update_fields=["attendance", "marked_by", "marked_at"])
            changed.append(seat)
            if value == SessionSeat.Attendance.ATTENDED:
                _attended(session=session, seat=seat, by=by, now=now)
        if changed:
            audit_log_record(
                actor=by,
                action="session.attendance_marked",
                obj=session,
                data={str(seat.pk): seat.attendance for seat in changed},
            )
    return changed


def _attended(*, session: Session, seat: SessionSeat, by: Membership, now: dt.datetime) -> None:
    enrolment = seat.enrolment
    progress = selectors.progress_for_step(enrolment=enrolment, step_key=session.step_key)
    if progress is None:
        return  # moved on to a version without this step: the attendance is still recorded
    step = progress.step
    learning_event_record(
        actor=enrolment.membership,
        verb=LearningEvent.Verb.ATTENDED,
        object_type="session",
        object_id=session.pk,
        context={
            "trajectory": enrolment.trajectory_id,
            "enrolment": enrolment.pk,
            "step": step.pk,
            "session_kind": step.session_kind,
            "by": by.pk,
        },
        object_category=step.category,
        timestamp=now,
    )
    step_progress_done(progress=progress, by=by, at=now)
