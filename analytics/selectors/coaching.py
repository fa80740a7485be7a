"""Reads for the manager's coaching view: who needs a conversation now, member by member.

Everything comes from the selectors of the apps that own it (the steps waiting or
overdue from ``courses``, goals and check-ins from ``goals``, commitments from
``microlearning``) and from the rollup (``TeamDailyCount``: last activity, the
70:20:10 mix, the weekly trends), never from scanning the event log. Each read is
a fixed number of queries, whatever the number of members or weeks.

Where it reads the rollups: ``_member_activity`` (last activity from ``MemberState``, the
mix per member from the daily counts) and ``_weekly_trend``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from courses.selectors.attention import evidence_waiting, open_step_of, steps_overdue
from courses.selectors.coaching import MemberEnrolment, enrolments_of_members
from courses.selectors.learning import published_trajectories
from events.verbs import INACTIVE_DAYS, NOT_LEARNING, Category, FromObject, Verb
from goals.selectors.coaching import goals_of_members
from goals.selectors.ledger import target_mix, whole_percentages
from goals.selectors.nudges import check_ins_due
from microlearning.selectors.commitments import (
    APPLIED,
    OPEN,
    commitment_report_counts,
    commitments_of_member,
)
from microlearning.selectors.commitments import NOT_YET as REPORTED_NOT_YET
from organisations.models import Membership, Organisation, Team
from organisations.permissions import managed_team_ids
from organisations.selectors import team_descendants

from ..models import TeamDailyCount
from .dashboard import rollup_last_run
from .rollups import member_states

COACHING_PERIODS = (4, 12, 26)  # weeks
DEFAULT_COACHING_WEEKS = 12
# "Not yet" this many times (commitments standing at it) is a pattern worth a conversation.
NOT_YET_TIMES = 2

# Why a member needs a conversation, most pressing first (the order of the list).
SIGN_OFF = "sign_off"
OVERDUE = "overdue"
OFF_TRACK = "off_track"
CHECK_IN_DUE = "check_in_due"
NOT_YET = "not_yet"
INACTIVE = "inactive"
REASONS = (SIGN_OFF, OVERDUE, OFF_TRACK, CHECK_IN_DUE, NOT_YET, INACTIVE)

# The 70:20:10 mix counts learning activities that were finished: views and quiz answers
# are part of completing a unit (counted once, by its completion), not activities apart.
MIX_LEFT_OUT = (Verb.VIEWED, Verb.ANSWERED)


def verb_category(verb: str) -> Category | None:
    """A rolled-up verb's 70:20:10 category: the verb's own, or its default where the object
    decides (the rollup keeps verbs, not objects)."""
    try:
        category = Verb(verb).category
    except ValueError:
        return None
    return category.default if isinstance(category, FromObject) else category


@dataclass(frozen=True)
class Mix:
    counts: dict[Category, int]
    shares: dict[Category, int]  # whole percentages adding up to 100 (0 when empty)
    targets: dict[Category, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def segments(self) -> list[tuple[str, int, int]]:
        """(category, x, width) of each part on a bar 100 wide."""
        segments, x = [], 0
        for category in Category:
            if self.shares[category]:
                segments.append((category.value, x, self.shares[category]))
            x += self.shares[category]
        return segments

    @property
    def parts(self) -> list[tuple[Category, int, int, int]]:
        """(category, count, share %, target %) in 70:20:10 order."""
        return [
            (category, self.counts[category], self.shares[category], self.targets[category])
            for category in Category
        ]


def _mix(counts: dict[Category, int], targets: dict[Category, int]) -> Mix:
    return Mix(counts=counts, shares=whole_percentages(counts), targets=targets)


@dataclass(frozen=True)
class Need:
    """One reason to talk to a member, with what it is about and the one action that helps."""

    member: Membership
    reason: str
    subject: str  # the step, goal or number the reason is about
    since: dt.date | None = None
    submission_id: int | None = None  # SIGN_OFF: the round to approve in place
    progress_id: int | None = None  # OVERDUE, INACTIVE: the step to look at
    goal_id: int | None = None  # OFF_TRACK, CHECK_IN_DUE
    detail: str = ""  # OFF_TRACK: "late" or "low"
    more: int = 0  # OVERDUE: further overdue steps of the same member (one row per member)


@dataclass
class MemberCoaching:
    member: Membership
    goals: list = field(default_factory=list)
    enrolments: list[MemberEnrolment] = field(default_factory=list)
    commitments: dict[str, int] = field(default_factory=dict)  # status -> how many
    last_active: dt.date | None = None
    mix: Mix | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def applied(self) -> int:
        return self.commitments.get(APPLIED, 0)

    @property
    def reported(self) -> int:
        """Commitments the member reported on: applied, not yet or not relevant."""
        return sum(n for status, n in self.commitments.items() if status != OPEN)

    @property
    def application_rate(self) -> int | None:
        """Applied of reported, in whole %; None when nothing is reported yet."""
        return round(self.applied * 100 / self.reported) if self.reported else None

    @property
    def steps_overdue(self) -> int:
        return sum(enrolment.steps_overdue for enrolment in self.enrolments)

    @property
    def steps_done(self) -> int:
        return sum(enrolment.steps_done for enrolment in self.enrolments)

    @property
    def steps_total(self) -> int:
        return sum(len(enrolment.steps) for enrolment in self.enrolments)

    @property
    def goals_off_track(self) -> int:
        return sum(1 for goal in self.goals if getattr(goal, "off_track", ""))


@dataclass(frozen=True)
class Week:
    monday: dt.date
    active_members: int
    completions: int
    signed_off: int


@dataclass
class CoachingView:
    teams: list[Team]  # every team the manager sees (for the filter)
    team: Team | None  # the sub-team chosen, None for all
    trajectories: list  # published trajectories (for the filter)
    trajectory_id: int | None
    weeks: int
    today: dt.date
    members: list[MemberCoaching]
    needs: list[Need]
    trend: list[Week]
    rollup_last_run: dt.datetime | None

    @property
    def members_needing(self) -> int:
        return len({need.member.pk for need in self.needs})


class CoachingFilterError(ValueError):
    """A filter value the manager may not use (a team not theirs, a trajectory not found)."""


def coaching_team_ids(*, membership: Membership) -> set[int]:
    return managed_team_ids(membership)


def coaching_teams(*, membership: Membership) -> list[Team]:
    """The teams the manager coaches, sub-teams included, by name (for the filter)."""
    return _teams(membership=membership, team_ids=coaching_team_ids(membership=membership))


def _teams(*, membership: Membership, team_ids: set[int]) -> list[Team]:
    return list(
        Team.objects.filter(organisation_id=membership.organisation_id, pk__in=team_ids).order_by(
            "name"
        )
    )


def _members(*, membership: Membership, team_ids: Collection[int]) -> list[Membership]:
    """Active members of the teams, the manager left out (nobody coaches themself)."""
    return list(
        Membership.objects.filter(
            organisation_id=membership.organisation_id, team_id__in=list(team_ids), is_active=True
        )
        .exclude(pk=membership.pk)
        .select_related("user", "team")
        .order_by("user__first_name", "user__last_name", "user__email")
    )


def _member_activity(
    *, organisation: Organisation, member_ids: list[int], start: dt.date
) -> tuple[dict[int, dt.date], dict[int, dict[Category, int]]]:
    """Each member's last day of activity (ever, from their rolled-up state) and their
    learning activities per 70:20:10 category since ``start`` (from the daily rollup)."""
    last: dict[int, dt.date] = {}
    mix: dict[int, dict[Category, int]] = {}
    if not member_ids:
        return last, mix
    for member_id, state in member_states(organisation=organisation, members=member_ids).items():
        if state.last_activity_at is not None:
            last[member_id] = timezone.localtime(state.last_activity_at, organisation.zone).date()
    rows = (
        TeamDailyCount.objects.filter(
            organisation_id=organisation.pk, member_id__in=member_ids, day__gte=start
        )
        .exclude(verb__in=(*NOT_LEARNING, *MIX_LEFT_OUT))
        .order_by()
        .values("member_id", "verb", "detail")
        .annotate(total=Sum("count"))
        .values_list("member_id", "verb", "detail", "total")
    )
    for member_id, verb, detail, total in rows:
        # A completion's detail is its object's category (a unit of on-the-job learning
        # counts as experience); other verbs count where the verb does.
        category = Category(detail) if verb == Verb.COMPLETED and detail else verb_category(verb)
        counts = mix.setdefault(member_id, dict.fromkeys(Category, 0))
        if category is not None:
            counts[category] += total
    return last, mix


def _mondays(today: dt.date, weeks: int) -> list[dt.date]:
    this_monday = today - dt.timedelta(days=today.weekday())
    return [this_monday - dt.timedelta(weeks=n) for n in reversed(range(weeks))]


def _monday(week) -> dt.date:
    return week.date() if isinstance(week, dt.datetime) else week  # SQLite: a datetime


def _weekly_trend(
    *,
    organisation_id: int,
    member_ids: list[int],
    team_ids: Collection[int] | None,
    today: dt.date,
    weeks: int,
) -> list[Week]:
    """Per week (Monday to Sunday): members active, units completed, steps signed off. One
    query on the rollup; only what the members did while in ``team_ids`` counts (as on the
    team dashboard), so a newcomer's past in another team stays out."""
    mondays = _mondays(today, weeks)
    if not member_ids:
        return [Week(monday, 0, 0, 0) for monday in mondays]
    rows = TeamDailyCount.objects.filter(
        organisation_id=organisation_id,
        member_id__in=member_ids,
        day__gte=mondays[0],
        day__lte=today,
    )
    if team_ids is not None:
        rows = rows.filter(team_id__in=list(team_ids))
    # One scan: per week and member, what they completed, had signed off and whether they
    # learnt at all; the members active in a week are those with a learning row.
    counted: dict[dt.date, list[int]] = {}
    for week, completed, approved, learning in (
        rows.annotate(week=TruncWeek("day"))
        .order_by()
        .values("week", "member_id")
        .annotate(
            completed=Sum("count", filter=Q(verb=Verb.COMPLETED)),
            approved=Sum("count", filter=Q(verb=Verb.APPROVED)),
            learning=Count("pk", filter=~Q(verb__in=NOT_LEARNING)),
        )
        .values_list("week", "completed", "approved", "learning")
    ):
        figures = counted.setdefault(_monday(week), [0, 0, 0])
        figures[0] += 1 if learning else 0
        figures[1] += completed or 0
        figures[2] += approved or 0
    return [Week(monday, *counted.get(monday, (0, 0, 0))) for monday in mondays]


