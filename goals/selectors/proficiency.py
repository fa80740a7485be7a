"""Reads about proficiency: a member's ratings of a skill over time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Count, OuterRef, QuerySet, Subquery

from organisations.models import Membership, Organisation

from ..models import ProficiencyRating


@dataclass(frozen=True)
class FirstAndLatest:
    member_id: int
    skill_id: int
    first: int
    latest: int
    ratings: int = 1  # how many ratings lie between first and latest, both included

    @property
    def change(self) -> int:
        return self.latest - self.first


def proficiency_history(*, membership: Membership) -> QuerySet[ProficiencyRating]:
    """Every rating of the member, per skill, oldest first."""
    return (
        ProficiencyRating.objects.filter(
            organisation_id=membership.organisation_id, member=membership
        )
        .select_related("skill", "rater__user")
        .order_by("skill__name", "rated_at", "pk")
    )


def proficiency_first_and_latest(
    *,
    organisation: Organisation,
    member_ids: Collection[int] | None = None,
    skill_ids: Collection[int] | None = None,
    rated_by: str | None = None,
    until: dt.datetime | None = None,
) -> dict[tuple[int, int], FirstAndLatest]:
    """``{(member id, skill id): first and latest level}``: what analytics compares, one query.

    ``rated_by`` ("self" or "manager") compares one kind of rating only; ``until``
    leaves out ratings from that moment on (the latest as it was then).
    ``member_ids`` may be a queryset of ids: it stays a subquery.
    """
    ratings = ProficiencyRating.objects.filter(organisation=organisation)
    if until is not None:
        ratings = ratings.filter(rated_at__lt=until)
    if member_ids is not None:
        ratings = ratings.filter(member_id__in=member_ids)
    if skill_ids is not None:
        ratings = ratings.filter(skill_id__in=skill_ids)
    if rated_by is not None:
        ratings = ratings.filter(rated_by=rated_by)
    same = ratings.filter(member_id=OuterRef("member_id"), skill_id=OuterRef("skill_id"))
    pairs = (
        ratings.values("member_id", "skill_id")
        .annotate(
            ratings=Count("pk"),
            first=Subquery(same.order_by("rated_at", "pk").values("level")[:1]),
            latest=Subquery(same.order_by("-rated_at", "-pk").values("level")[:1]),
        )
        .order_by()
    )
    return {
        (row["member_id"], row["skill_id"]): FirstAndLatest(
            member_id=row["member_id"],
            skill_id=row["skill_id"],
            first=row["first"],
            latest=row["latest"],
            ratings=row["ratings"],
        )
        for row in pairs
    }
