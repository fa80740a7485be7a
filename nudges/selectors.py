"""Reads for nudges: who is due a reminder, and the reminders a member sees in the app."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from microlearning.models import Assignment, Completion, Unit
from organisations.models import Membership, Organisation
from organisations.selectors import team_ancestors, team_parents

from .models import Nudge

INAPP_NOTIFICATIONS_LIMIT = 5


def finish_nudges_due(*, organisation: Organisation, cutoff: dt.datetime) -> set[tuple[int, int]]:
    """(member id, unit id) for every active member who should finish a unit by now.

    A unit counts when it is published and was assigned before ``cutoff``, to the
    member or to a team above them (a team assignment covers its sub-teams) that
    they joined before ``cutoff``.
    Members who completed it are left out. A fixed number of queries, however many
    units and teams there are.
    """
    assignments = Assignment.objects.filter(
        organisation=organisation, unit__status=Unit.Status.PUBLISHED, assigned_at__lte=cutoff
    ).values_list("unit_id", "team_id", "member_id", "member__is_active")
    wanted: set[tuple[int, int]] = set()
    units_by_root_team: dict[int, set[int]] = {}
    for unit_id, team_id, member_id, member_is_active in assignments:
        if member_id is not None:
            if member_is_active:
                wanted.add((member_id, unit_id))
        else:
            units_by_root_team.setdefault(team_id, set()).add(unit_id)
    if units_by_root_team:
        units_by_team = _spread_down_team_tree(organisation, units_by_root_team)
        # Someone who joined after the cutoff gets the same days as everyone else.
        members = Membership.objects.filter(
            organisation=organisation,
            is_active=True,
            team_id__in=units_by_team,
            created_at__lte=cutoff,
        ).values_list("id", "team_id")
        for member_id, team_id in members:
            wanted.update((member_id, unit_id) for unit_id in units_by_team[team_id])
    if not wanted:
        return wanted
    completed = Completion.objects.filter(
        organisation=organisation, unit_id__in={unit_id for _, unit_id in wanted}
    ).values_list("member_id", "unit_id")
    return wanted - set(completed)


def _spread_down_team_tree(
    organisation: Organisation, units_by_root_team: dict[int, set[int]]
) -> dict[int, set[int]]:
    """Every team under an assigned team inherits its units (the tree is read once)."""
    parents = team_parents(organisation=organisation)
    units_by_team: dict[int, set[int]] = {}
    # Up from each team rather than down from each assigned one: one pass over the
    # tree, however many teams have assignments.
    for team_id in parents:
        for above in team_ancestors(parents, team_id):
            if above in units_by_root_team:
                units_by_team.setdefault(team_id, set()).update(units_by_root_team[above])
    return units_by_team


def unit_still_assigned(*, member: Membership, unit_id: int) -> bool:
    """Whether the unit is still assigned to the member, directly or through their team."""
    team_ids: list[int] = []
    if member.team_id is not None:
        parents = team_parents(organisation=member.organisation)
        team_ids = team_ancestors(parents, member.team_id)
    return (
        Assignment.objects.filter(organisation_id=member.organisation_id, unit_id=unit_id)
        .filter(Q(member=member) | Q(team_id__in=team_ids))
        .exists()
    )


def _inapp_nudges(*, member: Membership) -> QuerySet[Nudge]:
    return Nudge.objects.filter(
        organisation_id=member.organisation_id,
        member=member,
        channel=Nudge.Channel.IN_APP,
        status=Nudge.Status.SENT,
    ).select_related("unit")


def inapp_nudges_unread(
    *, member: Membership, limit: int = INAPP_NOTIFICATIONS_LIMIT
) -> list[Nudge]:
    """The member's newest unread in-app nudges that still have a purpose, in one query.

    A unit completed since the nudge was sent needs no reminder any more, so it is
    left out here rather than cleaned up by the completion service.
    """
    completed = Completion.objects.filter(
        organisation_id=member.organisation_id, member=member, unit_id=OuterRef("unit_id")
    )
    return list(
        _inapp_nudges(member=member)
        .filter(read_at__isnull=True)
        .exclude(Exists(completed))
        .order_by("-sent_at", "-id")[:limit]
    )


def inapp_nudges_for_member(*, member: Membership) -> QuerySet[Nudge]:
    """All in-app nudges the member received, newest first, marked ``unit_completed``."""
    completed = Completion.objects.filter(
        organisation_id=member.organisation_id, member=member, unit_id=OuterRef("unit_id")
    )
    return (
        _inapp_nudges(member=member)
        .annotate(unit_completed=Exists(completed))
        .order_by("-sent_at", "-id")
    )