def _needs(
    *,
    membership: Membership,
    rows: dict[int, MemberCoaching],
    team_ids: set[int],
    now: dt.datetime,
    today: dt.date,
) -> list[Need]:
    """Who needs a conversation and why, from the owning apps' selectors and the rows."""
    organisation = membership.organisation
    needs: list[Need] = []
    member_ids = list(rows)

    def need(member_id: int, reason: str, **values) -> None:
        if member_id in rows:
            needs.append(Need(member=rows[member_id].member, reason=reason, **values))
            if reason not in rows[member_id].reasons:
                rows[member_id].reasons.append(reason)

    for item in evidence_waiting(
        organisation_id=organisation.pk,
        submitted_before=now,
        team_ids=team_ids,
        manager_sign_off_only=True,
    ):
        need(
            item.learner_id,
            SIGN_OFF,
            subject=item.step_title,
            since=_day(item.since, organisation),
            submission_id=item.submission_id,
            progress_id=item.progress_id,
        )
    overdue: dict[int, list] = {}
    for item in steps_overdue(organisation_id=organisation.pk, today=today, team_ids=team_ids):
        overdue.setdefault(item.learner_id, []).append(item)
    for learner_id, items in overdue.items():
        first = items[0]  # the longest overdue
        need(
            learner_id,
            OVERDUE,
            subject=first.step_title,
            since=_day(first.since, organisation),
            progress_id=first.progress_id,
            more=len(items) - 1,
        )
    for row in rows.values():
        for goal in row.goals:
            if goal.off_track:
                need(
                    row.member.pk,
                    OFF_TRACK,
                    subject=goal.title,
                    goal_id=goal.pk,
                    detail=goal.off_track,
                    since=goal.target_date,
                )
    due = check_ins_due(
        organisation=organisation,
        due_by=now,
        memberships=Membership.objects.filter(pk__in=member_ids),
    )
    titles = {goal.pk: goal.title for row in rows.values() for goal in row.goals}
    for member_id, goal_id, last in due:
        need(
            member_id,
            CHECK_IN_DUE,
            subject=titles.get(goal_id, ""),
            goal_id=goal_id,
            since=_day(last, organisation),
        )
    for row in rows.values():
        not_yet = row.commitments.get(REPORTED_NOT_YET, 0)
        if not_yet >= NOT_YET_TIMES:
            need(row.member.pk, NOT_YET, subject=str(not_yet))
    joined_before = now - dt.timedelta(days=INACTIVE_DAYS)
    quiet = [
        row
        for row in rows.values()
        if row.member.created_at <= joined_before
        and (row.last_active is None or (today - row.last_active).days >= INACTIVE_DAYS)
    ]
    open_steps = open_step_of(
        organisation_id=organisation.pk, learner_ids=[row.member.pk for row in quiet]
    )
    for row in quiet:
        need(
            row.member.pk,
            INACTIVE,
            subject="",
            since=row.last_active,
            progress_id=open_steps.get(row.member.pk),
        )
    order = {reason: i for i, reason in enumerate(REASONS)}
    names = {pk: i for i, pk in enumerate(rows)}
    return sorted(needs, key=lambda n: (order[n.reason], names[n.member.pk]))


