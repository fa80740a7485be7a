"""Reads for microlearning: what a learner has to do, what an author manages.

Every selector costs a fixed number of queries, however many units, assignments
or completions there are: pages built on them must not grow a query per row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from organisations.models import Membership, Organisation, Team

from ..models import Assignment, Block, Completion, Unit, UnitVersion
from .reach import assignments_reaching, completions_of


@dataclass(frozen=True)
class LearnerUnit:
    """A unit as one learner sees it: when it reached them and whether they finished it."""

    unit: Unit
    assigned_at: dt.datetime | None
    completed_at: dt.datetime | None
    # When the reminder comes: the organisation expects it done within nudge_after_days.
    due_at: dt.datetime | None = None

    @property
    def is_done(self) -> bool:
        return self.completed_at is not None


@dataclass(frozen=True)
class LearnerHome:
    to_do: list[LearnerUnit]
    done: list[LearnerUnit]


def learner_home(*, membership: Membership) -> LearnerHome:
    """Units assigned to the learner still to do (oldest first) and everything they completed."""
    first_assigned: dict[int, dt.datetime] = {}
    units: dict[int, Unit] = {}
    for assignment in assignments_reaching(membership=membership).select_related(
        "unit__live_version"
    ):
        known = first_assigned.get(assignment.unit_id)
        if known is None or assignment.assigned_at < known:
            first_assigned[assignment.unit_id] = assignment.assigned_at
        units[assignment.unit_id] = assignment.unit

    completions = (
        completions_of(membership=membership).select_related("unit").order_by("-completed_at")
    )
    done = [
        LearnerUnit(
            unit=c.unit,
            assigned_at=first_assigned.get(c.unit_id),
            completed_at=c.completed_at,
        )
        for c in completions
    ]
    finished = {item.unit.pk for item in done}
    allowed = dt.timedelta(days=membership.organisation.nudge_after_days)
    to_do = sorted(
        (
            LearnerUnit(
                unit=unit,
                assigned_at=first_assigned[unit_id],
                completed_at=None,
                due_at=first_assigned[unit_id] + allowed,
            )
            for unit_id, unit in units.items()
            if unit_id not in finished
        ),
        key=lambda item: (item.assigned_at, item.unit.pk),
    )
    return LearnerHome(to_do=to_do, done=done)


def published_units(*, organisation: Organisation) -> QuerySet[Unit]:
    """What a learner may open: drafts and archived units are not found."""
    return Unit.objects.filter(
        organisation=organisation, status=Unit.Status.PUBLISHED
    ).select_related("live_version")


def version_blocks(*, version: UnitVersion | None) -> list[Block]:
    """The blocks of a version in order (none for a unit without one)."""
    if version is None:
        return []
    return list(Block.objects.filter(version=version).order_by("position", "id"))


def completion_of(*, unit: Unit, membership: Membership) -> Completion | None:
    return completions_of(membership=membership).filter(unit=unit).first()


def _count_of(model, **outer: str) -> Coalesce:
    """A correlated count: one subquery per column keeps joined rows from multiplying."""
    counted = (
        model.objects.filter(**{field: OuterRef(ref) for field, ref in outer.items()})
        .order_by()
        .values(*outer)
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def units_for_authoring(*, organisation: Organisation, status: str | None = None) -> QuerySet[Unit]:
    """Every unit of the organisation with its author and how far it reached."""
    units = Unit.objects.filter(organisation=organisation)
    if status:
        units = units.filter(status=status)
    return (
        units.select_related("author__user")
        .annotate(
            assignment_count=_count_of(Assignment, unit="pk"),
            completion_count=_count_of(Completion, unit="pk"),
        )
        .order_by("-updated_at", "-pk")
    )


def unit_assignments(*, unit: Unit) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(organisation_id=unit.organisation_id, unit=unit)
        .select_related("team", "member__user", "assigned_by__user")
        .order_by("-assigned_at", "-pk")
    )


def teams_to_assign(*, unit: Unit) -> QuerySet[Team]:
    """Teams the unit is not assigned to yet."""
    taken = Assignment.objects.filter(
        organisation_id=unit.organisation_id, unit=unit, team__isnull=False
    ).values("team_id")
    return (
        Team.objects.filter(organisation_id=unit.organisation_id)
        .exclude(id__in=taken)
        .order_by("name")
    )
