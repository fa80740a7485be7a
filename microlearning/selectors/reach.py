"""Which published units reach a member, and which of them they completed.

The one place for both rules, for microlearning's own pages and for the apps
above it (analytics, nudges), which ask here instead of reading the tables.

A unit reaches a member when it is published and assigned to them, to their
team or to a team above it (a team assignment covers every team below).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

from django.db.models import Q, QuerySet

from organisations.models import Membership, Organisation
from organisations.selectors import team_ancestors, team_parents

from ..models import Assignment, Completion, Unit


def team_ancestor_ids(*, organisation: Organisation, team_id: int | None) -> set[int]:
    """The team and every team above it: a unit assigned higher up reaches this team too."""
    if team_id is None:
        return set()
    return set(team_ancestors(team_parents(organisation=organisation), team_id))


def member_team_line(*, membership: Membership) -> set[int]:
    """The member's team and every team above it, read once per membership object.

    The request's membership is asked by several parts of one page (the home's to-do
    list and "For you"): cached on it, the team tree is read once a request.
    """
    cached = getattr(membership, "_team_line", None)
    if cached is None or cached[0] != membership.team_id:
        cached = (
            membership.team_id,
            team_ancestor_ids(organisation=membership.organisation, team_id=membership.team_id),
        )
        membership._team_line = cached
    return set(cached[1])


def _published_assignments(*, organisation_id: int) -> QuerySet[Assignment]:
    return Assignment.objects.filter(
        organisation_id=organisation_id, unit__status=Unit.Status.PUBLISHED
    )


def assignments_reaching(
    *, membership: Membership, team_ids: Collection[int] | None = None
) -> QuerySet[Assignment]:
    """Assignments of published units to this member, their team or a team above it.

    ``team_ids`` is the member's team and those above it when the caller has read
    the tree already (``team_ancestor_ids``).
    """
    if team_ids is None:
        team_ids = member_team_line(membership=membership)
    return _published_assignments(organisation_id=membership.organisation_id).filter(
        Q(member=membership) | Q(team_id__in=team_ids)
    )


def units_reaching(
    *,
    organisation: Organisation,
    memberships: QuerySet[Membership] | Sequence[Membership],
    reached_by: dt.datetime | None = None,
) -> dict[int, dict[int, dt.datetime]]:
    """``{membership id: {unit id: when it reached them}}`` for many members at once.

    A unit reaches a member when it is assigned to them, or, through a team
    assignment, when it is assigned or they join, whichever is later: someone who
    joins a team gets the same days as everyone else. With ``reached_by`` only what
    reached them by then. Three queries at most (the members of a queryset, the
    team tree, the assignments), however many members, teams and units.
    """
    if isinstance(memberships, QuerySet):
        members = {
            member_id: (team_id, joined)
            for member_id, team_id, joined in memberships.values_list("id", "team_id", "created_at")
        }
        direct = Q(member_id__in=memberships.values("id"))
    else:
        members = {m.pk: (m.team_id, m.created_at) for m in memberships}
        direct = Q(member_id__in=list(members))
    if not members:
        return {}
    lines: dict[int, list[int]] = {}  # a team and the teams above it
    if any(team_id is not None for team_id, _joined in members.values()):
        parents = team_parents(organisation=organisation)
        for team_id, _joined in members.values():
            if team_id is not None and team_id not in lines:
                lines[team_id] = team_ancestors(parents, team_id)
    assignments = _published_assignments(organisation_id=organisation.pk).filter(
        direct | Q(team_id__in={above for line in lines.values() for above in line})
    )
    if reached_by is not None:
        assignments = assignments.filter(assigned_at__lte=reached_by)

    direct_units: dict[int, dict[int, dt.datetime]] = {}
    team_units: dict[int, dict[int, dt.datetime]] = {}
    for unit_id, team_id, member_id, assigned_at in assignments.values_list(
        "unit_id", "team_id", "member_id", "assigned_at"
    ):
        if team_id is None:
            into = direct_units.setdefault(member_id, {})
        else:
            into = team_units.setdefault(team_id, {})
        if unit_id not in into or assigned_at < into[unit_id]:
            into[unit_id] = assigned_at

    reached: dict[int, dict[int, dt.datetime]] = {}
    for member_id, (team_id, joined) in members.items():
        units = dict(direct_units.get(member_id, {}))
        for above in lines.get(team_id, ()):
            for unit_id, assigned_at in team_units.get(above, {}).items():
                at = max(assigned_at, joined)
                if unit_id not in units or at < units[unit_id]:
                    units[unit_id] = at
        if reached_by is not None:
            units = {unit_id: at for unit_id, at in units.items() if at <= reached_by}
        if units:
            reached[member_id] = units
    return reached


def assignment_targets(
    *, organisation: Organisation, assigned_by: dt.datetime
) -> tuple[set[int], set[int]]:
    """(team ids, member ids) that published units were assigned to by ``assigned_by``.

    One query on the (organisation, assigned_at) index: nothing assigned by then,
    nothing read of the members. A team's assignment reaches the teams below it too.
    """
    teams: set[int] = set()
    members: set[int] = set()
    for team_id, member_id in (
        _published_assignments(organisation_id=organisation.pk)
        .filter(assigned_at__lte=assigned_by)
        .order_by()
        .values_list("team_id", "member_id")
        .distinct()
    ):
        if team_id is not None:
            teams.add(team_id)
        else:
            members.add(member_id)
    return teams, members


def completions_of(*, membership: Membership) -> QuerySet[Completion]:
    """The member's completions: filter by unit for "did they complete this one"."""
    return Completion.objects.filter(organisation_id=membership.organisation_id, member=membership)


def completed_unit_ids(*, membership: Membership) -> QuerySet:
    """Ids of the units the member completed, lazily: use it as a subquery or a set."""
    return completions_of(membership=membership).values_list("unit_id", flat=True)


def has_completed(*, membership: Membership, unit_id: int) -> bool:
    return completed_unit_ids(membership=membership).filter(unit_id=unit_id).exists()


def units_completed(
    *,
    organisation: Organisation,
    unit_ids: Collection[int],
    membership_ids: Collection[int] | None = None,
) -> dict[int, set[int]]:
    """``{membership id: the unit ids (of unit_ids) they completed}``, in one query.

    Without ``membership_ids``, every member of the organisation.
    """
    completions = Completion.objects.filter(organisation=organisation, unit_id__in=unit_ids)
    if membership_ids is not None:
        completions = completions.filter(member_id__in=membership_ids)
    done: dict[int, set[int]] = {}
    for member_id, unit_id in completions.values_list("member_id", "unit_id"):
        done.setdefault(member_id, set()).add(unit_id)
    return done
