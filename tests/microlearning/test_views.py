import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from events.models import LearningEvent
from microlearning.models import Assignment, Completion, Unit
from tests.factories import (
    AssignmentFactory,
    CompletionFactory,
    MembershipFactory,
    TeamFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def events(**filters) -> list[LearningEvent]:
    with scopes_disabled():
        return list(LearningEvent.objects.filter(**filters).order_by("id"))


# --- Authoring --------------------------------------------------------------------------


def test_author_creates_edits_publishes_and_assigns_a_unit_to_a_team(
    client, organisation, author, team, url
):
    client.force_login(author.user)

    response = client.post(
        url("unit_create"), {"title": "Greet customers", "body": "Say hello.\n\nThen smile."}
    )
    with scopes_disabled():
        unit = Unit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("unit_preview", unit.pk)
    assert (unit.status, unit.author, unit.organisation) == (
        Unit.Status.DRAFT,
        author,
        organisation,
    )

    client.post(
        url("unit_edit", unit.pk),
        {
            "title": "Greet every customer",
            "language": "en",
            "estimated_minutes": 5,
            "category": "formal",
            "pass_mark": 0,
        },
    )
    client.post(url("unit_publish", unit.pk))
    response = client.post(url("unit_assign", unit.pk), {"team": team.pk})

    with scopes_disabled():
        unit.refresh_from_db()
        assignment = Assignment.objects.get()
    assert unit.title == "Greet every customer"
    with scopes_disabled():
        text_block = unit.live_version.blocks.get()
    assert text_block.data == {"markdown": "Say hello.\n\nThen smile."}
    assert unit.status == Unit.Status.PUBLISHED and unit.published_at is not None
    assert (assignment.unit, assignment.team, assignment.assigned_by) == (unit, team, author)
    assert response.status_code == 302
    page = client.get(url("unit_assign", unit.pk)).content.decode()
    assert "Sales" in page  # listed under the current assignments


def test_unit_form_shows_field_errors_and_saves_nothing(client, author, url):
    client.force_login(author.user)

    response = client.post(url("unit_create"), {"title": "", "body": ""})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "body"}
    assert 'class="errorlist' in response.content.decode()
    with scopes_disabled():
        assert not Unit.objects.exists()


def test_unit_list_shows_every_unit_with_its_status_and_filters_by_status(
    client, organisation, author, url
):
    UnitFactory(organisation=organisation, title="Draft one", status=Unit.Status.DRAFT)
    UnitFactory(organisation=organisation, title="Live one", status=Unit.Status.PUBLISHED)
    client.force_login(author.user)

    everything = client.get(url("unit_list")).content.decode()
    drafts = client.get(url("unit_list"), {"status": "draft"}).content.decode()

    assert "Draft one" in everything and "Live one" in everything
    assert "Draft one" in drafts and "Live one" not in drafts


def test_publishing_an_archived_unit_is_refused_with_a_clear_message(
    client, organisation, author, url
):
    unit = UnitFactory(organisation=organisation, status=Unit.Status.ARCHIVED)
    client.force_login(author.user)

    response = client.post(url("unit_publish", unit.pk), follow=True)

    assert "cannot go from “Archived” to “Published”" in response.content.decode()
    with scopes_disabled():
        unit.refresh_from_db()
    assert unit.status == Unit.Status.ARCHIVED


def test_archiving_a_published_unit_hides_it_from_learners(
    client, organisation, author, learner, team, url
):
    unit = UnitFactory(organisation=organisation)
    AssignmentFactory(unit=unit, team=team)
    client.force_login(author.user)

    client.post(url("unit_archive", unit.pk), follow=True)

    client.force_login(learner.user)
    assert client.get(url("home")).context["learning"].to_do == []
    assert client.get(url("unit_detail", unit.pk)).status_code == 404


