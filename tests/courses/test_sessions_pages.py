"""Session pages: L&D plans in the organisation's time zone, learners book, facilitators mark."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import formats, timezone, translation
from django_scopes import scope, scopes_disabled

from courses.models import Session, SessionSeat, StepProgress
from tests.conftest import make_member
from tests.courses.session_factories import enrol, make_session, session_step, session_trajectory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trajectory(organisation):
    organisation.time_zone = "Europe/Amsterdam"
    organisation.save(update_fields=["time_zone"])
    with scopes_disabled():
        return session_trajectory(organisation)


def url(name, organisation, *args):
    return reverse(f"course_sessions:{name}", args=[organisation.slug, *args])


def signed_in(client, membership):
    client.force_login(membership.user)
    return client


def test_l_and_d_plans_a_session_in_the_organisations_time_zone(client, trajectory):
    organisation = trajectory.organisation
    author = make_member(organisation, is_author=True)
    with scopes_disabled():
        key = str(session_step(trajectory).key)
    day = timezone.localdate() + dt.timedelta(days=30)

    response = signed_in(client, author).post(
        url("session_create", organisation, trajectory.pk),
        {
            "step_key": key,
            "date": day.isoformat(),
            "starts_at": "09:30",
            "ends_at": "11:00",
            "place": "Room 4",
            "capacity": "6",
        },
    )

    assert response.status_code == 302
    with scopes_disabled():
        session = Session.objects.get()
    local = dt.datetime.combine(day, dt.time(9, 30), tzinfo=ZoneInfo("Europe/Amsterdam"))
    assert session.starts_at == local
    page = client.get(url("schedule", organisation, trajectory.pk))
    assert page.status_code == 200 and b"09:30" in page.content


def test_a_past_date_and_an_end_before_the_start_show_field_errors(client, trajectory):
    organisation = trajectory.organisation
    author = make_member(organisation, is_author=True)
    with scopes_disabled():
        key = str(session_step(trajectory).key)
    form = {"step_key": key, "place": "Room 4", "capacity": "6"}
    create = url("session_create", organisation, trajectory.pk)
    client = signed_in(client, author)

    past = client.post(
        create, {**form, "date": "2020-01-06", "starts_at": "09:00", "ends_at": "10:00"}
    )
    backwards = client.post(
        create,
        {**form, "date": "2099-01-06", "starts_at": "10:00", "ends_at": "09:00"},
    )

    assert past.status_code == 200
    assert past.context["form"].errors["starts_at"] == [
        "Choose a start time that is still to come."
    ]
    assert backwards.context["form"].errors["ends_at"] == ["The session must end after it starts."]
    with scopes_disabled():
        assert not Session.objects.exists()


def test_a_learner_may_not_open_the_schedule(client, trajectory):
    learner = make_member(trajectory.organisation)
    response = signed_in(client, learner).get(
        url("schedule", trajectory.organisation, trajectory.pk)
    )
    assert response.status_code == 403


def test_a_learner_books_from_the_step_include_and_comes_back(client, trajectory, rf):
    organisation = trajectory.organisation
    with scopes_disabled():
        session = make_session(trajectory, capacity=1)
        enrolment = enrol(trajectory)
        other = enrol(trajectory)
        SessionSeat.objects.create(organisation=organisation, session=session, enrolment=other)
        step = session_step(trajectory)

    response = signed_in(client, enrolment.membership).post(
        url("seat_book", organisation, session.pk), {"next": "/o/acme/somewhere/"}
    )

    assert response.status_code == 302 and response["Location"] == "/o/acme/somewhere/"
    request = RequestFactory().get("/o/acme/steps/1/")
    with scope(organisation=organisation), timezone.override(organisation.zone):
        html = Template("{% load session_tags %}{% session_choices enrolment step %}").render(
            Context(
                {
                    "enrolment": enrolment,
                    "step": step,
                    "request": request,
                    "organisation": organisation,
                }
            )
        )
    assert "Waiting list position 1" in html
    assert "Cancel my booking" in html


def test_the_include_offers_upcoming_sessions_with_places_left(trajectory):
    organisation = trajectory.organisation
    with scopes_disabled():
        make_session(trajectory, capacity=3)
        enrolment = enrol(trajectory)
        step = session_step(trajectory)
    with scope(organisation=organisation):
        html = Template("{% load session_tags %}{% session_choices enrolment step %}").render(
            Context({"enrolment": enrolment, "step": step, "organisation": organisation})
        )
    assert "3 places left" in html and "Book this session" in html


def test_the_facilitator_marks_everyone_in_one_form(client, trajectory):
    organisation = trajectory.organisation
    facilitator = make_member(organisation)
    start = timezone.now() - dt.timedelta(hours=1)
    with scopes_disabled():
        session = make_session(trajectory, capacity=5, facilitator=facilitator)
        enrolments = [enrol(trajectory) for _ in range(3)]
        seats = [
            SessionSeat.objects.create(organisation=organisation, session=session, enrolment=e)
            for e in enrolments
        ]
        Session.objects.filter(pk=session.pk).update(
            starts_at=start, ends_at=start + dt.timedelta(hours=2)
        )
    client = signed_in(client, facilitator)
    page = client.get(url("session_detail", organisation, session.pk))
    assert page.status_code == 200 and b"Save attendance" in page.content

    response = client.post(
        url("attendance", organisation, session.pk),
        {
            f"seat-{seats[0].pk}": "attended",
            f"seat-{seats[1].pk}": "excused",
            f"seat-{seats[2].pk}": "absent",
        },
    )

    assert response.status_code == 302
    with scopes_disabled():
        assert [s.attendance for s in SessionSeat.objects.order_by("pk")] == [
            "attended",
            "excused",
            "absent",
        ]
        statuses = [StepProgress.objects.get(enrolment=e).status for e in enrolments]
    assert statuses == ["done", "open", "open"]


def test_a_learner_cannot_mark_attendance(client, trajectory):
    organisation = trajectory.organisation
    with scopes_disabled():
        session = make_session(trajectory)
        enrolment = enrol(trajectory)
    response = signed_in(client, enrolment.membership).post(
        url("attendance", organisation, session.pk), {}
    )
    assert response.status_code == 403


def test_the_session_page_takes_the_same_queries_for_more_participants(
    client, trajectory, django_assert_max_num_queries
):
    organisation = trajectory.organisation
    author = make_member(organisation, is_author=True)
    with scopes_disabled():
        session = make_session(trajectory, capacity=30)
        for _ in range(25):
            SessionSeat.objects.create(
                organisation=organisation, session=session, enrolment=enrol(trajectory)
            )
    client = signed_in(client, author)
    client.get(url("session_detail", organisation, session.pk))

    with django_assert_max_num_queries(20):
        response = client.get(url("session_detail", organisation, session.pk))
    assert response.status_code == 200


def test_the_invitation_downloads_for_a_participant_and_not_for_a_stranger(client, trajectory):
    organisation = trajectory.organisation
    with scopes_disabled():
        session = make_session(trajectory)
        enrolment = enrol(trajectory)
    stranger = make_member(organisation)

    assert (
        signed_in(client, stranger).get(url("invite_ics", organisation, session.pk)).status_code
        == 403
    )
    response = signed_in(client, enrolment.membership).get(
        url("invite_ics", organisation, session.pk)
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert session.uid.encode() in response.content


def test_another_organisations_session_is_not_found(client, trajectory, other_organisation):
    outsider = make_member(other_organisation, is_admin=True)
    with scopes_disabled():
        session = make_session(trajectory)
    client = signed_in(client, outsider)

    for name in ("session_detail", "invite_ics", "session_edit"):
        assert client.get(url(name, other_organisation, session.pk)).status_code == 404


def test_l_and_d_moves_and_cancels_from_the_pages_in_dutch(client, trajectory):
    organisation = trajectory.organisation
    organisation.language = "nl"
    organisation.save(update_fields=["language"])
    author = make_member(organisation, is_author=True, user__language="nl")
    with scopes_disabled():
        session = make_session(trajectory)
        enrolment = enrol(trajectory)
        SessionSeat.objects.create(organisation=organisation, session=session, enrolment=enrolment)
    client = signed_in(client, author)
    edit = client.get(url("session_edit", organisation, session.pk))
    assert edit.status_code == 200 and "Bijeenkomst wijzigen" in edit.content.decode()
    form = {**{k: v for k, v in edit.context["form"].initial.items() if v is not None}}
    form.update(
        date=(timezone.localdate() + dt.timedelta(days=20)).isoformat(),
        starts_at="13:00",
        ends_at="14:00",
        facilitator="",
    )

    moved = client.post(url("session_edit", organisation, session.pk), form)
    confirm = client.get(url("session_cancel", organisation, session.pk))
    cancelled = client.post(url("session_cancel", organisation, session.pk))

    assert moved.status_code == 302
    assert "1 persoon met een plaats" in confirm.content.decode()
    assert cancelled.status_code == 302
    with scopes_disabled():
        session.refresh_from_db()
    assert session.sequence == 2 and session.cancelled_at
    mine = signed_in(client, enrolment.membership).get(url("my_sessions", organisation))
    assert mine.status_code == 200 and "Mijn bijeenkomsten" in mine.content.decode()


def test_a_step_done_at_a_session_shows_that_session_and_says_done_once(client, trajectory):
    organisation = trajectory.organisation
    facilitator = make_member(organisation)
    start = timezone.now() - dt.timedelta(days=3)
    with scopes_disabled():
        session = make_session(trajectory, starts_at=start, facilitator=facilitator)
        enrolment = enrol(trajectory)
        seat = SessionSeat.objects.create(
            organisation=organisation, session=session, enrolment=enrolment
        )
        progress = StepProgress.objects.get(enrolment=enrolment)
    signed_in(client, facilitator).post(
        url("attendance", organisation, session.pk), {f"seat-{seat.pk}": "attended"}
    )
    with scopes_disabled():
        progress.refresh_from_db()
    assert progress.status == StepProgress.Status.DONE
    with translation.override(organisation.language):
        day = formats.date_format(timezone.localtime(start, organisation.zone), "DATE_FORMAT")

    signed_in(client, enrolment.membership)
    step_page = client.get(reverse("courses:step", args=[organisation.slug, progress.pk]))
    body = step_page.content.decode()

    assert "Choose a session" not in body
    assert "Your session" in body and day in body
    assert body.count(">Done<") == 1
    assert "Add to calendar" not in body  # the session is over
    trajectory_page = client.get(
        reverse("courses:trajectory", args=[organisation.slug, trajectory.pk])
    )
    assert f"Attended the session of {day}" in trajectory_page.content.decode()
