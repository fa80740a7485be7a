"""Retention: old raw events go once rolled up, and every figure on the pages stays."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from analytics import selectors, services, tasks
from analytics.models import EventRetention
from events.models import LearningEvent
from organisations.models import AuditLog
from organisations.services import organisation_event_retention_set
from organisations.tenancy import organisation_scope
from tests.analytics.conftest import complete
from tests.factories import (
    CompletionFactory,
    LearningEventFactory,
    MembershipFactory,
    UnitFactory,
)

V = LearningEvent.Verb

pytestmark = pytest.mark.django_db


def _events(organisation) -> list[LearningEvent]:
    with organisation_scope(organisation.pk):
        return list(LearningEvent.objects.filter(organisation=organisation).order_by("id"))


def _keep(organisation, months: int) -> None:
    organisation.event_retention_months = months
    organisation.save(update_fields=["event_retention_months"])


def _apply(organisation, **kwargs) -> int:
    with organisation_scope(organisation.pk):
        return services.event_retention_apply(organisation=organisation, **kwargs)


def _rollup(organisation) -> None:
    with organisation_scope(organisation.pk):
        while services.organisation_rollup(organisation=organisation):
            pass


A_YEAR_AGO = (timezone.now() - dt.timedelta(days=380)).date().isoformat()
PAGES = {
    "team_dashboard": ("team_dashboard", [], "?days=90"),
    "organisation_report": ("organisation_report", [], "?weeks=52"),
    "organisation_report_csv": ("organisation_report_csv", [], ""),
    "coaching": ("coaching", [], "?weeks=26"),
    "coaching_member": ("coaching_member", ["alice"], ""),
    "hr_overview": ("hr_overview", [], ""),
    "hr_impact": ("hr_impact", [], "?weeks=52"),
    # The year before last: only the rollups still know it once retention has run.
    "hr_impact_last_year": ("hr_impact", [], f"?weeks=52&end={A_YEAR_AGO}"),
    "hr_impact_csv_last_year": ("hr_impact_csv", [], f"?weeks=52&end={A_YEAR_AGO}"),
}


def _pages(client, organisation, people) -> dict:
    """Every figure of the analytics pages (the manager's, HR's) and the CSVs, as HTML."""
    client.force_login(people.manager.user)
    pages = {}
    for key, (name, members, query) in PAGES.items():
        args = [organisation.slug, *(getattr(people, who).pk for who in members)]
        response = client.get(reverse(f"analytics:{name}", args=args) + query)
        assert response.status_code == 200, key
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        pages[key] = html
    today = timezone.localdate(timezone=organisation.zone)
    with organisation_scope(organisation.pk):
        pages["dashboard"] = selectors.team_dashboard(
            membership=people.manager, days=90, today=today
        )
        pages["report"] = selectors.completions_per_team_per_week(
            organisation=organisation, weeks=52, today=today
        )
    return pages


def _learn(member, *, unit_id: int, trajectory_id: int, days_ago: int) -> None:
    """A day of everything the pages count: a completion (with its category and minutes), a
    view, a commitment reported applied and one "not yet", evidence signed off first time."""
    at = timezone.now() - dt.timedelta(days=days_ago)
    on_trajectory = {"trajectory": trajectory_id, "round": 1}
    for verb, object_type, context, result in (
        (V.COMPLETED, "unit", {"category": "experience", "minutes": 5}, {}),
        (V.VIEWED, "unit", {}, {}),
        (V.COMMITTED, "commitment", {"unit": unit_id}, {}),
        (V.APPLIED, "commitment", {"unit": unit_id}, {"status": "applied", "success": True}),
        (V.APPLIED, "commitment", {"unit": unit_id}, {"status": "not_yet", "success": False}),
        (V.SUBMITTED, "step", on_trajectory, {}),
        (V.APPROVED, "step", on_trajectory, {}),
        (V.REFLECTED, "block", {"unit": unit_id}, {}),
    ):
        LearningEventFactory(
            actor=member,
            verb=verb,
            object_type=object_type,
            object_id=unit_id,
            context=context,
            result=result,
            timestamp=at,
        )


def test_every_figure_of_the_pages_stays_after_retention_deletes_old_events(
    client, organisation, people
):
    # Given a year of learning (some by a unit assigned to the team) and HR's role
    people.manager.is_hr = True
    people.manager.save()
    unit = UnitFactory(organisation=organisation)
    for days_ago in (2, 20, 80, 200, 420, 500):
        for member in (people.alice, people.bob, people.carol):
            complete(member, unit_id=unit.pk, days_ago=days_ago)
            _learn(member, unit_id=unit.pk, trajectory_id=7, days_ago=days_ago)
    CompletionFactory(unit=unit, member=people.alice)
    _rollup(organisation)
    before = _pages(client, organisation, people)
    _keep(organisation, 13)

    # When retention keeps the shortest it may, 13 months
    deleted = _apply(organisation)

    # Then the events of the year before last are gone, and every figure and page reads
    # the same, the report of that year too
    assert deleted == 2 * 3 * 9
    assert all(e.timestamp > timezone.now() - dt.timedelta(days=400) for e in _events(organisation))
    assert _pages(client, organisation, people) == before
    assert before["dashboard"].total_completions > 0 and before["report"].total == 24
    assert "Sales" in before["hr_impact_last_year"]


def test_retention_deletes_only_events_every_rollup_has_counted(organisation, people):
    old = complete(people.alice, days_ago=500)
    _rollup(organisation)
    late = complete(people.bob, days_ago=500)  # stored after the rollup ran: not counted yet
    _keep(organisation, 13)

    assert _apply(organisation) == 1

    assert [e.pk for e in _events(organisation)] == [late.pk]
    assert old.pk not in {e.pk for e in _events(organisation)}
    with organisation_scope(organisation.pk):
        record = EventRetention.objects.get(organisation=organisation)
        assert (record.deleted, record.deleted_through_id) == (1, old.pk)
        assert AuditLog.objects.filter(action="analytics.events_deleted_by_retention").exists()
    _rollup(organisation)
    assert _apply(organisation) == 1
    assert _events(organisation) == []


def test_retention_deletes_nothing_while_one_rollup_has_not_started(organisation, people):
    complete(people.alice, days_ago=500)
    with organisation_scope(organisation.pk):
        services.team_daily_rollup(organisation=organisation)  # the others never ran
    _keep(organisation, 13)

    assert _apply(organisation) == 0
    assert len(_events(organisation)) == 1


def test_events_are_kept_forever_by_default(organisation, people):
    complete(people.alice, days_ago=5000)
    _rollup(organisation)
    assert organisation.event_retention_months is None

    assert _apply(organisation) == 0
    assert len(_events(organisation)) == 1


def test_retention_of_one_organisation_leaves_the_other_alone(
    organisation, other_organisation, people
):
    stranger = MembershipFactory(organisation=other_organisation)
    complete(stranger, days_ago=500)
    _rollup(other_organisation)
    complete(people.alice, days_ago=500)
    _rollup(organisation)
    _keep(organisation, 13)

    assert _apply(organisation) == 1

    assert len(_events(other_organisation)) == 1


def test_retention_runs_in_batches_and_the_task_goes_on_after_a_full_one(
    organisation, people, settings
):
    for days_ago in (500, 501, 502):
        complete(people.alice, days_ago=days_ago)
    _rollup(organisation)
    _keep(organisation, 13)

    assert _apply(organisation, batch_size=2) == 2
    assert tasks.retention_organisation(organisation.pk) == 1
    assert _events(organisation) == []


def test_the_beat_task_visits_only_organisations_with_a_retention(
    organisation, other_organisation, monkeypatch
):
    _keep(organisation, 24)
    sent = []
    monkeypatch.setattr(tasks.retention_organisation, "delay", sent.append)

    assert tasks.retention_all() == 1
    assert sent == [organisation.pk]
    from config.celery import app

    assert "analytics.retention_all" in {e["task"] for e in app.conf.beat_schedule.values()}


def test_the_setting_is_a_whole_number_of_months_from_thirteen_and_audited(organisation, people):
    from django.core.exceptions import ValidationError

    with organisation_scope(organisation.pk):
        organisation_event_retention_set(organisation=organisation, by=people.manager, months=24)
        assert AuditLog.objects.filter(action="organisation.event_retention_set").exists()
        with pytest.raises(ValidationError):
            organisation_event_retention_set(
                organisation=organisation, by=people.manager, months=12
            )
    organisation.refresh_from_db()
    assert organisation.event_retention_months == 24


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (dt.datetime(2026, 3, 31, 10), 1, dt.datetime(2026, 2, 28, 10)),
        (dt.datetime(2026, 1, 15), 1, dt.datetime(2025, 12, 15)),
        (dt.datetime(2026, 12, 3), 12, dt.datetime(2025, 12, 3)),
        (dt.datetime(2024, 5, 31), 3, dt.datetime(2024, 2, 29)),
    ],
)
def test_months_before_keeps_the_day_or_takes_the_months_last(moment, months, expected):
    assert services.months_before(moment, months) == expected
