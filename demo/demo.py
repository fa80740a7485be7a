"""The demo: two organisations with people, teams, units and weeks of history.

Rows are written directly, like a data import, rather than through the services:
the demo is history as of the past (assignments weeks old, completions spread
over working days), and services always stamp "now". Teams, members, skills, work
processes and units are made by ``build.py``, as the synthetic seed's are. Each row
is validated with ``full_clean`` and found again by its natural key (organisation
slug, e-mail, team/skill/unit name), so a second run creates nothing and changes
nothing. The history of an assignment is written once, in the run that creates the
assignment; the rollup then folds it in, and a rerun finds no new events.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone

from analytics.services import organisation_rollup
from events.models import LearningEvent
from events.verbs import event_category
from lrs.mirror import events_mirror
from microlearning.models import (
    Assignment,
    Block,
    Completion,
    QuestionAnswer,
    ReviewCard,
    Unit,
)
from microlearning.services.repetition import review_card_start
from organisations.models import Membership, Organisation, Skill, Team, User, WorkProcess
from organisations.selectors import team_subtree_ids
from organisations.tenancy import organisation_scope

from .build import People, people_build, tags_build, units_build
from .coaching import coaching_seed
from .courses import courses_seed
from .demo_content import (
    DEMO_ORGANISATIONS,
    DEMO_PASSWORD,
    UNIT_TAGS,
    DemoOrganisation,
)
from .goals import goals_seed
from .lrs import DEMO_LRS_SLUG, lrs_demo_seed
from .nudges import nudges_seed
from .plans import UnitPlan

PERSONA_LABELS = {
    "employee": "employee",
    "manager": "manager",
    "author": "L&D author",
    "hr": "HR analyst",
    "admin": "organisation admin",
}
MEMBER_SINCE_DAYS = 90
# A learner who opens an assigned unit but does not finish it, this often.
ABANDONED_VIEW_CHANCE = 0.4
# Learners finish an assigned unit within this many days, or not at all.
COMPLETION_WINDOW_DAYS = 21


@dataclass(frozen=True)
class DemoLogin:
    persona: str
    email: str
    organisations: tuple[str, ...]


@dataclass
class DemoResult:
    logins: list[DemoLogin] = field(default_factory=list)
    created: Counter[str] = field(default_factory=Counter)


def demo_seed(*, now: dt.datetime | None = None, log: Callable[[str], None] = print) -> DemoResult:
    """Load the demo organisations; a second run finds every row and creates none."""
    now = now or timezone.now()
    result = DemoResult()
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow on purpose
    for plan in DEMO_ORGANISATIONS:
        with transaction.atomic():
            _organisation_seed(plan=plan, now=now, password_hash=password_hash, result=result)
        # After the commit: the nudges are about the committed demo, and e-mail cannot be
        # taken back by a rollback.
        organisation = Organisation.objects.get(slug=plan.slug)
        sent = nudges_seed(organisation=organisation, now=now)
        # The rollup last, so it counts the nudges' events too. Every event of the seed is
        # committed by now, so nothing is in flight: no need to let the newest ones settle.
        with organisation_scope(organisation.pk):
            # Settled at once: the seed wrote every event, and its writes committed.
            while organisation_rollup(organisation=organisation, settle=dt.timedelta(0)):
                pass
            # Its events as xAPI statements too (for an organisation with an LRS client).
            while events_mirror(organisation=organisation, settle=dt.timedelta(0)):
                pass
        log(f"{plan.name}: ready ({sent.get('sent', 0)} nudges sent)")
    result.logins = _logins()
    return result


def _organisation_seed(
    *, plan: DemoOrganisation, now: dt.datetime, password_hash: str, result: DemoResult
) -> None:
    organisation = Organisation.objects.filter(slug=plan.slug).first()
    if organisation is None:
        organisation = _created(
            result,
            Organisation(
                slug=plan.slug,
                name=plan.name,
                language=plan.language,
                time_zone=plan.time_zone,
                nudge_after_days=plan.nudge_after_days,
                created_at=now - dt.timedelta(days=MEMBER_SINCE_DAYS),
            ),
        )
    with organisation_scope(organisation.pk):
        people = _people(
            organisation=organisation,
            plan=plan,
            now=now,
            password_hash=password_hash,
            result=result,
        )
        teams, members = people.teams, people.members
        _tags(Skill, organisation=organisation, rows=plan.skills, result=result)
        _tags(WorkProcess, organisation=organisation, rows=plan.work_processes, result=result)
        units = _units(
            organisation=organisation,
            plan=plan,
            author=members[plan.author],
            now=now,
            result=result,
        )
        new_assignments = _assignments(
            organisation=organisation,
            plan=plan,
            units=units,
            teams=teams,
            author=members[plan.author],
            now=now,
            result=result,
        )
        _history(
            organisation=organisation,
            plan=plan,
            assignments=new_assignments,
            members=members,
            now=now,
            result=result,
        )
        courses_seed(
            organisation=organisation,
            author=members[plan.author],
            members=members,
            units=units,
            now=now,
            created=result.created,
        )
        employee = next((p.email for p in plan.people if p.persona == "employee"), None)
        if employee is not None:
            _answers(member=members[employee], result=result)
            goals_seed(
                organisation=organisation,
                members=members,
                author=members[plan.author],
                employee_email=employee,
                created=result.created,
            )
        if plan.slug == DEMO_LRS_SLUG:
            admin = next(p.email for p in plan.people if p.persona == "admin")
            lrs_demo_seed(organisation=organisation, by=members[admin], created=result.created)
        manager = next((p.email for p in plan.people if p.persona == "manager"), None)
        if manager is not None:
            coaching_seed(
                organisation=organisation,
                members=members,
                manager_email=manager,
                skip={employee} if employee else set(),
                now=now,
                created=result.created,
            )


def _created(result: DemoResult, obj: models.Model) -> models.Model:
    obj.full_clean()
    obj.save()
    result.created[obj._meta.label] += 1
    return obj


def _people(
    *,
    organisation: Organisation,
    plan: DemoOrganisation,
    now: dt.datetime,
    password_hash: str,
    result: DemoResult,
) -> People:
    """The plan's teams and people that are not there yet; an account made for another
    demo organisation is the same person joining this one."""
    teams = {t.name: t for t in Team.objects.filter(organisation=organisation)}
    members = {
        m.user.email: m
        for m in Membership.objects.filter(organisation=organisation).select_related("user")
    }
    emails = [person.email for person in plan.people]
    return people_build(
        organisation=organisation,
        teams=[t for t in plan.teams if t.name not in teams],
        members=[p for p in plan.people if p.email not in members],
        joined_at=now - dt.timedelta(days=MEMBER_SINCE_DAYS),
        password_hash=password_hash,
        known_teams=teams,
        known_users={u.email: u for u in User.objects.filter(email__in=emails)},
        known_members=members,
        validate=True,
        tally=result.created,
    )


def _tags(
    model: type[Skill] | type[WorkProcess],
    *,
    organisation: Organisation,
    rows: tuple[tuple[str, str], ...],
    result: DemoResult,
) -> None:
    known = set(model.objects.filter(organisation=organisation).values_list("name", flat=True))
    tags_build(
        model,
        organisation=organisation,
        rows=[(name, text) for name, text in rows if name not in known],
        validate=True,
        tally=result.created,
    )


def _units(
    *,
    organisation: Organisation,
    plan: DemoOrganisation,
    author: Membership,
    now: dt.datetime,
    result: DemoResult,
) -> dict[str, Unit]:
    units = {u.title: u for u in Unit.objects.filter(organisation=organisation)}
    oldest = {a.unit: a.days_ago for a in sorted(plan.assignments, key=lambda a: a.days_ago)}
    plans = []
    for text in plan.units:
        if text.title in units:
            continue
        skills, processes = UNIT_TAGS.get(text.title, ((), ()))
        plans.append(
            UnitPlan(
                title=text.title,
                body=text.body,
                published=text.published,
                # Published a week before its first assignment; drafts are recent work.
                written_at=now
                - dt.timedelta(days=oldest.get(text.title, 0) + 7 if text.published else 2),
                skills=skills,
                work_processes=processes,
                questions=tuple(question.block_data for question in text.questions),
            )
        )
    built = units_build(
        organisation=organisation, plans=plans, author=author, validate=True, tally=result.created
    )
    units.update((unit.title, unit) for unit in built)
    return units


def _assignments(
    *,
    organisation: Organisation,
    plan: DemoOrganisation,
    units: dict[str, Unit],
    teams: dict[str, Team],
    author: Membership,
    now: dt.datetime,
    result: DemoResult,
) -> list[tuple[Assignment, int]]:
    """Create the missing team assignments; return them with how many days ago they were made."""
    existing = set(
        Assignment.objects.filter(organisation=organisation, team__isnull=False).values_list(
            "unit_id", "team_id"
        )
    )
    zone = ZoneInfo(plan.time_zone)
    new: list[tuple[Assignment, int]] = []
    for item in plan.assignments:
        unit, team = units[item.unit], teams[item.team]
        if (unit.pk, team.pk) in existing:
            continue
        morning = (now - dt.timedelta(days=item.days_ago)).astimezone(zone)
        assigned_at = morning.replace(hour=9, minute=0, second=0, microsecond=0)
        assignment = _created(
            result,
            Assignment(
                organisation=organisation,
                unit=unit,
                team=team,
                assigned_by=author,
                assigned_at=min(assigned_at, now),
            ),
        )
        new.append((assignment, item.days_ago))
    return new


def _history(
    *,
    organisation: Organisation,
    plan: DemoOrganisation,
    assignments: list[tuple[Assignment, int]],
    members: dict[str, Membership],
    now: dt.datetime,
    result: DemoResult,
) -> None:
    """Completions and learning events for newly made assignments, backdated to working hours."""
    zone = ZoneInfo(plan.time_zone)
    by_id = {m.pk: email for email, m in members.items()}
    done = set(
        Completion.objects.filter(organisation=organisation).values_list("member_id", "unit_id")
    )
    completions: list[Completion] = []
    events: list[LearningEvent] = []
    for assignment, days_ago in assignments:
        unit = assignment.unit
        team_ids = team_subtree_ids(organisation=organisation, root_ids=[assignment.team_id])
        reached = sorted(
            (m for m in members.values() if m.team_id in team_ids and m.is_active),
            key=lambda m: by_id[m.pk],
        )
        for member in reached:
            email = by_id[member.pk]
            # One generator per (assignment, person): the same plan gives the same history.
            rng = random.Random(f"{plan.slug}|{unit.title}|{assignment.team.name}|{email}")
            if (member.pk, unit.pk) in done:
                continue
            if (email, unit.title) in plan.completed:
                completes = True
            elif (email, unit.title) in plan.not_completed:
                completes = False
            else:
                completes = rng.random() < min(0.9, 0.3 + 0.02 * days_ago)
            moment = _working_moment(
                rng,
                start=assignment.assigned_at,
                days=min(days_ago, COMPLETION_WINDOW_DAYS),
                now=now,
                zone=zone,
            )
            if completes:
                done.add((member.pk, unit.pk))
                completions.append(
                    Completion(
                        organisation=organisation,
                        unit=unit,
                        version_id=unit.live_version_id,
                        member=member,
                        completed_at=moment,
                    )
                )
                events.append(_event(member, LearningEvent.Verb.COMPLETED, unit, moment))
                opened = moment - dt.timedelta(minutes=rng.randint(3, 12))
                events.append(_event(member, LearningEvent.Verb.VIEWED, unit, opened))
            elif rng.random() < ABANDONED_VIEW_CHANCE:
                events.append(_event(member, LearningEvent.Verb.VIEWED, unit, moment))
    Completion.objects.bulk_create(completions)
    # In time order, so event ids grow with time as they would in real use.
    LearningEvent.objects.bulk_create(sorted(events, key=lambda e: e.timestamp))
    result.created[Completion._meta.label] += len(completions)
    result.created[LearningEvent._meta.label] += len(events)


def _answers(*, member: Membership, result: DemoResult) -> None:
    """The member answered the quiz questions of the units they completed, right before.

    Each answer starts the question's review card on that day, so days later the
    refresher has them due and the repeat rule nudges the member about them.
    """
    done = dict(
        Completion.objects.filter(
            organisation_id=member.organisation_id,
            member=member,
            version__blocks__kind=Block.Kind.QUESTION,
        )
        .values_list("version_id", "completed_at")
        .distinct()
    )
    answered = set(
        QuestionAnswer.objects.filter(
            organisation_id=member.organisation_id, member=member
        ).values_list("block_id", flat=True)
    )
    blocks = Block.objects.filter(
        organisation_id=member.organisation_id,
        version_id__in=done,
        kind=Block.Kind.QUESTION,
    ).select_related("version")
    for block in blocks.order_by("version_id", "position"):
        if block.pk in answered:
            continue
        moment = done[block.version_id] - dt.timedelta(minutes=2)
        selected = [i for i, option in enumerate(block.data["options"]) if option["correct"]]
        answer = _created(
            result,
            QuestionAnswer(
                organisation_id=member.organisation_id,
                member=member,
                block=block,
                version_id=block.version_id,
                attempt=1,
                selected=selected,
                correct=True,
                answered_at=moment,
            ),
        )
        review_card_start(answer=answer, block=block)
        result.created[ReviewCard._meta.label] += 1
        _created(
            result,
            LearningEvent(
                organisation_id=member.organisation_id,
                actor=member,
                verb=LearningEvent.Verb.ANSWERED,
                object_type="block",
                object_id=block.pk,
                result={"correct": True, "attempt": 1, "selected": selected},
                context={
                    "version": block.version_id,
                    "unit": block.version.unit_id,
                    "block": block.pk,
                },
                timestamp=moment,
            ),
        )


def _working_moment(
    rng: random.Random, *, start: dt.datetime, days: int, now: dt.datetime, zone: ZoneInfo
) -> dt.datetime:
    """A moment during working hours within ``days`` after ``start``, never in the future."""
    local = (start + dt.timedelta(days=rng.randint(0, max(days - 1, 0)))).astimezone(zone)
    local = local.replace(hour=rng.randint(8, 16), minute=rng.randint(0, 59), second=0)
    moment = max(local, start + dt.timedelta(minutes=rng.randint(20, 90)))
    latest = now - dt.timedelta(minutes=rng.randint(15, 120))
    return min(moment, latest)


def _event(membership: Membership, verb: str, unit: Unit, timestamp: dt.datetime) -> LearningEvent:
    """The event ``learning_event_record`` would write, to insert in bulk: a completion says
    its version, minutes and 70:20:10 category, as a learner's does."""
    context = {}
    if verb == LearningEvent.Verb.COMPLETED:
        version = unit.live_version
        context = {"version": version.pk, "minutes": version.estimated_minutes}
        category = event_category(verb=verb, object_category=version.category or None)
        if category is not None:
            context["category"] = category.value
    return LearningEvent(
        organisation_id=membership.organisation_id,
        actor=membership,
        verb=verb,
        object_type="unit",
        object_id=unit.pk,
        context=context,
        timestamp=timestamp,
    )


def _logins() -> list[DemoLogin]:
    names_by_email: dict[str, list[str]] = {}
    for plan in DEMO_ORGANISATIONS:
        for person in plan.people:
            names_by_email.setdefault(person.email, []).append(plan.name)
    return [
        DemoLogin(PERSONA_LABELS[p.persona], p.email, tuple(names_by_email[p.email]))
        for plan in DEMO_ORGANISATIONS
        for p in plan.people
        if p.persona
    ]
