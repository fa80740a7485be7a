"""Work that must happen after a commit, and survives a broker that is down (an outbox).

``enqueue_after_commit`` writes an ``OutboxMessage`` row in the caller's transaction,
so the promise to run the task commits (or rolls back) with the change it follows.
Once the transaction commits, the message is published to the broker; if that
fails, the error is logged and the row stays pending. Beat's ``outbox_sweep``
publishes pending rows again, so nothing is lost while the broker is away.

A message may therefore reach a worker twice (published on commit and by a
sweep that overlapped, or a retry). Each task claims its row with
``outbox_claim`` inside its own transaction before it acts: the second delivery
finds the row done and does nothing.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from celery import Task, current_app
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from ..models import Organisation, OutboxMessage
from ..tenancy import organisation_scope

logger = logging.getLogger("werkwijs.outbox")

# A row younger than this may still be on its way from its own on_commit publish.
SWEEP_AFTER = timedelta(seconds=10)
# A row handed to the broker that no worker ran in this long was lost with the
# broker (a restart without persistence): it is published again.
RESEND_AFTER = timedelta(hours=1)
# Done rows are kept this long for support questions ("was the invitation sent?").
KEEP_DONE = timedelta(days=7)
# Bounds one organisation's share of a sweep (and the rows it locks).
SWEEP_BATCH = 500
LAST_ERROR_LENGTH = 1000


def enqueue_after_commit(
    task: Task, *, organisation: Organisation | int, **kwargs
) -> OutboxMessage:
    """Run ``task(organisation_id, **kwargs, outbox_id=...)`` once this transaction commits.

    ``task`` is a ``TenantTask`` that takes ``outbox_id`` and calls ``outbox_claim``
    first; ``kwargs`` must be JSON (ids, not objects). A rolled-back transaction
    takes the row with it, so nothing is sent for a change that never happened.
    """
    organisation_id = getattr(organisation, "pk", organisation)
    json.dumps(kwargs)  # fails here, in the caller, rather than in a worker
    message = OutboxMessage.objects.create(
        organisation_id=organisation_id, task=task.name, kwargs=kwargs
    )

    def publish_outbox_message() -> None:
        _publish(message)

    # robust: a failure here must not cost the other callbacks of this commit.
    transaction.on_commit(publish_outbox_message, robust=True)
    return message


def outbox_claim(*, outbox_id: int | None) -> bool:
    """Whether the calling task may act on its message; call it inside the task's transaction.

    Marks the row done in that transaction: if the task fails it rolls back and a
    retry may claim again; a second delivery waits for the first and then finds
    the row done. A missing row (organisation deleted) is nothing to do. Without
    an id (a direct call, or a message queued before the outbox) the task acts.
    """
    if outbox_id is None:
        return True
    claimed = (
        OutboxMessage.objects.filter(pk=outbox_id)
        .exclude(state=OutboxMessage.State.DONE)
        .update(state=OutboxMessage.State.DONE, done_at=timezone.now())
    )
    return claimed == 1


def _publish(message: OutboxMessage) -> bool:
    """Hand one message to the broker and record the outcome; never raises."""
    try:
        task = current_app.tasks[message.task]
        # No retries here: a request must not wait on a broker that is down; the
        # sweeper tries again.
        task.apply_async(
            args=[message.organisation_id],
            kwargs={**message.kwargs, "outbox_id": message.pk},
            retry=False,
        )
    except Exception as exc:  # the broker's errors are many (socket, kombu, redis)
        logger.warning(
            "outbox message %s (%s) not published, left for the sweeper: %r",
            message.pk,
            message.task,
            exc,
        )
        _record(message, error=repr(exc))
        return False
    _record(message, error=None)
    return True


def _record(message: OutboxMessage, *, error: str | None) -> None:
    changes: dict = {"attempts": F("attempts") + 1}
    if error is None:
        changes.update(state=OutboxMessage.State.SENT, sent_at=timezone.now())
    else:
        changes["last_error"] = error[:LAST_ERROR_LENGTH]
    try:
        with organisation_scope(message.organisation_id):
            # Only a row still waiting: an eager or fast worker may have claimed it already.
            OutboxMessage.objects.filter(pk=message.pk).exclude(
                state=OutboxMessage.State.DONE
            ).update(**changes)
    except Exception:
        # The message itself is safe: the row is pending or sent either way.
        logger.exception("outbox message %s: outcome not recorded", message.pk)


def outbox_sweep(*, now: datetime) -> int:
    """Publish every message still waiting, organisation by organisation; drop old done rows.

    Returns how many were published. The first failure ends the sweep: the broker
    is still away, and the next sweep tries again.
    """
    published = 0
    waiting = Q(state=OutboxMessage.State.PENDING, created_at__lte=now - SWEEP_AFTER) | Q(
        state=OutboxMessage.State.SENT, sent_at__lte=now - RESEND_AFTER
    )
    for organisation_id in Organisation.objects.order_by("pk").values_list("pk", flat=True):
        with organisation_scope(organisation_id):
            messages = list(
                OutboxMessage.objects.filter(waiting, organisation_id=organisation_id)
                .order_by("created_at", "pk")
                # Overlapping sweeps publish different rows.
                .select_for_update(skip_locked=True)[:SWEEP_BATCH]
            )
            for message in messages:
                if not _publish(message):
                    return published
                published += 1
            OutboxMessage.objects.filter(
                organisation_id=organisation_id,
                state=OutboxMessage.State.DONE,
                done_at__lte=now - KEEP_DONE,
            ).delete()
    return published
