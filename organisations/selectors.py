"""Reads about organisations, members and teams."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet
from django_scopes import scopes_disabled

from .models import ApiToken, Invitation, Membership, Organisation, Skill, Team, User, WorkProcess


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


def membership_for_request(*, organisation: Organisation, user: User) -> Membership | None:
    """The signed-in person's active membership, with what every page's header asks of it.

    One query per request: whether they manage a team (the "My team" link) and how many
    organisations they belong to (the switcher, read only when there is more than one)
    come along as annotations. Call inside the organisation's scope; the count crosses
    organisations through the ``member_self`` policy, as ``memberships_for_user`` does.

    Every page pays this, so it is written out once instead of built by the ORM per
    request (that cost more than the query): the user is the request's own (already read
    for the session), not joined again; (organisation, user) is unique, so no ORDER BY.
    """
    found = list(Membership.objects.raw(_MEMBERSHIP_FOR_REQUEST, [organisation.pk, user.pk]))
    if not found:
        return None
    membership = found[0]
    membership.user = user
    membership.organisation = organisation
    # The team comes along in the same row (ids and a name: no conversion to apply).
    # Cached as select_related would: no team (or none visible) reads as None.
    team_values = [getattr(membership, f"team__{name}") for name in _TEAM_FIELDS]
    Membership.team.field.set_cached_value(
        membership,
        Team.from_db(membership._state.db, _TEAM_FIELDS, team_values)
        if team_values[_TEAM_FIELDS.index("id")] is not None
        else None,
    )
    membership.manages_teams = bool(membership.manages_teams)  # 0 or 1 on SQLite
    membership._is_manager = membership.manages_teams
    return membership


_TEAM_FIELDS = [field.attname for field in Team._meta.concrete_fields]
# Only table and column names are interpolated; the organisation and user are parameters.
# The team is joined on the membership's organisation, the condition the scoped Team
# manager adds; RLS applies to every table here as to any query.
_MEMBERSHIP_FOR_REQUEST = f"""
    SELECT m.*,
           {", ".join(f't."{field.column}" AS "team__{field.attname}"' for field in Team._meta.concrete_fields)},
           EXISTS (SELECT 1 FROM {Team._meta.db_table} AS managed
                   WHERE managed.organisation_id = m.organisation_id AND managed.manager_id = m.id)
             AS manages_teams,
           (SELECT count(*) FROM {Membership._meta.db_table} AS a
            WHERE a.user_id = m.user_id AND a.is_active) AS active_memberships
    FROM {Membership._meta.db_table} AS m
    LEFT JOIN {Team._meta.db_table} AS t
      ON t.id = m.team_id AND t.organisation_id = m.organisation_id
    WHERE m.organisation_id = %s AND m.user_id = %s AND m.is_active
