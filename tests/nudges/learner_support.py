"""Shared by the learner nudge kinds' tests: a rule of a kind, planning, delivering."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from nudges import services
from nudges.models import Nudge, NudgeRule
from nudges.rules import DEFAULT_RULES
from nudges.services.kinds import kind_module
from organisations.tenancy import organisation_scope
from tests import factories


def rule_of(organisation, kind: str, **fields) -> NudgeRule:
    """An active rule of ``kind`` with its default words, nobody held out."""
    defaults = {k: v for k, v in DEFAULT_RULES[kind].items() if k != "is_active"}
    return factories.NudgeRuleFactory(
        organisation=organisation,
        kind=kind,
        **{**defaults, "holdout_percent": 0, "is_active": True, **fields},
    )


def plan(rule: NudgeRule, now) -> int:
    with organisation_scope(rule.organisation_id):
        return kind_module(rule.kind).plan(rule=rule, now=now)


def nudges_of(rule: NudgeRule) -> list[Nudge]:
    """The rule's nudges to send; held-out members' rows (kept to compare with) are not."""
    return list(
        Nudge.objects.filter(organisation_id=rule.organisation_id, rule=rule)
        .exclude(status=Nudge.Status.HELD_OUT)
        .order_by("member_id", "key", "occurrence", "channel")
    )


def deliver(nudge: Nudge) -> str:
    """What the dispatcher and a sender do for one nudge: claim it, then send it."""
    with organisation_scope(nudge.organisation_id):
        services.nudges_transition(
            organisation_id=nudge.organisation_id,
            ids=[nudge.pk],
            source=Nudge.Status.PLANNED,
            target=Nudge.Status.SENDING,
            lease_until=timezone.now() + services.LEASE,
        )
    return services.nudge_send(organisation_id=nudge.organisation_id, nudge_id=nudge.pk)


def enrolled_step(
    member, *, kind="external", due_on=None, sign_off="nobody", title="Lift safely at work"
):
    """A step of a one-step published trajectory the member is enrolled in: its progress."""
    from courses.models import Enrolment, Step, StepProgress, Trajectory

    organisation = member.organisation
    trajectory = Trajectory.objects.create(
        organisation=organisation, title="Safe lifting", status=Trajectory.Status.PUBLISHED
    )
    version = trajectory.versions.create(organisation=organisation, number=1, title="Safe lifting")
    trajectory.live_version = version
    trajectory.save()
    step = Step.objects.create(
        organisation=organisation,
        version=version,
        position=1,
        kind=kind,
        title=title,
        sign_off=sign_off,
    )
    enrolment = Enrolment.objects.create(
        organisation=organisation, trajectory=trajectory, version=version, membership=member
    )
    return StepProgress.objects.create(
        organisation=organisation, enrolment=enrolment, step=step, due_on=due_on
    )


def agreed_goal(member, *, agreed_at, title="Run the weekly planning"):
    """An agreed goal of the member, written as the goal services leave it."""
    from goals.models import Goal
    from goals.selectors.goals import CHECK_IN_EVERY_DAYS

    return Goal.objects.create(
        organisation=member.organisation,
        member=member,
        title=title,
        skill=factories.SkillFactory(organisation=member.organisation),
        current_level=2,
        target_level=4,
        target_date=timezone.localdate() + dt.timedelta(days=90),
        status=Goal.Status.AGREED,
        agreed_at=agreed_at,
        check_in_due_at=agreed_at + dt.timedelta(days=CHECK_IN_EVERY_DAYS),
    )


def check_in(goal, *, at):
    from goals.models import CheckIn
    from goals.selectors.goals import CHECK_IN_EVERY_DAYS

    check_in = CheckIn.objects.create(
        organisation=goal.organisation, goal=goal, progress=3, created_at=at
    )
    goal.check_in_due_at = at + dt.timedelta(days=CHECK_IN_EVERY_DAYS)
    goal.save(update_fields=["check_in_due_at"])
    return check_in
