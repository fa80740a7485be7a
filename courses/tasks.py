"""The trajectories' tasks; the task base is ``organisations.tenancy.TenantTask``."""

from __future__ import annotations

from celery import shared_task

from organisations.models import Organisation
from organisations.services import outbox_claim
from organisations.tenancy import TenantTask

from .services.session_emails import session_emails_send


@shared_task(
    name="courses.send_session_emails",
    base=TenantTask,
    acks_late=True,
    # A mail server that is down is waited for, as for invitations (see there).
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=8,
)
def send_session_emails(
    organisation: Organisation,
    session_id: int,
    seat_ids: list[int],
    kind: str,
    outbox_id: int | None = None,
) -> int:
    """Tell a session's participants it moved, was cancelled, or that they have a place."""
    if not outbox_claim(outbox_id=outbox_id):
        return 0
    return session_emails_send(
        organisation=organisation, session_id=session_id, seat_ids=seat_ids, kind=kind
    )
