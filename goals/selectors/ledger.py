"""The 70:20:10 ledger: where a learner's or a team's completed learning happened.

It counts ``completed`` learning events that carry a category in their context
(units, trajectory steps, free-form plan activities: the recorder stores it, see
``events.verbs.event_category``), and sums their minutes where the event says how
long it took (``context["minutes"]``). A plan activity linked to a unit or step is
already counted by that unit's or step's own event (its event says ``counted_as``),
so it is left out. One query per ledger, whatever the number of events or members.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Count, IntegerField, Q, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone

from events.models import LearningEvent
from events.verbs import Category, Verb
from organisations.models import Membership, Organisation
from organisations.selectors import team_subtree_ids

DEFAULT_LEDGER_DAYS = 90
LEDGER_PERIODS = (30, 90, 365)
DEFAULT_TARGETS = {Category.EXPERIENCE: 70, Category.SOCIAL: 20, Category.FORMAL: 10}


@dataclass(frozen=True)
class LedgerPart:
    category: Category
    count: int
    minutes: int
    share: int  # % of the completed activities, whole numbers adding up to 100
    minutes_share: int  # % of the known minutes
    target: int  # the organisation's target %

    @property
    def label(self) -> str:
        return self.category.label

    @property
    def difference(self) -> int:
        return self.share - self.target


@dataclass(frozen=True)
class Ledger:
    start: dt.date
    end: dt.date  # inclusive
    parts: list[LedgerPart]
    count: int
    minutes: int

    @property
    def is_empty(self) -> bool:
        return self.count == 0

    def part(self, category: str) -> LedgerPart:
        return next(part for part in self.parts if part.category == category)

    @property
    def segments(self) -> list[tuple[LedgerPart, int, int]]:
        """(part, x, width) of each part on a bar 100 wide: what the learning was."""
        return _segments([(part, part.share) for part in self.parts])

    @property
    def target_segments(self) -> list[tuple[LedgerPart, int, int]]:
        """The same for the organisation's target mix."""
        return _segments([(part, part.target) for part in self.parts])


def _segments(widths: list[tuple[LedgerPart, int]]) -> list[tuple[LedgerPart, int, int]]:
    segments, x = [], 0
    for part, width in widths:
        if width:
            segments.append((part, x, width))
        x += width
    return segments


def target_mix(organisation: Organisation) -> dict[Category, int]:
    """The organisation's target mix in %, default 70:20:10."""
    return {
        Category.EXPERIENCE: getattr(organisation, "target_experience", 70),
        Category.SOCIAL: getattr(organisation, "target_social", 20),
        Category.FORMAL: getattr(organisation, "target_formal", 10),
    }


def whole_percentages(values: dict[Category, int]) -> dict[Category, int]:
    """Shares of the total in whole percentages that add up to exactly 100 (largest remainder).

    All zero when there is nothing to share out.
    """
    total = sum(values.values())
    if not total:
        return dict.fromkeys(values, 0)
    exact = {key: value * 100 / total for key, value in values.items()}
    whole = {key: int(share) for key, share in exact.items()}
    left = 100 - sum(whole.values())
    by_remainder = sorted(
        exact, key=lambda key: (exact[key] - whole[key], values[key]), reverse=True
    )
    for key in by_remainder[:left]:
        whole[key] += 1
    return whole


def _period(organisation: Organisation, days: int, today: dt.date | None):
    end = today or timezone.localdate(timezone=organisation.zone)
    start = end - dt.timedelta(days=days - 1)
    zone = organisation.zone
    since = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end, since, until


def _ledger(
    *,
    organisation: Organisation,
    actors: Q,
    days: int,
    today: dt.date | None,
) -> Ledger:
    start, end, since, until = _period(organisation, days, today)
    rows = (
        LearningEvent.objects.filter(
            actors,
            organisation=organisation,
            verb=Verb.COMPLETED,
            timestamp__gte=since,
            timestamp__lt=until,
            context__category__in=Category.values,
        )
        .exclude(context__has_key="counted_as")
        .annotate(category=KeyTextTransform("category", "context"))
        .values("category")
        .annotate(
            count=Count("id"),
            minutes=Sum(Cast(KeyTextTransform("minutes", "context"), IntegerField())),
        )
        .order_by()
    )
    counts = dict.fromkeys(Category, 0)
    minutes = dict.fromkeys(Category, 0)
    for row in rows:
        category = Category(row["category"])
        counts[category] += row["count"]
        minutes[category] += row["minutes"] or 0
    shares = whole_percentages(counts)
    minute_shares = whole_percentages(minutes)
    targets = target_mix(organisation)
    parts = [
        LedgerPart(
            category=category,
            count=counts[category],
            minutes=minutes[category],
            share=shares[category],
            minutes_share=minute_shares[category],
            target=targets[category],
        )
        for category in Category
    ]
    return Ledger(
        start=start,
        end=end,
        parts=parts,
        count=sum(counts.values()),
        minutes=sum(minutes.values()),
    )


def ledger_for_member(
    *, membership: Membership, days: int = DEFAULT_LEDGER_DAYS, today: dt.date | None = None
) -> Ledger:
    """The learner's own mix over the last ``days`` days (today included)."""
    return _ledger(
        organisation=membership.organisation,
        actors=Q(actor=membership),
        days=days,
        today=today,
    )


def ledger_for_teams(
    *,
    organisation: Organisation,
    team_ids: Collection[int],
    days: int = DEFAULT_LEDGER_DAYS,
    today: dt.date | None = None,
    include_subteams: bool = True,
) -> Ledger:
    """The mix of the members of these teams (and every team below them) over the period.

    Reads the team tree once and the events once.
    """
    ids = (
        team_subtree_ids(organisation=organisation, root_ids=list(team_ids))
        if include_subteams
        else set(team_ids)
    )
    return _ledger(
        organisation=organisation,
        actors=Q(actor__team_id__in=ids),
        days=days,
        today=today,
    )
