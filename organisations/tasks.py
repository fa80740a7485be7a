"""The tenant-aware task base, and the organisation's own tasks (invitation e-mails, outbox)."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.utils import timezone

from .models import Organisation
from .services import invitation_emails_send, outbox_claim, outbox_sweep
from .tenancy import organisation_scope

logger = logging.getLogger(__name__)


class TenantTask(DjangoTask):
    """Celery task whose first argument is ``organisation_id``.

    The task loads the organisation, then runs inside ``organisation_scope`` (one
    transaction, the RLS setting and the django-scopes scope), so everything it
    writes commits together and ``transaction.on_commit`` (or ``delay_on_commit``)
    fires only after that. A deleted organisation is not an error: there is
    nothing left to do.
    """

    abstract = True

    def __call__(self, organisation_id: int, *args, **kwargs):
        organisation = Organisation.objects.filter(pk=organisation_id).first()
        if organisation is None:
            logger.info("%s skipped: organisation %s no longer exists", self.name, organisation_id)
            return None
        with organisation_scope(organisation.pk):
            # self.run, not super().__call__: that would push a second request holding
            # the Organisation object, hiding the worker's request (id, retries) and
            # making retry() try to serialise a model instance.
            return self.run(organisation, *args, **kwargs)


@shared_task(
    name="organisations.send_invitation_emails",
    base=TenantTask,
    acks_late=True,
    # smtplib's errors and refused connections are all OSErrors. A mail server that is
    # down is waited for: jittered waits of up to 30 s, 1, 2, 4, 8 and then 10 minutes,
    # about three quarters of an hour in all.
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=8,
)
def send_invitation_emails(
    organisation: Organisation, invitation_ids: list[int], outbox_id: int | None = None
) -> int:
    """Mail the invitations that are still open; revoked or accepted ones are skipped."""
    if not outbox_claim(outbox_id=outbox_id):
        return 0  # delivered twice (a sweep overlapped the first publish): mailed once
    return invitation_emails_send(organisation=organisation, invitation_ids=invitation_ids)


@shared_task(name="organisations.outbox_sweep")
def sweep_outbox() -> int:
    """Beat entry: publish after-commit work the broker could not take when it was written."""
    return outbox_sweep(now=timezone.now())
