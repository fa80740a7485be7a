"""Is it working? A rule's figures, the 72-hour window, the holdout uplift and its interval."""

import datetime as dt
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import LearningEvent
from nudges.effectiveness import MIN_GROUP_PEOPLE, TREND_WEEKS, rule_effectiveness
from nudges.models import Nudge
from nudges.stats import newcombe_difference, wilson_interval
from organisations.tenancy import organisation_scope
from tests import factories

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 18, 12, 0, tzinfo=dt.UTC)  # a Wednesday
COMPLETED = LearningEvent.Verb.COMPLETED
_keys = itertools.count()


@pytest.fixture
def rule(organisation):
    return factories.NudgeRuleFactory(organisation=organisation, holdout_percent=10)


def sent(rule, member, at, *, channel=Nudge.Channel.IN_APP, key=None, **fields):
    return factories.NudgeFactory(
        organisation=rule.organisation,
        rule=rule,
        member=member,
        unit=None,
        key=key or f"finish:unit:{next(_keys)}",
        channel=channel,
        sent_at=at,
        due_at=at or NOW,
        **fields,
    )


def held(rule, member, at):
    return factories.NudgeFactory(
        organisation=rule.organisation,
        rule=rule,
        member=member,
        unit=None,
        key=f"finish:unit:{next(_keys)}",
        channel="",
        status=Nudge.Status.HELD_OUT,
        sent_at=None,
        due_at=at,
    )


def event(member, verb, at, **fields):
    return factories.LearningEventFactory(actor=member, verb=verb, timestamp=at, **fields)


def members(organisation, count):
    return factories.MembershipFactory.create_batch(count, organisation=organisation)


def figures(rule, now=NOW):
    with organisation_scope(rule.organisation_id):
        return rule_effectiveness(rule=rule, now=now)


# --- the funnel -----------------------------------------------------------------------


def test_counts_planned_sent_opened_clicked_and_acted(organisation, rule):
    anna, bert, cees = members(organisation, 3)
    at = NOW - dt.timedelta(days=5)
    opened = sent(rule, anna, at)
    clicked = sent(rule, bert, at, channel=Nudge.Channel.EMAIL)
    sent(rule, cees, at)
    sent(rule, cees, None, status=Nudge.Status.PLANNED)
    sent(rule, cees, None, status=Nudge.Status.CANCELLED)
    held(rule, anna, at)  # a held-out row is no nudge
    event(anna, LearningEvent.Verb.NUDGE_OPENED, at, object_type="nudge", object_id=opened.pk)
    event(bert, LearningEvent.Verb.NUDGE_CLICKED, at, object_type="nudge", object_id=clicked.pk)
    event(bert, COMPLETED, at + dt.timedelta(hours=2))
    # another rule's nudge, opened: not this rule's
    other = sent(factories.NudgeRuleFactory(organisation=organisation), anna, at)
    event(anna, LearningEvent.Verb.NUDGE_OPENED, at, object_type="nudge", object_id=other.pk)

    total = figures(rule).total

    assert (total.planned, total.sent, total.opened, total.clicked, total.acted) == (5, 3, 1, 1, 1)


def test_acted_counts_only_the_kinds_verb_by_the_member_within_72_hours_after_sending(
    organisation, rule
):
    at = NOW - dt.timedelta(days=10)
    in_time, late, before, other_verb, colleague_acted = members(organisation, 5)
    for member in (in_time, late, before, other_verb, colleague_acted):
        sent(rule, member, at)
    event(in_time, COMPLETED, at + dt.timedelta(hours=71, minutes=59))
    event(late, COMPLETED, at + dt.timedelta(hours=72, minutes=1))
    event(before, COMPLETED, at - dt.timedelta(minutes=1))
    event(other_verb, LearningEvent.Verb.NUDGE_OPENED, at + dt.timedelta(hours=1))
    event(factories.MembershipFactory(organisation=organisation), COMPLETED, at)

    effect = figures(rule)

    assert effect.total.acted == 1
    assert effect.total.acted_share == pytest.approx(1 / 5)


