"""How seeding builds an organisation's teams, members and units: one shape for every seed.

The hand-written demo (``demo.py``) and the synthetic scale data (``synthetic.py``)
describe what they want as plans (``plans.py``) and hand them to these builders,
which decide what is written: which fields a row gets and which rows come with it
(a member's account and verified e-mail address; a unit's first version, text
block, skill and work process tags, search vector and vocabulary). The builders
only create. The demo passes what it does not have yet, so its rerun passes
nothing; the synthetic seed passes thousands of members at once. Either way a table
gets one ``bulk_create`` in batches (teams one per tree level), so size costs rows,
not statements. ``validate=True`` runs ``full_clean`` on each row first: the demo's
rows are written by hand, the synthetic ones are generated and would only pay for a
check per row."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from allauth.account.models import EmailAddress
from django.db import models

from microlearning.blocks import block_clean
from microlearning.models import Block, Unit, UnitVersion, UnitVersionSkill, UnitVersionWorkProcess
from microlearning.services.search import search_index_refresh
from organisations.models import Membership, Organisation, Skill, Team, User, WorkProcess
from organisations.services.catalogue import tag_choices_forget

from .plans import MemberPlan, TeamPlan, UnitPlan

# Rows per INSERT: fewer round trips, and well inside SQLite's limit on parameters.
BATCH_SIZE = 2_000

M = TypeVar("M", bound=models.Model)


@dataclass
class People:
    teams: dict[str, Team]  # by name, the known ones too
    members: dict[str, Membership]  # by e-mail, the known ones too


def _inserted(
    model: type[M], rows: list[M], *, validate: bool, tally: Counter[str] | None
) -> list[M]:
    if validate:
        for row in rows:
            row.full_clean()
    created = model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    if tally is not None:
        tally[model._meta.label] += len(created)
    return created


def tags_build(
    model: type[Skill] | type[WorkProcess],
    *,
    organisation: Organisation,
    rows: Sequence[tuple[str, str]],
    validate: bool = False,
    tally: Counter[str] | None = None,
) -> list[Skill] | list[WorkProcess]:
    """Skills or work processes, from (name, description) pairs."""
    tags = _inserted(
        model,
        [model(organisation=organisation, name=name, description=text) for name, text in rows],
        validate=validate,
        tally=tally,
    )
    tag_choices_forget(organisation_id=organisation.pk)  # bulk_create sends no signals
    return tags


def people_build(
    *,
    organisation: Organisation,
    teams: Sequence[TeamPlan],
    members: Sequence[MemberPlan],
    joined_at: dt.datetime,
    password_hash: str,
    known_teams: Mapping[str, Team] | None = None,
    known_users: Mapping[str, User] | None = None,
    known_members: Mapping[str, Membership] | None = None,
    validate: bool = False,
    tally: Counter[str] | None = None,
) -> People:
    """The team tree, then the members (with accounts), then the new teams' managers.

    A member whose e-mail is in ``known_users`` joins with that account (one person,
    several organisations); every other member gets a new account with
    ``password_hash`` and a verified primary address, so they sign in without a
    verification stop. Teams and managers may refer to known teams and members.
    """
    all_teams = dict(known_teams or {})
    new_teams = _teams(organisation, plans=teams, known=all_teams, validate=validate, tally=tally)
    users = dict(known_users or {})
    fresh = [plan for plan in members if plan.email not in users]
    created_users = _inserted(
        User,
        [
            # language stays empty: the organisation's language applies.
            User(
                email=plan.email,
                first_name=plan.first_name,
                last_name=plan.last_name,
                password=password_hash,
                date_joined=joined_at,
            )
            for plan in fresh
        ],
        validate=validate,
        tally=tally,
    )
    users.update((user.email, user) for user in created_users)
    joining = [users[plan.email] for plan in members]
    with_address = set()
    if known_users:  # new accounts have none yet; an older one may (or may not)
        with_address = set(
            EmailAddress.objects.filter(user__in=joining).values_list("user_id", flat=True)
        )
    _inserted(
        EmailAddress,
        [
            EmailAddress(user=user, email=user.email, verified=True, primary=True)
            for user in joining
            if user.pk not in with_address
        ],
        validate=False,  # allauth's model, made the way allauth makes a verified address
        tally=tally,
    )
    all_members = dict(known_members or {})
    created = _inserted(
        Membership,
        [
            Membership(
                organisation=organisation,
                user=users[plan.email],
                team=all_teams[plan.team] if plan.team else None,
                is_author=plan.is_author,
                is_hr=plan.is_hr,
                is_admin=plan.is_admin,
                created_at=joined_at,
            )
            for plan in members
        ],
        validate=validate,
        tally=tally,
    )
    all_members.update((plan.email, m) for plan, m in zip(members, created, strict=True))
    managed = []
    for plan in teams:
        if plan.manager:
            team = new_teams[plan.name]
            team.manager = all_members[plan.manager]
            managed.append(team)
    Team.objects.bulk_update(managed, ["manager"], batch_size=BATCH_SIZE)
    return People(teams=all_teams, members=all_members)


def _teams(
    organisation: Organisation,
    *,
    plans: Sequence[TeamPlan],
    known: dict[str, Team],
    validate: bool,
    tally: Counter[str] | None,
) -> dict[str, Team]:
    """Create the planned teams into ``known``, a level of the tree at a time (a child
    needs its parent's id); return the new ones by name."""
    new: dict[str, Team] = {}
    pending = list(plans)
    while pending:
        ready = [plan for plan in pending if plan.parent is None or plan.parent in known]
        if not ready:
            missing = sorted({plan.parent for plan in pending})
            raise ValueError(f"Teams refer to parents that are not planned: {missing}")
        rows = [
            Team(
                organisation=organisation,
                name=plan.name,
                parent=known[plan.parent] if plan.parent else None,
            )
            for plan in ready
        ]
        for team in _inserted(Team, rows, validate=validate, tally=tally):
            known[team.name] = new[team.name] = team
        pending = [plan for plan in pending if plan.name not in new]
    return new


def units_build(
    *,
    organisation: Organisation,
    plans: Sequence[UnitPlan],
    author: Membership | None,
    validate: bool = False,
    tally: Counter[str] | None = None,
) -> list[Unit]:
    """Units with a first version in the organisation's language, its text block, its quiz
    questions and tags; a published one is live and searchable, a draft is the author's draft.

    In plan order, so ids follow it. Tags name skills and work processes that exist.
    """
    units = _inserted(
        Unit,
        [
            Unit(
                organisation=organisation,
                title=plan.title,
                status=Unit.Status.PUBLISHED if plan.published else Unit.Status.DRAFT,
                author=author,
                created_at=plan.written_at,
                updated_at=plan.written_at,
                published_at=plan.written_at if plan.published else None,
            )
            for plan in plans
        ],
        validate=validate,
        tally=tally,
    )
    versions = _inserted(
        UnitVersion,
        [
            UnitVersion(
                organisation=organisation,
                unit=unit,
                number=1,
                title=unit.title,
                language=organisation.language,
                created_by=author,
                created_at=unit.created_at,
                published_at=unit.published_at,
            )
            for unit in units
        ],
        validate=validate,
        tally=tally,
    )
    _inserted(
        Block,
        [
            Block(
                organisation=organisation,
                version=version,
                position=1,
                kind=Block.Kind.TEXT,
                data={"markdown": plan.body},
            )
            for plan, version in zip(plans, versions, strict=True)
        ]
        + [
            Block(
                organisation=organisation,
                version=version,
                position=position,
                kind=Block.Kind.QUESTION,
                data=block_clean(kind=Block.Kind.QUESTION, data=data) if validate else data,
            )
            for plan, version in zip(plans, versions, strict=True)
            for position, data in enumerate(plan.questions, start=2)
        ],
        validate=validate,
        tally=tally,
    )
    skills = _ids(Skill, organisation, {name for plan in plans for name in plan.skills})
    processes = _ids(
        WorkProcess, organisation, {name for plan in plans for name in plan.work_processes}
    )
    _inserted(
        UnitVersionSkill,
        [
            UnitVersionSkill(organisation=organisation, version=version, skill_id=skills[name])
            for plan, version in zip(plans, versions, strict=True)
            for name in plan.skills
        ],
        validate=False,  # ids just looked up in this organisation
        tally=tally,
    )
    _inserted(
        UnitVersionWorkProcess,
        [
            UnitVersionWorkProcess(
                organisation=organisation, version=version, work_process_id=processes[name]
            )
            for plan, version in zip(plans, versions, strict=True)
            for name in plan.work_processes
        ],
        validate=False,
        tally=tally,
    )
    for unit, version in zip(units, versions, strict=True):
        if unit.status == Unit.Status.PUBLISHED:
            unit.live_version = version
        else:
            unit.draft_version = version
    Unit.objects.bulk_update(units, ["live_version", "draft_version"], batch_size=BATCH_SIZE)
    search_index_refresh(version_ids=[u.live_version_id for u in units if u.live_version_id])
    return units


def _ids(
    model: type[Skill] | type[WorkProcess], organisation: Organisation, names: set[str]
) -> dict[str, int]:
    if not names:
        return {}
    found = dict(
        model.objects.filter(organisation=organisation, name__in=names).values_list("name", "pk")
    )
    if missing := sorted(names - set(found)):
        raise ValueError(f"{model._meta.verbose_name_plural} not in {organisation}: {missing}")
    return found
