"""Synthetic scale data for benchmarks: deterministic, bulk-inserted, any size.

``synthetic_seed(spec=SyntheticSpec(members=10_000, events=2_000_000, organisations=3))``
builds organisations ``synth-1`` .. ``synth-N``. Members and events are totals,
spread evenly over the organisations. Per organisation:

- members ``member-00000@synth-<n>.test`` .. (password ``werkwijs-demo``, verified);
  member 0 is organisation admin, L&D author and HR analyst;
- a two-level team tree of about 25 members per team; the first member of each
  team manages it, and department heads manage a department;
- units (``spec.units``, one in ten a draft) by member 0, each tagged with a skill
  and a work process and, once published, searchable; three assignments per team;
- completions (a fifth of the events; each has its ``completed`` event) and
  ``viewed`` events for the rest, over the 180 days before the anchor day;
- then the rollup, through ``analytics.services.organisation_rollup``.

The same spec and anchor give the same data: randomness comes from integer
hashes of row numbers, computed by the database the same way on PostgreSQL and
SQLite. Big tables are filled with ``INSERT ... SELECT`` over a generated series
inside ``organisation_scope`` (``COPY`` is refused on tables with forced
row-level security), so rows never travel through Python. Teams, members and
units are made by ``build.py``, in the same shape as the demo's, with one
``bulk_create`` per table.

Rerunning with the same spec skips organisations already built from it (a
marker in their audit log says so); a different spec, ``replace=True`` or a
half-built organisation replaces all ``synth-*`` organisations and their users.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from analytics.models import MemberState, TeamDailyCount, UnitDailyCount
from analytics.services import organisation_rollup
from events.models import LearningEvent
from microlearning.models import Assignment, Completion, Unit
from organisations.models import AuditLog, Membership, Organisation, Skill, Team, User, WorkProcess
from organisations.tenancy import organisation_scope

from .build import BATCH_SIZE, people_build, tags_build, units_build
from .demo_content import DEMO_PASSWORD
from .plans import MemberPlan, TeamPlan, UnitPlan

SLUG_PREFIX = "synth-"
MARKER_ACTION = "synthetic.seeded"
HISTORY_DAYS = 180
ACTIVE_DAYS = 30  # per member, within HISTORY_DAYS
TEAM_SIZE = 25
ASSIGNMENTS_PER_TEAM = 3
# One event in this many is a completion (with its own ``completed`` event).
EVENTS_PER_COMPLETION = 5
# Bigger than the service's default: nobody waits on these rows, fewer round trips.
ROLLUP_BATCH_SIZE = 200_000
# A prime below 2**31: products of two residues stay inside a signed 64-bit integer.
HASH_MODULUS = 2_147_483_647

FIRST_NAMES = (
    "Anna", "Bas", "Chantal", "Dirk", "Eva", "Farid", "Gijs", "Hanna", "Ilse", "Jan",
    "Karin", "Lars", "Maria", "Nina", "Omar", "Paul", "Rosa", "Sem", "Tess", "Vera",
    "Wim", "Yara", "Zoë", "Ahmed", "Britt", "Cor", "Demi", "Erik", "Femke", "Hugo",
)  # fmt: skip
LAST_NAMES = (
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen",
    "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
    "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits",
    "de Graaf", "van der Meer", "Kok", "Jacobs", "Haddou", "Yılmaz", "Öztürk",
)  # fmt: skip
UNIT_TOPICS = (
    "Veilig tillen", "Overdracht met SBAR", "Feedback geven", "Incident melden",
    "Handhygiëne", "Dubbele controle", "Valpreventie", "Een lastig gesprek",
    "Werkplekinstructie", "Klantcontact", "Privacy op de werkvloer", "Brandveiligheid",
)  # fmt: skip
SKILLS = (
    "Veilig werken", "Communiceren", "Samenwerken", "Zorgvuldigheid", "Klantgerichtheid",
)  # fmt: skip
PROCESSES = ("Dienstoverdracht", "Teamoverleg", "Klantcontact", "Incidentafhandeling")
UNIT_BODY = (
    "Waarom dit ertoe doet in je dagelijkse werk.\n\n"
    "Zo pak je het aan, stap voor stap.\n\n"
    "Waar je op let, en bij wie je terecht kunt als het anders loopt."
)


@dataclass(frozen=True)
class SyntheticSpec:
    organisations: int = 1
    members: int = 1_000  # in total, spread over the organisations
    events: int = 100_000  # in total
    units: int = 40  # per organisation
    seed: int = 1

    def __post_init__(self) -> None:
        if min(self.organisations, self.units) < 1 or self.events < 0:
            raise ValueError("Organisations and units must be at least 1, events at least 0.")
        if self.members < self.organisations:
            raise ValueError("Every organisation needs at least one member.")

    def share(self, total: int, index: int) -> int:
        """This organisation's part of a total (index from 1), spread as evenly as possible."""
        return total // self.organisations + (1 if index <= total % self.organisations else 0)

    @property
    def slugs(self) -> list[str]:
        return [f"{SLUG_PREFIX}{i}" for i in range(1, self.organisations + 1)]


