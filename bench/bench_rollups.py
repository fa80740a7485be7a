"""Rollups: a full rebuild of every rollup, and the incremental run over new events.

Setup: an organisation ``bench-rollups`` of its own with ``BENCH_ROLLUP_MEMBERS``
(3,333, about a third of the synthetic 10,000) members in teams of 25, and
``BENCH_ROLLUP_EVENTS`` (2,000,000) events over 180 days, made by one
``INSERT ... SELECT generate_series`` in a mix that feeds every rollup: unit views and
completions (with minutes), answered blocks (``context.unit``), steps (``context.trajectory``),
enrolments, goal events and check-in feedback (``context.goal_id``), nudges. (The
synthetic seed of ``seed_demo`` only has unit views and completions, so the trajectory
and goal rollups would have nothing to do there.)

Measured:
- ``rollups_rebuild`` (what ``manage.py rebuild_rollups`` runs): all five rollups
  (team, unit, trajectory, goal per day; member state) from the events, in batches of
  ``REBUILD_BATCH_SIZE``; seconds and events per second;
- the same rebuild of the team rollup alone (TeamDailyCount, one table);
- reference for both: one hand-written ``INSERT ... SELECT ... GROUP BY`` of the team
  rollup's figures (member, team, local day, verb) into a scratch table without
  indexes or row-level security, in the same run;
- the incremental run (``organisation_rollup``, as the Celery task calls it) over
  ``BENCH_ROLLUP_NEW`` (10,000) new events: seconds, aim under 1 s; next to the same
  reference statement over just those events.
"""

from __future__ import annotations

import datetime as dt
import time

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from analytics import services
from analytics.models import RollupCheckpoint, TeamDailyCount
from bench import Row, env_int, progress
from events.models import LearningEvent
from organisations.models import Membership, Organisation, Team, User
from organisations.tenancy import organisation_scope

ORDER = 80  # after the benchmarks that read the synthetic organisations: ours adds events
NAME = "rollups"
SLUG = "bench-rollups"
TEAM_SIZE = 25
HISTORY_SECONDS = 180 * 86_400
# (verb, object_type, context) in the mix, one row per twentieth of the events.
MIX = (
    [("viewed", "unit", "none")] * 10
    + [("completed", "unit", "minutes")] * 3
    + [("answered", "block", "unit")] * 2
    + [("completed", "step", "trajectory"), ("submitted", "step", "trajectory")]
    + [("enrolled", "trajectory", "none"), ("checked_in", "goal", "none")]
    + [("nudge_sent", "nudge", "none")]
)


def run() -> list[Row]:
    members = env_int("BENCH_ROLLUP_MEMBERS", 3_333)
    events = env_int("BENCH_ROLLUP_EVENTS", 2_000_000)
    new = env_int("BENCH_ROLLUP_NEW", 10_000)
    organisation = _organisation(members)
    progress(f"Inserting {events:,} events for {members:,} members")
    _insert_events(organisation, events, members=members, since_id=0, history=True)
    _analyze()

    progress(f"Rebuilding every rollup from {events:,} events")
    full = _timed(lambda: _rebuild(organisation))
    progress("Rebuilding the team rollup alone")
    team_only = _timed(lambda: _rebuild(organisation, team_only=True))
    progress("Reference: one INSERT ... SELECT ... GROUP BY into a scratch table")
    reference = _reference_seconds(organisation, after_id=0)
    indexed_reference = _reference_seconds(organisation, after_id=0, indexed=True)
    # The team-only rebuild left the other checkpoints at 0: the full one again, so the
    # incremental run below starts from where all rollups stand.
    _rebuild(organisation)

    last_id = _last_id(organisation)
    progress(f"Inserting {new:,} new events and rolling them up incrementally")
    _insert_events(organisation, new, members=members, since_id=last_id, history=False)
    _analyze()
    incremental_reference = _reference_seconds(organisation, after_id=last_id)
    folded: list[int] = []
    incremental = _timed(lambda: folded.append(_incremental(organisation)))
    assert folded == [new], folded
    _check_same_as_reference(organisation)
    _cleanup(organisation)
    return [
        Row(NAME, "events rebuilt", events),
        Row(NAME, "rebuild all 5 rollups: s (ref: bare scratch)", full, reference),
        Row(NAME, "rebuild all 5 rollups: events/s", events / full, events / reference),
        Row(NAME, "rebuild team rollup: s (ref: bare scratch)", team_only, reference),
        Row(NAME, "rebuild team rollup: s (ref: indexed scratch)", team_only, indexed_reference),
        Row(
            NAME,
            f"incremental {new:,} new events: seconds (aim < 1)",
            incremental,
            incremental_reference,
        ),
    ]


