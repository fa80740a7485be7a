import csv
import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from analytics import selectors, services
from organisations.tenancy import organisation_scope
from tests.analytics.conftest import complete
from tests.factories import (
    AssignmentFactory,
    CompletionFactory,
    MembershipFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def url(organisation, name: str) -> str:
    return reverse(f"analytics:{name}", args=[organisation.slug])


def rollup(organisation) -> None:
    with organisation_scope(organisation.pk):
        services.team_daily_rollup(organisation=organisation)


def rows_by_name(response) -> dict:
    return {row.member.user.first_name: row for row in response.context["dashboard"].members}


# --- Team dashboard ---------------------------------------------------------------------


def test_manager_sees_completions_per_member_of_their_teams_from_the_rollup(
    client, organisation, people
):
    complete(people.alice)
    complete(people.alice, unit_id=2)
    complete(people.bob)
    complete(people.carol)
    rollup(organisation)
    complete(people.alice, unit_id=3)  # not rolled up yet: not on the dashboard
    client.force_login(people.manager.user)

    response = client.get(url(organisation, "team_dashboard"))

    rows = rows_by_name(response)
    assert set(rows) == {people.manager.user.first_name, "Alice", "Bob"}
    assert (rows["Alice"].completions, rows["Bob"].completions) == (2, 1)
    assert response.context["dashboard"].total_completions == 3
    assert "Carolcanary" not in response.content.decode()
    assert "Figures as of" in response.content.decode()


def test_dashboard_period_limits_the_completions_counted(client, organisation, people):
    complete(people.bob)
    complete(people.bob, unit_id=2, days_ago=20)
    complete(people.bob, unit_id=3, days_ago=60)
    rollup(organisation)
    client.force_login(people.manager.user)

    counted = {
        days: rows_by_name(client.get(url(organisation, "team_dashboard"), {"days": days}))[
            "Bob"
        ].completions
        for days in (7, 30, 90)
    }

    assert counted == {7: 1, 30: 2, 90: 3}


def test_an_unknown_period_falls_back_to_thirty_days(client, organisation, people):
    client.force_login(people.manager.user)

    response = client.get(url(organisation, "team_dashboard"), {"days": "9999"})

    assert response.status_code == 200 and response.context["days"] == 30
    assert len(response.context["dashboard"].per_day) == 30


def test_dashboard_shows_units_assigned_and_completed_per_member(client, organisation, people):
    from_top = UnitFactory(organisation=organisation)
    AssignmentFactory(unit=from_top, team=people.sales)
    for_bob = UnitFactory(organisation=organisation)
    AssignmentFactory(unit=for_bob, member=people.bob)
    CompletionFactory(unit=from_top, member=people.bob)
    CompletionFactory(unit=UnitFactory(organisation=organisation), member=people.bob)  # unassigned
    client.force_login(people.manager.user)

    rows = rows_by_name(client.get(url(organisation, "team_dashboard")))

    assert (rows["Bob"].units_assigned, rows["Bob"].units_completed) == (2, 1)
    assert (rows["Alice"].units_assigned, rows["Alice"].units_completed) == (1, 0)


def test_manager_of_a_sub_team_does_not_see_the_team_above(client, organisation, people):
    people.north.manager = people.bob
    people.north.save()
    complete(people.alice)
    rollup(organisation)
    client.force_login(people.bob.user)

    response = client.get(url(organisation, "team_dashboard"))

    assert set(rows_by_name(response)) == {"Bob"}
    assert response.context["dashboard"].total_completions == 0


def test_dashboard_says_when_the_rollup_has_not_run_yet(client, organisation, people):
    client.force_login(people.manager.user)

    page = client.get(url(organisation, "team_dashboard")).content.decode()

    assert "have not been brought up to date yet" in page
    assert "<svg" in page


def test_chart_coordinates_stay_numbers_in_dutch(client, organisation, people):
    people.manager.user.language = "nl"
    people.manager.user.save()
    complete(people.alice)
    rollup(organisation)
    client.force_login(people.manager.user)

    page = client.get(url(organisation, "team_dashboard"), {"days": 7}).content.decode()

    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'lang="nl"' in page
    assert re.findall(r'(?:x|y|width|height)="[^"]*,', svg) == []
    assert 'width="68.57"' in svg  # 600 / 7 * 0.8


# --- Organisation report ----------------------------------------------------------------


def test_hr_report_shows_completions_per_team_per_week(client, organisation, people):
    complete(people.alice)
    complete(people.bob)
    complete(people.bob, unit_id=2, days_ago=14)
    complete(people.carol)
    rollup(organisation)
    hr = MembershipFactory(organisation=organisation, is_hr=True)
    client.force_login(hr.user)

    response = client.get(url(organisation, "organisation_report"))

    report = response.context["report"]
    totals = {row.team.name: row.total for row in report.rows}
    assert totals == {"Sales": 1, "Sales North": 2, "Support": 1}
    north = next(row for row in report.rows if row.team == people.north)
    assert north.counts[-1] == 1  # this week
    assert sum(north.counts[-3:-1]) == 1  # two weeks ago (the boundary depends on the weekday)
    assert report.total == 4 and len(report.weeks) == 12


def test_hr_report_downloads_the_same_table_as_csv(client, organisation, people):
    complete(people.alice)
    complete(people.carol)
    for _ in range(4):  # five in Support and in Sales: large enough to be shown
        MembershipFactory(organisation=organisation, team=people.support)
    for _ in range(3):
        MembershipFactory(organisation=organisation, team=people.sales)
    for _ in range(4):
        MembershipFactory(organisation=organisation, team=people.north)
    rollup(organisation)
    people.support.name = "=HYPERLINK(evil)"
    people.support.save()
    hr = MembershipFactory(organisation=organisation, is_hr=True)
    client.force_login(hr.user)

    response = client.get(url(organisation, "organisation_report_csv"), {"weeks": 4})

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Team" and rows[0][-1] == "Total" and len(rows[0]) == 6
    by_team = {row[0]: row[1:] for row in rows[1:] if row}
    assert by_team["Sales"] == ["0", "0", "0", "1", "1"]
    assert by_team["'=HYPERLINK(evil)"] == ["0", "0", "0", "1", "1"]
    assert by_team["Total"] == ["0", "0", "0", "2", "2"]


def test_report_weeks_start_on_monday(organisation):
    with organisation_scope(organisation.pk):
        report = selectors.completions_per_team_per_week(
            organisation=organisation, weeks=4, today=dt.date(2026, 11, 26)
        )

    assert report.weeks == [
        dt.date(2026, 11, 2),
        dt.date(2026, 11, 9),
        dt.date(2026, 11, 16),
        dt.date(2026, 11, 23),
    ]


# --- Access -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["team_dashboard", "organisation_report", "organisation_report_csv"]
)
def test_learner_is_forbidden(client, organisation, people, name):
    client.force_login(people.alice.user)

    assert client.get(url(organisation, name)).status_code == 403