@dataclass
class SyntheticReport:
    spec: SyntheticSpec
    skipped: bool = False
    replaced: list[str] = field(default_factory=list)
    members: int = 0
    events: int = 0
    completions: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # per phase


def synthetic_seed(
    *,
    spec: SyntheticSpec,
    anchor: dt.datetime | None = None,
    replace: bool = False,
    log: Callable[[str], None] = print,
) -> SyntheticReport:
    """Build (or keep) the synthetic organisations for ``spec``; see the module docstring."""
    anchor = anchor or timezone.now().astimezone(dt.UTC).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    report = SyntheticReport(spec=spec)
    existing = list(Organisation.objects.filter(slug__startswith=SLUG_PREFIX).order_by("pk"))
    existing = [o for o in existing if re.fullmatch(rf"{SLUG_PREFIX}\d+", o.slug)]
    if not replace and _built_from(existing, spec):
        report.skipped = True
        log(f"Synthetic organisations {', '.join(spec.slugs)} exist for these sizes: kept.")
    else:
        for organisation in existing:
            with _timed(report, "replace"):
                _organisation_delete(organisation)
            report.replaced.append(organisation.slug)
            log(f"{organisation.slug}: removed")
        password_hash = make_password(DEMO_PASSWORD)
        for index, slug in enumerate(spec.slugs, start=1):
            _organisation_build(
                spec=spec,
                index=index,
                slug=slug,
                anchor=anchor,
                password_hash=password_hash,
                report=report,
            )
            log(f"{slug}: built")
        with _timed(report, "analyse"):
            _analyse(Membership, Completion, LearningEvent)
    for organisation in Organisation.objects.filter(slug__in=spec.slugs).order_by("pk"):
        with _timed(report, "rollup"), organisation_scope(organisation.pk):
            # Settled at once: this process wrote every event, and its writes committed.
            while organisation_rollup(
                organisation=organisation, batch_size=ROLLUP_BATCH_SIZE, settle=dt.timedelta(0)
            ):
                pass
            report.members += Membership.objects.filter(organisation=organisation).count()
            report.completions += Completion.objects.filter(organisation=organisation).count()
            report.events += LearningEvent.objects.filter(organisation=organisation).count()
    with _timed(report, "analyse"):
        _analyse(TeamDailyCount, UnitDailyCount, MemberState)
    return report


def _analyse(*models: type[Model]) -> None:
    """Fresh planner statistics after a bulk load (autovacuum would only get there later):
    with stale ones PostgreSQL reads a whole organisation's events for every rollup batch."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {model._meta.db_table}")


@contextmanager
def _timed(report: SyntheticReport, phase: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        report.seconds[phase] = report.seconds.get(phase, 0.0) + time.perf_counter() - started


def _built_from(existing: list[Organisation], spec: SyntheticSpec) -> bool:
    """True when exactly the spec's organisations exist and each was finished from this spec."""
    if sorted(o.slug for o in existing) != sorted(spec.slugs):
        return False
    for organisation in existing:
        with organisation_scope(organisation.pk):
            marker = (
                AuditLog.objects.filter(organisation=organisation, action=MARKER_ACTION)
                .values_list("data", flat=True)
                .first()
            )
        if marker != {"spec": asdict(spec)}:
            return False
    return True


