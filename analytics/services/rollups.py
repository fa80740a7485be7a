"""Writes for analytics: rolling the learning events up into counts and per-member state.

Every rollup reads the event log from its own checkpoint (the last event id folded in),
which moves in the same transaction as the counts: a crashed run is redone from the old
checkpoint, a second run finds nothing new. ``organisation_rollup`` runs them all; the
rollups whose checkpoints stand at the same event (normally all of them) fold the same
batch together, on PostgreSQL in one statement, on SQLite (the local run) in Python.

Ids are handed out at insert, not at commit: an event still in flight can have a lower
id than one already visible. So a run stops at the first event stored less than
``settle`` ago (the setting ROLLUP_SETTLE_SECONDS): anything with a lower id than an
event that old was inserted by a transaction open at least that long, and
event-writing transactions (requests, tasks) are much shorter. Late events (one that
happened long ago and is stored now) are no problem: they have a new id and are folded
into the day they happened on.

The scan reads (organisation, stored_at) from a margin before the last folded event's
``stored_at``, not only ``id > checkpoint``: an event with a higher id was stored at
most a transaction's length earlier, and a time range is what a table partitioned by
month can prune on.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from events.models import LearningEvent
from events.verbs import Category, Verb
from organisations.models import Membership, Organisation

from ..models import (
    GoalDailyCount,
    MemberState,
    RollupCheckpoint,
    TeamDailyCount,
    TrajectoryDailyCount,
    UnitDailyCount,
)
from ..selectors.rollups import (
    FIRST_ROUND,
    GOAL_DAILY_ROLLUP,
    MEMBER_STATE_ROLLUP,
    REPORT_STATUSES,
    TEAM_DAILY_ROLLUP,
    TRAJECTORY_DAILY_ROLLUP,
    UNIT_DAILY_ROLLUP,
)

# Bounded so one run holds its transaction briefly; the next run goes on from the checkpoint.
ROLLUP_BATCH_SIZE = 50_000
# How far before the last folded event's stored_at the next scan starts, beyond the settle
# window (which already outlasts any event-writing transaction): slack, cheap to re-read.
SCAN_MARGIN = dt.timedelta(minutes=10)
SCAN_FROM_START = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MAX_ID = 9_223_372_036_854_775_807

# Verbs that are done to a member (or for them), not by them: they count, but they are no
# activity of the member's ("last activity" in the coaching view skips them).
PASSIVE_VERBS = frozenset(
    {
        Verb.ASSIGNED,
        Verb.ENROLLED,
        Verb.WITHDRAWN,
        Verb.NUDGE_SENT,
        Verb.APPROVED,
        Verb.ASKED_CHANGES,
    }
)


@dataclass(frozen=True)
class EventRow:
    """One event as the Python fold reads it (SQLite), with the actor's current team."""

    id: int
    actor_id: int
    team_id: int | None
    verb: str
    object_type: str
    object_id: int
    result: dict
    context: dict
    timestamp: dt.datetime
    stored_at: dt.datetime


