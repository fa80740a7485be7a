"""units/: learners find and complete what reaches them; authors write, publish and assign."""

import pytest
from django_scopes import scopes_disabled

from events.models import LearningEvent
from microlearning.models import Assignment, Completion, Unit
from tests.api.support import error_of
from tests.factories import AssignmentFactory, CompletionFactory, UnitFactory

pytestmark = pytest.mark.django_db

UNITS = "microlearning_api:units"
UNIT = "microlearning_api:unit"


def titles(response) -> list[str]:
    return [row["title"] for row in response.json()["results"]]


@pytest.fixture
def units(acme):
    """Assigned to Service (so to North too), to one member, not assigned, and a draft."""
    made = {"organisation": acme.organisation, "author": acme.author}
    to_team = UnitFactory(**made, title="To the team")
    to_north_learner = UnitFactory(**made, title="To Noor")
    unassigned = UnitFactory(**made, title="Not assigned")
    draft = UnitFactory(**made, title="Draft", status=Unit.Status.DRAFT)
    AssignmentFactory(unit=to_team, team=acme.service)
    AssignmentFactory(unit=to_north_learner, member=acme.north_learner)
    return {"team": to_team, "member": to_north_learner, "none": unassigned, "draft": draft}


# --- learners ----------------------------------------------------------------------------


def test_learner_lists_the_published_units_assigned_to_them(acme, units, as_member, api_url):
    CompletionFactory(unit=units["team"], member=acme.north_learner)

    response = as_member(acme.north_learner).get(api_url(UNITS))

    assert response.status_code == 200
    assert sorted(titles(response)) == ["To Noor", "To the team"]
    done = next(r for r in response.json()["results"] if r["title"] == "To the team")
    assert done["completed_at"] is not None
    assert set(done) == {"id", "title", "status", "published_at", "updated_at", "completed_at"}


def test_learner_ignores_the_status_filter(acme, units, as_member, api_url):
    response = as_member(acme.learner).get(api_url(UNITS), {"status": "draft"})

    assert titles(response) == ["To the team"]


def test_learner_opens_a_published_unit(acme, units, as_member, api_url):
    response = as_member(acme.learner).get(api_url(UNIT, units["none"].pk))

    assert response.status_code == 200
    assert response.json()["title"] == units["none"].title
    assert response.json()["completed_at"] is None


def test_learner_does_not_find_a_draft(acme, units, as_member, api_url):
    response = as_member(acme.learner).get(api_url(UNIT, units["draft"].pk))

    assert response.status_code == 404


def test_learner_completes_a_unit_once(acme, units, as_member, api_url):
    client = as_member(acme.learner)

    first = client.post(api_url("microlearning_api:unit_complete", units["team"].pk))
    second = client.post(api_url("microlearning_api:unit_complete", units["team"].pk))

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    assert first.json()["unit_id"] == units["team"].pk
    with scopes_disabled():
        assert Completion.objects.filter(member=acme.learner).count() == 1
        assert (
            LearningEvent.objects.filter(actor=acme.learner, verb=LearningEvent.Verb.COMPLETED)
            .values_list("object_id", flat=True)
            .get()
            == units["team"].pk
        )


def test_learner_cannot_complete_a_draft(acme, units, as_member, api_url):
    response = as_member(acme.learner).post(
        api_url("microlearning_api:unit_complete", units["draft"].pk)
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("method", "name", "data"),
    [
        ("post", UNITS, {"title": "T", "body": "B"}),
        ("patch", UNIT, {"title": "T"}),
        ("post", "microlearning_api:unit_publish", None),
        ("post", "microlearning_api:unit_archive", None),
        ("post", "microlearning_api:unit_assign", {"team_id": 1}),
    ],
)
def test_learner_cannot_author(acme, units, as_member, api_url, method, name, data):
    args = () if name == UNITS else (units["team"].pk,)

    response = getattr(as_member(acme.learner), method)(api_url(name, *args), data, format="json")

    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"


# --- authors -----------------------------------------------------------------------------


def test_author_lists_every_unit_and_filters_by_status(acme, units, as_member, api_url):
    client = as_member(acme.author)

    everything = client.get(api_url(UNITS))
    drafts = client.get(api_url(UNITS), {"status": "draft"})

    assert everything.json()["count"] == 4
    assert titles(drafts) == ["Draft"]


def test_author_gets_400_for_an_unknown_status(acme, as_member, api_url):
    response = as_member(acme.author).get(api_url(UNITS), {"status": "lost"})

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["status"]


def test_author_creates_a_draft(acme, as_member, api_url):
    response = as_member(acme.author).post(
        api_url(UNITS), {"title": "Greeting a customer", "body": "Smile."}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["title"], body["status"], body["published_at"]) == (
        "Greeting a customer",
        "draft",
        None,
    )
    assert body["author"] == {"id": acme.author.pk, "name": acme.author.display_name}
    with scopes_disabled():
        assert Unit.objects.get(pk=body["id"]).organisation_id == acme.organisation.pk


def test_author_creating_a_unit_without_title_gets_field_errors(acme, as_member, api_url):
    response = as_member(acme.author).post(api_url(UNITS), {"body": "Text"}, format="json")

    assert response.status_code == 400
    assert error_of(response)["fields"] == {"title": ["This field is required."]}


def test_author_opens_a_draft(acme, units, as_member, api_url):
    response = as_member(acme.author).get(api_url(UNIT, units["draft"].pk))

    assert response.status_code == 200
    assert response.json()["status"] == "draft"


