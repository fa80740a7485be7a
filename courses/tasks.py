"""Thin Celery wrappers around the courses services; the task base is ``tenancy.TenantTask``."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from organisations.models import Organisation
from organisations.services import outbox_claim
from organisations.tenancy import MAIL_TASK_OPTIONS, TenantTask

from .services import enrolments
from .services.evidence import evidence_emails_send, feedback_request_email_send
from .services.session_emails import session_emails_send


@shared_task(name="courses.send_evidence_emails", **MAIL_TASK_OPTIONS)
def send_evidence_emails(
    organisation: Organisation, submission_id: int, what: str, outbox_id: int | None = None
) -> int:
    """Tell the signers a round of evidence waits, or the learner what was decided."""
    if not outbox_claim(outbox_id=outbox_id):
        return 0
    return evidence_emails_send(organisation=organisation, submission_id=submission_id, what=what)


@shared_task(name="courses.send_feedback_request_email", **MAIL_TASK_OPTIONS)
def send_feedback_request_email(
    organisation: Organisation, feedback_request_id: int, outbox_id: int | None = None
) -> int:
    """Tell a colleague a learner asks for their feedback, with the link to answer."""
    if not outbox_claim(outbox_id=outbox_id):
        return 0
    return feedback_request_email_send(
        organisation=organisation, feedback_request_id=feedback_request_id
    )


@shared_task(name="courses.send_session_emails", **MAIL_TASK_OPTIONS)
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


@shared_task(name="courses.enrolments_mark_overdue_organisation", base=TenantTask, acks_late=True)
def enrolments_mark_overdue_organisation(organisation: Organisation) -> int:
    return enrolments.enrolments_mark_overdue(organisation=organisation, now=timezone.now())


@shared_task(name="courses.enrolments_mark_overdue")
def enrolments_mark_overdue() -> int:
    """Beat entry, daily: one task per organisation, so organisations run in parallel."""
    ids = list(Organisation.objects.order_by("id").values_list("id", flat=True))
    for organisation_id in ids:
        enrolments_mark_overdue_organisation.delay(organisation_id)
    return len(ids)
