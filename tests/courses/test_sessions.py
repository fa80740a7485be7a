"""Group sessions: booking with a waiting list, attendance that completes the step, changes told."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_scopes import scope

from courses.models import Enrolment, SessionSeat, Step, StepProgress
from courses.selectors import sessions as selectors
from courses.services import sessions as services
from events.models import LearningEvent
from tests.conftest import make_member
from tests.courses.session_factories import (
    enrol,
    make_session,
    requires,
    session_step,
    session_trajectory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def eager_tasks(settings):
    """The mails' task runs as it is enqueued, after the commit, and its errors propagate."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True


@pytest.fixture
def scoped(organisation):
    with scope(organisation=organisation):
        yield organisation


@pytest.fixture
def author(scoped):
    return make_member(scoped, is_author=True)


@pytest.fixture
def facilitator(scoped):
    return make_member(scoped)


@pytest.fixture
def trajectory(scoped):
    return session_trajectory(scoped)


def book(session, enrolment):
    return services.seat_book(session=session, enrolment=enrolment, by=enrolment.membership)


def test_a_full_session_puts_the_next_learners_on_the_waiting_list_in_order(trajectory):
    session = make_session(trajectory, capacity=2)
    enrolments = [enrol(trajectory) for _ in range(4)]

    seats = [book(session, e) for e in enrolments]

    assert [(s.status, s.waiting_rank) for s in seats] == [
        ("booked", None),
        ("booked", None),
        ("waiting", 1),
        ("waiting", 2),
    ]


def test_cancelling_a_booked_seat_moves_the_first_waiting_up_and_tells_them(
    trajectory, django_capture_on_commit_callbacks
):
    session = make_session(trajectory, capacity=1)
    first, second, third = (enrol(trajectory) for _ in range(3))
    seat = book(session, first)
    book(session, second)
    book(session, third)

    with django_capture_on_commit_callbacks(execute=True):
        services.seat_cancel(seat=seat, by=first.membership)

    participants = selectors.session_participants(session=session)
    assert [(p.enrolment_id, p.status, p.waiting_rank) for p in participants] == [
        (second.pk, "booked", None),
        (third.pk, "waiting", 1),
    ]
    assert [m.to for m in mail.outbox] == [[second.membership.user.email]]
    assert mail.outbox[0].attachments[0][2].startswith("text/calendar")


def test_booking_the_same_session_again_is_a_no_op_and_another_one_is_refused(trajectory):
    session, other = make_session(trajectory), make_session(trajectory)
    enrolment = enrol(trajectory)
    seat = book(session, enrolment)

    assert book(session, enrolment).pk == seat.pk
    with pytest.raises(ValidationError, match="already a place"):
        book(other, enrolment)


def test_a_locked_session_step_cannot_be_booked(scoped):
    trajectory = session_trajectory(scoped, kinds=(Step.Kind.EXTERNAL, Step.Kind.SESSION))
    steps = list(trajectory.live_version.steps.order_by("position"))
    requires(trajectory, steps[1], steps[0])

    with pytest.raises(ValidationError, match="waits for"):
        book(make_session(trajectory), enrol(trajectory))


def test_a_colleague_may_not_book_for_someone_else_but_l_and_d_may(trajectory, author):
    session, enrolment = make_session(trajectory), enrol(trajectory)

    with pytest.raises(PermissionDenied):
        services.seat_book(
            session=session, enrolment=enrolment, by=make_member(trajectory.organisation)
        )
    seat = services.seat_book(session=session, enrolment=enrolment, by=author)
    assert seat.booked_by == author


def test_a_manager_books_for_a_member_of_their_team(trajectory):
    from tests.factories import TeamFactory

    manager = make_member(trajectory.organisation)
    team = TeamFactory(organisation=trajectory.organisation, manager=manager)
    enrolment = enrol(trajectory, team=team)

    seat = services.seat_book(session=make_session(trajectory), enrolment=enrolment, by=manager)

    assert seat.status == SessionSeat.Status.BOOKED


def mark_started(session):
    """The session has begun: an hour ago."""
    start = timezone.now() - dt.timedelta(hours=1)
    type(session).objects.filter(pk=session.pk).update(
        starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    session.refresh_from_db()


def test_attended_completes_the_step_and_the_enrolment_when_it_was_the_last(
    trajectory, facilitator
):
    session = make_session(trajectory, facilitator=facilitator)
    enrolment = enrol(trajectory)
    seat = book(session, enrolment)
    mark_started(session)

    services.attendance_mark(session=session, by=facilitator, marks={seat.pk: "attended"})

    progress = StepProgress.objects.get(enrolment=enrolment)
    assert progress.status == "done" and progress.done_by == facilitator
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    attended = LearningEvent.objects.get(verb="attended")
    assert (attended.actor_id, attended.object_type, attended.context["category"]) == (
        enrolment.membership_id,
        "session",
        "social",
    )


def test_excused_is_recorded_and_leaves_the_step_open_for_another_session(trajectory, facilitator):
    session = make_session(trajectory, facilitator=facilitator)
    later = make_session(trajectory, starts_at=timezone.now() + dt.timedelta(days=8))
    enrolment = enrol(trajectory)
    seat = book(session, enrolment)
    mark_started(session)

    services.attendance_mark(session=session, by=facilitator, marks={seat.pk: "excused"})

    seat.refresh_from_db()
    assert seat.attendance == "excused" and seat.marked_by == facilitator
    assert StepProgress.objects.get(enrolment=enrolment).status == "open"
    assert book(later, enrolment).status == "booked"


def test_only_the_facilitator_or_l_and_d_mark_attendance(trajectory, facilitator, author):
    session = make_session(trajectory, facilitator=facilitator)
    enrolment = enrol(trajectory)
    seat = book(session, enrolment)
    mark_started(session)

    for someone in (enrolment.membership, make_member(trajectory.organisation)):
        with pytest.raises(PermissionDenied):
            services.attendance_mark(session=session, by=someone, marks={seat.pk: "attended"})
    services.attendance_mark(session=session, by=author, marks={seat.pk: "absent"})
    seat.refresh_from_db()
    assert seat.attendance == "absent"


def test_attendance_waits_for_the_session_to_start(trajectory, facilitator):
    session = make_session(trajectory, facilitator=facilitator)
    seat = book(session, enrol(trajectory))

    with pytest.raises(ValidationError, match="once the session has started"):
        services.attendance_mark(session=session, by=facilitator, marks={seat.pk: "attended"})


def schedule(trajectory, author, **kwargs):
    start = timezone.now() + dt.timedelta(days=3)
    values = {
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=2),
        "place": "Room 1",
        "capacity": 8,
    }
    values.update(kwargs)
    return services.session_schedule(
        by=author, trajectory=trajectory, step_key=session_step(trajectory).key, **values
    )


