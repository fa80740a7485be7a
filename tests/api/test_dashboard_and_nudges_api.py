"""dashboard/team/ for managers (from the rollup) and nudges/ for every member."""

import datetime as dt

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from analytics.services import team_daily_rollup
from events.models import LearningEvent
from nudges.models import Nudge
from organisations.tenancy import organisation_scope
from tests.api.support import error_of
from tests.factories import (
    CompletionFactory,
    LearningEventFactory,
    NudgeRuleFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

DASHBOARD = "analytics_api:team_dashboard"


def complete(membership, unit, *, days_ago: int = 0) -> None:
    when = timezone.now() - dt.timedelta(days=days_ago)
    CompletionFactory(unit=unit, member=membership, completed_at=when)
    LearningEventFactory(actor=membership, object_id=unit.pk, timestamp=when)


def rollup(organisation) -> None:
    with organisation_scope(organisation.pk):
        team_daily_rollup(organisation=organisation)


@pytest.fixture
def completed(acme):
    """Lena completed two units (one 40 days ago), Noor one, Olaf (another team) one."""
    first, second = (UnitFactory(organisation=acme.organisation) for _ in range(2))
    complete(acme.learner, first)
    complete(acme.learner, second, days_ago=40)
    complete(acme.north_learner, first)
    complete(acme.outsider, first)
    rollup(acme.organisation)
    return first


def test_manager_sees_completions_per_member_of_their_teams(acme, completed, as_member, api_url):
    response = as_member(acme.manager).get(api_url(DASHBOARD))

    assert response.status_code == 200
    body = response.json()
    per_member = {row["member"]["id"]: row["completions"] for row in body["members"]}
    assert per_member == {acme.manager.pk: 0, acme.learner.pk: 1, acme.north_learner.pk: 1}
    assert body["total_completions"] == 2
    assert [team["name"] for team in body["teams"]] == ["Service", "Service North"]
    assert len(body["per_day"]) == 30
    assert body["rollup_last_run"] is not None


def test_manager_chooses_the_period(acme, completed, as_member, api_url):
    response = as_member(acme.manager).get(api_url(DASHBOARD), {"days": 60})

    per_member = {row["member"]["id"]: row["completions"] for row in response.json()["members"]}
    assert per_member[acme.learner.pk] == 2
    assert len(response.json()["per_day"]) == 60


def test_dashboard_reads_the_rollup_not_the_events(acme, completed, as_member, api_url):
    complete(acme.learner, UnitFactory(organisation=acme.organisation))  # not rolled up yet

    response = as_member(acme.manager).get(api_url(DASHBOARD))

    assert response.json()["total_completions"] == 2


@pytest.mark.parametrize("days", ["0", "abc", "1000"])
def test_dashboard_refuses_a_bad_period(acme, as_member, api_url, days):
    response = as_member(acme.manager).get(api_url(DASHBOARD), {"days": days})

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["days"]


@pytest.mark.parametrize("who", ["learner", "author", "hr", "admin"])
def test_dashboard_is_for_managers_only(acme, as_member, api_url, who):
    response = as_member(getattr(acme, who)).get(api_url(DASHBOARD))

    assert response.status_code == 403


# --- nudges ------------------------------------------------------------------------------


def nudge(membership, unit, **fields) -> Nudge:
    with scopes_disabled():
        return Nudge.objects.create(
            organisation=membership.organisation,
            rule=fields.pop("rule", None) or NudgeRuleFactory(organisation=membership.organisation),
            member=membership,
            unit=unit,
            kind=Nudge.Kind.FINISH,
            channel=fields.pop("channel", Nudge.Channel.IN_APP),
            key=f"finish:unit:{unit.pk}",
            status=fields.pop("status", Nudge.Status.SENT),
            sent_at=timezone.now(),
            **fields,
        )


@pytest.fixture
def nudges(acme):
    unit = UnitFactory(organisation=acme.organisation, title="Handling a complaint")
    return {
        "mine": nudge(acme.learner, unit),
        "mail": nudge(acme.learner, unit, channel=Nudge.Channel.EMAIL),
        "planned": nudge(
            acme.learner, UnitFactory(organisation=acme.organisation), status=Nudge.Status.PLANNED
        ),
        "theirs": nudge(acme.north_learner, unit),
    }


def test_member_lists_their_delivered_in_app_nudges(acme, nudges, as_member, api_url):
    response = as_member(acme.learner).get(api_url("nudges_api:nudges"))

    assert response.status_code == 200
    assert response.json()["count"] == 1
    row = response.json()["results"][0]
    assert row["id"] == nudges["mine"].pk
    assert row["message"] == "Finish “Handling a complaint”"
    assert row["unit"] == {"id": nudges["mine"].unit_id, "title": "Handling a complaint"}
    assert (row["read_at"], row["unit_completed"]) == (None, False)


def test_member_marks_a_nudge_read_once(acme, nudges, as_member, api_url):
    client = as_member(acme.learner)
    url = api_url("nudges_api:nudge_read", nudges["mine"].pk)

    first = client.post(url)
    second = client.post(url)
    unread = client.get(api_url("nudges_api:nudges"), {"unread": "true"})

    assert first.status_code == second.status_code == 200
    assert first.json()["read_at"] is not None
    assert first.json()["read_at"] == second.json()["read_at"]
    assert unread.json()["count"] == 0
    with scopes_disabled():
        opened = LearningEvent.objects.filter(verb=LearningEvent.Verb.NUDGE_OPENED)
        assert list(opened.values_list("object_id", flat=True)) == [nudges["mine"].pk]


@pytest.mark.parametrize("which", ["theirs", "mail", "planned"])
def test_member_cannot_mark_other_nudges_read(acme, nudges, as_member, api_url, which):
    response = as_member(acme.learner).post(api_url("nudges_api:nudge_read", nudges[which].pk))

    assert response.status_code == 404
    with scopes_disabled():
        nudges[which].refresh_from_db()
    assert nudges[which].read_at is None


def test_nudge_of_another_organisation_is_not_found(acme, globex, as_member, api_url):
    foreign = nudge(globex.member, globex.unit)

    response = as_member(acme.learner).post(api_url("nudges_api:nudge_read", foreign.pk))

    assert response.status_code == 404
    assert "canary" not in response.content.decode()
