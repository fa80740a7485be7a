"""Two organisations filled with one of every tenant object, for the isolation tests.

``build_world`` gives an organisation a team tree with a manager, a member for
every role, an invitation, a skill, a work process, API tokens, units (published
and draft), assignments, a completion, learning events, rollup rows, nudges on
both channels and audit rows. With a ``canary`` every text field holds a unique
string starting with it, so a response that shows any of that organisation's
data is caught by searching for the canary alone (truncated text included).

When a new tenant model is added, add a row of it here: the tests fail until
every tenant table holds a row of both organisations.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone
from django_scopes import scopes_disabled

from analytics.models import (
    EventRetention,
    ExportJob,
    GoalDailyCount,
    MemberState,
    RollupCheckpoint,
    TeamDailyCount,
    TrajectoryDailyCount,
    UnitDailyCount,
)
from analytics.services import TEAM_DAILY_ROLLUP
from courses.models import (
    Step,
    StepProgress,
)
from events.models import LearningEvent
from events.services import learning_event_record
from microlearning import services as microlearning_services
from microlearning.models import (
    Assignment,
    Block,
    BlockProgress,
    Commitment,
    Completion,
    QuestionAnswer,
    Rating,
    Reflection,
    ReviewCard,
    SearchTerm,
    Unit,
    UnitVersionSkill,
    UnitVersionWorkProcess,
)
from nudges.models import (
    Nudge,
    NudgeDefaults,
    NudgePreferences,
    NudgeRule,
    NudgeRuleTeam,
    OneClickAnswer,
    WorkReflection,
)
from nudges.rules import DEFAULT_RULES, FINISH_UNIT_DEFAULT
from organisations.models import (
    ApiToken,
    Invitation,
    Membership,
    Organisation,
    OrganisationHoliday,
    OutboxMessage,
    Skill,
    Team,
    User,
    WorkProcess,
)
from organisations.services import api_token_create, audit_log_record
from organisations.tenancy import organisation_scope, platform_bypass
from tests import factories
from tests.goals.isolation_world import build_goals
from tests.isolation_evidence import EvidenceRows, build_evidence
from tests.isolation_sessions import build_sessions
from tests.lrs.isolation_world import build_lrs
from tests.packages.isolation_world import build_packages

ROLES = ("learner", "manager", "author", "hr", "admin")
ROLE_FLAGS = {
    "learner": {},
    "manager": {},  # a manager is a member who leads a team
    "author": {"is_author": True},
    "hr": {"is_hr": True},
    "admin": {"is_admin": True},
}


def world_file_name(organisation_id: int, what: str) -> str:
    return f"org-{organisation_id}/isolation/{what}.png"


def new_canary(label: str) -> str:
    return f"CANARY-{label}-{uuid.uuid4().hex[:10]}"


@dataclass
class World:
    """One organisation and one (or more) of each thing it owns."""

    organisation: Organisation
    canary: str
    members: dict[str, Membership]
    team: Team
    subteam: Team
    invitation: Invitation
    skill: Skill
    work_process: WorkProcess
    unit: Unit
    draft_unit: Unit
    assignments: list[Assignment]
    completion: Completion
    nudges: dict[str, Nudge]
    tokens: dict[str, tuple[ApiToken, str]] = field(default_factory=dict)
    # A trajectory of its own with evidence rounds, files, a decision and peer feedback.
    evidence: EvidenceRows | None = None
    # Blocks of the live and the draft unit; the learner's commitment.
    blocks: list[Block] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    day_off: OrganisationHoliday | None = None
    # Goal templates, goals, plan activities, check-ins, recognitions (tests/goals/isolation_world).
    goals: dict = field(default_factory=dict)
    # A trajectory with a session step, its session and the learner's seat (isolation_sessions).
    sessions: dict = field(default_factory=dict)
    # A published trajectory (with a draft too), its steps, the learner's enrolment and rows.
    trajectories: list = field(default_factory=list)
    steps: list = field(default_factory=list)
    # The finish-a-unit rule of the nudges, for chosen teams.
    nudge_rule: NudgeRule | None = None
    enrolments: list = field(default_factory=list)
    progress: list = field(default_factory=list)
    trajectory_versions: list = field(default_factory=list)
    # An LRS client (with its secret) and statements it sent (tests/lrs/isolation_world).
    lrs: dict = field(default_factory=dict)
    # A SCORM package as a published unit, and the learner's attempt (tests/packages).
    packages: dict = field(default_factory=dict)
    # HR's exports: one finished, one still queued (exports).
    exports: list = field(default_factory=list)

    @property
    def users(self) -> list[User]:
        return [m.user for m in self.members.values()]


class _Text:
    """Text for one organisation: canaries for the foreign one, plain words otherwise."""

    def __init__(self, canary: str, plain: str):
        self.canary = canary
        self.plain = plain

    def __call__(self, name: str) -> str:
        if self.canary:
            return f"{self.canary}-{name}"
        return f"{self.plain} {name.replace('-', ' ')}"

    def email(self, name: str) -> str:
        if self.canary:
            return f"{self.canary}-{name}@example.test".lower()
        return f"{self.plain}-{name}-{uuid.uuid4().hex[:6]}@example.test".lower()


def build_world(*, slug: str, canary: str = "") -> World:
    """Make an organisation with one of every tenant object. Needs the RLS setup bypass."""
    text = _Text(canary, slug)
    organisation = factories.OrganisationFactory(slug=slug, name=text("organisation"))
    members: dict[str, Membership] = {}
    for role in ROLES:
        user = factories.UserFactory(
            email=text.email(role),
            first_name=text(f"{role}-first"),
            last_name=text(f"{role}-last"),
            password=None,  # force_login needs none, and hashing is slow
        )
        members[role] = factories.MembershipFactory(
            organisation=organisation, user=user, **ROLE_FLAGS[role]
        )

    with organisation_scope(organisation.pk):
        team = factories.TeamFactory(
            organisation=organisation, name=text("team"), manager=members["manager"]
        )
        subteam = factories.TeamFactory(
            organisation=organisation, name=text("subteam"), parent=team
        )
        for role, placed in (("learner", subteam), ("manager", team), ("author", team)):
            members[role].team = placed
            members[role].save(update_fields=["team"])

        invitation = factories.InvitationFactory(
            organisation=organisation,
            email=text.email("invitee"),
            team=subteam,
            is_author=True,
            invited_by=members["admin"],
        )
        skill = factories.SkillFactory(
            organisation=organisation, name=text("skill"), description=text("skill-description")
        )
        work_process = factories.WorkProcessFactory(
            organisation=organisation,
            name=text("work-process"),
            description=text("work-process-description"),
        )

        author = members["author"]
        unit = microlearning_services.unit_create(
            by=author, title=text("unit-title"), body=text("unit-body")
        )
        microlearning_services.unit_update(
            unit=unit,
            by=author,
            title=text("unit-title"),
            summary=text("unit-summary"),
        )
        draft = unit.draft_version
        UnitVersionSkill.objects.create(organisation=organisation, version=draft, skill=skill)
        UnitVersionWorkProcess.objects.create(
            organisation=organisation, version=draft, work_process=work_process
        )
        microlearning_services.unit_publish(unit=unit, by=author)
        draft_unit = microlearning_services.unit_create(
            by=author, title=text("draft-title"), body=text("draft-body")
        )
        assignments = [
            microlearning_services.unit_assign(unit=unit, by=author, team=team),
            microlearning_services.unit_assign(unit=unit, by=author, membership=members["hr"]),
        ]
        # Assigned long enough ago for the nudge planner to find it.
        Assignment.objects.filter(pk__in=[a.pk for a in assignments]).update(
            assigned_at=timezone.now() - dt.timedelta(days=30)
        )
        completion = microlearning_services.unit_complete(unit=unit, membership=author)
        # What learners do inside a unit; rows made directly until services own them.
        live = unit.live_version
        block = live.blocks.first()
        draft_block = draft_unit.draft_version.blocks.first()
        # File names only: the walk writes the files into each test's MEDIA_ROOT
        # (world_files), so the file routes find A's own files.
        Block.objects.filter(pk=block.pk).update(file=world_file_name(organisation.pk, "block"))
        live.cover_image = world_file_name(organisation.pk, "cover")
        live.cover_alt = text("cover-alt")
        live.save(update_fields=["cover_image", "cover_alt"])
        learner = members["learner"]
        BlockProgress.objects.create(
            organisation=organisation,
            member=learner,
            block=block,
            version=live,
            state={"note": text("progress-state")},
            done_at=timezone.now(),
        )
        QuestionAnswer.objects.create(
            organisation=organisation,
            member=learner,
            block=block,
            version=live,
            selected=[0],
            correct=True,
        )
        # Due later: the world's block is a text block, which the refresher does not ask.
        ReviewCard.objects.create(
            organisation=organisation,
            member=learner,
            block=block,
            due=timezone.now() + dt.timedelta(days=3),
        )
        Reflection.objects.create(
            organisation=organisation,
            member=learner,
            block=block,
            version=live,
            text=text("reflection"),
            shared_with_manager=True,
        )
        commitment = Commitment.objects.create(
            organisation=organisation,
            member=learner,
            unit=unit,
            version=live,
            block=block,
            text=text("commitment"),
            note=text("commitment-note"),
            due_on=timezone.now().date(),
        )
        # Publishing fills the vocabulary on PostgreSQL; one word of our own everywhere.
        SearchTerm.objects.get_or_create(organisation=organisation, term=text("search-term"))
        evidence = build_evidence(
            organisation=organisation,
            members=members,
            skill=skill,
            text=text,
            file_name=world_file_name(organisation.pk, "evidence"),
        )
        Rating.objects.create(
            organisation=organisation,
            member=learner,
            unit=unit,
            version=live,
            score=4,
            comment=text("rating-comment"),
        )
        learning_event_record(
            actor=members["learner"],
            verb=LearningEvent.Verb.VIEWED,
            object_type="unit",
            object_id=unit.pk,
            result={"note": text("event-result")},
            context={"note": text("event-context")},
        )
        # Rollup rows made directly: the rollup itself waits for events to settle.
        for member in (members["learner"], members["author"]):
            TeamDailyCount.objects.create(
                organisation=organisation,
                team=member.team,
                member=member,
                day=timezone.localdate(),
                verb=LearningEvent.Verb.COMPLETED,
                count=1,
            )
        RollupCheckpoint.objects.create(
            organisation=organisation,
            name=TEAM_DAILY_ROLLUP,
            last_event_id=LearningEvent.objects.order_by("-id").values_list("id", flat=True)[0],
        )
        for model, key in (
            (UnitDailyCount, {"unit_id": unit.pk}),
            (TrajectoryDailyCount, {"trajectory_id": unit.pk}),
            (GoalDailyCount, {"goal_id": unit.pk}),
        ):
            model.objects.create(
                organisation=organisation,
                team=members["learner"].team,
                member=members["learner"],
                day=timezone.localdate(),
                verb=LearningEvent.Verb.VIEWED,
                count=1,
                **key,
            )
        MemberState.objects.create(
            organisation=organisation,
            member=members["learner"],
            team=members["learner"].team,
            events=1,
            last_activity_at=timezone.now(),
            last_activity_verb=LearningEvent.Verb.VIEWED,
            last_activity_object_type="unit",
            last_activity_object_id=unit.pk,
        )
        EventRetention.objects.create(organisation=organisation)

        courses = _courses_build(
            organisation=organisation, text=text, members=members, unit=unit, skill=skill
        )

        rule = NudgeRule.objects.create(
            organisation=organisation,
            kind=NudgeRule.Kind.FINISH_UNIT,
            delay_days=3,
            audience=NudgeRule.Audience.TEAMS,
            **{field: f"{text(field)} {value}" for field, value in FINISH_UNIT_DEFAULT.items()},
        )
        NudgeRuleTeam.objects.create(organisation=organisation, rule=rule, team=team)
        nudges = {
            channel: Nudge.objects.create(
                organisation=organisation,
                rule=rule,
                member=members["learner"],
                kind=Nudge.Kind.FINISH,
                channel=channel,
                key=f"finish:unit:{unit.pk}",
                unit=unit,
                status=Nudge.Status.SENT,
                sent_at=timezone.now(),
                last_error=text(f"nudge-{channel}"),
            )
            for channel in Nudge.Channel
        }
        OneClickAnswer.objects.create(
            organisation=organisation, nudge=nudges["email"], answer=text("one-click")
        )
        WorkReflection.objects.create(
            organisation=organisation,
            member=members["learner"],
            nudge=nudges["in_app"],
            subject_type="goal",
            subject_id=skill.pk,
            text=text("work-reflection"),
        )
        # Reminder times: the organisation's defaults and the learner's own.
        NudgeDefaults.objects.create(organisation=organisation, daily_maximum=4)
        NudgePreferences.objects.create(
            organisation=organisation, member=members["learner"], time_zone="Europe/Lisbon"
        )
        tokens = {
            role: api_token_create(membership=members[role], name=text(f"token-{role}"))
            for role in ROLES
        }
        audit_log_record(
            actor=members["admin"],
            action="isolation.probe",
            obj=skill,
            data={"note": text("audit-data")},
        )
        OutboxMessage.objects.create(
            organisation=organisation,
            task="organisations.send_invitation_emails",
            kwargs={"invitation_ids": [invitation.pk], "note": text("outbox-kwargs")},
            state=OutboxMessage.State.DONE,
            last_error=text("outbox-error"),
            done_at=timezone.now(),
        )
        day_off = OrganisationHoliday.objects.create(
            organisation=organisation, date=dt.date(2030, 1, 2), name=text("holiday")
        )

        goals = build_goals(
            organisation=organisation, members=members, skill=skill, unit=unit, text=text
        )
        sessions = build_sessions(
            organisation=organisation, members=members, skill=skill, text=text
        )
        lrs = build_lrs(organisation=organisation, members=members, text=text)
        packages = build_packages(members=members, text=text)
        # The learner's nudges with pages of their own: "did you apply it?", "what did you learn?".
        for kind, subject_type, subject in (
            (NudgeRule.Kind.APPLY, "commitment", commitment),
            (NudgeRule.Kind.REFLECT, "goal", goals["goals"][0]),
        ):
            words = {k: v for k, v in DEFAULT_RULES[kind].items() if k.startswith(("subj", "text"))}
            kind_rule = NudgeRule.objects.create(
                organisation=organisation, kind=kind, delay_days=1, **words
            )
            nudges[kind] = Nudge.objects.create(
                organisation=organisation,
                rule=kind_rule,
                member=members["learner"],
                kind=kind,
                channel=Nudge.Channel.EMAIL,
                key=f"{kind}:{subject_type}:{subject.pk}",
                subject_type=subject_type,
                subject_id=subject.pk,
                status=Nudge.Status.SENT,
                sent_at=timezone.now(),
                title=text(f"nudge-{kind}"),
            )

    with organisation_scope(organisation.pk):
        exports = [
            ExportJob.objects.create(
                organisation=organisation,
                requested_by=members["hr"],
                format=ExportJob.Format.XLSX,
                status=ExportJob.Status.DONE,
                parameters={"weeks": 12},
                error=text("export-error"),
                expires_at=timezone.now() + dt.timedelta(hours=24),
            ),
            ExportJob.objects.create(
                organisation=organisation, requested_by=members["admin"], format="pdf"
            ),
        ]

    return World(
        organisation=organisation,
        exports=exports,
        canary=canary,
        members=members,
        team=team,
        subteam=subteam,
        invitation=invitation,
        skill=skill,
        work_process=work_process,
        unit=unit,
        draft_unit=draft_unit,
        assignments=assignments,
        completion=completion,
        nudges=nudges,
        nudge_rule=rule,
        evidence=evidence,
        tokens=tokens,
        blocks=[block, draft_block],
        commitments=[commitment],
        day_off=day_off,
        goals=goals,
        sessions=sessions,
        lrs=lrs,
        packages=packages,
        **courses,
    )


def _courses_build(*, organisation, text, members, unit, skill) -> dict:
    """A trajectory of every kind of row the courses app keeps, through its services."""
    from courses.models import BuddyConfirmation
    from courses.services import authoring, enrolments, learning
    from organisations.models import OrganisationHoliday

    author, learner = members["author"], members["learner"]
    # A day off of its own: due dates count around it.
    OrganisationHoliday.objects.create(
        organisation=organisation,
        date=timezone.localdate() + dt.timedelta(days=40),
        name=text("day-off"),
    )
    trajectory = authoring.trajectory_create(
        by=author,
        title=text("trajectory-title"),
        description=text("trajectory-description"),
        audience=text("trajectory-audience"),
        self_enrolment=True,
    )
    steps = []
    for kind, extra in (
        (Step.Kind.UNIT, {"unit": unit}),
        (Step.Kind.REFLECTION, {}),
        (Step.Kind.BUDDY, {}),
        (Step.Kind.EXTERNAL, {"url": "https://learn.example.org/module"}),
    ):
        steps.append(
            authoring.step_add(
                trajectory=trajectory,
                by=author,
                kind=kind,
                title=text(f"step-{kind}"),
                instructions=text(f"step-{kind}-instructions"),
                requires=steps[-1:] if kind == Step.Kind.EXTERNAL else [],
                skills=[skill],
                **extra,
            )
        )
    live = trajectory.draft_version
    live.cover_image = world_file_name(organisation.pk, "cover")
    live.cover_alt = text("trajectory-cover-alt")
    live.save(update_fields=["cover_image", "cover_alt"])
    authoring.trajectory_publish(trajectory=trajectory, by=author)
    enrolments.enrolments_create(
        trajectory=trajectory, by=author, memberships=[learner], buddy=members["manager"]
    )
    enrolment = trajectory.enrolments.get()
    progress = list(StepProgress.objects.filter(enrolment=enrolment).order_by("step__position"))
    learning.step_reflection_save(
        progress=progress[1],
        membership=learner,
        text=text("step-reflection"),
        shared_with_manager=True,
    )
    BuddyConfirmation.objects.create(
        organisation=organisation, progress=progress[2], membership=learner
    )
    # A draft after publishing: the editor's version differs from the live one.
    authoring.step_update(step=steps[3], by=author, title=text("step-draft-title"))
    trajectory.refresh_from_db()
    return {
        "trajectories": [trajectory],
        "steps": [*steps, *trajectory.draft_version.steps.all()[:1]],
        "enrolments": [enrolment],
        "progress": progress,
        "trajectory_versions": [trajectory.live_version, trajectory.draft_version],
    }


def build_two_worlds() -> tuple[World, World]:
    """A (plain text: the members under test) and B (canaries: must never be seen)."""
    suffix = uuid.uuid4().hex[:6]
    world_a = build_world(slug=f"acme-{suffix}")
    world_b = build_world(slug=f"globex-{suffix}", canary=new_canary("B"))
    return world_a, world_b


def lift_rls_for_setup() -> None:
    """What tests/conftest.py does per test, for setup shared by a module.

    A session-level setting made inside the module's transaction, so it goes
    when that transaction is rolled back.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('app.rls_bypass', 'on', false)")