def test_the_weekly_trend_has_every_week_and_puts_nudges_in_the_week_they_went(organisation, rule):
    anna, bert = members(organisation, 2)
    this_week = NOW - dt.timedelta(days=1)
    three_weeks_ago = NOW - dt.timedelta(weeks=3)
    sent(rule, anna, this_week)
    sent(rule, bert, this_week)
    sent(rule, anna, three_weeks_ago)
    event(anna, COMPLETED, three_weeks_ago + dt.timedelta(hours=1))
    sent(rule, anna, NOW - dt.timedelta(weeks=TREND_WEEKS + 1))  # before the trend

    effect = figures(rule)
    weeks = effect.weeks

    assert len(weeks) == TREND_WEEKS
    assert weeks[-1].start == dt.date(2026, 3, 16)  # the Monday of NOW's week
    assert [w.funnel.sent for w in weeks][-4:] == [1, 0, 0, 2]
    assert [w.funnel.acted for w in weeks][-4:] == [1, 0, 0, 0]
    assert sum(w.funnel.sent for w in weeks) == 3 == effect.total.sent
    assert effect.total.acted == 1


def test_the_figures_take_two_queries_however_many_nudges(
    organisation, rule, django_assert_num_queries
):
    crowd = members(organisation, 12)
    for n, member in enumerate(crowd):
        at = NOW - dt.timedelta(days=n * 3 + 4)
        sent(rule, member, at)
        held(rule, member, at)
        event(member, COMPLETED, at + dt.timedelta(hours=1))

    with organisation_scope(organisation.pk), django_assert_num_queries(2):
        rule_effectiveness(rule=rule, now=NOW)


# --- the holdout ----------------------------------------------------------------------


def test_compares_the_action_rate_of_nudged_and_held_out_members_over_the_same_period(
    organisation, rule
):
    at = NOW - dt.timedelta(days=7)
    nudged, held_out = members(organisation, 6), members(organisation, 6)
    for index, member in enumerate(nudged):
        key = f"finish:unit:n{index}"
        sent(rule, member, at, key=key)  # by e-mail and in the app: one occasion
        sent(rule, member, at + dt.timedelta(minutes=5), key=key, channel=Nudge.Channel.EMAIL)
        if index < 5:
            event(member, COMPLETED, at + dt.timedelta(hours=24))
    for index, member in enumerate(held_out):
        held(rule, member, at)
        if index < 2:
            event(member, COMPLETED, at + dt.timedelta(hours=24))
    # outside the period: too old, or its 72 hours not over yet
    held(rule, held_out[0], NOW - dt.timedelta(weeks=20))
    held(rule, held_out[0], NOW - dt.timedelta(hours=10))
    sent(rule, nudged[5], NOW - dt.timedelta(hours=10))

    holdout = figures(rule).holdout

    assert (holdout.nudged.people, holdout.nudged.occasions, holdout.nudged.acted) == (6, 6, 5)
    assert (holdout.held_out.people, holdout.held_out.occasions, holdout.held_out.acted) == (
        6,
        6,
        2,
    )
    difference, interval = newcombe_difference(5, 6, 2, 6)
    assert holdout.enough
    assert holdout.uplift == pytest.approx(5 / 6 - 2 / 6) == pytest.approx(difference)
    assert holdout.interval == interval
    assert holdout.interval.low < holdout.uplift < holdout.interval.high


def test_a_held_out_member_acted_counts_from_when_the_nudge_would_have_gone(organisation, rule):
    at = NOW - dt.timedelta(days=7)
    crowd = members(organisation, 5)
    for member in crowd:
        held(rule, member, at)
    event(crowd[0], COMPLETED, at + dt.timedelta(hours=3))
    event(crowd[1], COMPLETED, at - dt.timedelta(hours=3))  # before: not prompted by anything
    event(crowd[2], COMPLETED, at + dt.timedelta(hours=80))  # too late

    assert figures(rule).holdout.held_out.acted == 1


@pytest.mark.parametrize("nudged_people, held_people", [(4, 10), (10, 4)])
def test_groups_under_five_people_show_no_figure(organisation, rule, nudged_people, held_people):
    at = NOW - dt.timedelta(days=7)
    for member in members(organisation, nudged_people):
        # many occasions of few people are still few people
        sent(rule, member, at)
        sent(rule, member, at - dt.timedelta(days=1))
    for member in members(organisation, held_people):
        held(rule, member, at)
        held(rule, member, at - dt.timedelta(days=1))

    holdout = figures(rule).holdout

    assert MIN_GROUP_PEOPLE == 5
    assert not holdout.enough and holdout.uplift is None and holdout.interval is None