def _day(moment, organisation) -> dt.date:
    if isinstance(moment, dt.datetime):
        return timezone.localtime(moment, organisation.zone).date()
    return moment


def _rows(
    *,
    membership: Membership,
    members: list[Membership],
    today: dt.date,
    weeks: int,
    trajectory_id: int | None,
) -> dict[int, MemberCoaching]:
    organisation_id = membership.organisation_id
    member_ids = [member.pk for member in members]
    goals = goals_of_members(organisation_id=organisation_id, member_ids=member_ids, today=today)
    enrolments = enrolments_of_members(
        organisation_id=organisation_id,
        member_ids=member_ids,
        today=today,
        trajectory_id=trajectory_id,
    )
    commitments = commitment_report_counts(organisation_id=organisation_id, member_ids=member_ids)
    start = _mondays(today, weeks)[0]
    last, mix = _member_activity(
        organisation=membership.organisation, member_ids=member_ids, start=start
    )
    targets = target_mix(membership.organisation)
    return {
        member.pk: MemberCoaching(
            member=member,
            goals=goals.get(member.pk, []),
            enrolments=enrolments.get(member.pk, []),
            commitments=commitments.get(member.pk, {}),
            last_active=last.get(member.pk),
            mix=_mix(mix.get(member.pk, dict.fromkeys(Category, 0)), targets),
        )
        for member in members
    }


