"""Reads for analytics: the manager's team dashboard and the organisation's reports.

Figures about completions come from the rollup (``TeamDailyCount``), never from
scanning the event log, so a page costs the same with ten events or ten million.
Each selector runs a fixed number of queries, whatever the number of members.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import LearningEvent
from microlearning.selectors.reach import units_completed, units_reaching
from organisations.models import Membership, Organisation, Team
from organisations.selectors import members_of_teams, teams_managed_by

from ..models import RollupCheckpoint, TeamDailyCount
from ..reporting import Cell, Column, Report, Row, Section

TEAM_DAILY_ROLLUP = "team_daily"
DASHBOARD_PERIODS = (7, 30, 90)
DEFAULT_DASHBOARD_PERIOD = 30
REPORT_PERIODS = (4, 12, 26, 52)
DEFAULT_REPORT_WEEKS = 12


def organisation_today(*, organisation: Organisation) -> dt.date:
    return timezone.localdate(timezone=organisation.zone)


def rollup_last_run(*, organisation: Organisation) -> dt.datetime | None:
    return (
        RollupCheckpoint.objects.filter(organisation=organisation, name=TEAM_DAILY_ROLLUP)
        .values_list("updated_at", flat=True)
        .first()
    )


@dataclass(frozen=True)
class MemberProgress:
    member: Membership
    completions: int  # in the chosen period, from the rollup
    units_assigned: int
    units_completed: int  # of the units assigned to them
    last_active: dt.date | None


@dataclass(frozen=True)
class DayCount:
    day: dt.date
    count: int


@dataclass(frozen=True)
class TeamDashboard:
    teams: list[Team]
    members: list[MemberProgress]
    per_day: list[DayCount]  # every day of the period, zero days included
    start: dt.date
    end: dt.date
    rollup_last_run: dt.datetime | None

    @property
    def total_completions(self) -> int:
        return sum(day.count for day in self.per_day)


def team_dashboard(*, membership: Membership, days: int, today: dt.date) -> TeamDashboard:
    """The teams a manager leads (and every team below), member by member.

    Only members of those teams appear, and only completions made while in one of
    those teams count: a manager never sees what happened outside their teams.
    """
    organisation = membership.organisation
    teams = list(teams_managed_by(membership=membership))
    team_ids = [team.pk for team in teams]
    members = list(members_of_teams(team_ids=team_ids))
    member_ids = [member.pk for member in members]
    start = today - dt.timedelta(days=days - 1)

    counts = TeamDailyCount.objects.filter(organisation=organisation, member_id__in=member_ids)
    in_period = Q(verb=LearningEvent.Verb.COMPLETED, team_id__in=team_ids, day__gte=start)
    per_member = {
        row["member_id"]: row
        for row in counts.values("member_id").annotate(
            completions=Sum("count", filter=in_period), last_active=Max("day")
        )
    }
    per_day = dict(
        counts.filter(in_period, day__lte=today)
        .values("day")
        .annotate(total=Sum("count"))
        .values_list("day", "total")
    )

    assigned = units_reaching(organisation=organisation, memberships=members)
    completed = units_completed(
        organisation=organisation,
        unit_ids=set().union(*assigned.values()) if assigned else set(),
        membership_ids=member_ids,
    )

    rows = []
    for member in members:
        stats = per_member.get(member.pk, {})
        units = set(assigned.get(member.pk, ()))
        rows.append(
            MemberProgress(
                member=member,
                completions=stats.get("completions") or 0,
                units_assigned=len(units),
                units_completed=len(units & completed.get(member.pk, set())),
                last_active=stats.get("last_active"),
            )
        )
    return TeamDashboard(
        teams=teams,
        members=rows,
        per_day=[
            DayCount(day=day, count=per_day.get(day, 0))
            for day in (start + dt.timedelta(days=n) for n in range(days))
        ],
        start=start,
        end=today,
        rollup_last_run=rollup_last_run(organisation=organisation),
    )


@dataclass(frozen=True)
class TeamWeeks:
    team: Team | None  # None: members without a team
    counts: list[int]  # one per week, in the order of OrganisationReport.weeks
    people: int = 0  # the team's active members today: what k-anonymity counts

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class OrganisationReport:
    weeks: list[dt.date]  # the Monday of each week
    rows: list[TeamWeeks]
    rollup_last_run: dt.datetime | None

    @property
    def week_totals(self) -> list[int]:
        return [sum(row.counts[i] for row in self.rows) for i in range(len(self.weeks))]

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)


def completions_per_team_per_week(
    *, organisation: Organisation, weeks: int, today: dt.date
) -> OrganisationReport:
    """Completions per team and week (Monday to Sunday) over the last ``weeks`` weeks.

    Every team is a row, also those without completions; the team is the member's
    team when the completion was rolled up.
    """
    this_monday = today - dt.timedelta(days=today.weekday())
    mondays = [this_monday - dt.timedelta(weeks=n) for n in reversed(range(weeks))]
    index = {monday: i for i, monday in enumerate(mondays)}
    by_team: dict[int | None, list[int]] = {}
    for team_id, week, total in (
        TeamDailyCount.objects.filter(
            organisation=organisation,
            verb=LearningEvent.Verb.COMPLETED,
            day__gte=mondays[0],
            day__lte=today,
        )
        .annotate(week=TruncWeek("day"))
        .values("team_id", "week")
        .annotate(total=Sum("count"))
        .values_list("team_id", "week", "total")
    ):
        if isinstance(week, dt.datetime):  # SQLite truncates dates to datetimes
            week = week.date()
        by_team.setdefault(team_id, [0] * weeks)[index[week]] += total

    teams = list(Team.objects.filter(organisation=organisation).order_by("name"))
    people = dict(
        Membership.objects.filter(organisation=organisation, is_active=True)
        .values("team_id")
        .annotate(n=Count("pk"))
        .values_list("team_id", "n")
        .order_by()
    )
    rows = [
        TeamWeeks(
            team=team, counts=by_team.get(team.pk, [0] * weeks), people=people.get(team.pk, 0)
        )
        for team in teams
    ]
    if None in by_team:
        rows.append(TeamWeeks(team=None, counts=by_team[None], people=people.get(None, 0)))
    return OrganisationReport(
        weeks=mondays, rows=rows, rollup_last_run=rollup_last_run(organisation=organisation)
    )


def completions_report(report: OrganisationReport) -> Report:
    """The completions per team per week as a ``Report``, for ``suppress`` and the renderers.

    A team's figures are about its members (people); the total row is the sum of the
    teams, so the section is a partition (complementary suppression applies).
    """
    columns = [
        Column(
            key=monday.isoformat(), label=_("Week of %(monday)s") % {"monday": monday.isoformat()}
        )
        for monday in report.weeks
    ] + [Column(key="total", label=_("Total"))]
    rows = [
        Row(
            label=row.team.name if row.team is not None else _("No team"),
            key=str(row.team.pk) if row.team is not None else "none",
            cells=[Cell(value=count, people=row.people) for count in row.counts + [row.total]],
        )
        for row in report.rows
    ]
    people = sum(row.people for row in report.rows)
    rows.append(
        Row(
            label=_("Total"),
            key="total",
            is_total=True,
            cells=[
                Cell(value=count, people=people) for count in report.week_totals + [report.total]
            ],
        )
    )
    section = Section(
        key="completions",
        title=_("Completions per team per week"),
        columns=columns,
        rows=rows,
        partition=True,
        row_heading=_("Team"),
    )
    return Report(
        title=_("Completions per team per week"),
        start=report.weeks[0],
        end=report.weeks[-1] + dt.timedelta(days=6),
        sections=[section],
        people=people,
        rollup_last_run=report.rollup_last_run,
    )
