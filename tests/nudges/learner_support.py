"""Shared by the learner nudge kinds' tests: a rule of a kind, planning, delivering."""

from __future__ import annotations

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
    return list(
        Nudge.objects.filter(organisation_id=rule.organisation_id, rule=rule).order_by(
            "member_id", "key", "occurrence", "channel"
        )
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
