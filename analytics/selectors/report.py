"""Reads for HR: the organisation-wide view and the impact report, as a ``Report``.

The filters (period, team, trajectory, skill) select a population of members;
every figure is a measure of ``analytics.measures`` computed from ``Inputs``
counted per team of that population. Verb counts come from the rollup
(``TeamDailyCount``); what a verb count cannot tell (a commitment applied or
"not yet", the round a step was signed off in, a trajectory, minutes, the
70:20:10 category) from the events, and goals, ratings, proficiency and nudges
from the apps that own them. A fixed number of queries, whatever the number of
members, teams or weeks (plus two per nudge rule, from nudges' own selector).

Callers render ``suppress(hr_report(...))`` only: see ``analytics.suppression``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Model, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.selectors.reporting import (
    enrolments_per_trajectory,
    members_enrolled,
    trajectory_of,
)
from events.verbs import Category, Verb
from goals.selectors.ledger import target_mix
from goals.selectors.proficiency import proficiency_first_and_latest
from goals.selectors.reporting import goals_per_team, manager_ratings_per_team
from microlearning.selectors.reporting import ratings_per_team
from nudges.effectiveness import TREND_WEEKS, rule_effectiveness
from nudges.selectors import people_nudged, rules_of
from organisations.models import Membership, Organisation, Skill, Team
from organisations.selectors import team_subtree_ids

from ..measures import MIX_MEASURES, REACH_VERBS, Format, Inputs, Level, measure, measures_of
from ..models import TeamDailyCount, TrajectoryDailyCount
from ..reporting import Cell, Column, Filter, Report, Row, Section
from .dashboard import REPORT_PERIODS, rollup_last_run
from .rollups import APPLIED, FIRST_ROUND

DEFAULT_HR_WEEKS = 12
FILTER_NAMES = ("weeks", "end", "team", "trajectory", "skill")

ERROR_UNKNOWN_FILTER = gettext_lazy("There is no filter called “%(name)s”.")
ERROR_WEEKS = gettext_lazy("Choose a period of 4, 12, 26 or 52 weeks.")
ERROR_END_DATE = gettext_lazy("The end of the period must be a date (year-month-day).")
ERROR_END_FUTURE = gettext_lazy("The period cannot end in the future: choose today or earlier.")
ERROR_TEAM = gettext_lazy("That team is not one of this organisation's teams.")
ERROR_TRAJECTORY = gettext_lazy("That trajectory is not one of this organisation's.")
ERROR_SKILL = gettext_lazy("That skill is not one of this organisation's skills.")


@dataclass(frozen=True)
class ReportFilters:
    weeks: int
    end: dt.date
    team: Team | None = None
    trajectory: Model | None = None  # a courses Trajectory
    skill: Skill | None = None

    @property
    def mondays(self) -> list[dt.date]:
        last = self.end - dt.timedelta(days=self.end.weekday())
        return [last - dt.timedelta(weeks=n) for n in reversed(range(self.weeks))]

    @property
    def start(self) -> dt.date:
        return self.mondays[0]

    @property
    def narrowed(self) -> bool:
        """Whether the selection is smaller than the whole organisation."""
        return bool(self.team or self.trajectory)

    def query(self) -> dict[str, str]:
        """The filters as query parameters, for links and the CSV."""
        params = {"weeks": str(self.weeks), "end": self.end.isoformat()}
        for name in ("team", "trajectory", "skill"):
            if getattr(self, name) is not None:
                params[name] = str(getattr(self, name).pk)
        return params


def _id(value: str) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def report_filters_parse(
    *, organisation: Organisation, params, today: dt.date
) -> tuple[ReportFilters | None, list[str]]:
    """The filters of a query string, or the messages saying what is wrong with them.

    An id of another organisation's team, trajectory or skill is not found here, like
    one that does not exist: the message is the same, so it tells nothing about others.
    """
    errors: list[str] = []
    for name in params:
        if name not in FILTER_NAMES:
            errors.append(str(ERROR_UNKNOWN_FILTER % {"name": name[:40]}))
    weeks = DEFAULT_HR_WEEKS
    if params.get("weeks"):
        weeks = _id(params["weeks"]) or 0
        if weeks not in REPORT_PERIODS:
            errors.append(str(ERROR_WEEKS))
    end = today
    if params.get("end"):
        try:
            end = dt.date.fromisoformat(params["end"])
        except ValueError:
            errors.append(str(ERROR_END_DATE))
        else:
            if end > today:
                errors.append(str(ERROR_END_FUTURE))
    found = {}
    lookups = {
        "team": lambda pk: Team.objects.filter(organisation=organisation, pk=pk).first(),
        "trajectory": lambda pk: trajectory_of(organisation=organisation, pk=pk),
        "skill": lambda pk: Skill.objects.filter(organisation=organisation, pk=pk).first(),
    }
    for name, error in (
        ("team", ERROR_TEAM),
        ("trajectory", ERROR_TRAJECTORY),
        ("skill", ERROR_SKILL),
    ):
        if not params.get(name):
            continue
        pk = _id(params[name])
        item = lookups[name](pk) if pk else None
        if item is None:
            errors.append(str(error))
        found[name] = item
    if errors:
        return None, errors
    return ReportFilters(weeks=weeks, end=end, **found), []


# --- Counting ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scope:
    organisation: Organisation
    filters: ReportFilters
    team_ids: set[int] | None  # the team filter with every team below it
    since: dt.datetime
    until: dt.datetime

    def population(self, prefix: str = "") -> Q:
        """The selected members, as a condition on a relation to Membership (``prefix``)."""
        q = Q(**{f"{prefix}is_active": True})
        if self.team_ids is not None:
            q &= Q(**{f"{prefix}team_id__in": self.team_ids})
        if self.filters.trajectory is not None:
            enrolled = members_enrolled(
                organisation=self.organisation, trajectory=self.filters.trajectory
            )
            q &= Q(**{f"{prefix}id__in" if prefix else "id__in": enrolled})
        return q

    def members(self) -> QuerySet[Membership]:
        """The selected members, for the owning apps' report selectors."""
        return Membership.objects.filter(self.population(), organisation=self.organisation)

    def in_period(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.since, f"{field}__lt": self.until})

    def on_trajectory(self) -> Q:
        if self.filters.trajectory is None:
            return Q()
        return Q(context__trajectory=self.filters.trajectory.pk)

    def on_skill(self, field: str = "skill") -> Q:
        if self.filters.skill is None:
            return Q()
        return Q(**{field: self.filters.skill})


