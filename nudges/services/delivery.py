"""Delivery: the nudge rows are the outbox; a dispatcher claims them, senders deliver them.

How a nudge travels
    planned --(dispatcher)--> sending --(sender)--> sent | failed | cancelled
                                  \\--(SMTP failure, retries left / lease expired)--> planned

* The database, not the broker, is the record of what must be sent. Rows are
  created by the planner (or in the transaction of what caused them), so a
  rolled-back transaction leaves nothing to send.
* The dispatcher (beat, every minute) claims due planned rows with
  ``SELECT ... FOR UPDATE SKIP LOCKED``, moves them to sending with a lease, and
  hands their ids to a sender task only after that commits. Two dispatchers (a
  second beat process) claim different rows.
* The sweeper returns sending rows whose lease ran out to planned, so a lost
  broker message, a wiped Redis or a killed worker costs a delay, never a nudge.
  It skips rows a live sender holds locked.
* A sender locks one row at a time (its own transaction), skips a row that is
  not sending any more (sent already, cancelled, or swept back), cancels a nudge
  whose purpose was fulfilled (with the reason kept), sends, and commits
  ``sent``. An SMTP failure moves the row back to planned with ``due_at`` later
  (exponential backoff with jitter, no long Celery ETA), until
  ``MAX_DELIVERY_ATTEMPTS``; then it is ``failed`` with ``last_error`` kept.
* In-app nudges are the rows themselves: exactly once by the unique key.
* The member's time is checked again before sending (``preferences``): outside
  working time the row goes back to planned at the next working moment; above the
  daily maximum it is bundled into the member's digest of the day; over a channel
  switched off for its category it is cancelled as unsubscribed. Every link in an
  e-mail is signed and records the click (``links``).

The window in which an e-mail can go out twice, honestly
    The SMTP server accepts a message before the sender's transaction commits
    ``sent``. A worker that dies in between (SIGKILL, power loss, a lost database
    connection) rolls the row back to sending; the task is redelivered
    (``acks_late`` + ``reject_on_worker_lost``) or the sweeper plans the row again
    when its lease expires, and the message is sent a second time. Because every
    message commits on its own, one kill repeats at most the one message that was
    in that window. The stable ``Message-ID`` lets mail clients recognise the
    repeat. Closing this window fully would need the SMTP server to deduplicate
    (it cannot be part of our transaction).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from events.models import LearningEvent
from events.services import learning_event_record
from organisations.models import Organisation
from organisations.tenancy import organisation_scope

from ..models import Nudge
from ..rules import one_line, render
from .kinds import Action, absolute, kind_module
from .links import tracked_url, unsubscribe_headers, unsubscribe_url
from .preferences import nudge_hold, nudge_unsubscribed
from .transitions import nudge_transition, nudges_transition

logger = logging.getLogger(__name__)

# A sender has this long to deliver what it was handed before the sweeper plans it
# again. Far above a batch's sending time, and far below Redis's visibility timeout.
LEASE = dt.timedelta(minutes=10)
# Rows one dispatcher transaction claims, and how many such rounds one run may make.
DISPATCH_BATCH = 500
DISPATCH_ROUNDS = 40
# Ids per sender task: they share one SMTP connection.
SEND_BATCH = 50
MAX_DELIVERY_ATTEMPTS = 8
RETRY_BASE = dt.timedelta(minutes=1)
RETRY_CAP = dt.timedelta(hours=6)
LAST_ERROR_LENGTH = 2000

# What nudge_send returns when another worker holds the row, or there is no such row.
DELIVERY_BUSY = "busy"
DELIVERY_MISSING = "missing"


# --- the dispatcher and the sweeper ------------------------------------------------------


def nudges_dispatch_due(
    *, organisation: Organisation, now: dt.datetime, limit: int = DISPATCH_BATCH
) -> list[int]:
    """Claim up to ``limit`` due planned nudges: sending, with a lease. Run in a transaction.

    Returns the ids; the caller hands them to senders once the transaction commits.
    Rows another dispatcher holds are skipped, not waited for.
    """
    ids = list(
        Nudge.objects.filter(
            organisation=organisation, status=Nudge.Status.PLANNED, due_at__lte=now
        )
        .order_by("due_at", "pk")
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)[:limit]
    )
    nudges_transition(
        organisation_id=organisation.pk,
        ids=ids,
        source=Nudge.Status.PLANNED,
        target=Nudge.Status.SENDING,
        lease_until=now + LEASE,
    )
    return ids


def nudges_sweep_expired(*, organisation: Organisation, now: dt.datetime) -> int:
    """Plan again every sending nudge whose lease expired and that no sender holds."""
    ids = list(
        Nudge.objects.filter(
            organisation=organisation, status=Nudge.Status.SENDING, lease_until__lte=now
        )
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)
    )
    swept = nudges_transition(
        organisation_id=organisation.pk,
        ids=ids,
        source=Nudge.Status.SENDING,
        target=Nudge.Status.PLANNED,
        lease_until=None,
        due_at=now,
    )
    if swept:
        logger.warning(
            "organisation %s: %s nudges' leases expired, planned again", organisation.pk, swept
        )
    return swept


# --- the sender -------------------------------------------------------------------------


def retry_delay(attempts: int, *, rng: random.Random | None = None) -> dt.timedelta:
    """Exponential backoff with "equal jitter": half fixed, half random, capped."""
    ceiling = min(RETRY_BASE * 2 ** max(attempts - 1, 0), RETRY_CAP)
    return ceiling / 2 + (rng or random).uniform(0, 1) * (ceiling / 2)


def nudges_send(*, organisation_id: int, nudge_ids: Iterable[int]) -> Counter:
    """Send claimed nudges one at a time over one SMTP connection; count the outcomes."""
    outcomes: Counter = Counter()
    connection = get_connection()
    try:
        for nudge_id in nudge_ids:
            outcomes[
                nudge_send(
                    organisation_id=organisation_id, nudge_id=nudge_id, connection=connection
                )
            ] += 1
    finally:
        connection.close()
    return outcomes


def nudge_send(
    *, organisation_id: int, nudge_id: int, connection: BaseEmailBackend | None = None
) -> str:
    """Deliver one claimed nudge in its own transaction; return its status afterwards.

    Claim before acting: the row stays locked until this commits, so two senders
    cannot both send it (the second skips it: ``"busy"``). A row that is not
    sending (sent already, cancelled, swept back to planned) is left alone; a
    missing one (another organisation's, deleted) is not an error.
    """
    with organisation_scope(organisation_id):
        nudge = (
            Nudge.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("rule", "member__user", "member__organisation", "unit")
            .filter(organisation_id=organisation_id, pk=nudge_id)
            .first()
        )
        if nudge is None:
            exists = Nudge.objects.filter(organisation_id=organisation_id, pk=nudge_id).exists()
            return DELIVERY_BUSY if exists else DELIVERY_MISSING
        if nudge.status != Nudge.Status.SENDING:
            return nudge.status
        reason = _cancel_reason(nudge)
        if reason:
            nudge_transition(
                nudge=nudge, target=Nudge.Status.CANCELLED, cancel_reason=reason, lease_until=None
            )
            return nudge.status
        now = timezone.now()
        # The member's time (preferences may have changed since planning): later, or bundled.
        if nudge_hold(nudge=nudge, now=now):
            return nudge.status
        attempts = nudge.attempts + 1
        words = nudge_words(nudge)
        if nudge.channel == Nudge.Channel.EMAIL:
            try:
                _send_email(nudge, words, connection)
            except OSError as exc:  # smtplib.SMTPException and socket errors alike
                if connection is not None:
                    connection.close()  # the next message opens a fresh one
                return _retry_or_fail(nudge, exc, attempts=attempts, now=now)
        nudge_transition(
            nudge=nudge,
            target=Nudge.Status.SENT,
            sent_at=now,
            attempts=attempts,
            last_error="",
            lease_until=None,
            title=words.subject[: Nudge._meta.get_field("title").max_length],
            body=words.text,
            action_url=words.action.path,
        )
        learning_event_record(
            actor=nudge.member,
            verb=LearningEvent.Verb.NUDGE_SENT,
            object_type="nudge",
            object_id=nudge.pk,
            context={
                "channel": nudge.channel,
                "kind": nudge.kind,
                "rule": nudge.rule_id,
                "unit": nudge.unit_id,
            },
        )
        return nudge.status


def _cancel_reason(nudge: Nudge) -> str:
    if not nudge.rule.is_active:
        return Nudge.CancelReason.RULE_OFF
    if not nudge.member.is_active:
        return Nudge.CancelReason.MEMBER_INACTIVE
    if nudge_unsubscribed(nudge):
        return Nudge.CancelReason.UNSUBSCRIBED
    return kind_module(nudge.rule.kind).cancel_reason(nudge)


def _retry_or_fail(nudge: Nudge, exc: Exception, *, attempts: int, now: dt.datetime) -> str:
    error = f"{type(exc).__name__}: {exc}"[:LAST_ERROR_LENGTH]
    if attempts >= MAX_DELIVERY_ATTEMPTS:
        nudge_transition(
            nudge=nudge,
            target=Nudge.Status.FAILED,
            attempts=attempts,
            last_error=error,
            lease_until=None,
        )
    else:
        nudge_transition(
            nudge=nudge,
            target=Nudge.Status.PLANNED,
            attempts=attempts,
            last_error=error,
            lease_until=None,
            due_at=now + retry_delay(attempts),
        )
    logger.warning(
        "nudge %s: sending failed (attempt %s, now %s): %s",
        nudge.pk,
        attempts,
        nudge.status,
        error,
    )
    return nudge.status


def nudge_message_values(nudge: Nudge) -> dict[str, object]:
    """What the rule's placeholders stand for in this nudge."""
    member = nudge.member
    return {
        "first_name": member.user.first_name,
        "organisation": member.organisation.name,
        **kind_module(nudge.rule.kind).values(nudge),
    }


@dataclass(frozen=True)
class Words:
    """A nudge as its member reads it, in their language."""

    language: str
    values: dict
    subject: str
    text: str
    action: Action
    reason: str


def nudge_words(nudge: Nudge) -> Words:
    """The subject and text filled in, the action and the reason, in the member's language."""
    language = nudge.member.language
    module = kind_module(nudge.rule.kind)
    with translation.override(language):
        values = nudge_message_values(nudge)
        return Words(
            language=language,
            values=values,
            subject=one_line(render(nudge.rule.subject_for(language), values)),
            text=render(nudge.rule.text_for(language), values),
            action=module.action(nudge),
            reason=module.reason(nudge),
        )


def _send_email(nudge: Nudge, words: Words, connection: BaseEmailBackend | None) -> None:
    member = nudge.member
    module = kind_module(nudge.rule.kind)
    language = words.language
    with translation.override(language):
        context = {
            **words.values,
            "member": member,
            "organisation": member.organisation,
            "language": language,
            "subject": words.subject,
            "text": words.text,
            "action_label": words.action.label,
            "action_url": tracked_url(nudge, words.action.path),
            "unsubscribe_url": unsubscribe_url(nudge),
            "category": nudge.kind,
            "category_label": nudge.get_kind_display(),
            "preferences_url": absolute(_preferences_path(member)),
            "reason": words.reason,
            "include_html": getattr(module, "EMAIL_HTML", ""),
            "include_text": getattr(module, "EMAIL_TEXT", ""),
        }
        if hasattr(module, "email_context"):
            context.update(module.email_context(nudge))
        text = render_to_string("nudges/email/nudge.txt", context)
        html = render_to_string("nudges/email/nudge.html", context)
    message = EmailMultiAlternatives(
        subject=words.subject,
        body=text,
        to=[member.user.email],
        connection=connection,
        headers={
            # Stable per nudge, so a resend after a crash is recognisable as the same mail.
            "Message-ID": f"<nudge-{nudge.pk}-{nudge.key.replace(':', '-')}@werkwijs>",
            "Content-Language": language,
            # RFC 3834: a machine wrote this; auto-responders should not answer it.
            "Auto-Submitted": "auto-generated",
            "X-Werkwijs-Organisation": member.organisation.slug,
            **unsubscribe_headers(nudge),
        },
    )
    message.attach_alternative(html, "text/html")
    message.send()


def _preferences_path(member) -> str:
    return reverse("nudges:preferences", kwargs={"org_slug": member.organisation.slug})