def _timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _organisation(members: int) -> Organisation:
    # The bench database is created afresh for every run: nothing to delete first.
    organisation = Organisation.objects.create(slug=SLUG, name="Bench rollups")
    password = make_password(None)
    joined = timezone.now() - dt.timedelta(days=200)
    progress(f"Creating {members:,} members")
    with organisation_scope(organisation.pk):
        teams = Team.objects.bulk_create(
            Team(organisation=organisation, name=f"Team {n}")
            for n in range((members + TEAM_SIZE - 1) // TEAM_SIZE)
        )
        for start in range(0, members, 5_000):
            users = User.objects.bulk_create(
                User(email=f"{SLUG}-{n}@bench.test", password=password)
                for n in range(start, min(start + 5_000, members))
            )
            Membership.objects.bulk_create(
                Membership(
                    organisation=organisation,
                    user=user,
                    team=teams[(start + i) // TEAM_SIZE],
                    created_at=joined,
                )
                for i, user in enumerate(users)
            )
    return organisation


def _insert_events(
    organisation: Organisation, count: int, *, members: int, since_id: int, history: bool
) -> None:
    """``count`` events by deterministic hashes of the row number, in one statement.

    History is inserted in time order and stored when it happened (as a live log is);
    new events are stored now and happened in the last day, one in ten of them late (any
    time in the 180 days: synced from offline, or sent on by another tool).
    """
    kinds = ", ".join(
        f"({n}, '{verb}', '{object_type}', '{context}')"
        for n, (verb, object_type, context) in enumerate(MIX)
    )
    # History ends an hour ago: the incremental run then reads only the new events.
    start = timezone.now() - dt.timedelta(seconds=HISTORY_SECONDS, hours=1)
    with organisation_scope(organisation.pk), connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH m AS (
                SELECT id, row_number() OVER (ORDER BY id) - 1 AS ord
                FROM {Membership._meta.db_table} WHERE organisation_id = %(organisation)s
            ), kinds (n, verb, object_type, context) AS (VALUES {kinds}),
            g AS (SELECT n::bigint + %(offset)s AS n FROM generate_series(1, %(count)s) n),
            rows AS (
            SELECT %(organisation)s, m.id, k.verb, k.object_type, 1 + (g.n * 7919) %% 300,
                   '{{}}'::jsonb,
                   CASE k.context
                       WHEN 'minutes' THEN jsonb_build_object('minutes', 1 + g.n %% 10)
                       WHEN 'unit' THEN jsonb_build_object('unit', 1 + g.n %% 300)
                       WHEN 'trajectory' THEN jsonb_build_object('trajectory', 1 + g.n %% 12)
                       ELSE '{{}}'::jsonb
                   END,
                   CASE WHEN {"TRUE" if history else "g.n %% 10 = 0"}
                       THEN %(start)s::timestamptz
                           + ((g.n * 104729) %% {HISTORY_SECONDS}) * interval '1 second'
                       ELSE statement_timestamp()
                           - ((g.n * 104729) %% 86400) * interval '1 second'
                   END AS at
            FROM g
            JOIN m ON m.ord = (g.n * 48271) %% %(members)s
            JOIN kinds k ON k.n = g.n %% {len(MIX)}
            )
            INSERT INTO {LearningEvent._meta.db_table}
                (organisation_id, actor_id, verb, object_type, object_id, result, context,
                 timestamp, stored_at)
            SELECT *, {"at" if history else "statement_timestamp()"} FROM rows
            {"ORDER BY at" if history else ""}
            """,  # noqa: S608 - table names and constants only
            {
                "organisation": organisation.pk,
                "offset": since_id,
                "count": count,
                "members": members,
                "start": start,
            },
        )


def _analyze() -> None:
    with connection.cursor() as cursor:
        for model in (LearningEvent, Membership):
            cursor.execute(f"ANALYZE {model._meta.db_table}")


def _rebuild(organisation: Organisation, *, team_only: bool = False) -> int:
    with organisation_scope(organisation.pk):
        if not team_only:
            return services.rollups_rebuild(organisation=organisation, settle=dt.timedelta(0))
        # The rebuild's own steps, for the team rollup's table and checkpoint only.
        team = services.ROLLUPS[0]
        team.model.objects.filter(organisation=organisation).delete()
        RollupCheckpoint.objects.filter(organisation=organisation, name=team.name).update(
            last_event_id=0, last_stored_at=None
        )
        total = 0
        while folded := services.organisation_rollup(
            organisation=organisation,
            batch_size=services.REBUILD_BATCH_SIZE,
            settle=dt.timedelta(0),
            rollups=[team],
        ):
            total += folded
        return total


def _incremental(organisation: Organisation) -> int:
    with organisation_scope(organisation.pk):
        return services.organisation_rollup(organisation=organisation, settle=dt.timedelta(0))


def _last_id(organisation: Organisation) -> int:
    with organisation_scope(organisation.pk):
        return LearningEvent.objects.filter(organisation=organisation).order_by("-id")[0].pk


REFERENCE_SQL = """
    INSERT INTO bench_rollup_scratch (organisation_id, team_id, member_id, day, verb, count)
    SELECT e.organisation_id, m.team_id, e.actor_id,
           (e.timestamp AT TIME ZONE %(zone)s)::date, e.verb, count(*)
    FROM {events} e JOIN {members} m ON m.id = e.actor_id
    WHERE e.organisation_id = %(organisation)s AND e.id > %(after)s
    GROUP BY e.organisation_id, m.team_id, e.actor_id, 4, e.verb
"""


def _reference_seconds(
    organisation: Organisation, *, after_id: int, indexed: bool = False
) -> float:
    """The team rollup's figures by one hand-written statement into a scratch table, under
    the same RLS setting: a bare temporary one (no indexes, no WAL, no constraints), or
    (``indexed``) a plain table with TeamDailyCount's columns and indexes (LIKE ...
    INCLUDING ALL: no foreign keys, no row-level security, no upsert)."""
    with organisation_scope(organisation.pk), connection.cursor() as cursor:
        if indexed:
            cursor.execute(
                "CREATE TABLE bench_rollup_scratch"
                f" (LIKE {TeamDailyCount._meta.db_table} INCLUDING ALL)"
            )
        else:
            cursor.execute(
                "CREATE TEMPORARY TABLE bench_rollup_scratch (organisation_id bigint,"
                " team_id bigint, member_id bigint, day date, verb varchar(40), count integer)"
                " ON COMMIT DROP"
            )
        started = time.perf_counter()
        cursor.execute(
            REFERENCE_SQL.format(
                events=LearningEvent._meta.db_table, members=Membership._meta.db_table
            ),
            {"zone": str(organisation.zone), "organisation": organisation.pk, "after": after_id},
        )
        seconds = time.perf_counter() - started
        if indexed:
            cursor.execute("DROP TABLE bench_rollup_scratch")
        return seconds


def _check_same_as_reference(organisation: Organisation) -> None:
    """The rollup holds what the reference computes: a benchmark of wrong figures is none."""
    with organisation_scope(organisation.pk), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_rollup_scratch (organisation_id bigint, team_id bigint,"
            " member_id bigint, day date, verb varchar(40), count integer) ON COMMIT DROP"
        )
        cursor.execute(
            REFERENCE_SQL.format(
                events=LearningEvent._meta.db_table, members=Membership._meta.db_table
            ),
            {"zone": str(organisation.zone), "organisation": organisation.pk, "after": 0},
        )
        cursor.execute(
            f"""
            SELECT count(*) FROM (
                (SELECT member_id, day, verb, count FROM bench_rollup_scratch
                 EXCEPT SELECT member_id, day, verb, count FROM {TeamDailyCount._meta.db_table}
                 WHERE organisation_id = %s)
                UNION ALL
                (SELECT member_id, day, verb, count FROM {TeamDailyCount._meta.db_table}
                 WHERE organisation_id = %s
                 EXCEPT SELECT member_id, day, verb, count FROM bench_rollup_scratch)
            ) differences
            """,  # noqa: S608 - table names only
            [organisation.pk, organisation.pk],
        )
        (differences,) = cursor.fetchone()
    if differences:
        raise AssertionError(f"The team rollup differs from the reference in {differences} rows")


def _cleanup(organisation: Organisation) -> None:
    """Our events go, so benchmarks after this one read the table as the seed left it."""
    with transaction.atomic(), organisation_scope(organisation.pk), connection.cursor() as cursor:
        for model in [LearningEvent] + [rollup.model for rollup in services.ROLLUPS]:
            cursor.execute(
                f"DELETE FROM {model._meta.db_table} WHERE organisation_id = %s",  # noqa: S608
                [organisation.pk],
            )