def test_a_draft_cannot_be_assigned(client, organisation, author, team, url):
    unit = UnitFactory(organisation=organisation, status=Unit.Status.DRAFT)
    client.force_login(author.user)

    page = client.get(url("unit_assign", unit.pk)).content.decode()
    response = client.post(url("unit_assign", unit.pk), {"team": team.pk})

    assert "Publish the unit before you assign it." in page
    assert response.status_code == 200
    assert "Only published units can be assigned" in response.content.decode()
    with scopes_disabled():
        assert not Assignment.objects.exists()


def test_assigning_to_a_team_of_another_organisation_is_a_field_error(
    client, organisation, other_organisation, author, url
):
    unit = UnitFactory(organisation=organisation)
    foreign_team = TeamFactory(organisation=other_organisation)
    client.force_login(author.user)

    response = client.post(url("unit_assign", unit.pk), {"team": foreign_team.pk})

    assert response.status_code == 200
    assert "team" in response.context["form"].errors
    with scopes_disabled():
        assert not Assignment.objects.exists()


def test_author_preview_shows_a_draft_that_learners_cannot_open(
    client, organisation, author, learner, url
):
    unit = UnitFactory(
        organisation=organisation, status=Unit.Status.DRAFT, title="Work in progress"
    )
    client.force_login(author.user)

    preview = client.get(url("unit_preview", unit.pk))

    assert preview.status_code == 200 and "Work in progress" in preview.content.decode()
    client.force_login(learner.user)
    assert client.get(url("unit_detail", unit.pk)).status_code == 404


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("unit_list", "get"),
        ("unit_create", "get"),
        ("unit_create", "post"),
        ("unit_preview", "get"),
        ("unit_edit", "get"),
        ("unit_edit", "post"),
        ("unit_publish", "post"),
        ("unit_archive", "post"),
        ("unit_assign", "get"),
        ("unit_assign", "post"),
    ],
)
def test_learner_is_forbidden_to_author(client, organisation, learner, url, name, method):
    unit = UnitFactory(organisation=organisation, status=Unit.Status.DRAFT)
    args = [] if name in {"unit_list", "unit_create"} else [unit.pk]
    client.force_login(learner.user)

    response = getattr(client, method)(url(name, *args), {"title": "x", "body": "y"})

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("unit_detail", "get"),
        ("unit_complete", "post"),
        ("unit_preview", "get"),
        ("unit_edit", "get"),
        ("unit_edit", "post"),
        ("unit_publish", "post"),
        ("unit_archive", "post"),
        ("unit_assign", "get"),
        ("unit_assign", "post"),
    ],
)
def test_units_of_another_organisation_are_not_found(
    client, other_organisation, author, url, name, method
):
    foreign = UnitFactory(organisation=other_organisation, status=Unit.Status.DRAFT)
    if name in {"unit_detail", "unit_complete"}:
        foreign.status = Unit.Status.PUBLISHED
        foreign.save()
    client.force_login(author.user)

    response = getattr(client, method)(url(name, foreign.pk), {"title": "x", "body": "y"})

    assert response.status_code == 404
    with scopes_disabled():
        foreign.refresh_from_db()
        assert foreign.title != "x"
        assert not Completion.objects.exists()
        assert not Assignment.objects.exists()


# --- Learners ---------------------------------------------------------------------------


def test_learner_of_the_team_and_of_a_sub_team_see_the_assigned_unit_on_home(
    client, organisation, team, sub_team, learner, url
):
    unit = UnitFactory(organisation=organisation, title="Handle complaints")
    AssignmentFactory(unit=unit, team=team)
    sub_learner = MembershipFactory(organisation=organisation, team=sub_team)

    for member in (learner, sub_learner):
        client.force_login(member.user)
        response = client.get(url("home"))
        assert [item.unit for item in response.context["learning"].to_do] == [unit]
        assert "Handle complaints" in response.content.decode()


def test_learner_of_another_team_does_not_see_the_unit(client, organisation, team, url):
    unit = UnitFactory(organisation=organisation, title="Handle complaints")
    AssignmentFactory(unit=unit, team=team)
    outsider = MembershipFactory(
        organisation=organisation, team=TeamFactory(organisation=organisation, name="Support")
    )
    client.force_login(outsider.user)

    response = client.get(url("home"))

    assert "Handle complaints" not in response.content.decode()
    assert "Nothing to learn yet." in response.content.decode()


