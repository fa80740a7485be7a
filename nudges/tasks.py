"""Thin Celery wrappers around the nudge services; every tenant task takes ids.

Beat runs ``plan_all`` (rules into planned rows), ``dispatch`` (due rows to
senders) and ``sweep`` (expired leases back to planned); ``send`` delivers. All
of them may run twice or concurrently: the database decides, not the broker.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from organisations.models import Organisation
from organisations.services import outbox_claim
from organisations.tenancy import TenantTask, organisation_scope

from . import services

logger = logging.getLogger(__name__)

# Nudges a sender found locked by a short transaction are tried again this soon, this
# often; after that the sweeper plans them again when their lease runs out.
LOCKED_RETRY_SECONDS = 2
LOCKED_RETRIES = 3


@shared_task(name="nudges.plan_organisation", base=TenantTask, acks_late=True)
def plan_organisation(organisation: Organisation) -> int:
    """Plan the organisation's active rules; the dispatcher sends what comes due."""
    return services.nudges_plan_due(organisation=organisation, now=timezone.now())


@shared_task(name="nudges.plan_all")
def plan_all() -> int:
    """Beat entry: one planner task per organisation, so organisations run in parallel."""
    ids = list(Organisation.objects.order_by("id").values_list("id", flat=True))
    for organisation_id in ids:
        plan_organisation.delay(organisation_id)
    return len(ids)


def _publish_senders(
    organisation_id: int,
    ids: list[int],
    lease_until: str | None = None,
    *,
    attempt: int = 0,
    countdown: int | None = None,
) -> None:
    """Hand claimed ids to senders; a broker that is down costs a lease, not a nudge.

    The claim's lease goes along: a message arriving after its rows were claimed
    again (swept, then dispatched anew) finds nothing of its own to send.
    """
    for start in range(0, len(ids), services.SEND_BATCH):
        chunk = ids[start : start + services.SEND_BATCH]
        try:
            send.apply_async(
                args=[organisation_id, chunk, lease_until, attempt],
                countdown=countdown,
                retry=False,
            )
        except Exception as exc:  # the broker's errors are many (socket, kombu, redis)
            logger.warning(
                "nudges %s not handed to a sender, the sweeper plans them again: %r", chunk, exc
            )


@shared_task(name="nudges.dispatch")
def dispatch() -> int:
    """Beat entry, every minute: claim due nudges per organisation, enqueue senders on commit."""
    now = timezone.now()
    claimed = 0
    for organisation in Organisation.objects.order_by("pk"):
        for _round in range(services.delivery.DISPATCH_ROUNDS):
            with organisation_scope(organisation.pk):
                ids = services.nudges_dispatch_due(organisation=organisation, now=now)
                if ids:
                    lease = services.delivery.lease_for(now).isoformat()
                    transaction.on_commit(
                        partial(_publish_senders, organisation.pk, ids, lease), robust=True
                    )
            claimed += len(ids)
            if len(ids) < services.delivery.DISPATCH_BATCH:
                break
    return claimed


@shared_task(name="nudges.sweep")
def sweep() -> int:
    """Beat entry, every minute: nudges whose sender vanished are planned again."""
    now = timezone.now()
    swept = 0
    for organisation in Organisation.objects.order_by("pk"):
        with organisation_scope(organisation.pk):
            swept += services.nudges_sweep_expired(organisation=organisation, now=now)
    return swept


@shared_task(name="nudges.send", acks_late=True, reject_on_worker_lost=True)
def send(
    organisation_id: int, nudge_ids: list[int], lease_until: str | None = None, attempt: int = 0
) -> dict[str, int]:
    """Deliver claimed nudges, each committed on its own (see nudges.services.delivery).

    Nudges found locked are handed to a sender again in a moment, a few times.
    """
    outcomes = services.nudges_send(
        organisation_id=organisation_id,
        nudge_ids=nudge_ids,
        lease_until=dt.datetime.fromisoformat(lease_until) if lease_until else None,
    )
    if outcomes.locked and attempt < LOCKED_RETRIES:
        _publish_senders(
            organisation_id,
            outcomes.locked,
            lease_until,
            attempt=attempt + 1,
            countdown=LOCKED_RETRY_SECONDS,
        )
    return dict(outcomes)


@shared_task(name="nudges.deliver", base=TenantTask, acks_late=True)
def deliver_nudge(organisation: Organisation, nudge_id: int, outbox_id: int | None = None) -> str:
    """Retired: messages queued before the dispatcher existed land here and do nothing.

    The nudge row is still planned, so the dispatcher sends it; the name stays
    registered so the outbox sweeper can still publish such a message.
    """
    outbox_claim(outbox_id=outbox_id)
    return "dispatcher"
