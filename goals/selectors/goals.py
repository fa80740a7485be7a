"""Reads about goals: a learner's list, one goal's page, a manager's team goals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, When
from django.utils import timezone

from organisations.models import Membership, Organisation
from organisations.permissions import managed_team_ids

from ..models import (
    DEFAULT_LEVELS,
    CheckIn,
    Goal,
    GoalComment,
    GoalTemplate,
    PlanActivity,
    ProficiencyLevel,
)

# A goal that is agreed is followed up every two weeks.
CHECK_IN_EVERY_DAYS = 14


def _with_counts(goals: QuerySet[Goal]) -> QuerySet[Goal]:
    """Plan progress and the latest check-in, as annotations: no query per goal."""
    return goals.annotate(
        activity_count=Count("activities", distinct=True),
        activities_done=Count(
            "activities", filter=Q(activities__status=PlanActivity.Status.DONE), distinct=True
        ),
        last_check_in_at=Max("check_ins__created_at"),
    )


def _counted(goals: list[Goal], *, organisation_id: int) -> list[Goal]:
    """``_with_counts`` for goals already read, plus ``unanswered_check_ins``: two narrow
    queries (none without goals) instead of a GROUP BY over the goals' joined tables."""
    if not goals:
        return goals
    ids = [goal.pk for goal in goals]
    activities = {
        row["goal_id"]: row
        for row in PlanActivity.objects.filter(organisation_id=organisation_id, goal_id__in=ids)
        .order_by()
        .values("goal_id")
        .annotate(count=Count("id"), done=Count("id", filter=Q(status=PlanActivity.Status.DONE)))
    }
    check_ins = {
        row["goal_id"]: row
        for row in CheckIn.objects.filter(organisation_id=organisation_id, goal_id__in=ids)
        .order_by()
        .values("goal_id")
        .annotate(
            last=Max("created_at"), unanswered=Count("id", filter=Q(answered_at__isnull=True))
        )
    }
    for goal in goals:
        counted = activities.get(goal.pk, {})
        goal.activity_count = counted.get("count", 0)
        goal.activities_done = counted.get("done", 0)
        asked = check_ins.get(goal.pk, {})
        goal.last_check_in_at = asked.get("last")
        goal.unanswered_check_ins = asked.get("unanswered", 0)
    return goals


def _first_when(condition: Q) -> Case:
    """0 for rows that meet ``condition``, 1 for the others: an ordering that puts them first."""
    return Case(When(condition, then=0), default=1, output_field=IntegerField())


def next_check_in_on(goal: Goal) -> dt.date | None:
    """When the next check-in is due: two weeks after the last (or after agreeing)."""
    if goal.status != Goal.Status.AGREED:
        return None
    last = getattr(goal, "last_check_in_at", None) or goal.agreed_at
    if last is None:
        return None
    return timezone.localdate(last) + dt.timedelta(days=CHECK_IN_EVERY_DAYS)


def goals_of(*, membership: Membership) -> QuerySet[Goal]:
    """The member's goals, open ones first, soonest target first."""
    return _with_counts(
        Goal.objects.filter(organisation_id=membership.organisation_id, member=membership)
        .select_related("skill")
        .annotate(closed_last=_first_when(~Q(status=Goal.Status.CLOSED)))
        .order_by("closed_last", "target_date", "pk")
    )


def open_goals_of(*, membership: Membership) -> list[Goal]:
    """Open goals for "My learning": drafts, proposals and agreed goals with the next check-in.

    Read plainly and counted apart (``_counted``): the home asks every member, and most
    have few goals or none, for whom the grouped query cost more to plan than to run.
    """
    goals = (
        Goal.objects.filter(organisation_id=membership.organisation_id, member=membership)
        .exclude(status=Goal.Status.CLOSED)
        .select_related("skill")
        .order_by("target_date", "pk")
    )
    return _counted(list(goals), organisation_id=membership.organisation_id)


def goal_for(*, organisation: Organisation, goal_id: int) -> Goal | None:
    goal = (
        Goal.objects.filter(organisation=organisation, pk=goal_id)
        .select_related("member__user", "member__team", "skill", "agreed_by__user", "template")
        .first()
    )
    if goal is not None:  # the caller's organisation object: no query to read it again
        goal.organisation = goal.member.organisation = organisation
    return goal


