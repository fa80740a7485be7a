"""catalogue/, catalogue/for_you/ and work_processes/<id>/units/: finding units through the API."""

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from microlearning.models import Unit
from tests.factories import (
    AssignmentFactory,
    CompletionFactory,
    SkillFactory,
    WorkProcessFactory,
    catalogue_unit,
)

pytestmark = pytest.mark.django_db

CATALOGUE = "microlearning_api:catalogue"
FOR_YOU = "microlearning_api:for_you"
WORK_PROCESS_UNITS = "microlearning_api:work_process_units"


def titles(response) -> list[str]:
    return [row["title"] for row in response.json()["results"]]


@pytest.fixture
def catalogue(acme, globex):
    organisation = acme.organisation
    with scopes_disabled():
        skill = SkillFactory(organisation=organisation, name="Overleggen")
        process = WorkProcessFactory(organisation=organisation, name="Teamoverleg")
        meeting = catalogue_unit(
            organisation,
            title="Een goede vergadering voorbereiden",
            summary="Agenda, doel en rollen.",
            minutes=4,
            skills=[skill],
            work_processes=[process],
            blocks=[("checklist", {"items": ["Agenda rondsturen"]})],
        )
        english = catalogue_unit(
            organisation, title="Running a good meeting", language="en", minutes=12
        )
        catalogue_unit(organisation, title="Vergadering in concept", status=Unit.Status.DRAFT)
        catalogue_unit(globex.organisation, title="Globex vergadering canary")
    return {"skill": skill, "process": process, "meeting": meeting, "english": english}


def test_learner_lists_the_catalogue_with_done_flags(acme, catalogue, as_member, api_url):
    CompletionFactory(unit=catalogue["meeting"], member=acme.learner)

    response = as_member(acme.learner).get(api_url(CATALOGUE), {"sort": "title"})

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["title"] for r in rows] == [
        "Een goede vergadering voorbereiden",
        "Running a good meeting",
    ]
    assert rows[0] | {"id": None, "published_at": None} == {
        "id": None,
        "title": "Een goede vergadering voorbereiden",
        "summary": "Agenda, doel en rollen.",
        "language": "nl",
        "estimated_minutes": 4,
        "category": "formal",
        "published_at": None,
        "done": True,
    }
    assert rows[1]["done"] is False


def test_catalogue_filters_like_the_web_page(acme, catalogue, as_member, api_url):
    client = as_member(acme.learner)

    assert titles(client.get(api_url(CATALOGUE), {"skill": catalogue["skill"].pk})) == [
        "Een goede vergadering voorbereiden"
    ]
    assert titles(client.get(api_url(CATALOGUE), {"duration": "long"})) == [
        "Running a good meeting"
    ]
    assert titles(client.get(api_url(CATALOGUE), {"language": "en"})) == ["Running a good meeting"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming needs PostgreSQL")
def test_search_stems_and_forgives_typos(acme, catalogue, as_member, api_url):
    client = as_member(acme.learner)

    assert titles(client.get(api_url(CATALOGUE), {"q": "vergaderingen"})) == [
        "Een goede vergadering voorbereiden"
    ]
    assert titles(client.get(api_url(CATALOGUE), {"q": "meetng"})) == ["Running a good meeting"]


def test_a_filter_value_that_does_not_validate_is_a_400(acme, catalogue, as_member, api_url):
    response = as_member(acme.learner).get(api_url(CATALOGUE), {"duration": "forever"})

    assert response.status_code == 400


def test_another_organisations_units_and_skills_never_show(
    acme, globex, catalogue, as_member, api_url
):
    with scopes_disabled():
        globex_skill = SkillFactory(organisation=globex.organisation)
    client = as_member(acme.learner)

    everything = client.get(api_url(CATALOGUE), {"q": "vergadering"}).content.decode()
    by_foreign_skill = client.get(api_url(CATALOGUE), {"skill": globex_skill.pk})

    assert "canary" not in everything and "concept" not in everything
    assert by_foreign_skill.json()["results"] == []


def test_work_process_units_lists_checklists_first(acme, catalogue, as_member, api_url):
    response = as_member(acme.learner).get(api_url(WORK_PROCESS_UNITS, catalogue["process"].pk))

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Teamoverleg"
    assert [u["title"] for u in body["checklists"]] == ["Een goede vergadering voorbereiden"]
    assert body["checklists"][0]["has_checklist"] is True
    assert body["units"] == []


def test_work_process_of_another_organisation_is_404(acme, globex, as_member, api_url):
    with scopes_disabled():
        foreign = WorkProcessFactory(organisation=globex.organisation)

    response = as_member(acme.learner).get(api_url(WORK_PROCESS_UNITS, foreign.pk))

    assert response.status_code == 404


def test_for_you_starts_with_what_is_assigned(acme, catalogue, as_member, api_url):
    AssignmentFactory(unit=catalogue["english"], member=acme.learner)

    response = as_member(acme.learner).get(api_url(FOR_YOU))

    assert response.status_code == 200
    assert response.json()[0]["unit"]["title"] == "Running a good meeting"
    assert response.json()[0]["reason"] == "assigned"


def test_catalogue_needs_a_signed_in_member(catalogue, api_client, api_url):
    assert api_client.get(api_url(CATALOGUE)).status_code == 401
