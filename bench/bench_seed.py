"""Seeding: synthetic members and learning events, bulk-inserted under row-level security.

Reference: the same number of bare event rows inserted with one plain
``INSERT ... SELECT generate_series`` into a temporary table without indexes,
foreign keys or row-level security. The ratio shows what the real thing costs
on top of writing the rows at all.
"""

from __future__ import annotations

import time

from django.db import connection, transaction

from bench import Row, env_int, progress
from demo.synthetic import SyntheticSpec, synthetic_seed

# Runs first: later benchmarks measure on the organisations it leaves behind.
ORDER = 0
NAME = "seed"


def run() -> list[Row]:
    spec = SyntheticSpec(
        members=env_int("BENCH_MEMBERS", 10_000),
        events=env_int("BENCH_EVENTS", 2_000_000),
        organisations=env_int("BENCH_ORGANISATIONS", 3),
    )
    progress(
        f"Seeding {spec.members:,} members and {spec.events:,} events "
        f"in {spec.organisations} organisations"
    )
    started = time.perf_counter()
    report = synthetic_seed(spec=spec, replace=True, log=progress)
    seconds = time.perf_counter() - started
    progress("Measuring the reference: bare rows into a temporary table")
    bare = _bare_insert_seconds(report.events)
    events_insert = report.seconds.get("completions", 0.0) + report.seconds.get("events", 0.0)
    return [
        Row(NAME, "members", report.members),
        Row(NAME, "events", report.events),
        Row(NAME, "completions", report.completions),
        Row(NAME, "seconds (all, with rollup)", seconds, bare),
        Row(NAME, "events per second (all)", report.events / seconds, report.events / bare),
        Row(NAME, "seconds inserting completions and events", events_insert, bare),
        Row(NAME, "seconds rolling up", report.seconds.get("rollup", 0.0)),
    ]


def _bare_insert_seconds(count: int) -> float:
    """Insert ``count`` rows shaped like learning events into a plain temporary table."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_bare_event (organisation_id bigint, actor_id bigint,"
            " verb varchar(40), object_type varchar(40), object_id bigint, result jsonb,"
            " context jsonb, timestamp timestamptz) ON COMMIT DROP"
        )
        started = time.perf_counter()
        cursor.execute(
            "INSERT INTO bench_bare_event SELECT 1, g %% 3333, 'viewed', 'unit', g %% 36,"
            " '{}'::jsonb, '{}'::jsonb, now() - g * interval '1 second'"
            " FROM generate_series(1, %s) AS g",
            [count],
        )
        return time.perf_counter() - started