def coaching_view(
    *,
    membership: Membership,
    now: dt.datetime,
    today: dt.date,
    weeks: int = DEFAULT_COACHING_WEEKS,
    team_id: int | None = None,
    trajectory_id: int | None = None,
) -> CoachingView:
    """The coaching view of a manager's teams (sub-teams included), or of one of them.

    ``team_id`` must be one of the manager's teams and ``trajectory_id`` a published
    trajectory of the organisation, else ``CoachingFilterError``. With a trajectory,
    only members enrolled in it are shown, with that trajectory only.
    """
    managed = coaching_team_ids(membership=membership)
    teams = _teams(membership=membership, team_ids=managed)
    team = None
    team_ids = managed
    if team_id is not None:
        team = next((t for t in teams if t.pk == team_id), None)
        if team is None:
            raise CoachingFilterError("team")
        team_ids = team_descendants({t.pk: t.parent_id for t in teams}, [team_id]) & managed
    trajectories = list(
        published_trajectories(organisation=membership.organisation).order_by("title")
    )
    if trajectory_id is not None and trajectory_id not in {t.pk for t in trajectories}:
        raise CoachingFilterError("trajectory")
    members = _members(membership=membership, team_ids=team_ids)
    rows = _rows(
        membership=membership,
        members=members,
        today=today,
        weeks=weeks,
        trajectory_id=trajectory_id,
    )
    if trajectory_id is not None:
        rows = {pk: row for pk, row in rows.items() if row.enrolments}
    needs = _needs(membership=membership, rows=rows, team_ids=team_ids, now=now, today=today)
    return CoachingView(
        teams=teams,
        team=team,
        trajectories=trajectories,
        trajectory_id=trajectory_id,
        weeks=weeks,
        today=today,
        members=list(rows.values()),
        needs=needs,
        trend=_weekly_trend(
            organisation_id=membership.organisation_id,
            member_ids=list(rows),
            team_ids=team_ids,
            today=today,
            weeks=weeks,
        ),
        rollup_last_run=rollup_last_run(organisation=membership.organisation),
    )


@dataclass
class MemberPage:
    row: MemberCoaching
    needs: list[Need]
    commitments: list  # the member's latest commitments (microlearning)
    trend: list[Week]
    weeks: int
    rollup_last_run: dt.datetime | None


def coaching_member(
    *,
    membership: Membership,
    member_id: int,
    now: dt.datetime,
    today: dt.date,
    weeks: int = DEFAULT_COACHING_WEEKS,
) -> MemberPage | None:
    """One member of the manager's teams (None for anybody else): goals, steps,
    commitments, the mix and their weekly activity. Reflections are not read at all."""
    managed = coaching_team_ids(membership=membership)
    member = (
        Membership.objects.filter(
            organisation_id=membership.organisation_id,
            pk=member_id,
            team_id__in=list(managed),
            is_active=True,
        )
        .exclude(pk=membership.pk)
        .select_related("user", "team")
        .first()
    )
    if member is None:
        return None
    rows = _rows(
        membership=membership, members=[member], today=today, weeks=weeks, trajectory_id=None
    )
    needs = _needs(membership=membership, rows=rows, team_ids=managed, now=now, today=today)
    return MemberPage(
        row=rows[member.pk],
        needs=needs,
        commitments=commitments_of_member(
            organisation_id=membership.organisation_id, member_id=member.pk
        ),
        trend=_weekly_trend(
            organisation_id=membership.organisation_id,
            member_ids=[member.pk],
            team_ids=None,
            today=today,
            weeks=weeks,
        ),
        weeks=weeks,
        rollup_last_run=rollup_last_run(organisation=membership.organisation),
    )