@pytest.mark.parametrize("name", ["organisation_report", "organisation_report_csv"])
def test_manager_without_hr_role_cannot_see_the_organisation_report(
    client, organisation, people, name
):
    client.force_login(people.manager.user)

    assert client.get(url(organisation, name)).status_code == 403


def test_member_of_another_organisation_gets_not_found(
    client, organisation, other_organisation, people
):
    outsider = MembershipFactory(organisation=other_organisation, is_hr=True)
    client.force_login(outsider.user)

    assert client.get(url(organisation, "organisation_report")).status_code == 404


# --- Query counts -----------------------------------------------------------------------


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_team_dashboard_query_count_does_not_grow_with_members(
    client, organisation, people, django_assert_max_num_queries
):
    unit = UnitFactory(organisation=organisation)
    AssignmentFactory(unit=unit, team=people.sales)

    def add_members(n):
        for _ in range(n):
            member = MembershipFactory(organisation=organisation, team=people.north)
            AssignmentFactory(unit=UnitFactory(organisation=organisation), member=member)
            CompletionFactory(unit=unit, member=member)
            complete(member)
        rollup(organisation)

    client.force_login(people.manager.user)
    add_members(1)
    few = _queries(client, url(organisation, "team_dashboard"))
    add_members(10)
    with django_assert_max_num_queries(23):
        many = _queries(client, url(organisation, "team_dashboard"))

    assert many == few


def test_organisation_report_query_count_does_not_grow_with_teams(
    client, organisation, people, django_assert_max_num_queries
):
    from tests.factories import TeamFactory

    hr = MembershipFactory(organisation=organisation, is_hr=True)
    client.force_login(hr.user)

    def add_teams(n):
        for _ in range(n):
            complete(
                MembershipFactory(
                    organisation=organisation, team=TeamFactory(organisation=organisation)
                )
            )
        rollup(organisation)

    add_teams(1)
    few = _queries(client, url(organisation, "organisation_report"))
    add_teams(10)
    with django_assert_max_num_queries(16):
        many = _queries(client, url(organisation, "organisation_report"))

    assert many == few


# --- Sorting the team table ---------------------------------------------------------------


def _names(response) -> list[str]:
    return [row.member.user.first_name for row in response.context["members"]]


@pytest.fixture
def one_behind(organisation, people):
    """A unit assigned to Sales (and so to Sales North): Bob finished it, Alice did not."""
    unit = UnitFactory(organisation=organisation)
    AssignmentFactory(unit=unit, team=people.sales)
    CompletionFactory(unit=unit, member=people.bob)
    people.manager.user.first_name = "Zoë"
    people.manager.user.save(update_fields=["first_name"])
    return people


def test_team_table_is_alphabetical_until_sorted(client, organisation, one_behind):
    client.force_login(one_behind.manager.user)

    response = client.get(url(organisation, "team_dashboard"))

    assert _names(response) == ["Alice", "Bob", "Zoë"]
    assert 'aria-sort="ascending"><a class="sort" href="?days=30&amp;sort=-name' in (
        response.content.decode()
    )


def test_sorting_by_progress_puts_who_is_behind_first_and_a_second_click_reverses(
    client, organisation, one_behind
):
    client.force_login(one_behind.manager.user)

    behind_first = client.get(url(organisation, "team_dashboard"), {"sort": "progress"})
    ahead_first = client.get(url(organisation, "team_dashboard"), {"sort": "-progress"})

    assert _names(behind_first) == ["Alice", "Zoë", "Bob"]
    assert _names(ahead_first) == ["Bob", "Alice", "Zoë"]
    page = behind_first.content.decode()
    assert 'aria-sort="ascending"><a class="sort" href="?days=30&amp;sort=-progress' in page
    assert page.count("aria-sort=") == 1
    assert 'aria-sort="descending"' in ahead_first.content.decode()


def test_an_unknown_sort_falls_back_to_names_and_the_period_is_kept(
    client, organisation, one_behind
):
    client.force_login(one_behind.manager.user)

    response = client.get(url(organisation, "team_dashboard"), {"sort": "salary", "days": 7})

    assert _names(response) == ["Alice", "Bob", "Zoë"]
    assert 'href="?days=7&amp;sort=progress#members-heading"' in response.content.decode()


def test_team_table_scrolls_in_a_named_region_the_keyboard_can_reach(
    client, organisation, one_behind
):
    client.force_login(one_behind.manager.user)

    page = client.get(url(organisation, "team_dashboard")).content.decode()

    assert '<div class="table-wrap" role="region" tabindex="0" aria-label="Members">' in page