def test_the_rule_page_shows_the_figures_to_ld_and_hides_small_groups(client, organisation):
    author = factories.MembershipFactory(organisation=organisation, is_author=True)
    rule = factories.NudgeRuleFactory(organisation=organisation, holdout_percent=10)
    at = timezone.now() - dt.timedelta(days=5)
    for member in members(organisation, 3):
        sent(rule, member, at)
        event(member, COMPLETED, at + dt.timedelta(hours=1))
    client.force_login(author.user)
    page = reverse("nudges:rule_effect", kwargs={"org_slug": organisation.slug, "rule_id": rule.pk})

    html = client.get(page).content.decode()

    assert "Is it working?" in html
    assert '<svg viewBox="0 0 360 170" role="img" aria-labelledby="trend-title trend-desc"' in html
    assert "Nudges per week" in html  # the table beside the chart
    assert "Not enough members: each group needs at least 5 people" in html
    assert "Uplift" not in html
    rules_page = reverse("nudges:rule_list", kwargs={"org_slug": organisation.slug})
    assert page in client.get(rules_page).content.decode()


def test_the_rule_page_shows_the_uplift_with_its_interval(client, organisation):
    author = factories.MembershipFactory(organisation=organisation, is_author=True)
    rule = factories.NudgeRuleFactory(organisation=organisation, holdout_percent=10)
    at = timezone.now() - dt.timedelta(days=5)
    for index, member in enumerate(members(organisation, 5)):
        sent(rule, member, at)
        if index < 4:
            event(member, COMPLETED, at + dt.timedelta(hours=1))
    for member in members(organisation, 5):
        held(rule, member, at)
    client.force_login(author.user)

    html = client.get(
        reverse("nudges:rule_effect", kwargs={"org_slug": organisation.slug, "rule_id": rule.pk})
    ).content.decode()

    _, interval = newcombe_difference(4, 5, 0, 5)
    assert "Uplift: +80.0 percentage points" in html
    assert f"{interval.low * 100:+.1f} to +{interval.high * 100:.1f}" in html


def test_the_rule_page_is_for_ld_and_this_organisation_only(
    client, organisation, other_organisation
):
    rule = factories.NudgeRuleFactory(organisation=organisation)
    theirs = factories.NudgeRuleFactory(organisation=other_organisation)
    learner = factories.MembershipFactory(organisation=organisation)
    author = factories.MembershipFactory(organisation=organisation, is_author=True)

    def page(r):
        return reverse(
            "nudges:rule_effect", kwargs={"org_slug": organisation.slug, "rule_id": r.pk}
        )

    client.force_login(learner.user)
    assert client.get(page(rule)).status_code in (403, 404)
    client.force_login(author.user)
    assert client.get(page(theirs)).status_code == 404


# --- the interval ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, n, b, m, low, high",
    [
        # Newcombe (1998), Statistics in Medicine 17:873-890, table II, method 10
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
        (6, 7, 2, 7, 0.0582, 0.8062),
        (5, 56, 0, 29, -0.0381, 0.1926),
        (0, 10, 0, 20, -0.1611, 0.2775),
        (10, 10, 0, 20, 0.6791, 1.0000),
    ],
)
def test_newcombes_interval_of_a_difference_matches_the_published_values(a, n, b, m, low, high):
    difference, interval = newcombe_difference(a, n, b, m)

    assert difference == pytest.approx(a / n - b / m)
    assert (round(interval.low, 4), round(interval.high, 4)) == (low, high)


def test_wilsons_interval_stays_within_zero_and_one():
    # Newcombe (1998) table I: 0/20 and 20/20 (his examples of a bounded interval)
    none, everyone = wilson_interval(0, 20), wilson_interval(20, 20)

    assert (none.low, round(none.high, 4)) == (0.0, 0.1611)
    assert (round(everyone.low, 4), everyone.high) == (0.8389, 1.0)
    with pytest.raises(ValueError):
        wilson_interval(3, 0)


def test_a_managers_sign_off_counts_as_acting_though_the_learner_is_its_actor(organisation):
    rule = factories.NudgeRuleFactory(
        organisation=organisation, kind="manager_sign_off", holdout_percent=0
    )
    manager, learner, other_manager = members(organisation, 3)
    at = NOW - dt.timedelta(days=5)
    sent(rule, manager, at, key="sign_off:1")
    sent(rule, other_manager, at, key="sign_off:2")
    # the learner's event, signed off by the nudged manager only
    event(
        learner, LearningEvent.Verb.APPROVED, at + dt.timedelta(hours=3), context={"by": manager.pk}
    )

    assert figures(rule).total.acted == 1
