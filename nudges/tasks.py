"""Thin Celery wrappers around the nudge services; every tenant task takes ids."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from organisations.models import Organisation
from organisations.tenancy import TenantTask

from . import services


@shared_task(name="nudges.plan_organisation", base=TenantTask, acks_late=True)
def plan_organisation(organisation: Organisation) -> int:
    """Plan the organisation's due nudges and enqueue one delivery task per planned nudge."""
    ids = services.nudges_plan_due(organisation=organisation, now=timezone.now())
    # Enqueued only once the planned rows are committed, so a worker always finds them.
    for nudge_id in ids:
        deliver_nudge.delay_on_commit(organisation.pk, nudge_id)
    return len(ids)


@shared_task(name="nudges.deliver", base=TenantTask, acks_late=True)
def deliver_nudge(organisation: Organisation, nudge_id: int) -> str:
    """Deliver one nudge. A failed send leaves it planned; the next planner run retries it."""
    return services.nudge_deliver(nudge_id=nudge_id)


@shared_task(name="nudges.plan_all")
def plan_all() -> int:
    """Beat entry: one planner task per organisation, so organisations run in parallel."""
    ids = list(Organisation.objects.order_by("id").values_list("id", flat=True))
    for organisation_id in ids:
        plan_organisation.delay(organisation_id)
    return len(ids)
