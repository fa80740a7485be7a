"""Writes for analytics: recording learning events and rolling them up."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from organisations.models import Membership, Organisation

from .models import LearningEvent, RollupCheckpoint, TeamDailyCount
from .selectors import TEAM_DAILY_ROLLUP, organisation_zone

# Bounded so one run holds its transaction briefly; the next run goes on from the checkpoint.
ROLLUP_BATCH_SIZE = 50_000


def learning_event_record(
    *,
    actor: Membership,
    verb: str,
    object_type: str,
    object_id: int,
    result: dict | None = None,
    context: dict | None = None,
    timestamp: dt.datetime | None = None,
) -> LearningEvent:
    """Append one xAPI-shaped statement: actor, verb, object, result, context, timestamp."""
    return LearningEvent.objects.create(
        organisation_id=actor.organisation_id,
        actor=actor,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        result=result or {},
        context=context or {},
        timestamp=timestamp or timezone.now(),
    )


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
        rows = list(
            LearningEvent.objects.filter(organisation=organisation, id__gt=checkpoint.last_event_id)
            .order_by("id")
            .values_list("id", "actor_id", "actor__team_id", "verb", "timestamp")[:batch_size]
        )
        settled_before = now - settle
        for position, row in enumerate(rows):
            if row[4] > settled_before:
                rows = rows[:position]
                break
        if not rows:
            return 0
        tz = organisation_zone(organisation=organisation)
        counts: Counter[tuple[int, int | None, dt.date, str]] = Counter()
        for _event_id, actor_id, team_id, verb, timestamp in rows:
            counts[(actor_id, team_id, timestamp.astimezone(tz).date(), verb)] += 1
        _upsert_counts(organisation=organisation, counts=counts)
        checkpoint.last_event_id = rows[-1][0]
        checkpoint.updated_at = timezone.now()
        checkpoint.save(update_fields=["last_event_id", "updated_at"])
        return len(rows)


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