def test_a_new_session_in_the_past_is_a_field_error(trajectory, author):
    past = timezone.now() - dt.timedelta(hours=1)
    with pytest.raises(ValidationError) as caught:
        schedule(trajectory, author, starts_at=past, ends_at=past + dt.timedelta(hours=2))
    assert list(caught.value.message_dict) == ["starts_at"]


def test_a_session_ending_before_it_starts_is_a_field_error(trajectory, author):
    start = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        schedule(trajectory, author, starts_at=start, ends_at=start - dt.timedelta(minutes=1))
    assert list(caught.value.message_dict) == ["ends_at"]


def test_only_l_and_d_schedule_sessions(trajectory):
    with pytest.raises(PermissionDenied):
        schedule(trajectory, make_member(trajectory.organisation))


def test_a_session_serves_only_a_session_step(scoped, author):
    trajectory = session_trajectory(scoped, kinds=(Step.Kind.EXTERNAL, Step.Kind.SESSION))
    external = trajectory.live_version.steps.get(kind=Step.Kind.EXTERNAL)
    start = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        services.session_schedule(
            by=author,
            trajectory=trajectory,
            step_key=external.key,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            place="Room 1",
        )
    assert list(caught.value.message_dict) == ["step_key"]


def test_moving_a_session_tells_every_participant_once_in_their_language(
    trajectory, author, django_capture_on_commit_callbacks
):
    session = schedule(trajectory, author, capacity=1)
    dutch = enrol(trajectory, user__language="nl")
    book(session, dutch)
    book(session, enrol(trajectory))  # waiting

    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(
            session=session,
            by=author,
            starts_at=session.starts_at + dt.timedelta(days=1),
            ends_at=session.ends_at + dt.timedelta(days=1),
        )

    session.refresh_from_db()
    assert session.sequence == 1
    assert len(mail.outbox) == 2
    to_dutch = next(m for m in mail.outbox if m.to == [dutch.membership.user.email])
    assert to_dutch.subject.startswith("Gewijzigd")
    assert [a[0] for a in to_dutch.attachments] == [f"session-{session.pk}.ics"]
    waiting = next(m for m in mail.outbox if m is not to_dutch)
    assert waiting.attachments == []


def test_cancelling_a_session_sends_one_cancellation_per_participant(
    trajectory, author, django_capture_on_commit_callbacks
):
    session = schedule(trajectory, author)
    enrolments = [enrol(trajectory) for _ in range(3)]
    for enrolment in enrolments:
        book(session, enrolment)

    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=session, by=author)
        services.session_cancel(session=session, by=author)

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        e.membership.user.email for e in enrolments
    )
    assert all("METHOD:CANCEL" in m.attachments[0][1] for m in mail.outbox)
    session.refresh_from_db()
    assert session.sequence == 1


def test_a_change_without_time_or_place_bumps_the_sequence_but_tells_nobody(
    trajectory, author, django_capture_on_commit_callbacks
):
    session = schedule(trajectory, author)
    book(session, enrol(trajectory))

    with django_capture_on_commit_callbacks(execute=True):
        session = services.session_update(
            session=session, by=author, title="Intervision, round two"
        )

    assert session.sequence == 1 and mail.outbox == []


def test_more_places_let_the_waiting_list_move_up(trajectory, author):
    session = schedule(trajectory, author, capacity=1)
    enrolments = [enrol(trajectory) for _ in range(3)]
    for enrolment in enrolments:
        book(session, enrolment)

    services.session_update(session=session, by=author, capacity=2)

    assert [p.status for p in selectors.session_participants(session=session)] == [
        "booked",
        "booked",
        "waiting",
    ]


def test_the_participant_list_takes_one_query_however_many_seats(
    trajectory, django_assert_num_queries
):
    session = make_session(trajectory, capacity=3)
    for _ in range(6):
        book(session, enrol(trajectory))

    with django_assert_num_queries(1):
        participants = selectors.session_participants(session=session)
        names = [p.enrolment.membership.display_name for p in participants]
        markers = [p.marked_by for p in participants]

    assert len(names) == 6 and markers == [None] * 6
    assert [p.waiting_rank for p in participants] == [None, None, None, 1, 2, 3]