def _whole(value) -> int | None:
    """A JSON value that is a whole, non-negative number (the SQL side: ``_whole_sql``)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_ID:
        return value
    return None


def _whole_sql(expression: str) -> str:
    return (
        f"CASE WHEN jsonb_typeof({expression}) = 'number' AND ({expression} #>> '{{}}') "
        f"~ '^[0-9]{{1,18}}$' THEN ({expression} #>> '{{}}')::bigint END"
    )


def _object_key(object_type: str, context_key: str) -> tuple[Callable[[EventRow], int | None], str]:
    """The object an event is about: the object itself, or the one named in its context."""

    def key(event: EventRow) -> int | None:
        if event.object_type == object_type:
            return event.object_id
        return _whole((event.context or {}).get(context_key))

    in_context = _whole_sql(f"context -> '{context_key}'")
    sql = f"CASE WHEN object_type = '{object_type}' THEN object_id ELSE {in_context} END"
    return key, sql


def _minutes(event: EventRow) -> int:
    """A unit's estimated minutes, on its completion; none for a completion another event
    already counts (``counted_as``: a plan activity that is that unit)."""
    context = event.context or {}
    if event.verb == Verb.COMPLETED and event.object_type == "unit" and "counted_as" not in context:
        return _whole(context.get("minutes")) or 0
    return 0


_MINUTES_IN_CONTEXT = _whole_sql("context -> 'minutes'")
MINUTES_SQL = (
    f"CASE WHEN verb = '{Verb.COMPLETED.value}' AND object_type = 'unit' "
    f"AND NOT (context ? 'counted_as') THEN coalesce({_MINUTES_IN_CONTEXT}, 0) ELSE 0 END"
)


# What a figure needs beyond the verb, kept as the rollups' ``detail`` so that no page goes
# back to the raw events: a completion's 70:20:10 category (unless another event already
# counts it: ``counted_as``), a commitment report's status, a sign-off in the first round.
_CATEGORIES = tuple(category.value for category in Category)


def _detail(event: EventRow) -> str:
    context = event.context or {}
    if event.verb == Verb.COMPLETED:
        category = context.get("category")
        if "counted_as" not in context and category in _CATEGORIES:
            return category
    elif event.verb == Verb.APPLIED:
        status = (event.result or {}).get("status")
        if status in REPORT_STATUSES:
            return status
    elif event.verb == Verb.APPROVED and _whole(context.get("round")) == 1:
        return FIRST_ROUND
    return ""


def _listed(values) -> str:
    return ", ".join(f"'{value}'" for value in values)


DETAIL_SQL = f"""CASE
    WHEN verb = '{Verb.COMPLETED.value}' AND NOT (context ? 'counted_as')
         AND context ->> 'category' IN ({_listed(_CATEGORIES)}) THEN context ->> 'category'
    WHEN verb = '{Verb.APPLIED.value}' AND result ->> 'status' IN ({_listed(REPORT_STATUSES)})
         THEN result ->> 'status'
    WHEN verb = '{Verb.APPROVED.value}' AND {_whole_sql("context -> 'round'")} = 1
         THEN '{FIRST_ROUND}'
    ELSE '' END"""


def _verb(*verbs: Verb) -> tuple[str, Callable[[EventRow], bool]]:
    codes = frozenset(v.value for v in verbs)
    listed = ", ".join(f"'{code}'" for code in sorted(codes))
    return f"verb IN ({listed})", lambda e: e.verb in codes


def _verb_on(verb: Verb, object_type: str) -> tuple[str, Callable[[EventRow], bool]]:
    return (
        f"verb = '{verb.value}' AND object_type = '{object_type}'",
        lambda e: e.verb == verb and e.object_type == object_type,
    )


def _reported(*statuses: str) -> tuple[str, Callable[[EventRow], bool]]:
    listed = ", ".join(f"'{s}'" for s in statuses)
    return (
        f"verb = '{Verb.APPLIED.value}' AND result ->> 'status' IN ({listed})",
        lambda e: e.verb == Verb.APPLIED and (e.result or {}).get("status") in statuses,
    )


# MemberState's counts, each defined once: column, SQL condition, the same in Python.
MEMBER_COUNTS: tuple[tuple[str, str, Callable[[EventRow], bool]], ...] = (
    ("events", "TRUE", lambda e: True),
    ("units_completed", *_verb_on(Verb.COMPLETED, "unit")),
    ("steps_completed", *_verb_on(Verb.COMPLETED, "step")),
    ("steps_submitted", *_verb(Verb.SUBMITTED)),
    ("steps_signed_off", *_verb(Verb.APPROVED)),
    ("commitments_made", *_verb(Verb.COMMITTED)),
    ("commitments_applied", *_reported("applied")),
    ("commitments_not_yet", *_reported("not_yet")),
    ("commitments_closed", *_reported("applied", "not_relevant")),
    ("goals_agreed", *_verb(Verb.GOAL_AGREED)),
    ("goals_achieved", *_verb(Verb.GOAL_ACHIEVED)),
    ("check_ins", *_verb(Verb.CHECKED_IN)),
    ("nudges_sent", *_verb(Verb.NUDGE_SENT)),
    ("nudges_acted", *_verb(Verb.NUDGE_OPENED, Verb.NUDGE_CLICKED)),
)
LAST_COLUMNS = (
    "last_activity_at",
    "last_activity_verb",
    "last_activity_object_type",
    "last_activity_object_id",
)
ACTIVE_SQL = "verb NOT IN ({})".format(", ".join(f"'{v.value}'" for v in sorted(PASSIVE_VERBS)))


def _is_active(event: EventRow) -> bool:
    return event.verb not in PASSIVE_VERBS


# --- The rollups -----------------------------------------------------------------------


@dataclass(frozen=True)
class Rollup:
    """One rollup: its checkpoint name, its table, and its fold in SQL and in Python.

    ``sql`` is an ``INSERT ... SELECT ... FROM batch ... ON CONFLICT`` over the CTE
    ``batch`` (the events of the batch with the actor's team and the local day), run as
    one part of the statement that folds the batch. ``python`` folds the same rows.
    """

    name: str
    model: type[models.Model]
    sql: Callable[[], str]
    python: Callable[[Organisation, list[EventRow]], None]


def _day(organisation: Organisation, event: EventRow) -> dt.date:
    return event.timestamp.astimezone(organisation.zone).date()


def _team_daily_sql() -> str:
    table = TeamDailyCount._meta.db_table
    return f"""
        INSERT INTO {table} AS t
            (organisation_id, team_id, member_id, day, verb, detail, count, minutes)
        SELECT %(organisation)s, team_id, actor_id, day, verb, detail, count(*), sum(minutes)
        FROM (SELECT *, {DETAIL_SQL} AS detail, {MINUTES_SQL} AS minutes FROM batch) detailed
        GROUP BY team_id, actor_id, day, verb, detail
        ON CONFLICT (organisation_id, member_id, day, verb, detail) DO UPDATE
        SET count = t.count + excluded.count, minutes = t.minutes + excluded.minutes,
            team_id = excluded.team_id
    """  # noqa: S608 - table names only


def _team_daily_python(organisation: Organisation, events: list[EventRow]) -> None:
    counts: Counter = Counter()
    minutes: Counter = Counter()
    for event in events:
        group = (
            event.team_id,
            event.actor_id,
            _day(organisation, event),
            event.verb,
            _detail(event),
        )
        counts[group] += 1
        minutes[group] += _minutes(event)
    _upsert(
        table=TeamDailyCount._meta.db_table,
        columns=("team_id", "member_id", "day", "verb", "detail", "count", "minutes"),
        conflict=("organisation_id", "member_id", "day", "verb", "detail"),
        updates=(
            "count = {t}.count + excluded.count",
            "minutes = {t}.minutes + excluded.minutes",
            "team_id = excluded.team_id",
        ),
        organisation=organisation,
        rows=[(*group, count, minutes[group]) for group, count in counts.items()],
    )


def _object_daily(name: str, model, column: str, object_type: str, context_key: str) -> Rollup:
    key, key_sql = _object_key(object_type, context_key)
    minutes = model is UnitDailyCount
    table = model._meta.db_table

    def sql() -> str:
        extra_column = ", minutes" if minutes else ""
        extra_value = ", sum(minutes)" if minutes else ""
        extra_update = ", minutes = t.minutes + excluded.minutes" if minutes else ""
        minutes_column = f", {MINUTES_SQL} AS minutes" if minutes else ""
        return f"""
            INSERT INTO {table} AS t
                (organisation_id, {column}, team_id, member_id, day, verb, detail,
                 count{extra_column})
            SELECT %(organisation)s, object_key, team_id, actor_id, day, verb, detail,
                   count(*){extra_value}
            FROM (
                SELECT *, {key_sql} AS object_key, {DETAIL_SQL} AS detail{minutes_column}
                FROM batch
            ) keyed
            WHERE object_key IS NOT NULL
            GROUP BY object_key, team_id, actor_id, day, verb, detail
            ON CONFLICT (organisation_id, {column}, member_id, day, verb, detail) DO UPDATE
            SET count = t.count + excluded.count, team_id = excluded.team_id{extra_update}
        """  # noqa: S608 - table and column names only

    def python(organisation: Organisation, events: list[EventRow]) -> None:
        counts: Counter = Counter()
        totals: Counter = Counter()
        for event in events:
            object_id = key(event)
            if object_id is None:
                continue
            group = (
                object_id,
                event.team_id,
                event.actor_id,
                _day(organisation, event),
                event.verb,
                _detail(event),
            )
            counts[group] += 1
            totals[group] += _minutes(event)
        _upsert(
            table=table,
            columns=(column, "team_id", "member_id", "day", "verb", "detail", "count")
            + (("minutes",) if minutes else ()),
            conflict=("organisation_id", column, "member_id", "day", "verb", "detail"),
            updates=("count = {t}.count + excluded.count", "team_id = excluded.team_id")
            + (("minutes = {t}.minutes + excluded.minutes",) if minutes else ()),
            organisation=organisation,
            rows=[
                (*group, count) + ((totals[group],) if minutes else ())
                for group, count in counts.items()
            ],
        )

    return Rollup(name=name, model=model, sql=sql, python=python)


def _later(t: str, column: str) -> str:
    """The SET for a last-activity column: the batch's wins when it happened at the same
    time or later (a later batch holds higher ids, and ties go to the higher id)."""
    return (
        f"{column} = CASE WHEN excluded.last_activity_at IS NOT NULL AND "
        f"({t}.last_activity_at IS NULL OR excluded.last_activity_at >= {t}.last_activity_at) "
        f"THEN excluded.{column} ELSE {t}.{column} END"
    )


def _member_state_updates(t: str) -> list[str]:
    return (
        ["team_id = excluded.team_id"]
        + [f"{c} = {t}.{c} + excluded.{c}" for c, _sql, _py in MEMBER_COUNTS]
        + [f"minutes = {t}.minutes + excluded.minutes"]
        + [_later(t, column) for column in LAST_COLUMNS]
    )


MEMBER_STATE_COLUMNS = (
    ("member_id", "team_id")
    + tuple(column for column, _sql, _py in MEMBER_COUNTS)
    + ("minutes",)
    + LAST_COLUMNS
)


def _member_state_sql() -> str:
    table = MemberState._meta.db_table
    counts = ", ".join(f"count(*) FILTER (WHERE {cond})" for _c, cond, _py in MEMBER_COUNTS)
    return f"""
        INSERT INTO {table} AS t (organisation_id, {", ".join(MEMBER_STATE_COLUMNS)})
        SELECT %(organisation)s, s.*, l.timestamp,
               coalesce(l.verb, ''), coalesce(l.object_type, ''),
               l.object_id
        FROM (
            SELECT actor_id, max(team_id), {counts}, sum({MINUTES_SQL})
            FROM batch GROUP BY actor_id
        ) s LEFT JOIN (
            SELECT DISTINCT ON (actor_id) actor_id, timestamp, verb, object_type, object_id
            FROM batch WHERE {ACTIVE_SQL} ORDER BY actor_id, timestamp DESC, id DESC
        ) l ON l.actor_id = s.actor_id
        ON CONFLICT (organisation_id, member_id) DO UPDATE
        SET {", ".join(_member_state_updates("t"))}
    """  # noqa: S608 - table and column names only


def _member_state_python(organisation: Organisation, events: list[EventRow]) -> None:
    teams: dict[int, int | None] = {}
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * (len(MEMBER_COUNTS) + 1))
    latest: dict[int, EventRow] = {}
    for event in events:
        teams[event.actor_id] = event.team_id
        row = counts[event.actor_id]
        for n, (_column, _sql, applies) in enumerate(MEMBER_COUNTS):
            row[n] += applies(event)
        row[-1] += _minutes(event)
        if _is_active(event):
            best = latest.get(event.actor_id)
            if best is None or (event.timestamp, event.id) > (best.timestamp, best.id):
                latest[event.actor_id] = event
    rows = []
    for actor_id, row in counts.items():
        last = latest.get(actor_id)
        rows.append(
            (actor_id, teams[actor_id], *row)
            + (
                (last.timestamp, last.verb, last.object_type, last.object_id)
                if last
                else (None, "", "", None)
            )
        )
    # "" for a member without activity in the batch: the SET keeps the earlier value,
    # since excluded.last_activity_at is NULL then.
    _upsert(
        table=MemberState._meta.db_table,
        columns=MEMBER_STATE_COLUMNS,
        conflict=("organisation_id", "member_id"),
        updates=tuple(_member_state_updates("{t}")),
        organisation=organisation,
        rows=rows,
    )


ROLLUPS: tuple[Rollup, ...] = (
    Rollup(TEAM_DAILY_ROLLUP, TeamDailyCount, _team_daily_sql, _team_daily_python),
    _object_daily(UNIT_DAILY_ROLLUP, UnitDailyCount, "unit_id", "unit", "unit"),
    _object_daily(
        TRAJECTORY_DAILY_ROLLUP, TrajectoryDailyCount, "trajectory_id", "trajectory", "trajectory"
    ),
    _object_daily(GOAL_DAILY_ROLLUP, GoalDailyCount, "goal_id", "goal", "goal_id"),
    Rollup(MEMBER_STATE_ROLLUP, MemberState, _member_state_sql, _member_state_python),
)
ROLLUP_NAMES = tuple(rollup.name for rollup in ROLLUPS)


# --- Running them ----------------------------------------------------------------------


def organisation_rollup(
    *,
    organisation: Organisation,
    batch_size: int = ROLLUP_BATCH_SIZE,
    now: dt.datetime | None = None,
    settle: dt.timedelta | None = None,
    rollups: Iterable[Rollup] = ROLLUPS,
) -> int:
    """Fold one batch of new events into every rollup; return the most any rollup folded.

    A result of ``batch_size`` means more may be waiting. Days are counted in the
    organisation's time zone. All checkpoints move in this one transaction.
    """
    now = now or timezone.now()
    if settle is None:
        settle = dt.timedelta(seconds=settings.ROLLUP_SETTLE_SECONDS)
    rollups = list(rollups)
    folded = 0
    with transaction.atomic():
        checkpoints = _checkpoints_locked(organisation=organisation, rollups=rollups)
        groups: dict[tuple[int, dt.datetime | None], list[Rollup]] = defaultdict(list)
        for rollup in rollups:
            checkpoint = checkpoints[rollup.name]
            groups[(checkpoint.last_event_id, checkpoint.last_stored_at)].append(rollup)
        for (after_id, last_stored_at), group in groups.items():
            scan_from = last_stored_at - settle - SCAN_MARGIN if last_stored_at else SCAN_FROM_START
            fold = _fold_in_database if connection.vendor == "postgresql" else _fold_in_python
            window = fold(
                organisation=organisation,
                rollups=group,
                after_id=after_id,
                scan_from=scan_from,
                batch_size=batch_size,
                settled_before=now - settle,
            )
            if window is None:
                continue
            last_id, stored_at, count = window
            folded = max(folded, count)
            moved_at = timezone.now()
            for rollup in group:
                checkpoint = checkpoints[rollup.name]
                checkpoint.last_event_id, checkpoint.last_stored_at = last_id, stored_at
                checkpoint.updated_at = moved_at
                checkpoint.save(update_fields=["last_event_id", "last_stored_at", "updated_at"])
    return folded


def team_daily_rollup(
    *,
    organisation: Organisation,
    batch_size: int = ROLLUP_BATCH_SIZE,
    now: dt.datetime | None = None,
    settle: dt.timedelta | None = None,
) -> int:
    """Only TeamDailyCount (what the team dashboard and the organisation report read)."""
    return organisation_rollup(
        organisation=organisation,
        batch_size=batch_size,
        now=now,
        settle=settle,
        rollups=[ROLLUPS[0]],
    )


def _checkpoints_locked(
    *, organisation: Organisation, rollups: list[Rollup]
) -> dict[str, RollupCheckpoint]:
    """Every rollup's checkpoint, locked, made at 0 where missing (always in one order, so
    two runs of one organisation queue behind each other instead of deadlocking)."""
    found = {}
    for rollup in sorted(rollups, key=lambda r: r.name):
        found[rollup.name], _ = RollupCheckpoint.objects.select_for_update().get_or_create(
            organisation=organisation, name=rollup.name
        )
    return found


def _fold_in_database(
    *,
    organisation: Organisation,
    rollups: list[Rollup],
    after_id: int,
    scan_from: dt.datetime,
    batch_size: int,
    settled_before: dt.datetime,
) -> tuple[int, dt.datetime, int] | None:
    """PostgreSQL: find the batch, then group and upsert it into every rollup in one
    statement (a data-modifying CTE per rollup over one materialised batch)."""
    events = LearningEvent._meta.db_table
    members = Membership._meta.db_table
    params = {
        "organisation": organisation.pk,
        "after": after_id,
        "scan_from": scan_from,
        "limit": batch_size,
        "settled_before": settled_before,
        "zone": str(organisation.zone),
    }
    with connection.cursor() as cursor:
        # The batch ends at the batch size, or just before the first unsettled event.
        cursor.execute(
            f"""
            WITH candidates AS (
                SELECT id, stored_at FROM {events}
                WHERE organisation_id = %(organisation)s AND stored_at >= %(scan_from)s
                  AND id > %(after)s
                ORDER BY id LIMIT %(limit)s
            )
            SELECT id, stored_at FROM candidates WHERE id < coalesce(
                (SELECT min(id) FROM candidates WHERE stored_at > %(settled_before)s),
                {MAX_ID}
            ) ORDER BY id DESC LIMIT 1
            """,  # noqa: S608 - table names only
            params,
        )
        found = cursor.fetchone()
        if found is None:
            return None
        params["last"], stored_at = found
        parts = ",\n".join(f"fold_{n} AS ({rollup.sql()})" for n, rollup in enumerate(rollups))
        cursor.execute(
            f"""
            WITH batch AS MATERIALIZED (
                SELECT e.id, e.actor_id, m.team_id, e.verb, e.object_type, e.object_id,
                       e.result, e.context, e.timestamp,
                       (e.timestamp AT TIME ZONE %(zone)s)::date AS day
                FROM {events} e JOIN {members} m ON m.id = e.actor_id
                WHERE e.organisation_id = %(organisation)s AND e.stored_at >= %(scan_from)s
                  AND e.id > %(after)s AND e.id <= %(last)s
            ),
            {parts}
            SELECT count(*) FROM batch
            """,  # noqa: S608 - table names only
            params,
        )
        (count,) = cursor.fetchone()
    return params["last"], stored_at, count


def _fold_in_python(
    *,
    organisation: Organisation,
    rollups: list[Rollup],
    after_id: int,
    scan_from: dt.datetime,
    batch_size: int,
    settled_before: dt.datetime,
) -> tuple[int, dt.datetime, int] | None:
    """SQLite (the local run): read the batch, and upsert what it adds up to."""
    rows = [
        EventRow(*row)
        for row in LearningEvent.objects.filter(
            organisation=organisation, stored_at__gte=scan_from, id__gt=after_id
        )
        .order_by("id")
        .values_list(
            "id",
            "actor_id",
            "actor__team_id",
            "verb",
            "object_type",
            "object_id",
            "result",
            "context",
            "timestamp",
            "stored_at",
        )[:batch_size]
    ]
    for position, row in enumerate(rows):
        if row.stored_at > settled_before:
            rows = rows[:position]
            break
    if not rows:
        return None
    for rollup in rollups:
        rollup.python(organisation, rows)
    return rows[-1].id, rows[-1].stored_at, len(rows)


def _upsert(
    *,
    table: str,
    columns: tuple[str, ...],
    conflict: tuple[str, ...],
    updates: tuple[str, ...],
    organisation: Organisation,
    rows: list[tuple],
) -> None:
    """INSERT ... ON CONFLICT DO UPDATE (PostgreSQL and SQLite alike), 500 rows a statement.

    ``updates`` name the existing row ``{t}`` (SQLite's upsert takes no table alias).
    """
    ops = connection.ops
    width = len(columns) + 1
    sets = ", ".join(update.format(t=table) for update in updates)
    for start in range(0, len(rows), 500):
        chunk = rows[start : start + 500]
        params: list = []
        for row in chunk:
            params.append(organisation.pk)
            for value in row:
                if isinstance(value, dt.datetime):
                    value = ops.adapt_datetimefield_value(value)
                elif isinstance(value, dt.date):
                    value = ops.adapt_datefield_value(value)
                params.append(value)
        placeholders = "(" + ", ".join(["%s"] * width) + ")"
        with connection.cursor() as cursor:
            cursor.execute(
                # Only the models' own table and column names are formatted in.
                f"INSERT INTO {table} (organisation_id, {', '.join(columns)}) "  # noqa: S608
                f"VALUES {', '.join([placeholders] * len(chunk))} "
                f"ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {sets}",
                params,
            )