# --- Looking at the database as platform staff -------------------------------------------


@functools.cache
def tenant_tables() -> list[str]:
    """Every table with an ``organisation_id`` column, read from the database itself."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return sorted(
            table
            for table in tables
            if any(
                column.name == "organisation_id"
                for column in connection.introspection.get_table_description(cursor, table)
            )
        )


def tenant_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if any(f.column == "organisation_id" for f in model._meta.concrete_fields)
    ]


def _comparable(value) -> str:
    # psycopg2 returns bytea columns as memoryview, whose repr is its address.
    return repr(bytes(value) if isinstance(value, memoryview) else value)


def organisation_rows(organisation_id: int) -> dict[str, list[tuple]]:
    """Every row an organisation owns (all tenant tables), plus its own row and its people."""
    snapshot: dict[str, list[tuple]] = {}
    with platform_bypass(reason="isolation test snapshot", actor="tests"):
        with connection.cursor() as cursor:
            for table in tenant_tables():
                qn = connection.ops.quote_name(table)
                # Only table names read from the catalogue are formatted in.
                cursor.execute(
                    f"SELECT * FROM {qn} WHERE organisation_id = %s ORDER BY 1",  # noqa: S608
                    [organisation_id],
                )
                snapshot[table] = [tuple(map(_comparable, row)) for row in cursor.fetchall()]
        snapshot["organisation"] = list(
            Organisation.objects.filter(pk=organisation_id).values_list()
        )
        snapshot["users"] = list(
            User.objects.filter(memberships__organisation_id=organisation_id)
            .order_by("pk")
            .values_list("pk", "email", "first_name", "last_name", "language", "is_active")
        )
    return snapshot


def snapshot_differences(before: dict, after: dict) -> list[str]:
    problems = []
    for table in sorted(set(before) | set(after)):
        old, new = before.get(table, []), after.get(table, [])
        if old != new:
            gone = [r for r in old if r not in new]
            added = [r for r in new if r not in old]
            problems.append(f"{table}: rows gone/changed {gone[:3]}, new/changed {added[:3]}")
    return problems


@functools.cache
def _reference_checks() -> list[tuple[type[models.Model], dict, str, str]]:
    """(model, not-null filter, lookup, lookup) pairs whose organisations must be equal."""
    tenant = set(tenant_models())
    checks = []
    for model in apps.get_models(include_auto_created=True):
        # (field that must not be NULL for the comparison, lookup of its organisation)
        paths: list[tuple[str | None, str]] = []
        if model in tenant:
            paths.append((None, "organisation_id"))
        for fk in model._meta.concrete_fields:
            if fk.is_relation and fk.related_model in tenant and fk.name != "organisation":
                paths.append((fk.name, f"{fk.name}__organisation_id"))
        if len(paths) < 2:
            continue
        (first_field, first), *others = paths
        for other_field, other in others:
            not_null = {f"{name}__isnull": False for name in (first_field, other_field) if name}
            checks.append((model, not_null, first, other))
    return checks


def cross_organisation_references() -> list[str]:
    """Rows whose foreign keys point into another organisation than the row's own.

    Covers every model (including many-to-many tables) by walking foreign keys
    to tenant models: all of a row's organisations must be one and the same.
    """
    problems = []
    with platform_bypass(reason="isolation test reference check", actor="tests"):
        for model, not_null, first, other in _reference_checks():
            rows = model._base_manager.filter(**not_null).exclude(**{first: F(other)})
            ids = list(rows.values_list("pk", flat=True)[:5])
            if ids:
                problems.append(f"{model._meta.label}: {first} != {other} for rows {ids}")
    return problems


@contextmanager
def module_world(django_db_blocker) -> Iterator[tuple[World, World]]:
    """Both worlds, built once for a test module inside a transaction rolled back at its end.

    Each test still runs in its own savepoint (the ``db`` fixture), so what one
    test's requests write is gone before the next.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        lift_rls_for_setup()
        with scopes_disabled():
            worlds = build_two_worlds()
        yield worlds
        transaction.set_rollback(True)