"""  # noqa: S608, E501


def team_parents(*, organisation: Organisation) -> dict[int, int | None]:
    """The organisation's tree of teams as ``{team id: parent id}``, read in one query.

    Walk it with ``team_descendants`` and ``team_ancestors``, so a page or a planner
    that follows the tree for many teams still reads it once.
    """
    return dict(Team.objects.filter(organisation=organisation).values_list("id", "parent_id"))


def team_descendants(parents: Mapping[int, int | None], roots: Iterable[int]) -> set[int]:
    """The given teams and every team below them."""
    children: dict[int | None, list[int]] = {}
    for team_id, parent_id in parents.items():
        children.setdefault(parent_id, []).append(team_id)
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        team_id = stack.pop()
        if team_id in seen:  # a corrupt tree with a cycle must not hang the walk
            continue
        seen.add(team_id)
        stack.extend(children.get(team_id, []))
    return seen


def team_ancestors(parents: Mapping[int, int | None], team_id: int | None) -> list[int]:
    """The team and every team above it, nearest first; empty for no team."""
    line: list[int] = []
    while team_id is not None and team_id not in line:  # a cycle ends the walk
        line.append(team_id)
        team_id = parents.get(team_id)
    return line


def team_subtree_ids(*, organisation: Organisation, root_ids: list[int]) -> set[int]:
    """The given teams and every team below them (teams form a tree per organisation)."""
    return team_descendants(team_parents(organisation=organisation), root_ids)


def team_managers(*, organisation: Organisation) -> dict[int, list[int]]:
    """For every team, who manages it: its own manager, then those of the teams above.

    Nearest first, each once; a team nobody above manages maps to an empty list.
    One query, so a planner that asks for every team of a big tree reads it once.
    """
    rows = list(
        Team.objects.filter(organisation=organisation).values_list("id", "parent_id", "manager_id")
    )
    parents = {team_id: parent_id for team_id, parent_id, _ in rows}
    manager_of = {team_id: manager_id for team_id, _, manager_id in rows if manager_id}
    managers: dict[int, list[int]] = {}
    for team_id in parents:
        line = [manager_of[t] for t in team_ancestors(parents, team_id) if t in manager_of]
        managers[team_id] = list(dict.fromkeys(line))
    return managers


def managed_team_id_set(*, membership: Membership) -> set[int]:
    """Ids of the teams this member manages, directly or through a team above: one query.

    The organisation's tree comes with each team's manager, so the teams managed
    directly and those below them are found in Python, instead of asking for the
    direct teams, then the tree, then the teams again.
    """
    parents: dict[int, int | None] = {}
    direct = []
    for team_id, parent_id, manager_id in (
        Team.objects.filter(organisation_id=membership.organisation_id)
        .order_by()
        .values_list("id", "parent_id", "manager_id")
    ):
        parents[team_id] = parent_id
        if manager_id == membership.pk:
            direct.append(team_id)
    return team_descendants(parents, direct) if direct else set()


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


def member_search(*, organisation: Organisation, query: str = "") -> QuerySet[Membership]:
    """Members for the admin list: active first, narrowed by words found in name or e-mail."""
    members = organisation_members(organisation=organisation)
    for word in query.split():
        members = members.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
        )
    return members


def active_members(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation, is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__email")
    )


def pending_invitations(*, organisation: Organisation) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(organisation=organisation, accepted_at__isnull=True)
        .select_related("team", "invited_by__user")
        .order_by("-created_at")
    )


def invitation_for_link(*, organisation_id: int, invitation_id: int) -> Invitation | None:
    """The invitation a verified link names; call inside ``organisation_scope``."""
    return (
        Invitation.objects.filter(organisation_id=organisation_id, pk=invitation_id)
        .select_related("organisation", "team")
        .first()
    )


@dataclass
class TeamNode:
    team: Team
    member_count: int
    children: list[TeamNode] = field(default_factory=list)


def team_tree(*, organisation: Organisation) -> list[TeamNode]:
    """Root teams with their sub-teams below them, alphabetical at every level; one query."""
    teams = (
        Team.objects.filter(organisation=organisation)
        .select_related("manager__user")
        .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
        .order_by("name")
    )
    nodes = {team.pk: TeamNode(team=team, member_count=team.member_count) for team in teams}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.team.parent_id)
        (parent.children if parent is not None else roots).append(node)
    return roots


def organisation_teams(*, organisation: Organisation) -> QuerySet[Team]:
    return Team.objects.filter(organisation=organisation).order_by("name")


def organisation_skills(*, organisation: Organisation) -> QuerySet[Skill]:
    return Skill.objects.filter(organisation=organisation).order_by("name")


def organisation_work_processes(*, organisation: Organisation) -> QuerySet[WorkProcess]:
    return WorkProcess.objects.filter(organisation=organisation).order_by("name")


# --- Skill and work process choices, cached per organisation ----------------------------
#
# Every catalogue page offers them as filters; they change rarely, so they are read from
# the cache. A write to either list (any path: services, admin, cascades; see
# ``organisations.signals``) gives the organisation a new stamp, and a cached entry counts
# only under the stamp it was read with: an entry written by a reader that raced a write
# is never used. The stamp and the entry come in one round trip.

TAG_CHOICES_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class TagChoice:
    pk: int
    name: str


@dataclass(frozen=True)
class TagChoices:
    skills: tuple[TagChoice, ...]
    work_processes: tuple[TagChoice, ...]


def tag_choices_stamp_key(organisation_id: int) -> str:
    return f"org-{organisation_id}:tag-choices-stamp"


def _tag_choices_key(organisation_id: int) -> str:
    return f"org-{organisation_id}:tag-choices"


def tag_choices(*, organisation_id: int) -> TagChoices:
    """The organisation's skills and work processes by name, as (id, name) pairs."""
    stamp_key, key = tag_choices_stamp_key(organisation_id), _tag_choices_key(organisation_id)
    found = cache.get_many([stamp_key, key])
    stamp = found.get(stamp_key)
    entry = found.get(key)
    if stamp is not None and entry is not None and entry[0] == stamp:
        skills, processes = entry[1], entry[2]
    else:
        if stamp is None:
            stamp = tag_choices_new_stamp()
            if not cache.add(stamp_key, stamp, TAG_CHOICES_SECONDS):
                stamp = cache.get(stamp_key)  # another reader (or a write) set one just now
        skills = tuple(
            Skill.objects.filter(organisation_id=organisation_id)
            .order_by("name")
            .values_list("pk", "name")
        )
        processes = tuple(
            WorkProcess.objects.filter(organisation_id=organisation_id)
            .order_by("name")
            .values_list("pk", "name")
        )
        if stamp is not None:
            cache.set(key, (stamp, skills, processes), TAG_CHOICES_SECONDS)
    return TagChoices(
        skills=tuple(TagChoice(pk, name) for pk, name in skills),
        work_processes=tuple(TagChoice(pk, name) for pk, name in processes),
    )


def tag_choices_new_stamp() -> str:
    return uuid.uuid4().hex


def own_api_tokens(*, membership: Membership) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(membership=membership).order_by(
        F("revoked_at").asc(nulls_first=True), "-created_at"
    )
