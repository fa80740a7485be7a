"""The managers' nudges: evidence waiting for their sign-off, goals waiting for agreement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from courses.models import Enrolment, Step
from courses.services.evidence import sign_off_decide
from goals import services as goal_services
from goals.models import Goal
from nudges import services
from nudges.models import Nudge, NudgeRule, NudgeRuleTeam
from nudges.preview import nudge_rule_preview
from nudges.rules import DEFAULT_RULES
from nudges.services import manager_agree, manager_sign_off
from organisations.tenancy import organisation_scope
from tests import factories
from tests.goals.factories import draft_goal

from .manager_world import hand_in, manager_rule, manager_world, nudges_of, plan

pytestmark = pytest.mark.django_db

Kind = NudgeRule.Kind
DAYS = dt.timedelta(days=1)


@pytest.fixture
def world(organisation):
    return manager_world(organisation)


@pytest.fixture
def sign_off_rule(organisation):
    return manager_rule(organisation, Kind.MANAGER_SIGN_OFF)


@pytest.fixture
def agree_rule(organisation):
    return manager_rule(organisation, Kind.MANAGER_AGREE)


def deliver(nudge: Nudge) -> str:
    with organisation_scope(nudge.organisation_id):
        services.nudges_transition(
            organisation_id=nudge.organisation_id,
            ids=[nudge.pk],
            source=Nudge.Status.PLANNED,
            target=Nudge.Status.SENDING,
            lease_until=timezone.now() + services.LEASE,
        )
    return services.nudge_send(organisation_id=nudge.organisation_id, nudge_id=nudge.pk)


def cancel_reason(module, nudge: Nudge) -> str:
    with organisation_scope(nudge.organisation_id):
        return module.cancel_reason(nudge)


# --- evidence waiting for sign-off ------------------------------------------------------


def test_evidence_waiting_longer_than_the_delay_nudges_the_learners_manager_on_each_channel(
    world, sign_off_rule
):
    submission = hand_in(world.progress, at=world.now - 4 * DAYS)

    assert plan(sign_off_rule, world.now) == 2

    nudges = nudges_of(sign_off_rule)
    assert {n.member_id for n in nudges} == {world.manager.pk}
    assert {n.channel for n in nudges} == {Nudge.Channel.EMAIL, Nudge.Channel.IN_APP}
    assert {(n.subject_type, n.subject_id, n.kind) for n in nudges} == {
        ("evidence_submission", submission.pk, Nudge.Kind.MANAGER)
    }


def test_evidence_handed_in_within_the_delay_is_not_nudged_yet(world, sign_off_rule):
    hand_in(world.progress, at=world.now - 2 * DAYS)

    assert plan(sign_off_rule, world.now) == 0


def test_planning_sign_off_twice_creates_nothing_new(world, sign_off_rule):
    hand_in(world.progress, at=world.now - 4 * DAYS)
    plan(sign_off_rule, world.now)

    assert plan(sign_off_rule, world.now + DAYS) == 0
    assert len(nudges_of(sign_off_rule)) == 2


def test_a_round_handed_in_again_after_changes_is_a_new_question(world, sign_off_rule):
    first = hand_in(world.progress, at=world.now - 10 * DAYS)
    plan(sign_off_rule, world.now - 6 * DAYS)
    with scopes_disabled():
        sign_off_decide(
            submission=first, signer=world.manager, approve=False, feedback="Add the agenda."
        )
    hand_in(world.progress, at=world.now - 4 * DAYS)

    assert plan(sign_off_rule, world.now) == 2
    assert len({n.key for n in nudges_of(sign_off_rule)}) == 2


def test_only_the_nearest_manager_is_nudged_not_the_one_above_nor_another_teams(
    world, sign_off_rule
):
    hand_in(world.progress, at=world.now - 4 * DAYS)
    plan(sign_off_rule, world.now)

    members = {n.member_id for n in nudges_of(sign_off_rule)}
    assert world.top_manager.pk not in members
    assert world.other_manager.pk not in members


def test_a_team_leaders_own_evidence_goes_to_the_manager_above(world, sign_off_rule):
    with scopes_disabled():
        world.evidence.team.manager = world.learner
        world.evidence.team.save(update_fields=["manager"])
    hand_in(world.progress, at=world.now - 4 * DAYS)

    plan(sign_off_rule, world.now)

    assert {n.member_id for n in nudges_of(sign_off_rule)} == {world.top_manager.pk}


def test_a_step_the_buddy_signs_off_is_no_managers_nudge(organisation, sign_off_rule):
    world = manager_world(organisation, sign_off=Step.SignOff.BUDDY)
    hand_in(world.progress, at=world.now - 4 * DAYS)

    assert plan(sign_off_rule, world.now) == 0


def test_a_held_out_manager_is_not_nudged(world, sign_off_rule, monkeypatch):
    monkeypatch.setattr(
        "nudges.services.planning.held_out",
        lambda *, rule_id, member_id, percent: member_id == world.manager.pk,
    )
    hand_in(world.progress, at=world.now - 4 * DAYS)

    assert plan(sign_off_rule, world.now) == 0


def test_a_manager_outside_the_rules_teams_is_not_nudged(world, organisation):
    rule = manager_rule(organisation, Kind.MANAGER_SIGN_OFF, audience=NudgeRule.Audience.TEAMS)
    with scopes_disabled():
        NudgeRuleTeam.objects.create(organisation=organisation, rule=rule, team=world.other_team)
    hand_in(world.progress, at=world.now - 4 * DAYS)

    assert plan(rule, world.now) == 0


def test_a_sign_off_nudge_is_cancelled_once_the_evidence_is_decided(world, sign_off_rule):
    submission = hand_in(world.progress, at=world.now - 4 * DAYS)
    plan(sign_off_rule, world.now)
    nudge = nudges_of(sign_off_rule)[0]
    assert cancel_reason(manager_sign_off, nudge) == ""

    with scopes_disabled():
        sign_off_decide(submission=submission, signer=world.top_manager, approve=True)

    assert cancel_reason(manager_sign_off, nudge) == Nudge.CancelReason.FULFILLED


def test_a_sign_off_nudge_for_a_withdrawn_enrolment_is_withdrawn(world, sign_off_rule):
    hand_in(world.progress, at=world.now - 4 * DAYS)
    plan(sign_off_rule, world.now)
    with scopes_disabled():
        Enrolment.objects.filter(pk=world.evidence.enrolment.pk).update(
            status=Enrolment.Status.WITHDRAWN
        )

    nudge = nudges_of(sign_off_rule)[0]
    assert cancel_reason(manager_sign_off, nudge) == Nudge.CancelReason.WITHDRAWN


def test_a_sign_off_nudge_names_the_learner_the_step_and_links_to_the_round(world, sign_off_rule):
    submission = hand_in(world.progress, at=world.now - 4 * DAYS)
    plan(sign_off_rule, world.now)
    nudge = nudges_of(sign_off_rule)[0]
    path = reverse("courses_evidence:submission", args=["acme", submission.pk])

    with organisation_scope(nudge.organisation_id), translation.override("en"):
        values = manager_sign_off.values(nudge)
        action = manager_sign_off.action(nudge)
        reason = manager_sign_off.reason(nudge)

    assert values == {
        "learner_name": "Anna de Vries",
        "step_title": "Lead the stand-up",
        "sign_off_url": settings.SITE_URL + path,
    }
    assert action.path == path
    assert "Anna de Vries" in action.label
    assert "Anna de Vries" in reason and "3 days" in reason


def test_a_sign_off_nudge_is_mailed_to_the_manager_in_their_words(world, sign_off_rule):
    hand_in(world.progress, at=world.now - 4 * DAYS)
    plan(sign_off_rule, world.now)
    email = next(n for n in nudges_of(sign_off_rule) if n.channel == Nudge.Channel.EMAIL)

    assert deliver(email) == Nudge.Status.SENT

    (message,) = mail.outbox
    assert message.to == [world.manager.user.email]
    assert "Anna de Vries" in message.subject and "Lead the stand-up" in message.subject


def test_the_sign_off_kind_counts_a_decision_as_acting():
    assert set(manager_sign_off.ACTED_VERBS) == {"approved", "asked_changes"}


# --- goals waiting for agreement ----------------------------------------------------------


def propose(world, *, at: dt.datetime) -> Goal:
    with scopes_disabled():
        skill = factories.SkillFactory(organisation=world.organisation)
        goal = draft_goal(world.learner, skill, title="Plan the team's week")
        goal_services.goal_propose(goal=goal, membership=world.learner)
        Goal.objects.filter(pk=goal.pk).update(proposed_at=at)
        goal.refresh_from_db()
    return goal


def test_a_goal_proposed_longer_than_the_delay_nudges_the_learners_manager(world, agree_rule):
    goal = propose(world, at=world.now - 4 * DAYS)

    assert plan(agree_rule, world.now) == 2

    nudges = nudges_of(agree_rule)
    assert {n.member_id for n in nudges} == {world.manager.pk}
    assert {(n.subject_type, n.subject_id) for n in nudges} == {("goal", goal.pk)}


def test_a_goal_proposed_within_the_delay_is_not_nudged_and_planning_twice_adds_nothing(
    world, agree_rule
):
    propose(world, at=world.now - 2 * DAYS)
    assert plan(agree_rule, world.now) == 0

    assert plan(agree_rule, world.now + 2 * DAYS) == 2
    assert plan(agree_rule, world.now + 3 * DAYS) == 0


def test_another_teams_manager_hears_nothing_of_the_goal(world, agree_rule):
    propose(world, at=world.now - 4 * DAYS)
    plan(agree_rule, world.now)

    members = {n.member_id for n in nudges_of(agree_rule)}
    assert world.other_manager.pk not in members
    assert world.top_manager.pk not in members


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("agree", Nudge.CancelReason.FULFILLED),
        ("ask_changes", Nudge.CancelReason.FULFILLED),
        ("close", Nudge.CancelReason.WITHDRAWN),
    ],
)
def test_an_agreement_nudge_is_cancelled_once_the_goal_is_answered(
    world, agree_rule, answer, reason
):
    goal = propose(world, at=world.now - 4 * DAYS)
    plan(agree_rule, world.now)
    nudge = nudges_of(agree_rule)[0]
    assert cancel_reason(manager_agree, nudge) == ""

    with scopes_disabled():
        goal = Goal.objects.get(pk=goal.pk)
        if answer == "agree":
            goal_services.goal_agree(goal=goal, membership=world.manager)
        elif answer == "ask_changes":
            goal_services.goal_ask_changes(goal=goal, membership=world.manager, comment="Why?")
        else:
            goal_services.goal_close(
                goal=goal, membership=world.learner, outcome=Goal.Outcome.DROPPED
            )

    assert cancel_reason(manager_agree, nudge) == reason


def test_an_agreement_nudge_names_the_learner_and_the_goal_and_links_to_it(world, agree_rule):
    goal = propose(world, at=world.now - 4 * DAYS)
    plan(agree_rule, world.now)
    nudge = nudges_of(agree_rule)[0]
    path = reverse("goals:goal_detail", args=["acme", goal.pk])

    with organisation_scope(nudge.organisation_id), translation.override("en"):
        values = manager_agree.values(nudge)
        action = manager_agree.action(nudge)

    assert values == {
        "learner_name": "Anna de Vries",
        "goal_title": "Plan the team's week",
        "goal_url": settings.SITE_URL + path,
    }
    assert action.path == path
    assert manager_agree.ACTED_VERBS == ("goal_agreed",)


def test_the_default_manager_rules_are_valid_and_start_switched_off(organisation):
    with organisation_scope(organisation.pk):
        services.nudge_rule_default_ensure(organisation=organisation)
        rules = {
            rule.kind: rule
            for rule in NudgeRule.objects.filter(
                organisation=organisation,
                kind__in=[Kind.MANAGER_SIGN_OFF, Kind.MANAGER_AGREE, Kind.TEAM_DIGEST],
            )
        }
    assert set(rules) == {Kind.MANAGER_SIGN_OFF, Kind.MANAGER_AGREE, Kind.TEAM_DIGEST}
    for rule in rules.values():
        rule.full_clean()
        assert not rule.is_active
    assert rules[Kind.TEAM_DIGEST].weekday == NudgeRule.Weekday.MONDAY


# --- previews -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (Kind.MANAGER_SIGN_OFF, "Anna de Vries handed in evidence for “Lead the stand-up”"),
        (Kind.MANAGER_AGREE, "Anna de Vries proposed the learning goal “Plan the team's week”"),
        (Kind.TEAM_DIGEST, "Service desk this week. Stuck: 1."),
    ],
)
def test_an_unsaved_manager_rule_previews_with_the_organisations_real_data(
    world, organisation, kind, expected
):
    hand_in(world.progress, at=world.now - 8 * DAYS)
    propose(world, at=world.now - 4 * DAYS)
    with scopes_disabled():
        for member in world.evidence.team.members.all():
            factories.LearningEventFactory(actor=member, timestamp=world.now)
    words = {k: v for k, v in DEFAULT_RULES[kind].items() if k.startswith(("subject", "text"))}
    rule = NudgeRule(organisation=organisation, kind=kind, **words)

    with organisation_scope(organisation.pk):
        english = next(
            p for p in nudge_rule_preview(rule=rule, viewer=world.manager) if p.language == "en"
        )

    assert expected in english.text


def test_with_nothing_waiting_the_manager_planners_read_one_query_each(
    world, sign_off_rule, agree_rule, django_assert_num_queries
):
    # From the waiting steps and proposals (indexed by status), never from the members.
    for rule in (sign_off_rule, agree_rule):
        rule.organisation = world.organisation
        with organisation_scope(world.organisation.pk), django_assert_num_queries(1):
            assert services.kinds.kind_module(rule.kind).plan(rule=rule, now=world.now) == 0
