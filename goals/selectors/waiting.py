"""Reads about goals that wait for a manager: proposals not agreed yet.

For the managers' nudges. Starts from the goals of one status in one
organisation (the ``goal_org_status`` index), never from the members.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..models import Goal


@dataclass(frozen=True)
class ProposedGoal:
    goal_id: int
    learner_id: int
    learner_team_id: int
    proposed_at: dt.datetime


def goals_waiting_for_agreement(
    *, organisation_id: int, proposed_before: dt.datetime
) -> list[ProposedGoal]:
    """Goals of active learners in a team, proposed before ``proposed_before``: one query."""
    return [
        ProposedGoal(*row)
        for row in Goal.objects.filter(
            organisation_id=organisation_id,
            status=Goal.Status.PROPOSED,
            proposed_at__lte=proposed_before,
            member__is_active=True,
            member__team_id__isnull=False,
        )
        .order_by("proposed_at", "pk")
        .values_list("pk", "member_id", "member__team_id", "proposed_at")
    ]


def goal_agreement_state(*, organisation_id: int, goal_id: int, proposed_at: str) -> str:
    """Where a proposal stands: "waiting"; "answered" (agreed, or sent back, or proposed again
    since: a new proposal is a new question); "gone" (closed, learner left, deleted)."""
    row = (
        Goal.objects.filter(organisation_id=organisation_id, pk=goal_id)
        .values_list("status", "proposed_at", "member__is_active")
        .first()
    )
    if row is None:
        return "gone"
    status, when, learner_active = row
    if status == Goal.Status.CLOSED or not learner_active:
        return "gone"
    if status != Goal.Status.PROPOSED or when is None or when.isoformat() != proposed_at:
        return "answered"
    return "waiting"
