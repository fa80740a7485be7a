from celery import shared_task
from django.db import transaction

from organisations.models import Organisation
from organisations.tasks import TenantTask

from . import services


@shared_task(name="analytics.rollup_organisation", base=TenantTask, acks_late=True)
def rollup_organisation(organisation) -> int:
    """Fold one batch of new events; a full batch means more wait, so go on in a new task.

    One batch per task keeps each transaction short; the checkpoint makes reruns safe.
    """
    folded = services.team_daily_rollup(organisation=organisation)
    if folded >= services.ROLLUP_BATCH_SIZE:
        transaction.on_commit(lambda: rollup_organisation.delay(organisation.pk))
    return folded


@shared_task(name="analytics.rollup_all")
def rollup_all() -> int:
    """Beat entry: one rollup task per organisation, so organisations run in parallel."""
    ids = list(Organisation.objects.values_list("id", flat=True))
    for organisation_id in ids:
        rollup_organisation.delay(organisation_id)
    return len(ids)
