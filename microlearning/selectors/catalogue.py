"""Reads for finding units: the catalogue, search, work process pages and "For you".

Every selector costs a fixed number of queries however many units, blocks or
completions there are (tests pin the counts): filters are subqueries, "done" is
an ``Exists`` per row inside the one query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from django.db.models import Exists, Max, Min, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from events.models import LearningEvent
from organisations.models import Membership, WorkProcess

from ..models import (
    Assignment,
    Block,
    BlockProgress,
    Unit,
    UnitVersionSkill,
    UnitVersionWorkProcess,
)
from ..services.search import units_search_ids
from .reach import (
    assignments_reaching,
    completed_unit_ids,
    completions_of,
    member_team_line,
)


@dataclass(frozen=True)
class Duration:
    value: str
    label: str
    low: int
    high: int


# Units last 2 to 15 minutes; three bands a learner can choose by the time they have.
DURATIONS = (
    Duration("short", _("Up to 5 minutes"), 0, 5),
    Duration("medium", _("5 to 10 minutes"), 6, 10),
    Duration("long", _("10 to 15 minutes"), 11, 15),
)
DURATION_BY_VALUE = {d.value: d for d in DURATIONS}

SORT_RELEVANCE = "relevance"
SORT_RECENT = "recent"
SORT_TITLE = "title"
SORTS = (
    (SORT_RELEVANCE, _("Best match")),
    (SORT_RECENT, _("Recently published")),
    (SORT_TITLE, _("Title")),
)


@dataclass(frozen=True)
class CatalogueFilters:
    """What a learner asked for; every field is optional. Values are already validated."""

    q: str = ""
    skill_id: int | None = None
    work_process_id: int | None = None
    duration: str = ""
    language: str = ""
    category: str = ""
    sort: str = ""

    @property
    def sort_applied(self) -> str:
        """Relevance when searching, otherwise recently published unless asked otherwise."""
        if self.sort == SORT_RELEVANCE and not self.q:
            return SORT_RECENT
        return self.sort or (SORT_RELEVANCE if self.q else SORT_RECENT)

    @property
    def facets(self) -> bool:
        """A filter other than the search words is applied."""
        return any(
            (self.skill_id, self.work_process_id, self.duration, self.language, self.category)
        )

    @property
    def any(self) -> bool:
        return any(
            (self.q, self.skill_id, self.work_process_id, self.duration, self.language,
             self.category)
        )  # fmt: skip


# Search results sorted otherwise than by relevance.
SEARCH_ORDERS = {SORT_TITLE: ("title", "pk"), SORT_RECENT: ("-published_at", "-pk")}

# A search lists at most this many units: nobody pages past the first few hundred hits.
MAX_SEARCH_RESULTS = 500


class SearchResults(Sequence):
    """Search hits for a paginator: the ranked ids are read in one query, units per page.

    Searching scans every published version (see ``microlearning.services.search``);
    a queryset would scan twice, once to count and once for the page.
    """

    def __init__(self, ids: list[int], units: QuerySet[Unit]):
        self.ids = ids
        self.units = units

    def count(self) -> int:  # the paginator asks this instead of len()
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[Unit]:
        return iter(self[:])

    def __getitem__(self, index):
        if isinstance(index, slice):
            wanted = self.ids[index]
            found = self.units.filter(pk__in=wanted).in_bulk() if wanted else {}
            return [found[pk] for pk in wanted if pk in found]
        return self[index : index + 1][0]


def catalogue_units(
    *, membership: Membership, filters: CatalogueFilters
) -> QuerySet[Unit] | SearchResults:
    """Live versions of the organisation's published units matching ``filters``, sorted.

    Each unit carries ``live_version`` and ``is_done`` (this member completed it).
    With a query the result is a ``SearchResults`` (ranked ids, units fetched per
    page), otherwise a queryset.
    """
    organisation_id = membership.organisation_id
    units = Unit.objects.filter(
        organisation_id=organisation_id,
        status=Unit.Status.PUBLISHED,
        live_version__isnull=False,
    )
    if filters.skill_id:
        units = units.filter(
            Exists(
                UnitVersionSkill.objects.filter(
                    organisation_id=organisation_id,
                    version_id=OuterRef("live_version_id"),
                    skill_id=filters.skill_id,
                )
            )
        )
    if filters.work_process_id:
        units = units.filter(
            Exists(
                UnitVersionWorkProcess.objects.filter(
                    organisation_id=organisation_id,
                    version_id=OuterRef("live_version_id"),
                    work_process_id=filters.work_process_id,
                )
            )
        )
    duration = DURATION_BY_VALUE.get(filters.duration)
    if duration is not None:
        units = units.filter(
            live_version__estimated_minutes__gte=duration.low,
            live_version__estimated_minutes__lte=duration.high,
        )
    if filters.language:
        units = units.filter(live_version__language=filters.language)
    if filters.category:
        units = units.filter(live_version__category=filters.category)

    sort = filters.sort_applied
    if filters.q:
        ids = units_search_ids(
            units=units,
            query=filters.q,
            organisation_id=organisation_id,
            limit=MAX_SEARCH_RESULTS,
            order_by=SEARCH_ORDERS.get(sort, ()),
        )
        return SearchResults(ids, _shown(Unit.objects.all(), membership=membership))
    units = _shown(units, membership=membership)
    if sort == SORT_TITLE:
        return units.order_by("title", "pk")
    return units.order_by("-published_at", "-pk")


def _shown(units: QuerySet[Unit], *, membership: Membership) -> QuerySet[Unit]:
    """What a result row shows: the live version (without its vector: only searched, and
    slow to sort thousands of rows with) and whether the member did it."""
    return with_done(
        units.filter(organisation_id=membership.organisation_id)
        .select_related("live_version")
        .defer("live_version__search_vector"),
        membership=membership,
    )


def with_done(units: QuerySet[Unit], *, membership: Membership) -> QuerySet[Unit]:
    """Annotate ``is_done``: one ``Exists`` per row, in the same query."""
    return units.annotate(
        is_done=Exists(completions_of(membership=membership).filter(unit_id=OuterRef("pk")))
    )


@dataclass(frozen=True)
class WorkProcessHelp:
    """Everything for one task: checklists to work along with first, then the other units."""

    work_process: WorkProcess
    checklists: list[Unit]
    units: list[Unit]


def work_process_help(*, membership: Membership, work_process: WorkProcess) -> WorkProcessHelp:
    """The published units tagged with ``work_process``; those with a checklist come first.

    One query: ``has_checklist`` is an ``Exists`` on the live version's blocks.
    """
    units = catalogue_units(
        membership=membership,
        filters=CatalogueFilters(work_process_id=work_process.pk, sort=SORT_TITLE),
    ).annotate(
        has_checklist=Exists(
            Block.objects.filter(
                organisation_id=membership.organisation_id,
                version_id=OuterRef("live_version_id"),
                kind=Block.Kind.CHECKLIST,
            )
        )
    )
    rows = list(units)
    return WorkProcessHelp(
        work_process=work_process,
        checklists=[u for u in rows if u.has_checklist],
        units=[u for u in rows if not u.has_checklist],
    )


# --- For you -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ForYouUnit:
    unit: Unit
    reason: str  # the source's key: why it is here

    @property
    def reason_label(self) -> str:
        return str(FOR_YOU_REASONS.get(self.reason, ""))


# A source gives unit ids for a member, best first: (membership, team_ids, limit) -> ids.
# Later capabilities (learning goals, trajectories) add a source to FOR_YOU_SOURCES.
ForYouSource = Callable[[Membership, set[int], int], Sequence[int]]


def _published(organisation_id: int) -> QuerySet[Unit]:
    return Unit.objects.filter(organisation_id=organisation_id, status=Unit.Status.PUBLISHED)


def _assigned(membership: Membership, team_ids: set[int], limit: int) -> Sequence[int]:
    """Assigned to the member, their team or a team above it; oldest assignment first.

    The team tree is read once for every source (``team_ids``).
    """
    rows = (
        assignments_reaching(membership=membership, team_ids=team_ids)
        .exclude(unit_id__in=completed_unit_ids(membership=membership))
        .values("unit_id")
        .annotate(first=Min("assigned_at"))
        .order_by("first", "unit_id")[:limit]
    )
    return [row["unit_id"] for row in rows]


def _team_topics(membership: Membership, team_ids: set[int], limit: int) -> Sequence[int]:
    """Units sharing a skill or work process with the units assigned to the team (tree).

    The team's topics are derived from what was assigned to it, not stored apart:
    simple, and it follows the team's assignments as they change.
    """
    if not team_ids:
        return []
    organisation_id = membership.organisation_id
    team_versions = Unit.objects.filter(
        organisation_id=organisation_id,
        status=Unit.Status.PUBLISHED,
        pk__in=Assignment.objects.filter(
            organisation_id=organisation_id, team_id__in=team_ids
        ).values("unit_id"),
    ).values("live_version_id")
    skills = UnitVersionSkill.objects.filter(
        organisation_id=organisation_id, version_id__in=team_versions
    ).values("skill_id")
    processes = UnitVersionWorkProcess.objects.filter(
        organisation_id=organisation_id, version_id__in=team_versions
    ).values("work_process_id")
    by_skill = UnitVersionSkill.objects.filter(
        organisation_id=organisation_id, version_id=OuterRef("live_version_id"), skill_id__in=skills
    )
    by_process = UnitVersionWorkProcess.objects.filter(
        organisation_id=organisation_id,
        version_id=OuterRef("live_version_id"),
        work_process_id__in=processes,
    )
    units = (
        _published(organisation_id)
        .filter(Exists(by_skill) | Exists(by_process))
        .exclude(pk__in=completed_unit_ids(membership=membership))
    )
    return list(units.order_by("-published_at", "-pk").values_list("pk", flat=True)[:limit])


def _continue(membership: Membership, team_ids: set[int], limit: int) -> Sequence[int]:
    """Units the member started (a block done or ticked) and did not complete; latest first."""
    rows = (
        BlockProgress.objects.filter(
            organisation_id=membership.organisation_id,
            member=membership,
            version__unit__status=Unit.Status.PUBLISHED,
        )
        .exclude(version__unit_id__in=completed_unit_ids(membership=membership))
        .values("version__unit_id")
        .annotate(last=Max("updated_at"))
        .order_by("-last")[:limit]
    )
    return [row["version__unit_id"] for row in rows]


def _recently_viewed(membership: Membership, team_ids: set[int], limit: int) -> Sequence[int]:
    rows = (
        LearningEvent.objects.filter(
            organisation_id=membership.organisation_id,
            actor=membership,
            verb=LearningEvent.Verb.VIEWED,
            object_type="unit",
        )
        .exclude(object_id__in=completed_unit_ids(membership=membership))
        .values("object_id")
        .annotate(last=Max("timestamp"))
        .order_by("-last")[:limit]
    )
    return [row["object_id"] for row in rows]


FOR_YOU_SOURCES: tuple[tuple[str, ForYouSource], ...] = (
    ("assigned", _assigned),
    ("team", _team_topics),
    ("continue", _continue),
    ("viewed", _recently_viewed),
)
FOR_YOU_REASONS = {
    "assigned": _("Assigned to you"),
    "team": _("For your team's work"),
    "continue": _("Continue where you left off"),
    "viewed": _("Recently viewed"),
}


def units_for_you(
    *,
    membership: Membership,
    limit: int = 6,
    sources: Sequence[tuple[str, ForYouSource]] = FOR_YOU_SOURCES,
) -> list[ForYouUnit]:
    """Published units for this member, not yet completed, from each source in turn.

    The first source to name a unit gives its reason; a source leaves out completed
    units itself (in SQL). Every source is asked, even once the list is full, so a
    page costs the same queries whatever the member did: one for the team tree, one
    per source, one for the units themselves.
    """
    team_ids = member_team_line(membership=membership)
    chosen: dict[int, str] = {}
    for key, source in sources:
        # ``limit`` ids are enough to fill the list even if every one chosen comes back.
        for unit_id in source(membership, team_ids, limit):
            if len(chosen) < limit and unit_id not in chosen:
                chosen[unit_id] = key
    if not chosen:  # a new member's home: nothing to read, not even an empty query to build
        return []
    units = with_done(
        _published(membership.organisation_id).filter(pk__in=chosen).select_related("live_version"),
        membership=membership,
    ).in_bulk()
    return [
        ForYouUnit(unit=units[unit_id], reason=key)
        for unit_id, key in chosen.items()
        if unit_id in units
    ]
