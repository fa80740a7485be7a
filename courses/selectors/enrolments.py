"""Reads for the enrolment overview: L&D sees every enrolment, managers their teams' (sub-teams)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from organisations.models import Membership, Organisation, Team
from organisations.permissions import Action, can, managed_team_ids
from organisations.selectors import team_ancestors, team_parents, team_subtree_ids

from ..models import Enrolment, StepProgress


def _progress_count(**filters) -> Coalesce:
    counted = (
        StepProgress.objects.filter(enrolment=OuterRef("pk"), **filters)
        .order_by()
        .values("enrolment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def visible_enrolments(*, membership: Membership) -> QuerySet[Enrolment]:
    """The enrolments ``membership`` may follow in the overview."""
    enrolments = Enrolment.objects.filter(organisation_id=membership.organisation_id)
    if can(membership, Action.AUTHOR_TRAJECTORIES):
        return enrolments
    return enrolments.filter(membership__team_id__in=managed_team_ids(membership))


def enrolment_overview(
    *,
    membership: Membership,
    today: dt.date,
    team_id: int | None = None,
    status: str | None = None,
    overdue: bool = False,
    trajectory_id: int | None = None,
) -> QuerySet[Enrolment]:
    """Filtered enrolments with learner, trajectory, buddy and step counts: one query a page."""
    enrolments = visible_enrolments(membership=membership)
    if team_id:
        enrolments = enrolments.filter(
            membership__team_id__in=team_subtree_ids(
                organisation=membership.organisation, root_ids=[team_id]
            )
        )
    if status:
        enrolments = enrolments.filter(status=status)
    if overdue:
        enrolments = enrolments.filter(status__in=Enrolment.OPEN, due_on__lt=today)
    if trajectory_id:
        enrolments = enrolments.filter(trajectory_id=trajectory_id)
    return (
        enrolments.select_related(
            "membership__user", "membership__team", "trajectory", "version", "buddy__user"
        )
        .annotate(
            step_count=_progress_count(),
            done_count=_progress_count(status=StepProgress.Status.DONE),
        )
        .order_by("due_on", "membership__user__first_name", "id")
    )


def buddy_candidates(*, membership: Membership, enrolment: Enrolment) -> QuerySet[Membership]:
    """Whom ``membership`` is offered as the buddy of ``enrolment``; never the learner.

    L&D: every active member. A manager: the members of the teams they lead (sub-teams
    included), themselves, and the buddy the enrolment has now.
    """
    members = (
        Membership.objects.filter(organisation_id=enrolment.organisation_id, is_active=True)
        .exclude(pk=enrolment.membership_id)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__email")
    )
    if can(membership, Action.AUTHOR_TRAJECTORIES):
        return members
    mine = Q(team_id__in=managed_team_ids(membership)) | Q(pk=membership.pk)
    if enrolment.buddy_id:
        mine |= Q(pk=enrolment.buddy_id)
    return members.filter(mine)


def buddy_namer(*, organisation: Organisation, learner: Membership) -> Membership | None:
    """Whom a learner asks for a buddy: the nearest active manager above them, not themselves."""
    line = team_ancestors(team_parents(organisation=organisation), learner.team_id)
    if not line:
        return None
    managers = {
        team.pk: team.manager
        for team in Team.objects.filter(
            organisation=organisation, id__in=line, manager__is_active=True
        )
        .exclude(manager_id=learner.pk)
        .select_related("manager__user")
    }
    return next((managers[team_id] for team_id in line if team_id in managers), None)