def _scope(*, organisation: Organisation, filters: ReportFilters) -> _Scope:
    zone = organisation.zone
    team_ids = None
    if filters.team is not None:
        team_ids = team_subtree_ids(organisation=organisation, root_ids=[filters.team.pk])
    return _Scope(
        organisation=organisation,
        filters=filters,
        team_ids=team_ids,
        since=dt.datetime.combine(filters.start, dt.time.min, tzinfo=zone),
        until=dt.datetime.combine(filters.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
    )


def _rollup(scope: _Scope, model: type[Model] = TeamDailyCount) -> QuerySet:
    """The daily rollup's rows of the selected members in the period."""
    return model.objects.filter(
        scope.population("member__"),
        organisation=scope.organisation,
        day__gte=scope.filters.start,
        day__lte=scope.filters.end,
    )


def _evidence() -> dict:
    """Aggregates of evidence handed in and signed off, over daily rollup rows."""
    approved = Q(verb=Verb.APPROVED)
    return {
        "submitted": Sum("count", filter=Q(verb=Verb.SUBMITTED)),
        "signed_off": Sum("count", filter=approved),
        "signed_off_first": Sum("count", filter=approved & Q(detail=FIRST_ROUND)),
        "signed_off_people": Count("member_id", distinct=True, filter=approved),
    }


EVIDENCE = tuple(_evidence())


ROLLUP_FIELDS = {Verb.VIEWED: "views", Verb.COMPLETED: "completions", Verb.COMMITTED: "commitments"}


def _count_usage(scope: _Scope, inputs: dict) -> None:
    """Views, completions and commitments per team, and the members reached: two queries."""
    rows = (
        _rollup(scope)
        .filter(verb__in=list(ROLLUP_FIELDS))
        .values("member__team_id", "verb")
        .annotate(total=Sum("count"))
        .order_by()
    )
    for row in rows:
        setattr(
            inputs[row["member__team_id"]],
            ROLLUP_FIELDS[row["verb"]],
            row["total"] or 0,
        )
    reached = (
        _rollup(scope)
        .filter(verb__in=list(REACH_VERBS))
        .values("member__team_id")
        .annotate(people=Count("member_id", distinct=True))
        .order_by()
    )
    for row in reached:
        inputs[row["member__team_id"]].reach = row["people"]


def _count_events(scope: _Scope, inputs: dict) -> None:
    """What a verb count cannot tell, from the rollup's details (never the raw events, which
    retention deletes): one query; with a trajectory chosen, its evidence from the
    trajectory's own rollup, a second."""
    completed = Q(verb=Verb.COMPLETED)
    verbs = [Verb.APPLIED, Verb.COMPLETED]
    on_trajectory = scope.filters.trajectory is not None
    if not on_trajectory:
        verbs += [Verb.SUBMITTED, Verb.APPROVED]
    rows = (
        _rollup(scope)
        .filter(verb__in=verbs)
        .values("member__team_id")
        .annotate(
            applied=Sum("count", filter=Q(verb=Verb.APPLIED, detail=APPLIED)),
            minutes=Sum("minutes", filter=completed),
            **({} if on_trajectory else _evidence()),
            **{
                category.value: Sum("count", filter=completed & Q(detail=category.value))
                for category in Category
            },
        )
        .order_by()
    )
    for row in rows:
        group = inputs[row["member__team_id"]]
        group.applied = row["applied"] or 0
        group.minutes = row["minutes"] or 0
        group.mix = {category: row[category.value] or 0 for category in Category}
        if not on_trajectory:
            for name in EVIDENCE:
                setattr(group, name, row[name] or 0)
    if on_trajectory:
        for row in (
            _rollup(scope, TrajectoryDailyCount)
            .filter(
                trajectory_id=scope.filters.trajectory.pk,
                verb__in=[Verb.SUBMITTED, Verb.APPROVED],
            )
            .values("member__team_id")
            .annotate(**_evidence())
            .order_by()
        ):
            for name in EVIDENCE:
                setattr(inputs[row["member__team_id"]], name, row[name] or 0)


def _count_ratings(scope: _Scope, inputs: dict) -> None:
    rows = ratings_per_team(
        organisation=scope.organisation,
        members=scope.members(),
        since=scope.since,
        until=scope.until,
    )
    for row in rows:
        group = inputs[row["member__team_id"]]
        group.ratings, group.rating_sum, group.raters = row["n"], row["total"] or 0, row["people"]


def _count_goals(scope: _Scope, inputs: dict) -> None:
    """Goals agreed and achieved, and the managers' check-in ratings: two queries."""
    rows = goals_per_team(
        organisation=scope.organisation,
        members=scope.members(),
        skill=scope.filters.skill,
        since=scope.since,
        until=scope.until,
    )
    for row in rows:
        group = inputs[row["member__team_id"]]
        group.goals_agreed, group.goals_achieved = row["agreed"], row["achieved"]
    rated = manager_ratings_per_team(
        organisation=scope.organisation,
        members=scope.members(),
        skill=scope.filters.skill,
        since=scope.since,
        until=scope.until,
    )
    for row in rated:
        group = inputs[row["goal__member__team_id"]]
        group.manager_ratings, group.manager_rating_sum = row["n"], row["total"] or 0
        group.manager_rated_people = row["people"]


@dataclass
class _SkillChange:
    skill_id: int
    pairs: int = 0
    first_sum: int = 0
    latest_sum: int = 0


def _count_proficiency(scope: _Scope, inputs: dict, team_of: dict[int, int | None]) -> dict:
    """First and latest rating per member and skill (goals' selector, one query)."""
    pairs = proficiency_first_and_latest(
        organisation=scope.organisation,
        member_ids=Membership.objects.filter(
            scope.population(), organisation=scope.organisation
        ).values("id"),
        skill_ids=[scope.filters.skill.pk] if scope.filters.skill else None,
        until=scope.until,
    )
    per_skill: dict[int, Inputs] = defaultdict(Inputs)
    people: dict[int | None, set[int]] = defaultdict(set)
    skill_people: dict[int, set[int]] = defaultdict(set)
    for (member_id, skill_id), pair in pairs.items():
        if pair.ratings < 2 or member_id not in team_of:
            continue
        for group in (inputs[team_of[member_id]], per_skill[skill_id]):
            group.proficiency_pairs += 1
            group.proficiency_first_sum += pair.first
            group.proficiency_latest_sum += pair.latest
        people[team_of[member_id]].add(member_id)
        skill_people[skill_id].add(member_id)
    for team_id, members in people.items():
        inputs[team_id].proficiency_people = len(members)
    for skill_id, members in skill_people.items():
        per_skill[skill_id].proficiency_people = len(members)
    return per_skill


def _weekly(scope: _Scope, mondays: list[dt.date]) -> dict[dt.date, Inputs]:
    """The rollup's verb counts and reach per week (Monday to Sunday): two queries."""
    weeks = {monday: Inputs() for monday in mondays}

    def monday_of(value) -> dt.date:
        return value.date() if isinstance(value, dt.datetime) else value  # SQLite: datetime

    for row in (
        _rollup(scope)
        .filter(verb__in=list(ROLLUP_FIELDS))
        .annotate(week=TruncWeek("day"))
        .values("week", "verb")
        .annotate(total=Sum("count"))
        .order_by()
    ):
        setattr(weeks[monday_of(row["week"])], ROLLUP_FIELDS[row["verb"]], row["total"] or 0)
    for row in (
        _rollup(scope)
        .filter(verb__in=list(REACH_VERBS))
        .annotate(week=TruncWeek("day"))
        .values("week")
        .annotate(people=Count("member_id", distinct=True))
        .order_by()
    ):
        weeks[monday_of(row["week"])].reach = row["people"]
    return weeks


# --- Building the report --------------------------------------------------------------------


def _cell(key: str, inputs: Inputs) -> Cell:
    item = measure(key)
    return Cell(value=item.value(inputs), people=item.people(inputs), format=item.format)


def _column(key: str) -> Column:
    return Column(key=key, label=str(measure(key).name), measure=key)


def _members_cell(inputs: Inputs) -> Cell:
    return Cell(value=inputs.members, people=inputs.members)


SUMMARY_EXCLUDED = set(MIX_MEASURES.values())
TEAM_COLUMNS = (
    "reach",
    "completions",
    "minutes",
    "commitments_applied",
    "steps_signed_off",
    "first_time_share",
    "goals_achieved",
    "proficiency_change",
    "manager_rating",
)
TREND_COLUMNS = ("reach", "views", "completions", "commitments_made")


def _summary_sections(total: Inputs) -> list[Section]:
    sections = []
    for level in Level:
        rows = [
            Row(label=str(item.name), key=item.key, cells=[_cell(item.key, total)])
            for item in measures_of(level)
            if item.key not in SUMMARY_EXCLUDED
        ]
        sections.append(
            Section(
                key=level.value,
                title=str(level.label),
                columns=[Column(key="value", label=_("Figure"))],
                rows=rows,
                row_heading=_("Measure"),
            )
        )
    return sections


def _mix_section(total: Inputs) -> Section:
    rows = []
    for category in (Category.EXPERIENCE, Category.SOCIAL, Category.FORMAL):
        key = MIX_MEASURES[category]
        rows.append(
            Row(
                label=str(measure(key).name),
                key=key,
                cells=[
                    _cell(key, total),
                    Cell(value=total.target.get(category, 0) / 100, format=Format.PERCENT),
                    Cell(value=total.mix.get(category, 0), people=total.members),
                ],
            )
        )
    return Section(
        key="mix",
        title=_("The 70:20:10 mix against the target"),
        columns=[
            Column(key="share", label=_("Share"), measure="mix_experience"),
            Column(key="target", label=_("Target")),
            Column(key="activities", label=_("Activities completed")),
        ],
        rows=rows,
        row_heading=_("Where learning happened"),
    )


def _team_section(teams: list[Team], inputs: dict, total: Inputs, show_no_team: bool) -> Section:
    rows = [
        Row(
            label=team.name,
            key=str(team.pk),
            cells=[_members_cell(inputs[team.pk])]
            + [_cell(k, inputs[team.pk]) for k in TEAM_COLUMNS],
        )
        for team in teams
    ]
    if show_no_team and inputs[None].members:
        rows.append(
            Row(
                label=_("No team"),
                key="none",
                cells=[_members_cell(inputs[None])]
                + [_cell(k, inputs[None]) for k in TEAM_COLUMNS],
            )
        )
    rows.append(
        Row(
            label=_("Total"),
            key="total",
            is_total=True,
            cells=[_members_cell(total)] + [_cell(k, total) for k in TEAM_COLUMNS],
        )
    )
    return Section(
        key="teams",
        title=_("Per team"),
        description=_(
            "Each member counts in their team of today; teams below a team are rows of their own."
        ),
        columns=[Column(key="members", label=_("Members"))] + [_column(k) for k in TEAM_COLUMNS],
        rows=rows,
        partition=True,
        row_heading=_("Team"),
    )


def _skill_section(per_skill: dict[int, Inputs], skills: dict[int, str]) -> Section:
    keys = ("proficiency_before", "proficiency_after", "proficiency_change")
    rows = [
        Row(
            label=skills.get(skill_id, "?"),
            key=str(skill_id),
            cells=[
                Cell(value=group.proficiency_people, people=group.proficiency_people),
                *(_cell(key, group) for key in keys),
            ],
        )
        for skill_id, group in sorted(per_skill.items(), key=lambda item: skills.get(item[0], ""))
    ]
    return Section(
        key="skills",
        title=_("Proficiency before and after, per skill"),
        description=_(
            "Members rated in a skill at least twice: their first rating against their latest."
        ),
        columns=[Column(key="people", label=_("Members rated"))] + [_column(k) for k in keys],
        rows=rows,
        row_heading=_("Skill"),
    )


def _trajectory_section(scope: _Scope) -> Section:
    """Per trajectory: who is enrolled, completed it, and its on-the-job steps: two queries."""
    per_trajectory = {
        row["trajectory_id"]: row
        for row in enrolments_per_trajectory(
            organisation=scope.organisation,
            members=scope.members(),
            trajectory=scope.filters.trajectory,
            since=scope.since,
            until=scope.until,
        )
    }
    steps = {
        row["trajectory_id"]: row
        for row in _rollup(scope, TrajectoryDailyCount)
        .filter(verb__in=[Verb.SUBMITTED, Verb.APPROVED], trajectory_id__in=list(per_trajectory))
        .values("trajectory_id")
        .annotate(**_evidence())
        .order_by()
    }
    rows = []
    for trajectory_id, row in per_trajectory.items():
        step = steps.get(trajectory_id, {})
        group = Inputs(
            members=row["people"],
            **{name: step.get(name) or 0 for name in EVIDENCE},
        )
        rows.append(
            Row(
                label=row["trajectory__title"],
                key=str(trajectory_id),
                cells=[
                    _members_cell(group),
                    Cell(value=row["completed"], people=group.members),
                    _cell("steps_submitted", group),
                    _cell("steps_signed_off", group),
                    _cell("first_time_share", group),
                ],
            )
        )
    return Section(
        key="trajectories",
        title=_("Per trajectory"),
        description=_("A member enrolled in several trajectories counts in each."),
        columns=[
            Column(key="enrolled", label=_("Enrolled")),
            Column(key="completed", label=_("Completed in the period")),
            _column("steps_submitted"),
            _column("steps_signed_off"),
            _column("first_time_share"),
        ],
        rows=rows,
        row_heading=_("Trajectory"),
    )


def _nudge_section(scope: _Scope, now: dt.datetime) -> tuple[Section, Inputs]:
    """Nudges' own effectiveness per rule (two queries a rule), with the people nudged."""
    rules = rules_of(organisation=scope.organisation)
    since = now - dt.timedelta(weeks=TREND_WEEKS)
    people, everyone = people_nudged(organisation=scope.organisation, since=since, rules=rules)
    rows, sent, acted = [], 0, 0
    for rule in rules:
        result = rule_effectiveness(rule=rule, now=now)
        nudged = people.get(rule.pk, 0)
        if result.measures_action:
            sent += result.total.sent
            acted += result.total.acted
        uplift = result.holdout.uplift
        rows.append(
            Row(
                label=str(rule),
                key=str(rule.pk),
                cells=[
                    Cell(value=result.total.sent, people=nudged),
                    Cell(value=result.total.opened, people=nudged),
                    Cell(
                        value=result.total.acted if result.measures_action else None, people=nudged
                    ),
                    Cell(
                        value=result.total.acted_share if result.measures_action else None,
                        people=nudged,
                        format=Format.PERCENT,
                    ),
                    Cell(value=uplift, people=nudged, format=Format.PERCENT),
                ],
            )
        )
    section = Section(
        key="nudges",
        title=_("Nudge effectiveness"),
        description=_(
            "Per nudge rule, the whole organisation, the last 12 weeks. Uplift: the action rate "
            "of nudged members minus that of the held-out members (shown from 5 people in both)."
        ),
        columns=[
            Column(key="sent", label=_("Sent")),
            Column(key="opened", label=_("Opened")),
            Column(key="acted", label=_("Acted on")),
            Column(key="acted_share", label=_("Acted on, share"), measure="nudge_to_action"),
            Column(key="uplift", label=_("Uplift over holdout")),
        ],
        rows=rows,
        row_heading=_("Rule"),
    )
    return section, Inputs(nudges_sent=sent, nudges_acted=acted, nudged_people=everyone)


def _trend_section(weekly: dict[dt.date, Inputs], total: Inputs) -> Section:
    rows = []
    for monday, group in weekly.items():
        group.members = total.members
        rows.append(
            Row(
                label=date_format(monday, "j M Y"),
                key=monday.isoformat(),
                cells=[_cell(key, group) for key in TREND_COLUMNS],
            )
        )
    rows.append(
        Row(
            label=_("Whole period"),
            key="total",
            is_total=True,
            cells=[_cell(key, total) for key in TREND_COLUMNS],
        )
    )
    return Section(
        key="trend",
        title=_("Trend per week"),
        description=_("Weeks from Monday to Sunday, by the day the learning happened."),
        columns=[_column(key) for key in TREND_COLUMNS],
        rows=rows,
        row_heading=_("Week of"),
    )


def _filter_list(organisation: Organisation, filters: ReportFilters) -> list[Filter]:
    items = [
        Filter(
            "period",
            _("Period"),
            _("%(start)s to %(end)s")
            % {"start": date_format(filters.start), "end": date_format(filters.end)},
        ),
        Filter("team", _("Team"), filters.team.name if filters.team else _("All teams")),
    ]
    if filters.trajectory is not None:
        items.append(Filter("trajectory", _("Trajectory"), filters.trajectory.title))
    if filters.skill is not None:
        items.append(Filter("skill", _("Skill"), filters.skill.name))
    return items


def hr_report(
    *,
    organisation: Organisation,
    filters: ReportFilters,
    impact: bool = True,
    now: dt.datetime | None = None,
) -> Report:
    """The HR report of a selection, unsuppressed: render ``suppress(hr_report(...))``.

    ``impact=False`` is the organisation-wide view: the three levels, per team, the mix
    and the trend; the impact report adds proficiency per skill, the trajectories and
    nudge effectiveness.
    """
    now = now or timezone.now()
    scope = _scope(organisation=organisation, filters=filters)
    members = list(
        Membership.objects.filter(scope.population(), organisation=organisation).values_list(
            "id", "team_id"
        )
    )
    team_of = dict(members)
    targets = target_mix(organisation)
    inputs: dict[int | None, Inputs] = defaultdict(lambda: Inputs(target=targets))
    for _member, team_id in members:
        inputs[team_id].members += 1
    teams = list(
        Team.objects.filter(
            organisation=organisation,
            **({"pk__in": scope.team_ids} if scope.team_ids is not None else {}),
        ).order_by("name")
    )
    _count_usage(scope, inputs)
    _count_events(scope, inputs)
    _count_ratings(scope, inputs)
    _count_goals(scope, inputs)
    per_skill = _count_proficiency(scope, inputs, team_of)
    shown = {team.pk for team in teams} | {None}
    total = Inputs(target=targets)
    for team_id, group in list(inputs.items()):
        if team_id in shown:
            total = total + group
    nudge_section = None
    if impact or not filters.narrowed:
        nudge_section, nudges = _nudge_section(scope, now)
        if not filters.narrowed:  # nudge figures are the organisation's, not a team's
            total = total + nudges
    weekly = _weekly(scope, filters.mondays)

    sections = _summary_sections(total)
    sections.append(_mix_section(total))
    sections.append(_team_section(teams, inputs, total, show_no_team=scope.team_ids is None))
    if impact:
        skills = dict(
            Skill.objects.filter(organisation=organisation, pk__in=list(per_skill)).values_list(
                "pk", "name"
            )
        )
        sections.append(_skill_section(per_skill, skills))
        sections.append(_trajectory_section(scope))
        if nudge_section is not None:
            sections.append(nudge_section)
    sections.append(_trend_section(weekly, total))
    return Report(
        title=_("Impact report") if impact else _("Organisation overview"),
        start=filters.start,
        end=filters.end,
        sections=sections,
        filters=_filter_list(organisation, filters),
        people=total.members,
        rollup_last_run=rollup_last_run(organisation=organisation),
    )
