"""Which manager a manager's nudge goes to: shared by the sign-off, agreement and digest kinds."""

from __future__ import annotations

from collections.abc import Iterable

from organisations.models import Membership
from organisations.selectors import team_managers

from ..models import NudgeRule
from ..selectors import rule_audience


def _audience(rule: NudgeRule):
    if rule.pk is None:  # a rule previewed before it is saved has no chosen teams yet
        return Membership.objects.filter(organisation_id=rule.organisation_id, is_active=True)
    return rule_audience(rule=rule)


def nearest_managers(
    *, rule: NudgeRule, learners: Iterable[tuple[int, int | None]]
) -> dict[tuple[int, int | None], int]:
    """For each (learner id, team id), the manager to ask, if the rule is for them.

    The nearest active manager up the learner's team tree who is not the learner
    (a team leader's own evidence goes to the manager above). Only the nearest:
    every manager above may sign off or agree too and sees it in their queue, but a
    head of department asked about every sub-team's items would soon read none.
    A nearest manager outside the rule's audience is not replaced by one further up:
    the audience says who gets this rule's nudges. Three queries.
    """
    learners = set(learners)
    if not learners:
        return {}
    managers = team_managers(organisation=rule.organisation)
    candidates = {m for _, team_id in learners for m in managers.get(team_id, [])}
    active = set(
        Membership.objects.filter(
            organisation_id=rule.organisation_id, is_active=True, pk__in=candidates
        ).values_list("pk", flat=True)
    )
    audience = set(_audience(rule).filter(pk__in=active).values_list("pk", flat=True))
    chosen = {}
    for learner_id, team_id in learners:
        nearest = next(
            (m for m in managers.get(team_id, []) if m != learner_id and m in active), None
        )
        if nearest is not None and nearest in audience:
            chosen[(learner_id, team_id)] = nearest
    return chosen


def managers_in_audience(*, rule: NudgeRule) -> dict[int, set[int]]:
    """Every active manager in the rule's audience with the teams they see (sub-teams too)."""
    managers = team_managers(organisation=rule.organisation)
    teams_of: dict[int, set[int]] = {}
    for team_id, line in managers.items():
        for manager_id in line:
            teams_of.setdefault(manager_id, set()).add(team_id)
    if not teams_of:
        return {}
    audience = set(_audience(rule).filter(pk__in=teams_of).values_list("pk", flat=True))
    return {m: teams for m, teams in teams_of.items() if m in audience}
