"""The reflect nudge: after an on-the-job step is signed off, and weekly with an agreed goal."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from courses.models import Step, StepProgress
from events.models import LearningEvent
from goals.models import Goal
from nudges.models import Nudge, NudgeRule, NudgeRuleTeam, WorkReflection
from nudges.rules import held_out
from nudges.services import reflect
from nudges.services.delivery import nudge_words
from organisations.tenancy import organisation_scope
from tests import factories

from .learner_support import agreed_goal, deliver, enrolled_step, nudges_of, plan, rule_of

pytestmark = pytest.mark.django_db

DELAY = 1
AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
# A Thursday and the Friday after it, in the organisation's time zone.
THURSDAY = dt.datetime(2026, 12, 3, 15, 0, tzinfo=AMSTERDAM)
FRIDAY = dt.datetime(2026, 12, 4, 10, 0, tzinfo=AMSTERDAM)


@pytest.fixture(autouse=True)
def _unscoped():
    with scopes_disabled():
        yield


@pytest.fixture
def rule(organisation):
    return rule_of(organisation, NudgeRule.Kind.REFLECT, delay_days=DELAY, send_in_app=False)


@pytest.fixture
def learner(organisation):
    return factories.MembershipFactory(organisation=organisation, user__language="en")


def signed_off(member, *, at, kind=Step.Kind.ASSIGNMENT, sign_off=Step.SignOff.MANAGER):
    progress = enrolled_step(member, kind=kind, sign_off=sign_off, title="Plan a shift")
    StepProgress.objects.filter(pk=progress.pk).update(status=StepProgress.Status.DONE, done_at=at)
    return progress


# --- after a sign-off --------------------------------------------------------------------


def test_an_on_the_job_step_signed_off_the_delay_ago_gets_a_nudge(rule, learner):
    progress = signed_off(learner, at=THURSDAY - dt.timedelta(days=DELAY, hours=1))

    assert plan(rule, THURSDAY) == 1

    (nudge,) = nudges_of(rule)
    assert (nudge.key, nudge.subject_type, nudge.subject_id, nudge.occurrence) == (
        f"reflect:step:{progress.pk}",
        "step_progress",
        progress.pk,
        0,
    )


def test_steps_too_recent_not_on_the_job_or_without_signer_get_none(rule, learner):
    long_ago = THURSDAY - dt.timedelta(days=DELAY, hours=1)
    signed_off(learner, at=THURSDAY - dt.timedelta(hours=1))
    signed_off(learner, at=long_ago, kind=Step.Kind.EXTERNAL)
    signed_off(learner, at=long_ago, sign_off=Step.SignOff.NOBODY)
    enrolled_step(learner, kind=Step.Kind.ASSIGNMENT, sign_off=Step.SignOff.MANAGER)

    assert plan(rule, THURSDAY) == 0


def test_planning_twice_creates_nothing_new(rule, learner):
    signed_off(learner, at=THURSDAY - dt.timedelta(days=DELAY, hours=1))
    plan(rule, THURSDAY)

    assert plan(rule, THURSDAY) == 0
    assert plan(rule, THURSDAY + dt.timedelta(hours=1)) == 0


# --- weekly, with an agreed goal ----------------------------------------------------------


def test_a_member_with_an_agreed_goal_gets_one_nudge_a_week_from_friday(rule, learner):
    goal = agreed_goal(learner, agreed_at=THURSDAY - dt.timedelta(days=30))
    agreed_goal(learner, agreed_at=THURSDAY - dt.timedelta(days=30), title="A second goal")

    assert plan(rule, THURSDAY) == 0
    assert plan(rule, FRIDAY) == 1
    assert plan(rule, FRIDAY + dt.timedelta(days=1)) == 0
    assert plan(rule, FRIDAY + dt.timedelta(days=7)) == 1

    nudges = nudges_of(rule)
    assert [(n.key, n.subject_id, n.occurrence) for n in nudges] == [
        ("reflect:week", goal.pk, 202649),
        ("reflect:week", goal.pk, 202650),
    ]


def test_the_rules_weekday_and_hour_choose_the_moment(organisation, learner):
    rule = rule_of(
        organisation,
        NudgeRule.Kind.REFLECT,
        delay_days=DELAY,
        weekday=NudgeRule.Weekday.THURSDAY,
        hour=16,
        send_in_app=False,
    )
    agreed_goal(learner, agreed_at=THURSDAY - dt.timedelta(days=30))

    assert plan(rule, THURSDAY) == 0
    assert plan(rule, THURSDAY + dt.timedelta(hours=1)) == 1


def test_members_without_an_agreed_goal_get_no_weekly_nudge(rule, learner):
    goal = agreed_goal(learner, agreed_at=THURSDAY - dt.timedelta(days=30))
    Goal.objects.filter(pk=goal.pk).update(status=Goal.Status.PROPOSED)

    assert plan(rule, FRIDAY) == 0


def test_held_out_members_and_members_outside_the_teams_get_none(organisation):
    team = factories.TeamFactory(organisation=organisation)
    rule = rule_of(
        organisation,
        NudgeRule.Kind.REFLECT,
        delay_days=DELAY,
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
        agreed_goal(member, agreed_at=THURSDAY - dt.timedelta(days=30))
        signed_off(member, at=THURSDAY - dt.timedelta(days=2))

    plan(rule, FRIDAY)

    expected = {m.pk for m in inside if not held_out(rule_id=rule.pk, member_id=m.pk, percent=50)}
    assert {n.member_id for n in nudges_of(rule)} == expected
    assert len(nudges_of(rule)) == 2 * len(expected)
    assert 0 < len(expected) < len(inside)


def test_planning_costs_the_same_queries_for_many_members(organisation, rule):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            plan(rule, FRIDAY)
        return len(captured)

    def one_more():
        member = factories.MembershipFactory(organisation=organisation)
        agreed_goal(member, agreed_at=THURSDAY - dt.timedelta(days=30))
        signed_off(member, at=THURSDAY - dt.timedelta(days=2))

    one_more()
    few = queries()
    for _ in range(5):
        one_more()
    assert queries() == few


def test_planning_with_nothing_due_is_two_queries(rule, django_assert_num_queries):
    with organisation_scope(rule.organisation_id), django_assert_num_queries(2):
        assert reflect.plan(rule=rule, now=FRIDAY) == 0


# --- sending and answering -----------------------------------------------------------------


@pytest.fixture
def step_nudge(rule, learner):
    signed_off(learner, at=THURSDAY - dt.timedelta(days=DELAY, hours=1))
    plan(rule, THURSDAY)
    (nudge,) = nudges_of(rule)
    return nudge


def test_the_words_ask_what_the_member_learnt_and_lead_to_the_page(step_nudge):
    with translation.override("en"):
        words = nudge_words(step_nudge)

    assert words.subject == "What did you learn from “Plan a shift”?"
    assert words.action.path == f"/o/acme/nudges/{step_nudge.pk}/reflect/"
    assert words.values["reflect_url"].endswith(words.action.path)
    assert "signed off 1 day ago" in words.reason


def test_a_reflection_written_before_sending_cancels_the_nudge(step_nudge):
    reflect.work_reflection_save(nudge=step_nudge, membership=step_nudge.member, text="Ask first.")

    assert deliver(step_nudge) == Nudge.Status.CANCELLED
    step_nudge.refresh_from_db()
    assert step_nudge.cancel_reason == Nudge.CancelReason.FULFILLED


def test_the_member_writes_a_reflection_on_the_nudges_page(client, step_nudge):
    client.force_login(step_nudge.member.user)
    page = reverse("nudges:reflect", args=["acme", step_nudge.pk])

    assert "What did you learn from “Plan a shift”?" in client.get(page).text
    response = client.post(
        page, {"text": "Ask the team before planning.", "shared_with_manager": "on"}
    )

    assert response.status_code == 302
    reflection = WorkReflection.objects.get()
    assert (reflection.member_id, reflection.text, reflection.shared_with_manager) == (
        step_nudge.member_id,
        "Ask the team before planning.",
        True,
    )
    assert "Thank you: your reflection is saved." in client.get(page).text

    client.post(page, {"text": "Ask the team, then plan."})
    reflection.refresh_from_db()
    assert (reflection.text, reflection.shared_with_manager) == ("Ask the team, then plan.", False)
    event = LearningEvent.objects.get(verb=LearningEvent.Verb.REFLECTED)
    assert (event.actor_id, event.object_type) == (step_nudge.member_id, "step")


def test_an_empty_reflection_is_a_field_error(client, step_nudge):
    client.force_login(step_nudge.member.user)

    response = client.post(reverse("nudges:reflect", args=["acme", step_nudge.pk]), {"text": " "})

    assert response.status_code == 200
    assert "Write what you learnt." in response.text
    assert not WorkReflection.objects.exists()


def test_another_member_cannot_open_the_reflect_page(client, step_nudge, organisation):
    client.force_login(factories.MembershipFactory(organisation=organisation).user)

    response = client.get(reverse("nudges:reflect", args=["acme", step_nudge.pk]))

    assert response.status_code == 404


def test_the_weekly_page_names_the_goal(client, rule, learner):
    agreed_goal(learner, agreed_at=THURSDAY - dt.timedelta(days=30))
    plan(rule, FRIDAY)
    (nudge,) = nudges_of(rule)
    client.force_login(learner.user)

    text = client.get(reverse("nudges:reflect", args=["acme", nudge.pk])).text

    assert "What did you learn this week?" in text
    assert "While you work on your goal “Run the weekly planning”." in text


def test_a_reflection_on_a_step_that_is_gone_is_refused(client, step_nudge):
    StepProgress.objects.filter(pk=step_nudge.subject_id).delete()
    client.force_login(step_nudge.member.user)

    response = client.post(
        reverse("nudges:reflect", args=["acme", step_nudge.pk]), {"text": "Ask first."}
    )

    assert response.status_code == 200
    assert "What this reminder asked about no longer exists." in response.text
    assert not WorkReflection.objects.exists()
