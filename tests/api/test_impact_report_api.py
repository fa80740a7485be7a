"""reports/impact/ for HR: the same suppressed figures as the page and the CSV."""

import pytest

from tests.analytics.conftest import complete
from tests.analytics.test_views import rollup
from tests.api.support import error_of
from tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db

REPORT = "analytics_api:impact_report"


def _team_of(organisation, name: str, size: int):
    team = TeamFactory(organisation=organisation, name=name)
    for _ in range(size):
        complete(MembershipFactory(organisation=organisation, team=team))
    return team


def test_hr_gets_the_report_with_small_teams_suppressed(organisation, as_member, api_url):
    hr = MembershipFactory(organisation=organisation, is_hr=True)
    _team_of(organisation, "Big", 6)
    _team_of(organisation, "Bigger", 7)
    _team_of(organisation, "Tiny", 2)
    rollup(organisation)

    response = as_member(hr).get(api_url(REPORT), {"weeks": 4})

    assert response.status_code == 200
    body = response.json()
    teams = next(section for section in body["sections"] if section["key"] == "teams")
    column = [c["key"] for c in teams["columns"]].index("completions")
    by_name = {row["label"]: row["cells"][column] for row in teams["rows"]}
    assert by_name["Tiny"] == {
        "value": None,
        "text": "–",
        "suppressed": True,
        "reason": "small_group",
        "people": None,
    }
    assert by_name["Big"]["suppressed"] and by_name["Big"]["reason"] == "complementary"
    assert by_name["Bigger"]["value"] == 7
    assert {m["key"] for m in body["measures"]} >= {"reach", "first_time_share", "manager_rating"}


def test_a_manager_is_forbidden(acme, as_member, api_url):
    response = as_member(acme.manager).get(api_url(REPORT))

    assert response.status_code == 403


def test_another_organisations_team_is_a_400_with_a_message(
    organisation, other_organisation, as_member, api_url
):
    hr = MembershipFactory(organisation=organisation, is_hr=True)
    foreign = TeamFactory(organisation=other_organisation)

    response = as_member(hr).get(api_url(REPORT), {"team": foreign.pk, "colour": "red"})

    assert response.status_code == 400
    messages = error_of(response)["fields"]["non_field_errors"]
    assert "That team is not one of this organisation's teams." in messages
    assert "There is no filter called “colour”." in messages
