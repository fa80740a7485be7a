from celery import shared_task
from django.db import transaction
from django.utils import timezone

from organisations.models import Organisation
from organisations.tasks import TenantTask

from . import services


@shared_task(name="nudges.plan_organisation", base=TenantTask, acks_late=True)
def plan_organisation(organisation) -> int:
    ids = services.nudges_plan_due(organisation=organisation, now=timezone.now())
    # Enqueued only once the planned rows are committed, so a worker always finds them.
    transaction.on_commit(
        lambda: [deliver_nudge.delay(organisation.pk, nudge_id) for nudge_id in ids]
    )
    return len(ids)


@shared_task(
    name="nudges.deliver",
    base=TenantTask,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def deliver_nudge(organisation, nudge_id: int) -> str:
    return services.nudge_deliver(nudge_id=nudge_id)


@shared_task(name="nudges.plan_all")
def plan_all() -> int:
    """Beat entry: one planner task per organisation."""
    ids = list(Organisation.objects.values_list("id", flat=True))
    for organisation_id in ids:
        plan_organisation.delay(organisation_id)
    return len(ids)
