"""Booking a session seat for someone else on the web: L&D for anyone in the organisation,
a manager for the members of their teams (sub-teams included), nobody for anyone else."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from courses.models import Enrolment, SessionSeat
from courses.selectors.sessions import enrolments_bookable_by
from organisations.permissions import can_book_for, managed_team_ids
from tests.conftest import make_member
from tests.courses.session_factories import enrol, make_session, session_trajectory
from tests.factories import MembershipFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _unscoped():
    with scopes_disabled():
        yield


@pytest.fixture
def trajectory(organisation):
    return session_trajectory(organisation)


@pytest.fixture
def manager(organisation):
    return make_member(organisation)


@pytest.fixture
def team(organisation, manager):
    return TeamFactory(organisation=organisation, name="Planning", manager=manager)


@pytest.fixture
def team_member(organisation, team):
    subteam = TeamFactory(organisation=organisation, name="Night shift", parent=team)
    user = UserFactory(first_name="Anna", last_name="de Vries")
    return MembershipFactory(organisation=organisation, user=user, team=subteam)


@pytest.fixture
def outsider(organisation):
    other_team = TeamFactory(
        organisation=organisation, name="Sales", manager=make_member(organisation)
    )
    user = UserFactory(first_name="Otto", last_name="Buiten")
    return MembershipFactory(organisation=organisation, user=user, team=other_team)


def url(name, organisation, *args):
    return reverse(f"course_sessions:{name}", args=[organisation.slug, *args])


def signed_in(client, membership):
    client.force_login(membership.user)
    return client


# --- Whom one may book for: one rule, asked by the picker and the service ------------------


def test_a_manager_may_book_for_their_teams_and_l_and_d_for_everyone(
    trajectory, manager, team_member, outsider
):
    organisation = trajectory.organisation
    session = make_session(trajectory)
    theirs, other = enrol(trajectory, team_member), enrol(trajectory, outsider)
    own = enrol(trajectory, manager)  # booked under "Your place", not from the picker
    left = enrol(trajectory, team=team_member.team)
    Enrolment.objects.filter(pk=left.pk).update(status=Enrolment.Status.WITHDRAWN)
    author = make_member(organisation, is_author=True)

    by_manager = enrolments_bookable_by(membership=manager, session=session)
    by_author = enrolments_bookable_by(membership=author, session=session)

    assert [e.pk for e in by_manager] == [theirs.pk]
    assert {e.pk for e in by_author} == {theirs.pk, other.pk, own.pk}
    for enrolment in (theirs, other):
        learner = enrolment.membership
        expected = enrolment.pk in {e.pk for e in by_manager}
        assert can_book_for(manager, learner_id=learner.pk, learner_team_id=learner.team_id) is (
            expected
        )


def test_the_bookable_list_says_who_has_a_seat_in_one_query(
    trajectory, manager, team, django_assert_max_num_queries
):
    session = make_session(trajectory, capacity=1)
    enrolments = [enrol(trajectory, team=team) for _ in range(6)]
    SessionSeat.objects.create(
        organisation=trajectory.organisation, session=session, enrolment=enrolments[0]
    )
    manager.refresh_from_db()
    managed_team_ids(manager)  # read once per request, whatever asks first

    with django_assert_max_num_queries(1):
        bookable = enrolments_bookable_by(membership=manager, session=session)
        labels = [(e.membership.display_name, e.membership.team.name) for e in bookable]

    assert len(labels) == 6
    assert {e.pk: e.seat_status for e in bookable}[enrolments[0].pk] == "booked"
    assert sum(1 for e in bookable if e.seat_status == "") == 5


def test_a_learner_books_for_nobody_else_and_asks_nothing_for_it(
    trajectory, organisation, django_assert_max_num_queries
):
    session = make_session(trajectory)
    learner = enrol(trajectory).membership
    learner.refresh_from_db()

    with django_assert_max_num_queries(1):  # do they manage a team? no: nothing more
        assert enrolments_bookable_by(membership=learner, session=session) == []


# --- The session page ----------------------------------------------------------------------


def test_a_manager_books_a_team_member_from_the_session_page(
    client, trajectory, manager, team_member, outsider
):
    organisation = trajectory.organisation
    session = make_session(trajectory)
    theirs = enrol(trajectory, team_member)
    enrol(trajectory, outsider)
    client = signed_in(client, manager)

    page = client.get(url("session_detail", organisation, session.pk))

    assert page.status_code == 200
    body = page.content.decode()
    assert "Book for someone else" in body
    assert f'<option value="{theirs.pk}">Anna de Vries (Night shift)</option>' in body
    assert "Otto Buiten" not in body

    response = client.post(url("seat_book", organisation, session.pk), {"enrolment": theirs.pk})

    assert response.status_code == 302
    seat = SessionSeat.objects.get()
    assert (seat.enrolment_id, seat.status, seat.booked_by_id) == (theirs.pk, "booked", manager.pk)
    page = client.get(response["Location"]).content.decode()
    assert "Booked a place for Anna de Vries." in page
    assert "Already on this session" in page and "Everyone you may book for" in page


def test_a_manager_cannot_book_someone_outside_their_teams(
    client, trajectory, manager, team_member, outsider
):
    organisation = trajectory.organisation
    session = make_session(trajectory)
    enrol(trajectory, team_member)
    other = enrol(trajectory, outsider)

    response = signed_in(client, manager).post(
        url("seat_book", organisation, session.pk), {"enrolment": other.pk}
    )

    assert response.status_code == 403
    assert not SessionSeat.objects.exists()


def test_a_manager_without_anyone_to_book_for_does_not_see_the_session(
    client, trajectory, manager, outsider
):
    organisation = trajectory.organisation
    session = make_session(trajectory)
    other = enrol(trajectory, outsider)
    client = signed_in(client, manager)

    assert client.get(url("session_detail", organisation, session.pk)).status_code == 403
    response = client.post(url("seat_book", organisation, session.pk), {"enrolment": other.pk})
    assert response.status_code == 403
    assert not SessionSeat.objects.exists()


def test_l_and_d_books_anyone_and_a_full_session_puts_them_on_the_waiting_list(
    client, trajectory, outsider, team_member
):
    organisation = trajectory.organisation
    author = make_member(organisation, is_author=True)
    session = make_session(trajectory, capacity=1)
    first, second = enrol(trajectory, outsider), enrol(trajectory, team_member)
    client = signed_in(client, author)

    client.post(url("seat_book", organisation, session.pk), {"enrolment": first.pk})
    page = client.get(url("session_detail", organisation, session.pk)).content.decode()
    assert (
        "booking puts them on the waiting list" in page and "Put them on the waiting list" in page
    )
    response = client.post(url("seat_book", organisation, session.pk), {"enrolment": second.pk})

    seats = dict(SessionSeat.objects.values_list("enrolment_id", "status"))
    assert seats == {first.pk: "booked", second.pk: "waiting"}
    page = client.get(response["Location"]).content.decode()
    assert "Anna de Vries is number 1 on the waiting list." in page


def test_a_refused_booking_is_a_field_error_on_the_page(client, trajectory, manager, team_member):
    organisation = trajectory.organisation
    session, other_session = make_session(trajectory), make_session(trajectory)
    theirs = enrol(trajectory, team_member)
    SessionSeat.objects.create(organisation=organisation, session=other_session, enrolment=theirs)

    response = signed_in(client, manager).post(
        url("seat_book", organisation, session.pk), {"enrolment": theirs.pk}
    )

    assert response.status_code == 400
    (error,) = response.context["book_form"].errors["enrolment"]
    assert error.startswith("There is already a place for this step on")
    assert SessionSeat.objects.filter(session=session).count() == 0


def test_an_enrolment_in_another_trajectory_is_a_field_error(client, trajectory, team_member):
    organisation = trajectory.organisation
    author = make_member(organisation, is_author=True)
    session = make_session(trajectory)
    elsewhere = enrol(session_trajectory(organisation, title="Anders"), team_member)

    response = signed_in(client, author).post(
        url("seat_book", organisation, session.pk), {"enrolment": elsewhere.pk}
    )

    assert response.status_code == 400
    assert response.context["book_form"].errors["enrolment"] == [
        "This session belongs to another trajectory."
    ]
    assert not SessionSeat.objects.exists()


def test_nobody_chosen_is_a_field_error(client, trajectory, manager, team_member):
    organisation = trajectory.organisation
    session = make_session(trajectory)
    enrol(trajectory, team_member)

    response = signed_in(client, manager).post(
        url("seat_book", organisation, session.pk), {"enrolment": ""}
    )

    assert response.status_code == 400
    assert response.context["book_form"].errors["enrolment"]
    assert not SessionSeat.objects.exists()


def test_another_organisations_enrolment_is_not_found(client, trajectory, other_organisation):
    organisation = trajectory.organisation
    author = make_member(organisation, is_author=True)
    session = make_session(trajectory)
    foreign = enrol(session_trajectory(other_organisation), make_member(other_organisation))

    response = signed_in(client, author).post(
        url("seat_book", organisation, session.pk), {"enrolment": foreign.pk}
    )

    assert response.status_code == 404
    assert not SessionSeat.objects.exists()


def test_the_picker_speaks_dutch(client, trajectory, manager, team_member):
    organisation = trajectory.organisation
    manager.user.language = "nl"
    manager.user.save(update_fields=["language"])
    session = make_session(trajectory)
    enrol(trajectory, team_member)

    body = signed_in(client, manager).get(url("session_detail", organisation, session.pk))

    assert "Voor iemand anders boeken" in body.content.decode()
    assert "Wie krijgt de plaats" in body.content.decode()


def test_the_managers_session_page_does_not_grow_with_the_team(
    client, trajectory, manager, team, django_assert_max_num_queries
):
    organisation = trajectory.organisation
    session = make_session(trajectory, capacity=40)
    enrol(trajectory, team=team)
    client = signed_in(client, manager)
    client.get(url("session_detail", organisation, session.pk))
    with django_assert_max_num_queries(30) as few:
        client.get(url("session_detail", organisation, session.pk))

    for n in range(12):
        enrolment = enrol(trajectory, team=team)
        if n % 2:
            SessionSeat.objects.create(
                organisation=organisation, session=session, enrolment=enrolment
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("session_detail", organisation, session.pk))

    choices = response.context["book_form"].fields["enrolment"].widget.choices
    assert len(choices) == 1 + 1 + 6  # "—", the first member, the six without a seat


def test_the_managers_view_of_a_team_members_session_step_leads_to_the_sessions(
    client, trajectory, manager, team_member
):
    organisation = trajectory.organisation
    session = make_session(trajectory)
    theirs = enrol(trajectory, team_member)
    progress = theirs.progress.get()
    client = signed_in(client, manager)
    session_page = url("session_detail", organisation, session.pk)

    page = client.get(reverse("courses:step", args=[organisation.slug, progress.pk]))

    body = page.content.decode()
    assert "Open a session to book a place for Anna de Vries." in body
    assert f'href="{session_page}"' in body
    client.post(url("seat_book", organisation, session.pk), {"enrolment": theirs.pk})
    body = client.get(reverse("courses:step", args=[organisation.slug, progress.pk]))
    assert "Anna de Vries has a place:" in body.content.decode()
    # The learner's own step page keeps their own booking, not this.
    own = signed_in(type(client)(), team_member).get(
        reverse("courses:step", args=[organisation.slug, progress.pk])
    )
    assert "Open a session to book a place for" not in own.content.decode()