@dataclass
class GoalPage:
    goal: Goal
    activities: list[PlanActivity]
    check_ins: list[CheckIn]
    comments: list[GoalComment]
    levels: dict[int, tuple[str, str]]
    next_check_in: dt.date | None = None
    by_category: dict[str, list[PlanActivity]] = field(default_factory=dict)

    @property
    def current_level(self) -> tuple[str, str]:
        return self.levels.get(self.goal.current_level, ("", ""))

    @property
    def target_level(self) -> tuple[str, str]:
        return self.levels.get(self.goal.target_level, ("", ""))

    @property
    def plan(self) -> list[tuple[str, str, list[PlanActivity]]]:
        """(category, its label, activities) in 70:20:10 order, empty categories included."""
        from events.verbs import Category

        return [
            (category.value, category.label, self.by_category.get(category.value, []))
            for category in Category
        ]


def goal_page(*, goal: Goal) -> GoalPage:
    """Everything the goal page shows, in a fixed number of queries."""
    activities = list(goal.activities.select_related("unit", "step").order_by("position", "pk"))
    check_ins = list(goal.check_ins.select_related("manager__user").order_by("created_at", "pk"))
    comments = list(goal.comments.select_related("author__user").order_by("created_at", "pk"))
    goal.last_check_in_at = check_ins[-1].created_at if check_ins else None
    by_category: dict[str, list[PlanActivity]] = {}
    for activity in activities:
        by_category.setdefault(activity.category, []).append(activity)
    return GoalPage(
        goal=goal,
        activities=activities,
        check_ins=check_ins,
        comments=comments,
        levels=proficiency_levels(organisation=goal.member.organisation),
        next_check_in=next_check_in_on(goal),
        by_category=by_category,
    )


def proficiency_levels(*, organisation: Organisation) -> dict[int, tuple[str, str]]:
    """``{level: (name, description)}`` for 1-5: the organisation's own, else the defaults."""
    levels = {level: (str(name), str(text)) for level, (name, text) in DEFAULT_LEVELS.items()}
    for row in ProficiencyLevel.objects.filter(organisation=organisation):
        levels[row.level] = (row.name, row.description)
    return levels


def _team_goals(membership: Membership, team_ids: set[int]) -> QuerySet[Goal]:
    return (
        Goal.objects.filter(
            organisation_id=membership.organisation_id,
            member__team_id__in=team_ids,
            member__is_active=True,
            status__in=[Goal.Status.PROPOSED, Goal.Status.AGREED],
        )
        .exclude(member=membership)
        .annotate(proposed_first=_first_when(Q(status=Goal.Status.PROPOSED)))
        .order_by("proposed_first", "target_date", "pk")
    )


def team_goal_statuses(*, membership: Membership) -> list[tuple[int, str]]:
    """(id, status) of ``team_goals``, in its order: a page picks the goals it shows."""
    team_ids = managed_team_ids(membership)
    if not team_ids:
        return []
    return list(_team_goals(membership, team_ids).values_list("pk", "status"))


def team_goals(*, membership: Membership, goal_ids: list[int] | None = None) -> list[Goal]:
    """Open goals of the members of every team this member manages (sub-teams included).

    Proposals first (they wait for the manager), then agreed goals by target date;
    ``goal_ids``: only those of them. Three queries: the goals with their learner
    and skill, then plan activities and check-ins counted per goal. Counting in the
    goals' own query grouped by every column of the five tables it joins, which cost
    more to plan and to run (under row-level security) than the narrow counts.
    """
    team_ids = managed_team_ids(membership)
    if not team_ids or goal_ids == []:
        return []
    goals = _team_goals(membership, team_ids)
    if goal_ids is not None:
        goals = goals.filter(pk__in=goal_ids)
    goals = list(
        goals.select_related("member__user", "member__team", "skill").annotate(
            last_comment=Subquery(
                GoalComment.objects.filter(goal=OuterRef("pk"))
                .exclude(text="")
                .order_by("-created_at", "-pk")
                .values("text")[:1]
            ),
        )
    )
    return _counted(goals, organisation_id=membership.organisation_id)


def goal_templates(*, organisation: Organisation, active_only: bool = False) -> QuerySet:
    templates = GoalTemplate.objects.filter(organisation=organisation).select_related("skill")
    if active_only:
        templates = templates.filter(is_active=True)
    return templates.order_by("skill__name", "title")


def goal_template_for(*, organisation: Organisation, template_id: int) -> GoalTemplate | None:
    return goal_templates(organisation=organisation).filter(pk=template_id).first()
