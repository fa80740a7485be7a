"""Retention: raw learning events older than the organisation's setting are deleted, but
only those every rollup has already counted, so every figure the pages show stays."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from events.services import learning_events_delete_rolled_up
from organisations.models import Organisation
from organisations.services import audit_log_record

from ..models import EventRetention, RollupCheckpoint
from ..selectors.rollups import rolled_up_through

# Bounded so one run holds its transaction briefly; a full run is followed by another.
RETENTION_BATCH_SIZE = 50_000


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same local day and time ``months`` months earlier (the 31st becomes the month's
    last day)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    next_first = dt.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_first - dt.timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def event_retention_cutoff(
    *, organisation: Organisation, now: dt.datetime | None = None
) -> dt.datetime | None:
    """Events that happened before this may go (the start of the local day N months ago);
    None when the organisation keeps its events forever."""
    months = organisation.event_retention_months
    if not months:
        return None
    local = (now or timezone.now()).astimezone(organisation.zone)
    start_of_day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return months_before(start_of_day, months)


def event_retention_apply(
    *,
    organisation: Organisation,
    now: dt.datetime | None = None,
    batch_size: int = RETENTION_BATCH_SIZE,
) -> int:
    """Delete up to ``batch_size`` raw events past the organisation's retention that every
    rollup has counted; return how many were deleted.

    The checkpoints are locked while deleting, so no rollup runs (or is rebuilt) at the
    same time; an event below every checkpoint is never read by a rollup again.
    """
    now = now or timezone.now()
    cutoff = event_retention_cutoff(organisation=organisation, now=now)
    if cutoff is None:
        return 0
    with transaction.atomic():
        list(
            RollupCheckpoint.objects.select_for_update()
            .filter(organisation=organisation)
            .order_by("name")
        )
        through = rolled_up_through(organisation=organisation)
        deleted, highest = learning_events_delete_rolled_up(
            organisation_id=organisation.pk, before=cutoff, through_id=through, limit=batch_size
        )
        if not deleted:
            return 0
        record, _ = EventRetention.objects.select_for_update().get_or_create(
            organisation=organisation
        )
        record.deleted += deleted
        record.deleted_through_id = max(record.deleted_through_id, highest)
        record.deleted_before = cutoff
        record.last_run_at = now
        record.save()
        audit_log_record(
            actor=None,
            organisation_id=organisation.pk,
            action="analytics.events_deleted_by_retention",
            data={"deleted": deleted, "before": cutoff.isoformat(), "through_id": highest},
        )
    return deleted
