"""Writes for analytics: rolling the learning events up into counts."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from events.models import LearningEvent
from organisations.models import Membership, Organisation

from .models import RollupCheckpoint, TeamDailyCount
from .selectors import TEAM_DAILY_ROLLUP

# Bounded so one run holds its transaction briefly; the next run goes on from the checkpoint.
ROLLUP_BATCH_SIZE = 50_000


def team_daily_rollup(
    *,
    organisation: Organisation,
    batch_size: int = ROLLUP_BATCH_SIZE,
    now: dt.datetime | None = None,
    settle: dt.timedelta | None = None,
) -> int:
    """Fold new events into TeamDailyCount; return how many events were folded in.

    Incremental and idempotent: the checkpoint (the last event id folded in) moves
    in the same transaction as the counts, so a crashed run is redone from the old
    checkpoint and a second run finds nothing new. Days are counted in the
    organisation's time zone.

    Ids are handed out at insert, not at commit: an event still in flight can have
    a lower id than one already visible. So a run stops at the first event younger
    than ``settle`` (the setting ROLLUP_SETTLE_SECONDS): anything with a lower id
    than an event that old was inserted by a transaction open at least that long,
    and event-writing transactions (requests, tasks) are much shorter.
    """
    now = now or timezone.now()
    if settle is None:
        settle = dt.timedelta(seconds=settings.ROLLUP_SETTLE_SECONDS)
    with transaction.atomic():
        checkpoint, _ = RollupCheckpoint.objects.select_for_update().get_or_create(
            organisation=organisation, name=TEAM_DAILY_ROLLUP
        )
        fold = _fold_in_database if connection.vendor == "postgresql" else _fold_in_python
        last_event_id, folded = fold(
            organisation=organisation,
            after_id=checkpoint.last_event_id,
            batch_size=batch_size,
            settled_before=now - settle,
        )
        if not folded:
            return 0
        checkpoint.last_event_id = last_event_id
        checkpoint.updated_at = timezone.now()
        checkpoint.save(update_fields=["last_event_id", "updated_at"])
        return folded


def _fold_in_database(
    *, organisation: Organisation, after_id: int, batch_size: int, settled_before: dt.datetime
) -> tuple[int, int]:
    """PostgreSQL: group and upsert the batch in one statement, without moving rows to Python."""
    events = LearningEvent._meta.db_table
    members = Membership._meta.db_table
    table = TeamDailyCount._meta.db_table
    with connection.cursor() as cursor:
        # The batch ends at the batch size, or just before the first unsettled event.
        cursor.execute(
            f"""
            WITH candidates AS (
                SELECT id, timestamp FROM {events}
                WHERE organisation_id = %s AND id > %s ORDER BY id LIMIT %s
            )
            SELECT max(id) FROM candidates WHERE id < coalesce(
                (SELECT min(id) FROM candidates WHERE timestamp > %s), 9223372036854775807
            )
            """,  # noqa: S608 - table names only
            [organisation.pk, after_id, batch_size, settled_before],
        )
        last_id = cursor.fetchone()[0]
        if last_id is None:
            return after_id, 0
        zone = str(organisation.zone)
        cursor.execute(
            f"""
            WITH batch AS (
                SELECT e.actor_id, m.team_id, (e.timestamp AT TIME ZONE %s)::date AS day, e.verb
                FROM {events} e JOIN {members} m ON m.id = e.actor_id
                WHERE e.organisation_id = %s AND e.id > %s AND e.id <= %s
            ), folded AS (
                INSERT INTO {table} AS t (organisation_id, team_id, member_id, day, verb, count)
                SELECT %s, team_id, actor_id, day, verb, count(*)
                FROM batch GROUP BY team_id, actor_id, day, verb
                ON CONFLICT (organisation_id, member_id, day, verb) DO UPDATE
                SET count = t.count + excluded.count, team_id = excluded.team_id
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM batch), (SELECT count(*) FROM folded)
            """,  # noqa: S608 - table names only
            [zone, organisation.pk, after_id, last_id, organisation.pk],
        )
        folded, _rows = cursor.fetchone()
    return last_id, folded


def _fold_in_python(
    *, organisation: Organisation, after_id: int, batch_size: int, settled_before: dt.datetime
) -> tuple[int, int]:
    """SQLite (the local run): read the batch and upsert the counts it adds up to."""
    rows = list(
        LearningEvent.objects.filter(organisation=organisation, id__gt=after_id)
        .order_by("id")
        .values_list("id", "actor_id", "actor__team_id", "verb", "timestamp")[:batch_size]
    )
    for position, row in enumerate(rows):
        if row[4] > settled_before:
            rows = rows[:position]
            break
    if not rows:
        return after_id, 0
    tz = organisation.zone
    counts: Counter[tuple[int, int | None, dt.date, str]] = Counter()
    for _event_id, actor_id, team_id, verb, timestamp in rows:
        counts[(actor_id, team_id, timestamp.astimezone(tz).date(), verb)] += 1
    _upsert_counts(organisation=organisation, counts=counts)
    return rows[-1][0], len(rows)


def _upsert_counts(*, organisation: Organisation, counts: Counter) -> None:
    """INSERT ... ON CONFLICT adds to existing counts (PostgreSQL and SQLite alike)."""
    table = TeamDailyCount._meta.db_table
    items = list(counts.items())
    for start in range(0, len(items), 1000):
        chunk = items[start : start + 1000]
        params: list = []
        for (member_id, team_id, day, verb), count in chunk:
            params += [organisation.pk, team_id, member_id, day, verb, count]
        with connection.cursor() as cursor:
            cursor.execute(
                # Only the model's own table name and placeholders are formatted in.
                f"INSERT INTO {table} (organisation_id, team_id, member_id, day, verb, count) "  # noqa: S608
                f"VALUES {', '.join(['(%s, %s, %s, %s, %s, %s)'] * len(chunk))} "
                "ON CONFLICT (organisation_id, member_id, day, verb) DO UPDATE SET "
                f"count = {table}.count + excluded.count, team_id = excluded.team_id",
                params,
            )