def test_learner_opens_and_completes_a_unit(client, organisation, team, learner, url):
    unit = UnitFactory(organisation=organisation, title="Handle complaints")
    AssignmentFactory(unit=unit, team=team)
    client.force_login(learner.user)

    page = client.get(url("unit_detail", unit.pk))
    response = client.post(url("unit_complete", unit.pk))

    assert page.status_code == 200 and "Mark as complete" in page.content.decode()
    assert response.status_code == 302
    with scopes_disabled():
        completion = Completion.objects.get()
    assert (completion.unit, completion.member) == (unit, learner)
    (completed,) = events(verb=LearningEvent.Verb.COMPLETED)
    assert completed.actor == learner
    assert completed.organisation == organisation
    assert (completed.object_type, completed.object_id) == ("unit", unit.pk)
    assert completed.timestamp == completion.completed_at
    assert len(events(verb=LearningEvent.Verb.VIEWED, actor=learner)) == 1
    home = client.get(url("home")).context["learning"]
    assert home.to_do == [] and [item.unit for item in home.done] == [unit]
    assert "You completed this on" in client.get(url("unit_detail", unit.pk)).content.decode()


def test_completing_twice_records_one_completion_and_one_event(client, organisation, learner, url):
    unit = UnitFactory(organisation=organisation)
    client.force_login(learner.user)

    client.post(url("unit_complete", unit.pk))
    client.post(url("unit_complete", unit.pk))

    with scopes_disabled():
        assert Completion.objects.count() == 1
    assert len(events(verb=LearningEvent.Verb.COMPLETED)) == 1


def test_unit_text_is_escaped_and_keeps_its_paragraphs(client, organisation, learner, url):
    unit = UnitFactory(organisation=organisation, body="<script>alert(1)</script>\n\nSecond part")
    client.force_login(learner.user)

    page = client.get(url("unit_detail", unit.pk)).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<p>Second part</p>" in page


def test_completing_requires_post(client, organisation, learner, url):
    unit = UnitFactory(organisation=organisation)
    client.force_login(learner.user)

    assert client.get(url("unit_complete", unit.pk)).status_code == 405


def test_anonymous_visitor_is_sent_to_sign_in(client, organisation, url):
    response = client.get(url("home"))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Query counts -----------------------------------------------------------------------


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_home_query_count_does_not_grow_with_units(
    client, organisation, team, sub_team, django_assert_max_num_queries, url
):
    learner = MembershipFactory(organisation=organisation, team=sub_team)

    def add_units(n):
        for _ in range(n):
            unit = UnitFactory(organisation=organisation)
            AssignmentFactory(unit=unit, team=team)
            CompletionFactory(unit=UnitFactory(organisation=organisation), member=learner)
            AssignmentFactory(unit=UnitFactory(organisation=organisation), member=learner)

    client.force_login(learner.user)
    add_units(1)
    few = _queries(client, url("home"))
    add_units(10)
    # +1: the open commitments on the home; up to +6: "For you" (team tree, one query
    # per source until it is full, the units).
    with django_assert_max_num_queries(24):
        many = _queries(client, url("home"))

    assert many == few


def test_unit_list_query_count_does_not_grow_with_units(
    client, organisation, author, team, django_assert_max_num_queries, url
):
    def add_units(n):
        for _ in range(n):
            unit = UnitFactory(organisation=organisation, author=author)
            AssignmentFactory(unit=unit, team=team)
            CompletionFactory(unit=unit, member=MembershipFactory(organisation=organisation))

    client.force_login(author.user)
    add_units(1)
    few = _queries(client, url("unit_list"))
    add_units(10)
    with django_assert_max_num_queries(14):
        many = _queries(client, url("unit_list"))

    assert many == few
