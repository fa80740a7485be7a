"""Rebuilding every rollup from the event log: the same code path as the incremental run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from events.models import LearningEvent
from organisations.models import Organisation

from ..models import RollupCheckpoint
from ..selectors.rollups import events_deleted_by_retention
from .rollups import ROLLUP_NAMES, ROLLUPS, organisation_rollup

# Bigger than the incremental batch: a rebuild runs alone, and fewer, larger statements
# are faster; small enough that the progress bar moves.
REBUILD_BATCH_SIZE = 250_000

ERROR_EVENTS_DELETED = _(
    "%(count)s raw events of %(organisation)s were deleted by retention; a rebuild from the "
    "events left would lose the history only the rollups still hold, so it is refused."
)


class RebuildRefused(Exception):
    """A rebuild that would lose figures: raw events are gone, the rollups hold them."""


def rollups_rebuild(
    *,
    organisation: Organisation,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = REBUILD_BATCH_SIZE,
    now: dt.datetime | None = None,
    settle: dt.timedelta | None = None,
) -> int:
    """Delete every rollup of the organisation and fold all its events in again.

    One transaction: pages keep showing the old figures until the new ones commit, and a
    failed rebuild leaves the old ones. Batches go through ``organisation_rollup``, so a
    rebuild gives exactly what the incremental runs give; events younger than the settle
    window are left to the next incremental run, as always. ``progress(done, total)`` is
    called after each batch. Refused (``RebuildRefused``) once retention has deleted raw
    events: the rollups are then the only record of those months.
    """
    deleted = events_deleted_by_retention(organisation=organisation)
    if deleted:
        raise RebuildRefused(
            ERROR_EVENTS_DELETED % {"count": deleted, "organisation": organisation.slug}
        )
    with transaction.atomic():
        # Lock first, so an incremental run waits for the rebuild instead of interleaving.
        list(
            RollupCheckpoint.objects.select_for_update()
            .filter(organisation=organisation)
            .order_by("name")
        )
        for rollup in ROLLUPS:
            rollup.model.objects.filter(organisation=organisation).delete()
        RollupCheckpoint.objects.filter(organisation=organisation, name__in=ROLLUP_NAMES).update(
            last_event_id=0, last_stored_at=None
        )
        total = LearningEvent.objects.filter(organisation=organisation).count()
        done = 0
        if progress:
            progress(done, total)
        while folded := organisation_rollup(
            organisation=organisation, batch_size=batch_size, now=now, settle=settle
        ):
            done += folded
            if progress:
                progress(min(done, total), total)
    return done