def _organisation_delete(organisation: Organisation) -> None:
    """Remove a synthetic organisation and its users, the big tables by plain DELETE first."""
    with organisation_scope(organisation.pk):
        with connection.cursor() as cursor:
            for model in (LearningEvent, TeamDailyCount, UnitDailyCount, MemberState, Completion):
                cursor.execute(
                    f"DELETE FROM {model._meta.db_table} WHERE organisation_id = %s",  # noqa: S608
                    [organisation.pk],
                )
        # A parent team is PROTECTed even when its children go in the same delete.
        Team.objects.filter(organisation=organisation).update(parent=None)
        user_ids = list(
            Membership.objects.filter(organisation=organisation).values_list("user_id", flat=True)
        )
        organisation.delete()  # the collector finds what other apps keep per organisation
    # Only the accounts made for it: someone who joined a synthetic organisation keeps theirs.
    User.objects.filter(pk__in=user_ids, email__endswith=f"@{organisation.slug}.test").delete()


def _organisation_build(
    *,
    spec: SyntheticSpec,
    index: int,
    slug: str,
    anchor: dt.datetime,
    password_hash: str,
    report: SyntheticReport,
) -> None:
    members = spec.share(spec.members, index)
    events = spec.share(spec.events, index)
    since = anchor - dt.timedelta(days=HISTORY_DAYS + 20)
    organisation = Organisation(
        slug=slug,
        name=f"Synthetic organisation {index}",
        language="nl" if index % 2 else "en",
        time_zone="Europe/Amsterdam",
        created_at=since,
    )
    organisation.full_clean()
    organisation.save()
    with organisation_scope(organisation.pk):
        with _timed(report, "members"):
            leaves, author = _people(
                organisation, count=members, password_hash=password_hash, since=since
            )
        with _timed(report, "units"):
            published = _units(organisation, spec=spec, since=since, author=author)
            _assignments(organisation, teams=leaves, units=published, anchor=anchor, salt=index)
        # The index joins the seed so that organisations differ from one another.
        sql = _SeedSql(
            organisation_id=organisation.pk, seed=spec.seed * 1000 + index, anchor=anchor
        )
        completions = min(events // EVENTS_PER_COMPLETION, members * len(published))
        with _timed(report, "completions"):
            sql.completions(total=completions, members=members, units=len(published))
        with _timed(report, "events"):
            sql.completed_events()
            sql.viewed_events(total=events - completions, members=members, units=len(published))
            sql.constraints_check()
        AuditLog.objects.create(
            organisation=organisation, action=MARKER_ACTION, data={"spec": asdict(spec)}
        )


def _people(
    organisation: Organisation, *, count: int, password_hash: str, since: dt.datetime
) -> tuple[list[Team], Membership]:
    """The team tree and ``count`` members; return the leaf teams and the first member.

    Members in ordinal order: ordinal j < len(leaves) leads leaf team j, the next ones
    head the departments (when there are enough people), everyone else joins a leaf
    team in turn.
    """
    leaf_count = max(1, math.ceil(count / TEAM_SIZE))
    department_count = max(1, round(math.sqrt(leaf_count)))
    heads = department_count if count > leaf_count + department_count else 0
    departments = [f"Afdeling {d + 1}" for d in range(department_count)]
    leaves = [
        f"Team {j % department_count + 1}.{j // department_count + 1}" for j in range(leaf_count)
    ]

    def email(m: int) -> str:
        return f"member-{m:05d}@{organisation.slug}.test"

    def team_of(m: int) -> str:
        if leaf_count <= m < leaf_count + heads:
            return departments[m - leaf_count]
        return leaves[m % leaf_count]

    teams = [
        TeamPlan(name, manager=email(leaf_count + d) if heads else None)
        for d, name in enumerate(departments)
    ] + [
        TeamPlan(
            name, parent=departments[j % department_count], manager=email(j) if j < count else None
        )
        for j, name in enumerate(leaves)
    ]
    members = [
        MemberPlan(
            email=email(m),
            first_name=FIRST_NAMES[m % len(FIRST_NAMES)],
            last_name=LAST_NAMES[(m // len(FIRST_NAMES) + m) % len(LAST_NAMES)],
            team=team_of(m),
            is_admin=m == 0,
            is_author=m % 500 in (0, 1),
            is_hr=m % 500 in (0, 2),
        )
        for m in range(count)
    ]
    people = people_build(
        organisation=organisation,
        teams=teams,
        members=members,
        joined_at=since,
        password_hash=password_hash,
    )
    return [people.teams[name] for name in leaves], people.members[email(0)]


def _units(
    organisation: Organisation, *, spec: SyntheticSpec, since: dt.datetime, author: Membership
) -> list[Unit]:
    """``spec.units`` units by member 0, one in ten still a draft (the first is published),
    each tagged with a skill and a work process; return the published ones."""
    tags_build(Skill, organisation=organisation, rows=[(name, "") for name in SKILLS])
    tags_build(WorkProcess, organisation=organisation, rows=[(name, "") for name in PROCESSES])
    units = units_build(
        organisation=organisation,
        plans=[
            UnitPlan(
                title=f"{UNIT_TOPICS[k % len(UNIT_TOPICS)]} {k // len(UNIT_TOPICS) + 1}",
                body=UNIT_BODY,
                published=k % 10 != 9,
                written_at=since,
                skills=(SKILLS[k % len(SKILLS)],),
                work_processes=(PROCESSES[k % len(PROCESSES)],),
            )
            for k in range(spec.units)
        ],
        author=author,
    )
    return [u for u in units if u.status == Unit.Status.PUBLISHED]


def _assignments(
    organisation: Organisation,
    *,
    teams: list[Team],
    units: list[Unit],
    anchor: dt.datetime,
    salt: int,
) -> None:
    rows = []
    for j, team in enumerate(teams):
        for i in range(min(ASSIGNMENTS_PER_TEAM, len(units))):
            days = 1 + (j * 37 + i * 11 + salt) % HISTORY_DAYS
            rows.append(
                Assignment(
                    organisation=organisation,
                    unit=units[(j * ASSIGNMENTS_PER_TEAM + i) % len(units)],
                    team=team,
                    assigned_at=anchor - dt.timedelta(days=days, hours=-9),
                )
            )
    Assignment.objects.bulk_create(rows, batch_size=BATCH_SIZE)


class _SeedSql:
    """``INSERT ... SELECT`` statements that PostgreSQL and SQLite both run.

    Only integers and a timestamp made here are formatted into the SQL, never
    outside input; statements run without parameters so ``%`` is the modulo
    operator on both databases.
    """

    def __init__(self, *, organisation_id: int, seed: int, anchor: dt.datetime):
        self.organisation_id = int(organisation_id)
        self.seed = int(seed)
        self.postgres = connection.vendor == "postgresql"
        stamp = anchor.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
        self.anchor = f"TIMESTAMPTZ '{stamp}+00'" if self.postgres else f"'{stamp}'"
        self.empty_json = "'{}'::jsonb" if self.postgres else "'{}'"

    def _series(self, name: str, first: int, last: int) -> str:
        if self.postgres:
            return f"{name}(n) AS (SELECT generate_series({first}::bigint, {last}))"
        return (
            f"{name}(n) AS (SELECT {first} WHERE {first} <= {last} "  # noqa: S608
            f"UNION ALL SELECT n + 1 FROM {name} WHERE n < {last})"
        )

    @staticmethod
    def _mix(expr: str, salt: int) -> str:
        """A second, quadratic hash round: fields drawn from one row hash stay uncorrelated."""
        h = f"(({expr}) % {HASH_MODULUS})"
        return f"({h} * ({h} + {salt}) % {HASH_MODULUS})"

    def _moment(self, *, member_ord: str, hashed: str) -> str:
        """A working-hours moment on one of the member's active days before the anchor day.

        People learn in sessions, not a little every day: each member has
        ACTIVE_DAYS days within HISTORY_DAYS, and all their events fall on them.
        """
        slot = f"({self._mix(hashed, 101)} % {ACTIVE_DAYS})"
        day = f"(1 + {self._mix(f'{member_ord} * {ACTIVE_DAYS} + {slot} + {self.seed}', 505)}"
        day += f" % {HISTORY_DAYS})"
        minute = f"(420 + {self._mix(hashed, 202)} % 660)"
        seconds = f"({day} * 86400 - {minute} * 60)"
        if self.postgres:
            return f"({self.anchor} - {seconds} * INTERVAL '1 second')"
        return f"datetime({self.anchor}, '-' || {seconds} || ' seconds')"

    def _ordinals(self, name: str, table: str, where: str = "") -> str:
        return (
            f"{name} AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS ord FROM {table} "  # noqa: S608
            f"WHERE organisation_id = {self.organisation_id} {where})"
        )

    def constraints_check(self) -> None:
        """Run the deferred foreign-key checks now, so they count as part of the insert."""
        if self.postgres:
            self._run("SET CONSTRAINTS ALL IMMEDIATE")

    def _run(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)

    def completions(self, *, total: int, members: int, units: int) -> None:
        """``total`` (member, unit) pairs, spread evenly over members, each unit once per member."""
        if total <= 0:
            return
        per_member = f"({total} * (m.ord + 1) / {members} - {total} * m.ord / {members})"
        first_unit = f"((m.ord + {self.seed * 7919}) * 48271 % {HASH_MODULUS})"
        moment = self._moment(member_ord="pairs.member_ord", hashed="pairs.h")
        self._run(
            f"""
            INSERT INTO {Completion._meta.db_table}
                (organisation_id, unit_id, version_id, member_id, completed_at)
            WITH RECURSIVE
                {self._series("j", 0, units - 1)},
                {self._ordinals("m", Membership._meta.db_table)},
                {self._ordinals("u", Unit._meta.db_table, "AND status = 'published'")},
                live AS (
                    SELECT id, live_version_id FROM {Unit._meta.db_table}
                    WHERE organisation_id = {self.organisation_id}
                ),
                pairs AS (
                    SELECT m.id AS member_id, m.ord AS member_ord,
                           ({first_unit} + j.n) % {units} AS unit_ord,
                           ({first_unit} + j.n * 104729) AS h
                    FROM m JOIN j ON j.n < {per_member}
                )
            SELECT {self.organisation_id}, u.id, live.live_version_id, pairs.member_id, {moment}
            FROM pairs JOIN u ON u.ord = pairs.unit_ord JOIN live ON live.id = u.id
            """  # noqa: S608
        )

    def completed_events(self) -> None:
        self._run(
            f"""
            INSERT INTO {LearningEvent._meta.db_table}
                (organisation_id, actor_id, verb, object_type, object_id, result, context,
                 timestamp)
            SELECT organisation_id, member_id, '{LearningEvent.Verb.COMPLETED.value}', 'unit',
                   unit_id, {self.empty_json}, {self.empty_json}, completed_at
            FROM {Completion._meta.db_table}
            WHERE organisation_id = {self.organisation_id}
            ORDER BY completed_at
            """  # noqa: S608
        )

    def viewed_events(self, *, total: int, members: int, units: int) -> None:
        if total <= 0:
            return
        moment = self._moment(member_ord="picked.member_ord", hashed="picked.h")
        self._run(
            f"""
            INSERT INTO {LearningEvent._meta.db_table}
                (organisation_id, actor_id, verb, object_type, object_id, result, context,
                 timestamp)
            WITH RECURSIVE
                {self._series("s", 1, total)},
                hashed AS (
                    SELECT (n + {self.seed * 1_000_003}) * 48271 % {HASH_MODULUS} AS h FROM s
                ),
                picked AS (
                    SELECT h, {self._mix("h", 303)} % {members} AS member_ord,
                           {self._mix("h", 404)} % {units} AS unit_ord
                    FROM hashed
                ),
                {self._ordinals("m", Membership._meta.db_table)},
                {self._ordinals("u", Unit._meta.db_table, "AND status = 'published'")}
            SELECT {self.organisation_id}, m.id, '{LearningEvent.Verb.VIEWED.value}', 'unit',
                   u.id, {self.empty_json}, {self.empty_json}, {moment}
            -- CROSS JOIN: SQLite then loops over the series once (PostgreSQL plans freely).
            FROM picked CROSS JOIN m CROSS JOIN u
            WHERE m.ord = picked.member_ord AND u.ord = picked.unit_ord
            """  # noqa: S608
        )
