"""The finish-a-step nudge: a trajectory step due soon, and again once it is overdue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from courses.models import Enrolment, StepProgress
from nudges.models import Nudge, NudgeRule, NudgeRuleTeam
from nudges.rules import held_out
from nudges.services import finish_step
from nudges.services.delivery import nudge_words
from organisations.tenancy import organisation_scope
from tests import factories

from .learner_support import deliver, enrolled_step, nudges_of, plan, rule_of

pytestmark = pytest.mark.django_db

WITHIN = 3


@pytest.fixture(autouse=True)
def _unscoped():
    with scopes_disabled():
        yield


@pytest.fixture
def now():
    return timezone.now()


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def rule(organisation):
    return rule_of(organisation, NudgeRule.Kind.FINISH_STEP, delay_days=WITHIN, send_in_app=False)


@pytest.fixture
def learner(organisation):
    return factories.MembershipFactory(organisation=organisation, user__language="en")


def test_a_step_due_within_the_days_gets_a_due_soon_nudge(rule, learner, now):
    progress = enrolled_step(learner, due_on=in_days(WITHIN))

    assert plan(rule, now) == 1

    (nudge,) = nudges_of(rule)
    assert (nudge.member_id, nudge.key, nudge.occurrence) == (
        learner.pk,
        f"finish:step:{progress.pk}",
        finish_step.DUE_SOON,
    )
    assert (nudge.subject_type, nudge.subject_id) == ("step_progress", progress.pk)


def test_steps_due_later_done_or_without_a_date_get_none(rule, learner, now):
    enrolled_step(learner, due_on=in_days(WITHIN + 1))
    enrolled_step(learner, due_on=None)
    done = enrolled_step(learner, due_on=in_days(1))
    StepProgress.objects.filter(pk=done.pk).update(status=StepProgress.Status.DONE)
    closed = enrolled_step(learner, due_on=in_days(1))
    Enrolment.objects.filter(pk=closed.enrolment_id).update(status=Enrolment.Status.WITHDRAWN)

    assert plan(rule, now) == 0


def test_a_step_waiting_for_its_signer_gets_none_and_its_nudge_is_cancelled(rule, learner, now):
    progress = enrolled_step(learner, due_on=in_days(1))
    plan(rule, now)
    StepProgress.objects.filter(pk=progress.pk).update(status=StepProgress.Status.SUBMITTED)

    assert plan(rule, now + dt.timedelta(days=2)) == 0  # no overdue nudge while it waits
    (nudge,) = nudges_of(rule)
    assert deliver(nudge) == Nudge.Status.CANCELLED
    nudge.refresh_from_db()
    assert nudge.cancel_reason == Nudge.CancelReason.FULFILLED


def test_an_overdue_step_gets_its_own_overdue_nudge(rule, learner, now):
    progress = enrolled_step(learner, due_on=in_days(1))
    plan(rule, now)

    assert plan(rule, now + dt.timedelta(days=2)) == 1

    assert [(n.key, n.occurrence) for n in nudges_of(rule)] == [
        (f"finish:step:{progress.pk}", finish_step.DUE_SOON),
        (f"finish:step:{progress.pk}", finish_step.OVERDUE),
    ]


def test_planning_twice_creates_nothing_new(rule, learner, now):
    enrolled_step(learner, due_on=in_days(1))
    enrolled_step(learner, due_on=in_days(-1))
    assert plan(rule, now) == 2

    assert plan(rule, now) == 0


def test_held_out_members_and_members_outside_the_teams_get_none(organisation, now):
    team = factories.TeamFactory(organisation=organisation)
    rule = rule_of(
        organisation,
        NudgeRule.Kind.FINISH_STEP,
        delay_days=WITHIN,
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
        enrolled_step(member, due_on=in_days(1))

    plan(rule, now)

    expected = {m.pk for m in inside if not held_out(rule_id=rule.pk, member_id=m.pk, percent=50)}
    assert {n.member_id for n in nudges_of(rule)} == expected
    assert 0 < len(expected) < len(inside)


def test_planning_costs_the_same_queries_for_many_steps(organisation, rule, now):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            plan(rule, now)
        return len(captured)

    # One step of each occurrence: each costs its own read and write.
    enrolled_step(factories.MembershipFactory(organisation=organisation), due_on=in_days(1))
    enrolled_step(factories.MembershipFactory(organisation=organisation), due_on=in_days(-1))
    few = queries()
    for days in (-2, -1, 0, 1, 2):
        enrolled_step(factories.MembershipFactory(organisation=organisation), due_on=in_days(days))
    assert queries() == few


def test_planning_with_nothing_due_is_one_query(rule, now, django_assert_num_queries):
    with organisation_scope(rule.organisation_id), django_assert_num_queries(1):
        assert finish_step.plan(rule=rule, now=now) == 0


def test_a_step_done_before_sending_cancels_the_nudge(rule, learner, now):
    progress = enrolled_step(learner, due_on=in_days(1))
    plan(rule, now)
    StepProgress.objects.filter(pk=progress.pk).update(status=StepProgress.Status.DONE)

    (nudge,) = nudges_of(rule)
    assert deliver(nudge) == Nudge.Status.CANCELLED
    nudge.refresh_from_db()
    assert nudge.cancel_reason == Nudge.CancelReason.FULFILLED


def test_a_closed_enrolment_cancels_the_nudge(rule, learner, now):
    progress = enrolled_step(learner, due_on=in_days(1))
    plan(rule, now)
    Enrolment.objects.filter(pk=progress.enrolment_id).update(status=Enrolment.Status.WITHDRAWN)

    (nudge,) = nudges_of(rule)
    assert deliver(nudge) == Nudge.Status.CANCELLED
    nudge.refresh_from_db()
    assert nudge.cancel_reason == Nudge.CancelReason.WITHDRAWN


def test_the_words_name_the_step_its_path_and_date(rule, learner, now):
    progress = enrolled_step(learner, due_on=dt.date(2030, 5, 6))
    nudge = Nudge.objects.create(
        organisation=rule.organisation,
        rule=rule,
        member=learner,
        kind=Nudge.Kind.FINISH,
        channel=Nudge.Channel.EMAIL,
        key=finish_step.finish_step_key(progress.pk),
        subject_type="step_progress",
        subject_id=progress.pk,
    )
    with translation.override("en"):
        words = nudge_words(nudge)
        overdue = nudge_words(
            Nudge(
                rule=rule,
                member=learner,
                organisation=rule.organisation,
                occurrence=finish_step.OVERDUE,
                subject_type="step_progress",
                subject_id=progress.pk,
            )
        )

    assert words.subject == "“Lift safely at work” is due on 6 May 2030"
    assert "of “Safe lifting”" in words.text
    assert words.action.path == f"/o/acme/learning/steps/{progress.pk}/"
    assert words.values["step_url"].endswith(words.action.path)
    assert "due within 3 days" in words.reason
    assert "passed its due date" in overdue.reason
