"""Reads about goals for the nudges: check-ins due, members working on an agreed goal."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, QuerySet

from organisations.models import Membership, Organisation

from ..models import Goal
from .goals import CHECK_IN_EVERY_DAYS


def check_ins_due(
    *,
    organisation: Organisation,
    due_by: dt.datetime,
    memberships: QuerySet[Membership],
) -> list[tuple[int, int, dt.datetime]]:
    """(member id, goal id, last check-in or agreement) of agreed goals due a check-in by then.

    A check-in is due ``CHECK_IN_EVERY_DAYS`` after the last one, or after the goal
    was agreed: ``Goal.check_in_due_at``, which the goal services keep, read
    through the ``goal_org_check_in_due`` index.
    """
    every = dt.timedelta(days=CHECK_IN_EVERY_DAYS)
    return [
        (member_id, goal_id, due_at - every)
        for member_id, goal_id, due_at in Goal.objects.filter(
            organisation=organisation,
            status=Goal.Status.AGREED,
            check_in_due_at__lte=due_by,
            member__in=memberships,
        )
        .order_by("pk")
        .values_list("member_id", "pk", "check_in_due_at")
    ]


def agreed_goal_per_member(
    *, organisation: Organisation, memberships: QuerySet[Membership]
) -> dict[int, int]:
    """Member id -> their agreed goal with the soonest target, for members who have one."""
    first: dict[int, int] = {}
    for member_id, goal_id in (
        Goal.objects.filter(
            organisation=organisation, status=Goal.Status.AGREED, member__in=memberships
        )
        .order_by("member_id", "target_date", "pk")
        .values_list("member_id", "pk")
    ):
        first.setdefault(member_id, goal_id)
    return first


def goal_by_id(*, organisation_id: int, goal_id: int | None) -> Goal | None:
    if goal_id is None:
        return None
    return Goal.objects.filter(organisation_id=organisation_id, pk=goal_id).first()


def goal_agreed_latest(*, organisation_id: int) -> Goal | None:
    """The organisation's newest agreed goal: real words for a preview."""
    return (
        Goal.objects.filter(organisation_id=organisation_id, status=Goal.Status.AGREED)
        .order_by("-pk")
        .first()
    )


def goal_is_agreed(goal: Goal) -> bool:
    return goal.status == Goal.Status.AGREED


def goal_last_check_in_at(*, goal: Goal) -> dt.datetime | None:
    return goal.check_ins.aggregate(last=Max("created_at"))["last"]
