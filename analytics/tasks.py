"""Thin Celery wrappers around the analytics rollups; every tenant task takes ids."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from organisations.models import Organisation
from organisations.services import enqueue_after_commit, outbox_claim
from organisations.tenancy import TenantTask, organisation_scope

from . import services
from .exports import jobs


@shared_task(name="analytics.rollup_organisation", base=TenantTask, acks_late=True)
def rollup_organisation(organisation: Organisation, outbox_id: int | None = None) -> int:
    """Fold one batch of new events into every rollup; a full batch means more wait, so go
    on in a new task.

    One batch per task keeps each transaction short; the checkpoints make reruns safe.
    """
    if not outbox_claim(outbox_id=outbox_id):
        return 0
    folded = services.organisation_rollup(organisation=organisation)
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


@shared_task(name="analytics.export_run", acks_late=True, reject_on_worker_lost=True)
def export_run(organisation_id: int, export_id: int) -> str:
    """Write one HR export. Not a ``TenantTask``: its progress commits as it goes, so the
    service opens a short scope per step (see ``analytics.exports.jobs``)."""
    return jobs.export_run(organisation_id=organisation_id, export_id=export_id)


@shared_task(name="analytics.exports_sweep")
def exports_sweep() -> dict[str, int]:
    """Beat entry, every minute: exports whose worker vanished restart, old files go."""
    now = timezone.now()
    totals: dict[str, int] = {}
    for organisation in Organisation.objects.order_by("pk"):
        with organisation_scope(organisation.pk):
            for key, count in jobs.exports_sweep(organisation=organisation, now=now).items():
                totals[key] = totals.get(key, 0) + count
    return totals


@shared_task(name="analytics.retention_organisation", base=TenantTask, acks_late=True)
def retention_organisation(organisation: Organisation, outbox_id: int | None = None) -> int:
    """Delete one batch of rolled-up raw events past retention; a full batch goes on."""
    if not outbox_claim(outbox_id=outbox_id):
        return 0
    deleted = services.event_retention_apply(organisation=organisation)
    if deleted >= services.RETENTION_BATCH_SIZE:
        enqueue_after_commit(retention_organisation, organisation=organisation)
    return deleted


@shared_task(name="analytics.retention_all")
def retention_all() -> int:
    """Beat entry: a retention task per organisation that keeps events for limited time."""
    ids = list(
        Organisation.objects.filter(event_retention_months__isnull=False)
        .order_by("id")
        .values_list("id", flat=True)
    )
    for organisation_id in ids:
        retention_organisation.delay(organisation_id)
    return len(ids)
