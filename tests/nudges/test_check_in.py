"""The check-in nudge: an agreed goal's check-in is due (two weeks after the last)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from goals.models import Goal
from goals.selectors.goals import CHECK_IN_EVERY_DAYS
from nudges.models import Nudge, NudgeRule, NudgeRuleTeam
from nudges.rules import held_out
from nudges.services import check_in as check_in_kind
from nudges.services.delivery import nudge_words
from organisations.tenancy import organisation_scope
from tests import factories

from .learner_support import agreed_goal, check_in, deliver, nudges_of, plan, rule_of

pytestmark = pytest.mark.django_db

EVERY = dt.timedelta(days=CHECK_IN_EVERY_DAYS)


@pytest.fixture(autouse=True)
def _unscoped():
    with scopes_disabled():
        yield


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def rule(organisation):
    return rule_of(organisation, NudgeRule.Kind.CHECK_IN, delay_days=0, send_in_app=False)


@pytest.fixture
def learner(organisation):
    return factories.MembershipFactory(organisation=organisation, user__language="en")


def test_a_goal_agreed_two_weeks_ago_is_due_a_check_in(rule, learner, now):
    goal = agreed_goal(learner, agreed_at=now - EVERY - dt.timedelta(hours=1))

    assert plan(rule, now) == 1

    (nudge,) = nudges_of(rule)
    assert (nudge.member_id, nudge.key, nudge.subject_type, nudge.subject_id) == (
        learner.pk,
        f"check_in:goal:{goal.pk}",
        "goal",
        goal.pk,
    )


def test_a_recent_check_in_or_a_goal_not_agreed_is_not_due(rule, learner, now):
    recent = agreed_goal(learner, agreed_at=now - 3 * EVERY)
    check_in(recent, at=now - EVERY + dt.timedelta(days=1))
    young = agreed_goal(learner, agreed_at=now - EVERY + dt.timedelta(days=1))
    closed = agreed_goal(learner, agreed_at=now - 3 * EVERY)
    Goal.objects.filter(pk=closed.pk).update(status=Goal.Status.PROPOSED)

    assert plan(rule, now) == 0
    assert young.pk and recent.pk


def test_the_next_round_is_a_new_nudge_and_planning_twice_is_not(rule, learner, now):
    goal = agreed_goal(learner, agreed_at=now - EVERY - dt.timedelta(hours=1))
    plan(rule, now)
    assert plan(rule, now) == 0

    check_in(goal, at=now)
    assert plan(rule, now + dt.timedelta(days=1)) == 0
    assert plan(rule, now + EVERY + dt.timedelta(hours=1)) == 1
    assert len({n.occurrence for n in nudges_of(rule)}) == 2


def test_the_delay_waits_days_after_the_check_in_fell_due(organisation, learner, now):
    rule = rule_of(organisation, NudgeRule.Kind.CHECK_IN, delay_days=2, send_in_app=False)
    agreed_goal(learner, agreed_at=now - EVERY - dt.timedelta(days=1))

    assert plan(rule, now) == 0
    assert plan(rule, now + dt.timedelta(days=1, hours=1)) == 1


def test_held_out_members_and_members_outside_the_teams_get_none(organisation, now):
    team = factories.TeamFactory(organisation=organisation)
    rule = rule_of(
        organisation,
        NudgeRule.Kind.CHECK_IN,
        delay_days=0,
        holdout_percent=50,
        audience=NudgeRule.Audience.TEAMS,
        send_in_app=False,
    )
    NudgeRuleTeam.objects.create(organisation=organisation, rule=rule, team=team)
    inside = factories.memberships_on_both_sides_of_the_holdout(
        rule, organisation=organisation, team=team
    )
    outside = factories.MembershipFactory(organisation=organisation)
    for member in [*inside, outside]:
        agreed_goal(member, agreed_at=now - 2 * EVERY)

    plan(rule, now)

    expected = {m.pk for m in inside if not held_out(rule_id=rule.pk, member_id=m.pk, percent=50)}
    assert {n.member_id for n in nudges_of(rule)} == expected
    assert 0 < len(expected) < len(inside)


def test_planning_costs_the_same_queries_for_many_goals(organisation, rule, now):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            plan(rule, now)
        return len(captured)

    agreed_goal(factories.MembershipFactory(organisation=organisation), agreed_at=now - 2 * EVERY)
    few = queries()
    for _ in range(5):
        member = factories.MembershipFactory(organisation=organisation)
        agreed_goal(member, agreed_at=now - 2 * EVERY)
    assert queries() == few


def test_planning_with_nothing_due_is_one_query(rule, now, django_assert_num_queries):
    with organisation_scope(rule.organisation_id), django_assert_num_queries(1):
        assert check_in_kind.plan(rule=rule, now=now) == 0


def test_checking_in_before_sending_cancels_the_nudge(rule, learner, now):
    goal = agreed_goal(learner, agreed_at=now - EVERY - dt.timedelta(hours=1))
    plan(rule, now)
    check_in(goal, at=timezone.now())

    (nudge,) = nudges_of(rule)
    assert deliver(nudge) == Nudge.Status.CANCELLED
    nudge.refresh_from_db()
    assert nudge.cancel_reason == Nudge.CancelReason.FULFILLED


def test_a_closed_goal_cancels_the_nudge(rule, learner, now):
    goal = agreed_goal(learner, agreed_at=now - EVERY - dt.timedelta(hours=1))
    plan(rule, now)
    Goal.objects.filter(pk=goal.pk).update(status=Goal.Status.CLOSED, outcome="dropped")

    (nudge,) = nudges_of(rule)
    assert deliver(nudge) == Nudge.Status.CANCELLED
    nudge.refresh_from_db()
    assert nudge.cancel_reason == Nudge.CancelReason.WITHDRAWN


def test_the_words_name_the_goal_and_lead_to_the_check_in_form(rule, learner, now):
    goal = agreed_goal(learner, agreed_at=now - EVERY - dt.timedelta(hours=1))
    plan(rule, now)
    (nudge,) = nudges_of(rule)

    with translation.override("en"):
        words = nudge_words(nudge)

    assert words.subject == "Time to check in: “Run the weekly planning”"
    assert "was due on" in words.text
    assert words.action.path == f"/o/acme/goals/{goal.pk}/#check-ins"
    assert words.values["check_in_url"].endswith(words.action.path)
    assert "every 14 days" in words.reason
