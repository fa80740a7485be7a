"""Session API: L&D plans, learners book (full → waiting list), facilitators mark; 403 and 404."""

import datetime as dt

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from icalendar import Calendar

from courses.models import Session, StepProgress
from tests.courses.session_factories import enrol, make_session, session_step, session_trajectory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(acme):
    with scopes_disabled():
        trajectory = session_trajectory(acme.organisation)
        session = make_session(trajectory, capacity=1, facilitator=acme.hr)
        enrolments = {
            "learner": enrol(trajectory, acme.learner),
            "north": enrol(trajectory, acme.north_learner),
        }
    return trajectory, session, enrolments


def future(days=2):
    start = (timezone.now() + dt.timedelta(days=days)).replace(microsecond=0)
    return start.isoformat(), (start + dt.timedelta(hours=2)).isoformat()


def test_l_and_d_plans_a_session_and_a_learner_may_not(acme, world, as_member, api_url):
    trajectory, _, _ = world
    starts, ends = future()
    with scopes_disabled():
        key = str(session_step(trajectory).key)
    body = {
        "step_key": key,
        "starts_at": starts,
        "ends_at": ends,
        "place": "Room 3",
        "capacity": 6,
        "facilitator_id": acme.hr.pk,
    }
    url = api_url("course_sessions_api:trajectory_sessions", trajectory.pk)

    assert as_member(acme.learner).post(url, body, format="json").status_code == 403
    response = as_member(acme.author).post(url, body, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["facilitator"]["id"], data["seats_left"], data["sequence"]) == (acme.hr.pk, 6, 0)


def test_a_start_in_the_past_and_an_end_before_the_start_are_field_errors(
    acme, world, as_member, api_url
):
    trajectory, _, _ = world
    past = (timezone.now() - dt.timedelta(days=1)).isoformat()
    starts, _ = future()
    url = api_url("course_sessions_api:trajectory_sessions", trajectory.pk)
    client = as_member(acme.author)
    with scopes_disabled():
        key = str(session_step(trajectory).key)

    in_past = client.post(
        url, {"step_key": key, "starts_at": past, "ends_at": starts, "place": "x"}, format="json"
    )
    backwards = client.post(
        url, {"step_key": key, "starts_at": starts, "ends_at": past, "place": "x"}, format="json"
    )

    assert in_past.status_code == 400 and "starts_at" in in_past.json()["error"]["fields"]
    assert backwards.status_code == 400 and "ends_at" in backwards.json()["error"]["fields"]
    with scopes_disabled():
        assert Session.objects.count() == 1


def test_booking_a_full_session_puts_the_learner_on_the_waiting_list(
    acme, world, as_member, api_url
):
    _, session, _ = world
    url = api_url("course_sessions_api:seats", session.pk)

    first = as_member(acme.learner).post(url, {}, format="json")
    second = as_member(acme.north_learner).post(url, {}, format="json")

    assert first.status_code == 201 and first.json()["status"] == "booked"
    assert second.status_code == 201
    assert (second.json()["status"], second.json()["waiting_position"]) == ("waiting", 1)


def test_a_manager_books_for_their_team_and_a_colleague_may_not(acme, world, as_member, api_url):
    _, session, enrolments = world
    url = api_url("course_sessions_api:seats", session.pk)
    body = {"enrolment_id": enrolments["north"].pk}

    assert as_member(acme.outsider).post(url, body, format="json").status_code == 403
    assert as_member(acme.manager).post(url, body, format="json").status_code == 201


def test_attendance_by_the_facilitator_completes_the_step_and_others_get_403(
    acme, world, as_member, api_url
):
    _, session, enrolments = world
    as_member(acme.learner).post(
        api_url("course_sessions_api:seats", session.pk), {}, format="json"
    )
    with scopes_disabled():
        seat = session.seats.get()
        start = timezone.now() - dt.timedelta(minutes=30)
        Session.objects.filter(pk=session.pk).update(
            starts_at=start, ends_at=start + dt.timedelta(hours=1)
        )
    url = api_url("course_sessions_api:attendance", session.pk)
    body = {"marks": [{"seat_id": seat.pk, "attendance": "attended"}]}

    assert as_member(acme.learner).post(url, body, format="json").status_code == 403
    assert as_member(acme.manager).post(url, body, format="json").status_code == 403
    response = as_member(acme.hr).post(url, body, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()[0]["attendance"] == "attended"
    with scopes_disabled():
        assert StepProgress.objects.get(enrolment=enrolments["learner"]).status == "done"


def test_another_organisations_session_is_not_found(acme, world, globex, as_member, api_url):
    _, session, _ = world
    foreign = as_member(globex.member)

    for name in ("session", "seats", "invite", "attendance"):
        url = api_url(f"course_sessions_api:{name}", session.pk)
        response = (
            foreign.get(url) if name != "attendance" else foreign.post(url, {}, format="json")
        )
        assert response.status_code == 404, name
    own_org_url = api_url("course_sessions_api:session", session.pk, org=globex.organisation)
    assert foreign.get(own_org_url).status_code == 404


def test_the_invitation_is_an_ics_file_for_participants_only(acme, world, as_member, api_url):
    _, session, _ = world
    url = api_url("course_sessions_api:invite", session.pk)

    assert as_member(acme.outsider).get(url).status_code == 403
    response = as_member(acme.learner).get(url, HTTP_ACCEPT="text/calendar")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["uid"]) == session.uid


def test_a_move_raises_the_sequence_and_cancel_marks_it_cancelled(acme, world, as_member, api_url):
    _, session, _ = world
    starts, ends = future(days=5)
    url = api_url("course_sessions_api:session", session.pk)
    client = as_member(acme.author)

    moved = client.patch(url, {"starts_at": starts, "ends_at": ends}, format="json")
    cancelled = client.delete(url)

    assert moved.status_code == 200 and moved.json()["sequence"] == 1
    assert cancelled.status_code == 200 and cancelled.json()["cancelled_at"]
    assert cancelled.json()["sequence"] == 2


def test_giving_up_a_seat_moves_the_first_waiting_up(acme, world, as_member, api_url):
    _, session, _ = world
    seats = api_url("course_sessions_api:seats", session.pk)
    mine = as_member(acme.learner).post(seats, {}, format="json").json()
    as_member(acme.north_learner).post(seats, {}, format="json")

    other = as_member(acme.outsider).delete(
        api_url("course_sessions_api:seat", session.pk, mine["id"])
    )
    gone = as_member(acme.learner).delete(
        api_url("course_sessions_api:seat", session.pk, mine["id"])
    )

    assert other.status_code == 403 and gone.status_code == 204
    listed = as_member(acme.hr).get(seats).json()
    assert [(s["member"]["id"], s["status"]) for s in listed] == [(acme.north_learner.pk, "booked")]
