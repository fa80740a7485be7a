"""Thin Celery wrappers around the analytics rollups; every tenant task takes ids."""

from __future__ import annotations

from celery import shared_task

from organisations.models import Organisation
from organisations.services import enqueue_after_commit, outbox_claim
from organisations.tenancy import TenantTask

from . import services


@shared_task(name="analytics.rollup_organisation", base=TenantTask, acks_late=True)
def rollup_organisation(organisation: Organisation, outbox_id: int | None = None) -> int:
    """Fold one batch of new events; a full batch means more wait, so go on in a new task.

    One batch per task keeps each transaction short; the checkpoint makes reruns safe.
    """
    if not outbox_claim(outbox_id=outbox_id):
        return 0
    folded = services.team_daily_rollup(organisation=organisation)
    if folded >= services.ROLLUP_BATCH_SIZE:
        enqueue_after_commit(rollup_organisation, organisation=organisation)
    return folded


@shared_task(name="analytics.rollup_all")
def rollup_all() -> int:
    """Beat entry: one rollup task per organisation, so organisations run in parallel."""
    ids = list(Organisation.objects.order_by("id").values_list("id", flat=True))
    for organisation_id in ids:
        rollup_organisation.delay(organisation_id)
    return len(ids)
