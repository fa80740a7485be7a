"""Reads about organisations, members and teams."""

from __future__ import annotations

from django.db.models import QuerySet
from django_scopes import scopes_disabled

from .models import Membership, Organisation, Team, User


def memberships_for_user(*, user: User) -> list[Membership]:
    """Every active organisation this person belongs to, for the switcher.

    Crosses organisations on purpose: scoping is lifted for this one query, and on
    PostgreSQL the ``member_self`` policy lets a person read only their own rows.
    """
    with scopes_disabled():
        return list(
            Membership.objects.filter(user=user, is_active=True)
            .select_related("organisation")
            .order_by("organisation__name")
        )


def team_subtree_ids(*, organisation: Organisation, root_ids: list[int]) -> set[int]:
    """The given teams and every team below them (teams form a tree per organisation)."""
    children: dict[int | None, list[int]] = {}
    for team_id, parent_id in Team.objects.filter(organisation=organisation).values_list(
        "id", "parent_id"
    ):
        children.setdefault(parent_id, []).append(team_id)
    seen: set[int] = set()
    stack = list(root_ids)
    while stack:
        team_id = stack.pop()
        if team_id in seen:
            continue
        seen.add(team_id)
        stack.extend(children.get(team_id, []))
    return seen


def teams_managed_by(*, membership: Membership) -> QuerySet[Team]:
    """Teams this member manages, directly or through a team above."""
    direct = list(Team.objects.filter(manager=membership).values_list("id", flat=True))
    if not direct:
        return Team.objects.none()
    ids = team_subtree_ids(organisation=membership.organisation, root_ids=direct)
    return Team.objects.filter(id__in=ids).order_by("name")


def members_of_teams(*, team_ids: set[int] | list[int]) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(team_id__in=team_ids, is_active=True)
        .select_related("user", "team")
        .order_by("user__first_name", "user__email")
    )


def organisation_members(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user", "team")
        .order_by("-is_active", "user__first_name", "user__email")
    )
