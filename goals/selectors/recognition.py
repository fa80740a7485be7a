"""Reads about recognition: what teammates shared, with their kudos."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from organisations.models import Membership
from organisations.permissions import managed_team_ids

from ..models import Kudos, Recognition

RECENT_DAYS = 30
HOME_LIMIT = 5


def recognitions_for(
    *, membership: Membership, days: int = RECENT_DAYS, limit: int | None = HOME_LIMIT
) -> QuerySet[Recognition]:
    """What was shared with the member's team (and teams they manage) lately, newest first.

    With the kudos count and whether the member gave theirs: one query.
    """
    teams = set(managed_team_ids(membership))
    if membership.team_id is not None:
        teams.add(membership.team_id)
    if not teams:
        return Recognition.objects.none()
    since = timezone.now() - dt.timedelta(days=days)
    recognitions = (
        Recognition.objects.filter(
            organisation_id=membership.organisation_id, team_id__in=teams, shared_at__gte=since
        )
        .select_related("member__user")
        .annotate(
            kudos_count=Count("kudos"),
            kudos_given=Exists(Kudos.objects.filter(recognition=OuterRef("pk"), giver=membership)),
        )
        .order_by("-shared_at", "-pk")
    )
    return recognitions[:limit] if limit else recognitions


def recognition_for(*, membership: Membership, recognition_id: int) -> Recognition | None:
    """A recognition of the member's organisation (who may see it is for permissions)."""
    return (
        Recognition.objects.filter(organisation_id=membership.organisation_id, pk=recognition_id)
        .select_related("member__user")
        .first()
    )


def recognition_of_goal(*, goal) -> Recognition | None:
    return (
        Recognition.objects.filter(
            organisation_id=goal.organisation_id,
            member_id=goal.member_id,
            object_type="goal",
            object_id=goal.pk,
        )
        .annotate(kudos_count=Count("kudos", filter=Q(kudos__isnull=False)))
        .first()
    )


def recognition_of(
    *, membership: Membership, object_type: str, object_id: int
) -> Recognition | None:
    """What this member shared about one object (a step, a goal), with its kudos count."""
    return (
        Recognition.objects.filter(
            organisation_id=membership.organisation_id,
            member_id=membership.pk,
            object_type=object_type,
            object_id=object_id,
        )
        .annotate(kudos_count=Count("kudos", filter=Q(kudos__isnull=False)))
        .first()
    )
