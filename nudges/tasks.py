"""Thin Celery wrappers around the nudge services; every tenant task takes ids."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from organisations.models import Organisation
from organisations.services import enqueue_after_commit, outbox_claim
from organisations.tenancy import TenantTask

from . import services


@shared_task(name="nudges.plan_organisation", base=TenantTask, acks_late=True)
def plan_organisation(organisation: Organisation) -> int:
    """Plan the organisation's due nudges and enqueue one delivery task per planned nudge."""
    ids = services.nudges_plan_due(organisation=organisation, now=timezone.now())
    # Published once the planned rows are committed, so a worker always finds them.
    for nudge_id in ids:
        enqueue_after_commit(deliver_nudge, organisation=organisation, nudge_id=nudge_id)
    return len(ids)


@shared_task(name="nudges.deliver", base=TenantTask, acks_late=True)
def deliver_nudge(organisation: Organisation, nudge_id: int, outbox_id: int | None = None) -> str:
    """Deliver one nudge. A failed send leaves it planned; the next planner run retries it."""
    if not outbox_claim(outbox_id=outbox_id):
        return "duplicate"
    return services.nudge_deliver(nudge_id=nudge_id)


@shared_task(name="nudges.plan_all")
def plan_all() -> int:
    """Beat entry: one planner task per organisation, so organisations run in parallel."""
    ids = list(Organisation.objects.order_by("id").values_list("id", flat=True))
    for organisation_id in ids:
        plan_organisation.delay(organisation_id)
    return len(ids)
