"""Reads for the author's side: ratings of units and what the editor shows."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, FloatField, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from ..models import Block, Rating, Unit, UnitVersion


def with_ratings(units: QuerySet[Unit]) -> QuerySet[Unit]:
    """Annotate ``rating_average`` and ``rating_count``: correlated subqueries, no row blow-up."""
    ratings = Rating.objects.filter(unit=OuterRef("pk")).order_by().values("unit")
    return units.annotate(
        rating_average=Subquery(
            ratings.annotate(a=Avg("score")).values("a"), output_field=FloatField()
        ),
        rating_count=Coalesce(
            Subquery(ratings.annotate(n=Count("id")).values("n"), output_field=IntegerField()),
            0,
        ),
    )


@dataclass(frozen=True)
class UnitRatings:
    average: float | None
    count: int
    comments: list[Rating]


def unit_ratings(*, unit: Unit, limit: int = 50) -> UnitRatings:
    """How useful learners found the unit, and the latest comments (newest first)."""
    ratings = Rating.objects.filter(organisation_id=unit.organisation_id, unit=unit)
    summary = ratings.aggregate(average=Avg("score"), count=Count("id"))
    comments = list(
        ratings.exclude(comment="")
        .select_related("member__user", "version")
        .order_by("-created_at")[:limit]
    )
    return UnitRatings(average=summary["average"], count=summary["count"], comments=comments)


def editing_version(*, unit: Unit) -> UnitVersion | None:
    """What the editor shows: the open draft, or the live version until a change opens one."""
    version_id = unit.draft_version_id or unit.live_version_id
    if version_id is None:
        return None
    return (
        UnitVersion.objects.filter(organisation_id=unit.organisation_id, pk=version_id)
        .prefetch_related("skills", "work_processes")
        .get()
    )


def editor_blocks(*, version: UnitVersion | None) -> list[Block]:
    if version is None:
        return []
    return list(Block.objects.filter(version=version).order_by("position", "id"))
