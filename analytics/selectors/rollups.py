"""Reads of the rollups' own state: per-member state, checkpoints, what retention deleted.

``member_states`` is what the coaching view reads for a team: one query, whatever the
number of members; a member without events has no row and reads as ``None``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Min

from organisations.models import Membership, Organisation

from ..models import EventRetention, MemberState, RollupCheckpoint
from .dashboard import TEAM_DAILY_ROLLUP

UNIT_DAILY_ROLLUP = "unit_daily"
TRAJECTORY_DAILY_ROLLUP = "trajectory_daily"
GOAL_DAILY_ROLLUP = "goal_daily"
MEMBER_STATE_ROLLUP = "member_state"
# The daily rollups' ``detail`` beside a verb (what analytics.services.rollups computes).
FIRST_ROUND = "first"  # a sign-off in the first round of evidence
REPORT_STATUSES = ("applied", "not_yet", "not_relevant")  # a commitment report's
APPLIED = "applied"
ROLLUP_NAMES = (
    TEAM_DAILY_ROLLUP,
    UNIT_DAILY_ROLLUP,
    TRAJECTORY_DAILY_ROLLUP,
    GOAL_DAILY_ROLLUP,
    MEMBER_STATE_ROLLUP,
)


def member_states(
    *, organisation: Organisation, members: Iterable[Membership | int]
) -> dict[int, MemberState]:
    """MemberState per member id, for those members that have one."""
    ids = [m if isinstance(m, int) else m.pk for m in members]
    return {
        state.member_id: state
        for state in MemberState.objects.filter(organisation=organisation, member_id__in=ids)
    }


def member_state(*, membership: Membership) -> MemberState | None:
    return MemberState.objects.filter(
        organisation_id=membership.organisation_id, member=membership
    ).first()


def rolled_up_through(*, organisation: Organisation) -> int:
    """The highest event id every rollup has folded in (0 while one has not started)."""
    checkpoints = RollupCheckpoint.objects.filter(organisation=organisation, name__in=ROLLUP_NAMES)
    low = checkpoints.aggregate(low=Min("last_event_id"))["low"]
    if low is None or checkpoints.count() < len(ROLLUP_NAMES):
        return 0
    return low


def events_deleted_by_retention(*, organisation: Organisation) -> int:
    """How many raw events retention has deleted (0: the log is whole)."""
    return (
        EventRetention.objects.filter(organisation=organisation)
        .values_list("deleted", flat=True)
        .first()
        or 0
    )
