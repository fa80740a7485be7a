"""Thin Celery wrappers around the learning record store's services; tenant tasks take ids."""

from __future__ import annotations

from celery import shared_task

from organisations.models import Organisation
from organisations.services import enqueue_after_commit, outbox_claim
from organisations.tenancy import TenantTask

from . import mirror


@shared_task(name="lrs.mirror_organisation", base=TenantTask, acks_late=True)
def mirror_organisation(organisation: Organisation, outbox_id: int | None = None) -> int:
    """Mirror one batch of new learning events into statements; a full batch goes on in a
    new task (one batch per task keeps each transaction short; the checkpoint makes reruns
    safe)."""
    if not outbox_claim(outbox_id=outbox_id):
        return 0
    read = mirror.events_mirror(organisation=organisation)
    if read >= mirror.MIRROR_BATCH_SIZE:
        enqueue_after_commit(mirror_organisation, organisation=organisation)
    return read


@shared_task(name="lrs.mirror_all")
def mirror_all() -> int:
    """Beat entry: a mirror task per organisation (one without LRS clients returns at once:
    RLS hides the clients of every organisation from a query outside one)."""
    ids = list(Organisation.objects.order_by("id").values_list("id", flat=True))
    for organisation_id in ids:
        mirror_organisation.delay(organisation_id)
    return len(ids)
