"""The organisation's own tasks (invitation e-mails, the outbox sweep); the task base is
``tenancy.TenantTask``."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from .models import Organisation
from .services import invitation_emails_send, outbox_claim, outbox_sweep
from .tenancy import MAIL_TASK_OPTIONS


@shared_task(name="organisations.send_invitation_emails", **MAIL_TASK_OPTIONS)
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
