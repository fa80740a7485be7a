"""Writes for nudges: planning due reminders and delivering them, once per channel."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from events.models import LearningEvent
from events.services import learning_event_record
from microlearning.selectors.reach import has_completed
from organisations.models import Organisation

from .models import Nudge
from .selectors import finish_nudges_due, unit_still_assigned

logger = logging.getLogger(__name__)

# Failed sends stay planned and are retried by the next planner run (every 15
# minutes); after this many a broken address stops costing work on every run.
MAX_DELIVERY_ATTEMPTS = 12
# What nudge_deliver returns when another worker is delivering the same nudge.
DELIVERY_BUSY = "busy"
DELIVERY_MISSING = "missing"


def finish_key(unit_id: int) -> str:
    return f"finish:unit:{unit_id}"


def nudges_plan_due(*, organisation: Organisation, now: dt.datetime) -> list[int]:
    """Create the due "finish it" nudges and return the ids of every nudge awaiting delivery.

    A member gets one e-mail and one in-app nudge for an assigned, published unit
    they have not completed ``organisation.nudge_after_days`` after it was
    assigned. The unique (member, channel, key) constraint makes a second run
    create nothing; nudges still planned (a lost task, a crashed worker, a failed
    send) are returned again so they are delivered after all.
    """
    cutoff = now - dt.timedelta(days=organisation.nudge_after_days)
    due = finish_nudges_due(organisation=organisation, cutoff=cutoff)
    if due:
        Nudge.objects.bulk_create(
            [
                Nudge(
                    organisation=organisation,
                    member_id=member_id,
                    unit_id=unit_id,
                    kind=Nudge.Kind.FINISH,
                    channel=channel,
                    key=finish_key(unit_id),
                    created_at=now,
                )
                for member_id, unit_id in sorted(due)
                for channel in Nudge.Channel
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
    return list(
        Nudge.objects.filter(organisation=organisation, status=Nudge.Status.PLANNED)
        .order_by("id")
        .values_list("id", flat=True)
    )


def nudge_deliver(*, nudge_id: int) -> str:
    """Deliver one nudge if it is still planned and still has a purpose; return its status.

    Claim before acting: the row stays locked until the caller's transaction
    commits, so two workers cannot both send it (the second skips it and returns
    ``"busy"``); a missing or already delivered nudge is not an error. A worker
    killed before the commit rolls the status back and the (late-acknowledged)
    task or the next planner run delivers it again; the stable Message-ID makes
    that rare resend recognisable. A failed send is recorded and the nudge stays
    planned for the next run.
    """
    with transaction.atomic():
        nudge = (
            Nudge.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("member__user", "member__organisation", "unit")
            .filter(pk=nudge_id)
            .first()
        )
        if nudge is None:
            exists = Nudge.objects.filter(pk=nudge_id).exists()
            return DELIVERY_BUSY if exists else DELIVERY_MISSING
        if nudge.status != Nudge.Status.PLANNED:
            return nudge.status
        if not _still_needed(nudge):
            nudge.status = Nudge.Status.CANCELLED
            nudge.save(update_fields=["status"])
            return nudge.status
        nudge.attempts += 1
        if nudge.channel == Nudge.Channel.EMAIL:
            try:
                _send_finish_email(nudge)
            except OSError as exc:  # smtplib.SMTPException and socket errors alike
                return _record_failed_send(nudge, exc)
        nudge.status = Nudge.Status.SENT
        nudge.sent_at = timezone.now()
        nudge.last_error = ""
        nudge.save(update_fields=["status", "sent_at", "attempts", "last_error"])
        learning_event_record(
            actor=nudge.member,
            verb=LearningEvent.Verb.NUDGE_SENT,
            object_type="nudge",
            object_id=nudge.pk,
            context={"channel": nudge.channel, "kind": nudge.kind, "unit": nudge.unit_id},
        )
        return nudge.status


def _still_needed(nudge: Nudge) -> bool:
    """A finish nudge has no purpose once the unit is done, withdrawn or unassigned."""
    member, unit = nudge.member, nudge.unit
    return (
        unit is not None
        and member.is_active
        and not has_completed(membership=member, unit_id=unit.pk)
        and unit_still_assigned(membership=member, unit_id=unit.pk)
    )


def _record_failed_send(nudge: Nudge, exc: Exception) -> str:
    nudge.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if nudge.attempts >= MAX_DELIVERY_ATTEMPTS:
        nudge.status = Nudge.Status.FAILED
    nudge.save(update_fields=["status", "attempts", "last_error"])
    logger.warning(
        "nudge %s: sending failed (attempt %s, now %s): %s",
        nudge.pk,
        nudge.attempts,
        nudge.status,
        nudge.last_error,
    )
    return nudge.status


def _finish_email_context(nudge: Nudge) -> dict:
    member = nudge.member
    organisation = member.organisation
    return {
        "member": member,
        "first_name": member.user.first_name,
        "organisation": organisation,
        "unit": nudge.unit,
        "nudge_after_days": organisation.nudge_after_days,
        "unit_url": settings.SITE_URL
        + reverse(
            "microlearning:unit_detail",
            kwargs={"org_slug": organisation.slug, "unit_id": nudge.unit_id},
        ),
    }


def _send_finish_email(nudge: Nudge) -> None:
    member = nudge.member
    language = member.language
    with translation.override(language):
        context = {**_finish_email_context(nudge), "language": language}
        # A header line must be one line, whatever a translator or a unit title holds.
        subject = " ".join(render_to_string("nudges/email/finish_subject.txt", context).split())
        text = render_to_string("nudges/email/finish.txt", context)
        html = render_to_string("nudges/email/finish.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[member.user.email],
        headers={
            # Stable per nudge, so a resend after a crash is recognisable as the same mail.
            "Message-ID": f"<nudge-{nudge.pk}-{nudge.key.replace(':', '-')}@werkwijs>",
            "Content-Language": language,
            # RFC 3834: a machine wrote this; auto-responders should not answer it.
            "Auto-Submitted": "auto-generated",
            "X-Werkwijs-Organisation": member.organisation.slug,
        },
    )
    message.attach_alternative(html, "text/html")
    message.send()


def nudge_mark_read(*, nudge: Nudge) -> Nudge:
    """Mark an in-app nudge read and record that it was opened; again is a no-op.

    The conditional update is the claim: of two simultaneous clicks only one
    records the "opened" event.
    """
    now = timezone.now()
    claimed = Nudge.objects.filter(
        organisation_id=nudge.organisation_id, pk=nudge.pk, read_at__isnull=True
    ).update(read_at=now)
    if claimed:
        nudge.read_at = now
        learning_event_record(
            actor=nudge.member,
            verb=LearningEvent.Verb.NUDGE_OPENED,
            object_type="nudge",
            object_id=nudge.pk,
            context={"channel": nudge.channel, "kind": nudge.kind, "unit": nudge.unit_id},
        )
    elif nudge.read_at is None:
        nudge.refresh_from_db(fields=["read_at"])
    return nudge
