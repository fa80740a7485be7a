"""Reads for the manager's coaching view: the open goals of many members, and which are off
track. Three queries for any number of members (the goals, then their plans and check-ins).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.db.models import OuterRef, Subquery

from ..models import CheckIn, Goal
from .goals import _counted, next_check_in_on

# A check-in rated this low (of 5) says the goal is not going as planned.
OFF_TRACK_PROGRESS = 2
OFF_TRACK_LATE = "late"  # the target date has passed and the goal is still open
OFF_TRACK_LOW = "low"  # the latest check-in rated progress OFF_TRACK_PROGRESS or lower


def goal_off_track(goal: Goal, *, today: dt.date) -> str:
    """Why an agreed goal is off track ("late" or "low"), or "" when it is not.

    Reads ``latest_progress`` as ``goals_of_members`` annotates it.
    """
    if goal.status != Goal.Status.AGREED:
        return ""
    if goal.target_date < today:
        return OFF_TRACK_LATE
    latest = getattr(goal, "latest_progress", None)
    if latest is not None and latest <= OFF_TRACK_PROGRESS:
        return OFF_TRACK_LOW
    return ""


def goals_of_members(
    *, organisation_id: int, member_ids: Collection[int], today: dt.date
) -> dict[int, list[Goal]]:
    """Member id -> their proposed and agreed goals, soonest target first.

    Each goal carries ``activity_count``, ``activities_done``, ``last_check_in_at``,
    ``latest_progress`` (1-5, the latest check-in's), ``next_check_in`` and ``off_track``.
    """
    if not member_ids:
        return {}
    latest = CheckIn.objects.filter(goal=OuterRef("pk")).order_by("-created_at", "-pk")
    goals = list(
        Goal.objects.filter(
            organisation_id=organisation_id,
            member_id__in=list(member_ids),
            status__in=[Goal.Status.PROPOSED, Goal.Status.AGREED],
        )
        .select_related("skill")
        .annotate(latest_progress=Subquery(latest.values("progress")[:1]))
        .order_by("target_date", "pk")
    )
    _counted(goals, organisation_id=organisation_id)
    by_member: dict[int, list[Goal]] = {}
    for goal in goals:
        goal.next_check_in = next_check_in_on(goal)
        goal.off_track = goal_off_track(goal, today=today)
        by_member.setdefault(goal.member_id, []).append(goal)
    return by_member
