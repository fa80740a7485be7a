"""HR's overview and impact report: who may see them, bad filters, suppression, query counts."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from analytics.reporting import DASH
from tests.analytics.conftest import complete
from tests.analytics.test_views import rollup
from tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db
PAGES = ["hr_overview", "hr_impact", "hr_impact_csv"]


def url(organisation, name: str) -> str:
    return reverse(f"analytics:{name}", args=[organisation.slug])


@pytest.fixture
def hr(client, organisation):
    member = MembershipFactory(organisation=organisation, is_hr=True)
    client.force_login(member.user)
    return member


def _team_of(organisation, name: str, size: int, completions_each: int = 1):
    team = TeamFactory(organisation=organisation, name=name)
    for _ in range(size):
        member = MembershipFactory(organisation=organisation, team=team)
        for unit_id in range(completions_each):
            complete(member, unit_id=unit_id + 1)
    return team


# --- Access -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_a_learner_is_forbidden(client, organisation, people, name):
    client.force_login(people.alice.user)

    assert client.get(url(organisation, name)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_a_manager_without_the_hr_role_is_forbidden(client, organisation, people, name):
    client.force_login(people.manager.user)

    assert client.get(url(organisation, name)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_hr_of_another_organisation_gets_not_found(client, organisation, other_organisation, name):
    outsider = MembershipFactory(organisation=other_organisation, is_hr=True)
    client.force_login(outsider.user)

    assert client.get(url(organisation, name)).status_code == 404


@pytest.mark.parametrize("name", ["hr_overview", "hr_impact"])
def test_hr_sees_the_three_levels_with_their_definitions(client, organisation, hr, name):
    _team_of(organisation, "Care", 6)
    rollup(organisation)

    response = client.get(url(organisation, name))

    page = response.content.decode()
    assert response.status_code == 200
    for text in ("Usage", "Application", "Impact", "What the figures mean"):
        assert text in page
    assert 'id="measure-first_time_share"' in page  # the definitions list
    assert "<svg" in page and "Trend per week" in page  # chart and its table


# --- Bad filters --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"colour": "red"}, "There is no filter called “colour”."),
        ({"end": "2999-01-01"}, "The period cannot end in the future"),
        ({"weeks": "3"}, "Choose a period of 4, 12, 26 or 52 weeks."),
    ],
)
def test_a_bad_filter_shows_a_message_and_no_figures(client, organisation, hr, params, message):
    _team_of(organisation, "Care", 6)
    rollup(organisation)

    response = client.get(url(organisation, "hr_impact"), params)

    page = response.content.decode()
    assert response.status_code == 400
    assert message in page and "These filters cannot be shown" in page
    assert response.context["report"] is None
    assert 'id="definitions-heading"' not in page  # no figures, no definitions of them


def test_another_organisations_team_id_is_refused_with_a_message(
    client, organisation, other_organisation, hr
):
    foreign = _team_of(other_organisation, "Secret", 6)

    response = client.get(url(organisation, "hr_impact"), {"team": foreign.pk})

    page = response.content.decode()
    assert response.status_code == 400
    assert "That team is not one of this organisation" in page
    assert "Secret" not in page


def test_the_overview_sends_trajectory_and_skill_filters_to_the_impact_report(
    client, organisation, hr
):
    response = client.get(url(organisation, "hr_overview"), {"skill": "1"})

    assert response.status_code == 400
    assert response.context["report"] is None


def test_the_csv_of_a_bad_filter_is_a_message_not_a_file(client, organisation, hr):
    response = client.get(url(organisation, "hr_impact_csv"), {"end": "2999-01-01"})

    assert response.status_code == 400
    assert "attachment" not in response.get("Content-Disposition", "")


# --- Suppression on the page and in the CSV -----------------------------------------------


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_small_teams_and_their_complement_are_dashes_on_the_page_and_in_the_csv(
    client, organisation, hr
):
    _team_of(organisation, "Big", 8)
    _team_of(organisation, "Bigger", 9, completions_each=2)
    _team_of(organisation, "Tiny", 2)
    rollup(organisation)

    page = client.get(url(organisation, "hr_impact"))
    teams = page.context["report"].section("teams")
    by_name = {row.label: row for row in teams.rows}
    completions = [c.key for c in teams.columns].index("completions")

    # Tiny is hidden; Big (the smallest other team) too, or the total minus Bigger
    # would give Tiny's figure away. HR is a member without a team: "No team", 1 person.
    assert by_name["Tiny"].cells[completions].suppressed
    assert by_name["Bigger"].cells[completions].value == 18
    assert by_name["Big"].cells[completions].suppressed
    assert by_name["Big"].cells[completions].reason == "complementary"
    assert "hidden to protect individuals" in page.content.decode()

    rows = _csv(client.get(url(organisation, "hr_impact_csv")))
    header_at = rows.index(["Per team"]) + 1
    column = rows[header_at].index("Completions")
    csv_teams = {row[0]: row for row in rows[header_at + 1 : header_at + 6]}
    assert csv_teams["Tiny"][column] == DASH
    assert csv_teams["Big"][column] == DASH
    assert csv_teams["Bigger"][column] == "18"
    assert csv_teams["Total"][column] == "28"
    assert any("hidden to protect individuals" in " ".join(row) for row in rows)


def test_a_selection_of_fewer_than_five_people_shows_no_figure(client, organisation, hr):
    tiny = _team_of(organisation, "Tiny", 3, completions_each=4)
    rollup(organisation)

    response = client.get(url(organisation, "hr_impact"), {"team": tiny.pk})

    report = response.context["report"]
    assert response.status_code == 200
    assert "fewer than 5 people" in response.content.decode()
    usage = {row.key: row.cells[0] for row in report.section("usage").rows}
    assert usage["completions"].suppressed and usage["completions"].value is None
    assert all(cell.suppressed for row in report.section("trend").rows for cell in row.cells)


def test_the_completions_report_and_its_csv_hide_small_teams(client, organisation, hr):
    _team_of(organisation, "Big", 6)
    _team_of(organisation, "Tiny", 2)
    rollup(organisation)

    page = client.get(url(organisation, "organisation_report"))
    rows = {row.label: row for row in page.context["section"].rows}
    assert all(cell.suppressed for cell in rows["Tiny"].cells)
    # Big and Tiny are the only teams with completions: the total would give Tiny away.
    assert rows["Total"].cells[-1].suppressed or rows["Big"].cells[-1].suppressed

    by_team = {
        row[0]: row[1:]
        for row in _csv(client.get(url(organisation, "organisation_report_csv")))
        if row
    }
    assert set(by_team["Tiny"]) == {DASH}
    assert DASH in by_team["Total"] + by_team["Big"]


# --- Query counts --------------------------------------------------------------------------


def _queries(client, path, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, params or {}).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["hr_overview", "hr_impact", "hr_impact_csv"])
def test_the_hr_report_query_count_does_not_grow_with_members_teams_or_weeks(
    client, organisation, hr, name, django_assert_max_num_queries
):
    made = []

    def grow(teams: int, members: int):
        for _ in range(teams):
            made.append(_team_of(organisation, f"Team {len(made)}", members))
        rollup(organisation)

    grow(3, 1)
    few = _queries(client, url(organisation, name), {"weeks": 4})
    grow(27, 1)
    grow(3, 10)
    with django_assert_max_num_queries(30):
        many = _queries(client, url(organisation, name), {"weeks": 52})

    assert many == few


def test_the_period_ends_where_asked(client, organisation, hr):
    response = client.get(url(organisation, "hr_impact"), {"weeks": 4, "end": "2026-01-15"})

    report = response.context["report"]
    assert (report.start, report.end) == (dt.date(2025, 12, 22), dt.date(2026, 1, 15))