def test_author_changes_only_the_title(acme, units, as_member, api_url):
    response = as_member(acme.author).patch(
        api_url(UNIT, units["draft"].pk), {"title": "Better title"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["title"] == "Better title"
    assert response.json()["status"] == "draft"


def test_author_cannot_blank_the_title(acme, units, as_member, api_url):
    response = as_member(acme.author).patch(
        api_url(UNIT, units["draft"].pk), {"title": ""}, format="json"
    )

    assert response.status_code == 400
    assert error_of(response)["fields"] == {"title": ["This field may not be blank."]}


def test_author_publishes_and_archives(acme, units, as_member, api_url):
    client = as_member(acme.author)
    unit_id = units["draft"].pk

    published = client.post(api_url("microlearning_api:unit_publish", unit_id))
    again = client.post(api_url("microlearning_api:unit_publish", unit_id))
    archived = client.post(api_url("microlearning_api:unit_archive", unit_id))

    assert published.status_code == again.status_code == archived.status_code == 200
    assert published.json()["status"] == "published"
    assert published.json()["published_at"] is not None
    assert archived.json()["status"] == "archived"


def test_author_assigns_to_a_team_once(acme, units, as_member, api_url):
    client = as_member(acme.author)
    url = api_url("microlearning_api:unit_assign", units["none"].pk)

    first = client.post(url, {"team_id": acme.elsewhere.pk}, format="json")
    second = client.post(url, {"team_id": acme.elsewhere.pk}, format="json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["team"] == {"id": acme.elsewhere.pk, "name": "Warehouse"}
    assert first.json()["member"] is None
    assert first.json()["assigned_by"]["id"] == acme.author.pk
    with scopes_disabled():
        assert Assignment.objects.filter(unit=units["none"]).count() == 1


def test_author_assigns_to_a_member(acme, units, as_member, api_url):
    response = as_member(acme.author).post(
        api_url("microlearning_api:unit_assign", units["none"].pk),
        {"member_id": acme.outsider.pk},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["member"]["id"] == acme.outsider.pk


def test_assigning_to_both_a_team_and_a_member_gives_400(acme, units, as_member, api_url):
    response = as_member(acme.author).post(
        api_url("microlearning_api:unit_assign", units["none"].pk),
        {"team_id": acme.service.pk, "member_id": acme.learner.pk},
        format="json",
    )

    assert response.status_code == 400
    assert error_of(response)["fields"] == {
        "non_field_errors": ["Assign to a team or to a member, not both."]
    }


def test_assigning_to_nobody_gives_400(acme, units, as_member, api_url):
    response = as_member(acme.author).post(
        api_url("microlearning_api:unit_assign", units["none"].pk), {}, format="json"
    )

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["non_field_errors"]


def test_assigning_a_draft_gives_400(acme, units, as_member, api_url):
    response = as_member(acme.author).post(
        api_url("microlearning_api:unit_assign", units["draft"].pk),
        {"team_id": acme.service.pk},
        format="json",
    )

    assert response.status_code == 400
    assert error_of(response)["fields"] == {
        "non_field_errors": ["Only published units can be assigned or completed."]
    }


@pytest.mark.parametrize("payload", [{"team_id": "abc"}, {"member_id": [1]}])
def test_assigning_with_ids_of_the_wrong_type_gives_400(acme, units, as_member, api_url, payload):
    response = as_member(acme.author).post(
        api_url("microlearning_api:unit_assign", units["none"].pk), payload, format="json"
    )

    assert response.status_code == 400
    assert error_of(response)["fields"] == {next(iter(payload)): ["Expected a number."]}


# --- another organisation ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", UNIT),
        ("patch", UNIT),
        ("post", "microlearning_api:unit_publish"),
        ("post", "microlearning_api:unit_archive"),
        ("post", "microlearning_api:unit_assign"),
        ("post", "microlearning_api:unit_complete"),
    ],
)
def test_unit_of_another_organisation_is_not_found(acme, globex, as_member, api_url, method, name):
    response = getattr(as_member(acme.admin), method)(
        api_url(name, globex.unit.pk),
        {"title": "Taken over", "team_id": acme.service.pk},
        format="json",
    )

    assert response.status_code == 404
    assert "canary" not in response.content.decode()
    with scopes_disabled():
        globex.unit.refresh_from_db()
        assert globex.unit.title == "Globex canary unit"
        assert not Assignment.objects.filter(unit=globex.unit).exists()


@pytest.mark.parametrize("field", ["team_id", "member_id"])
def test_assigning_to_a_team_or_member_of_another_organisation_gives_400(
    acme, globex, units, as_member, api_url, field
):
    foreign = globex.team.pk if field == "team_id" else globex.member.pk

    response = as_member(acme.author).post(
        api_url("microlearning_api:unit_assign", units["none"].pk), {field: foreign}, format="json"
    )

    assert response.status_code == 400
    assert error_of(response)["fields"] == {field: ["Not found in this organisation."]}


def test_units_of_another_organisation_are_not_listed(acme, globex, as_member, api_url):
    response = as_member(acme.admin).get(api_url(UNITS))

    assert "canary" not in response.content.decode()


def test_token_of_another_organisation_cannot_read_units(acme, globex, units, with_token, api_url):
    response = with_token(globex.raw_token).get(api_url(UNIT, units["team"].pk))

    assert response.status_code == 401
