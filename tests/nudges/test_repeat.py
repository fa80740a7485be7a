"""The repeat rule: a refresher nudge for members with quiz questions due, once a day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from microlearning.models import ReviewCard
from microlearning.services import repetition
from nudges import services
from nudges.models import Nudge, NudgeRule
from nudges.preview import nudge_rule_preview
from nudges.rules import DEFAULT_RULES, held_out
from nudges.services import repeat
from organisations.tenancy import organisation_scope
from tests import factories
from tests.microlearning.learning_support import QUESTION_SINGLE, blocks_of, unit_with_blocks

from .test_services import followed_links

pytestmark = pytest.mark.django_db

Kind = NudgeRule.Kind


@pytest.fixture
def rule(organisation) -> NudgeRule:
    words = {k: v for k, v in DEFAULT_RULES[Kind.REPEAT].items() if k.startswith(("subj", "text"))}
    return factories.NudgeRuleFactory(
        organisation=organisation, kind=Kind.REPEAT, delay_days=0, **words
    )


@pytest.fixture
def questions(organisation):
    with scopes_disabled():
        return blocks_of(unit_with_blocks(organisation, [("question", QUESTION_SINGLE)] * 4))


def due(member, blocks, *, days_ago: float = 1) -> None:
    """Cards of ``blocks`` for ``member``, due ``days_ago`` days ago (the first longest)."""
    now = timezone.now()
    with scopes_disabled():
        ReviewCard.objects.bulk_create(
            ReviewCard(
                organisation_id=member.organisation_id,
                member=member,
                block=block,
                state=ReviewCard.State.REVIEW,
                stability=2.0,
                difficulty=5.0,
                due=now - dt.timedelta(days=days_ago, minutes=len(blocks) - position),
                last_review=now - dt.timedelta(days=days_ago + 2),
                reps=1,
            )
            for position, block in enumerate(blocks)
        )


def plan(rule, *, now=None) -> int:
    with organisation_scope(rule.organisation_id):
        return repeat.plan(rule=rule, now=now or timezone.now())


def nudges_of(organisation) -> list[Nudge]:
    with organisation_scope(organisation.pk):
        return list(Nudge.objects.order_by("member_id", "channel"))


def deliver(organisation, nudge_id) -> str:
    with organisation_scope(organisation.pk):
        services.nudges_transition(
            organisation_id=organisation.pk,
            ids=[nudge_id],
            source=Nudge.Status.PLANNED,
            target=Nudge.Status.SENDING,
            lease_until=timezone.now() + services.LEASE,
        )
    return services.nudge_send(organisation_id=organisation.pk, nudge_id=nudge_id)


def test_a_member_with_questions_due_gets_one_refresher_per_channel(
    rule, organisation, member, questions
):
    due(member, questions)

    created = plan(rule)

    nudges = nudges_of(organisation)
    assert created == 2
    assert {(n.member_id, n.channel) for n in nudges} == {
        (member.pk, Nudge.Channel.EMAIL),
        (member.pk, Nudge.Channel.IN_APP),
    }
    assert all(n.kind == Nudge.Kind.REPEAT and n.key == repeat.REPEAT_KEY for n in nudges)
    # the three longest due, in that order
    assert nudges[0].payload == {"question_ids": [q.pk for q in questions[:3]]}
    assert nudges[0].occurrence == timezone.localdate().toordinal()


def test_planning_again_the_same_day_creates_nothing_and_the_next_day_a_new_one(
    rule, organisation, member, questions
):
    due(member, questions[:1])
    now = timezone.now()
    plan(rule, now=now)

    assert plan(rule, now=now + dt.timedelta(minutes=5)) == 0
    assert plan(rule, now=now + dt.timedelta(days=1)) == 2
    assert len({n.occurrence for n in nudges_of(organisation)}) == 2


def test_nothing_due_plans_nothing(rule, organisation, member, questions):
    due(member, questions, days_ago=-2)  # due the day after tomorrow

    assert plan(rule) == 0
    assert nudges_of(organisation) == []


def test_nothing_due_reads_no_member(
    rule, organisation, member, questions, django_assert_num_queries
):
    due(member, questions, days_ago=-2)
    now = timezone.now()

    with organisation_scope(organisation.pk), django_assert_num_queries(1) as captured:
        assert repeat.plan(rule=rule, now=now) == 0

    assert "microlearning_reviewcard" in captured.captured_queries[0]["sql"]


def test_the_rules_delay_lets_questions_wait_that_many_days(rule, organisation, member, questions):
    rule.delay_days = 2
    rule.save(update_fields=["delay_days"])
    due(member, questions, days_ago=1)

    assert plan(rule) == 0
    assert plan(rule, now=timezone.now() + dt.timedelta(days=1, hours=1)) == 2


def test_inactive_members_and_other_organisations_are_left_out(
    rule, organisation, other_organisation, questions
):
    inactive = factories.MembershipFactory(organisation=organisation, is_active=False)
    stranger = factories.MembershipFactory(organisation=other_organisation)
    due(inactive, questions)
    with scopes_disabled():
        theirs = blocks_of(unit_with_blocks(other_organisation, [("question", QUESTION_SINGLE)]))
    due(stranger, theirs)

    assert plan(rule) == 0


def test_held_out_members_get_no_refresher(rule, organisation, questions):
    rule.holdout_percent = 50
    rule.save(update_fields=["holdout_percent"])
    members = factories.memberships_on_both_sides_of_the_holdout(rule, organisation=organisation)
    for member in members:
        due(member, questions[:1])
    out = {m.pk for m in members if held_out(rule_id=rule.pk, member_id=m.pk, percent=50)}
    assert 0 < len(out) < len(members)  # the hash splits these eight

    plan(rule)

    rows = nudges_of(organisation)
    nudged = {n.member_id for n in rows if n.status != Nudge.Status.HELD_OUT}
    assert nudged == {m.pk for m in members} - out
    # the held-out ones are kept, unsent, to compare with
    assert {n.member_id for n in rows if n.status == Nudge.Status.HELD_OUT} == out


def test_planning_costs_the_same_queries_for_one_member_or_many(
    rule, organisation, questions, django_assert_num_queries
):
    due(factories.MembershipFactory(organisation=organisation), questions)
    now = timezone.now()
    with organisation_scope(organisation.pk):
        # the due cards, their members in the audience, today's nudges, the members'
        # delivery times (defaults, own), one insert
        with django_assert_num_queries(6):
            repeat.plan(rule=rule, now=now)
        for _ in range(10):
            due(factories.MembershipFactory(organisation=organisation), questions)

        with django_assert_num_queries(6):
            assert repeat.plan(rule=rule, now=now) == 20


def test_the_planner_runs_the_repeat_rule_once_it_is_switched_on(organisation, member, questions):
    due(member, questions)
    with organisation_scope(organisation.pk):
        services.nudges_plan_due(organisation=organisation, now=timezone.now())
        repeat_rule = NudgeRule.objects.get(kind=Kind.REPEAT)
        # the default rule starts switched off: L&D switches it on
        assert not repeat_rule.is_active
        assert not Nudge.objects.filter(rule=repeat_rule).exists()
        repeat_rule.is_active = True
        repeat_rule.holdout_percent = 0
        repeat_rule.save(update_fields=["is_active", "holdout_percent"])

        assert services.nudges_plan_due(organisation=organisation, now=timezone.now()) == 2


def test_the_email_counts_the_questions_and_links_the_refresher(
    rule, organisation, member, questions
):
    due(member, questions[:2])
    plan(rule)
    email = next(n for n in nudges_of(organisation) if n.channel == Nudge.Channel.EMAIL)

    assert deliver(organisation, email.pk) == Nudge.Status.SENT

    [message] = mail.outbox
    refresher = reverse("microlearning:refresher", kwargs={"org_slug": organisation.slug})
    assert "(2)" in message.subject
    assert refresher in followed_links(message.body)


def test_a_refresher_done_before_sending_cancels_the_nudge(rule, organisation, member, questions):
    due(member, questions[:2])
    plan(rule)
    email = next(n for n in nudges_of(organisation) if n.channel == Nudge.Channel.EMAIL)
    with scopes_disabled():
        cards = list(ReviewCard.objects.filter(member=member).select_related("block__version"))
        repetition.refresher_answer(
            membership=member,
            answers=[repetition.RefresherAnswer(card=card, selected=[0]) for card in cards],
        )

    assert deliver(organisation, email.pk) == Nudge.Status.CANCELLED

    assert mail.outbox == []
    with organisation_scope(organisation.pk):
        email.refresh_from_db()
    assert email.cancel_reason == Nudge.CancelReason.FULFILLED


def test_the_rule_counts_answering_as_acting():
    assert repeat.ACTED_VERBS == ("answered",)


def test_the_preview_counts_a_real_members_questions(rule, organisation, member, questions):
    author = factories.MembershipFactory(organisation=organisation, is_author=True)
    due(member, questions[:2], days_ago=-1)  # coming due tomorrow

    with organisation_scope(organisation.pk):
        dutch, english = nudge_rule_preview(rule=rule, viewer=author)

    assert english.member_name == member.display_name
    assert english.subject.endswith("(2)")
    assert dutch.text.startswith("Vragen om te herhalen: 2.")
