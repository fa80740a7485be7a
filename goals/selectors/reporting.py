"""Reads for reports about goals (analytics' HR report asks here, not the tables)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet, Sum

from organisations.models import Membership, Organisation, Skill

from ..models import CheckIn, Goal


def goals_per_team(
    *,
    organisation: Organisation,
    members: QuerySet[Membership],
    skill: Skill | None,
    since: dt.datetime,
    until: dt.datetime,
) -> list[dict]:
    """Per member team (``member__team_id``): goals ``agreed`` and ``achieved`` in the period."""
    goals = Goal.objects.filter(organisation=organisation, member__in=members)
    if skill is not None:
        goals = goals.filter(skill=skill)
    return list(
        goals.values("member__team_id")
        .annotate(
            agreed=Count("pk", filter=Q(agreed_at__gte=since, agreed_at__lt=until)),
            achieved=Count(
                "pk",
                filter=Q(closed_at__gte=since, closed_at__lt=until)
                & Q(status=Goal.Status.CLOSED, outcome=Goal.Outcome.ACHIEVED),
            ),
        )
        .order_by()
    )


def manager_ratings_per_team(
    *,
    organisation: Organisation,
    members: QuerySet[Membership],
    skill: Skill | None,
    since: dt.datetime,
    until: dt.datetime,
) -> list[dict]:
    """Per member team (``goal__member__team_id``): check-ins the manager rated in the period:
    ``n``, the ratings' ``total`` and the ``people`` rated."""
    check_ins = CheckIn.objects.filter(
        organisation=organisation,
        goal__member__in=members,
        answered_at__gte=since,
        answered_at__lt=until,
        manager_rating__isnull=False,
    )
    if skill is not None:
        check_ins = check_ins.filter(goal__skill=skill)
    return list(
        check_ins.values("goal__member__team_id")
        .annotate(
            n=Count("pk"),
            total=Sum("manager_rating"),
            people=Count("goal__member_id", distinct=True),
        )
        .order_by()
    )
