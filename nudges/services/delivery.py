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
* A sender takes its batch in one short transaction: one query reads the rows
  it was handed (with their rule, member and unit), skipping rows another sender
  holds locked and rows claimed again since (the dispatcher's lease is the
  claim's token: a task that arrives after its rows were swept and claimed anew
  finds nothing of its own). It cancels, per kind and set-based, the nudges whose
  purpose was fulfilled (with the reason kept), fills in every nudge's words, and
  renews the lease with a value of its own, so a second copy of the same task
  message finds nothing either. Then, per message, over one SMTP connection for
  the batch: send, and commit ``sent`` (with the ``nudge_sent`` learning event)
  in a single statement that only matches a row still carrying this sender's
  lease. When it matches nothing, another sender took over (this one outlived
  its lease): the sender stops. An SMTP failure moves the row back to planned
  with ``due_at`` later (exponential backoff with jitter, no long Celery ETA),
  until ``MAX_DELIVERY_ATTEMPTS``; then it is ``failed`` with ``last_error`` kept.
* In-app nudges are the rows themselves: exactly once by the unique key.
* The member's time is checked again before sending (``preferences``): outside
  working time the row goes back to planned at the next working moment; above the
  daily maximum it is bundled into the member's digest of the day; over a channel
  switched off for its category it is cancelled as unsubscribed. Every link in an
  e-mail is signed and records the click (``links``).

The window in which an e-mail can go out twice, honestly
    The SMTP server accepts a message before the statement marking it ``sent``
    commits. A worker that dies in between (SIGKILL, power loss, a lost database
    connection) leaves the row sending, held by its lease; its task message comes
    back (``acks_late`` + ``reject_on_worker_lost``) but finds the rows held by the
    dead sender's lease, so the sweeper plans them again once that lease expires,
    and that one message is sent a second time. Every message commits on its own,
    right after the SMTP server accepted it, and a sender has one message in
    flight at a time, so one kill repeats at most one message; the rest of a
    killed batch was either committed ``sent`` or never handed to the SMTP
    server. The same holds for a sender that outlives its lease (a stalled
    worker): another sender may send the message it was on, and it stops there.
    Two more ways to a repeat: an SMTP server that takes a message and drops the
    connection before its reply arrives looks like a failure, and the retry sends
    it again (one per connection open at that moment); and the ``sent`` commits do
    not wait for the WAL to reach the disk (``synchronous_commit`` off for that one
    statement, a few milliseconds per message), so a crash of the database server
    itself, not of a worker, can forget the last fraction of a second of them.
    The stable ``Message-ID`` lets mail clients recognise a repeat. Closing the
    window fully would need the SMTP server to deduplicate (it cannot be part of
    our transaction). The fault tests (tests/integration/test_nudge_faults.py)
    kill workers mid-batch and count the repeats.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import secrets
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection as db
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from events.models import LearningEvent
from events.services import learning_event_record
from events.verbs import event_category
from organisations.models import Organisation
from organisations.tenancy import BYPASS_SETTING, ORGANISATION_SETTING, organisation_scope

from ..models import Nudge
from ..rules import one_line, render
from .kinds import Action, absolute, kind_module
from .links import tracked_url, unsubscribe_headers, unsubscribe_url
from .preferences import members_windows_attach, nudge_hold, nudge_unsubscribed
from .transitions import nudge_transition_allowed, nudges_transition

logger = logging.getLogger(__name__)

# A sender has this long to deliver what it was handed before the sweeper plans it
# again. Far above a batch's sending time, and far below Redis's visibility timeout.
LEASE = dt.timedelta(seconds=settings.NUDGE_LEASE_SECONDS)
# Rows one dispatcher transaction claims, and how many such rounds one run may make.
DISPATCH_BATCH = settings.NUDGE_DISPATCH_BATCH
DISPATCH_ROUNDS = settings.NUDGE_DISPATCH_ROUNDS
# Ids per sender task: they share one SMTP connection, one read and one render pass.
SEND_BATCH = 50
MAX_DELIVERY_ATTEMPTS = 8
RETRY_BASE = dt.timedelta(seconds=settings.NUDGE_RETRY_BASE_SECONDS)
RETRY_CAP = dt.timedelta(hours=6)
LAST_ERROR_LENGTH = 2000

# What a sender reports for a nudge another sender holds, for no such row, and for a
# row another sender took over while this one was still on its batch.
DELIVERY_BUSY = "busy"
DELIVERY_MISSING = "missing"
DELIVERY_TAKEN = "taken"


class Outcomes(Counter):
    """How many of a sender's nudges ended how, and which it found locked (``locked``).

    A row is locked only for a short transaction: a sender taking its batch, the
    sweeper, or a dispatcher (PostgreSQL keeps the lock on a row a dispatcher's
    ``SKIP LOCKED`` read reached just after another claimed it, until that dispatcher
    commits). Such a row still carrying this task's lease is counted busy and named
    in ``locked``, so the task can try it again in a moment instead of leaving it to
    the sweeper for a whole lease.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.locked: list[int] = []


# --- the dispatcher and the sweeper ------------------------------------------------------


def lease_for(now: dt.datetime) -> dt.datetime:
    """The lease the dispatcher gives the rows it claims at ``now``: also the claim's token."""
    return now + LEASE


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
        lease_until=lease_for(now),
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


def nudges_send(
    *,
    organisation_id: int,
    nudge_ids: Iterable[int],
    lease_until: dt.datetime | None = None,
    connection: BaseEmailBackend | None = None,
) -> Outcomes:
    """Deliver claimed nudges over one SMTP connection, each committed on its own; count outcomes.

    ``lease_until`` is the lease the dispatcher claimed them with: rows claimed
    again since (swept, then dispatched anew) are no longer this call's. Without
    it, any sending row among ``nudge_ids`` is taken.
    """
    outcomes = Outcomes()
    batch, token = _take_batch(
        organisation_id=organisation_id,
        nudge_ids=nudge_ids,
        lease_until=lease_until,
        outcomes=outcomes,
    )
    if not batch:
        return outcomes
    own_connection = connection is None
    if own_connection:
        connection = get_connection()
    try:
        for position, (nudge, words) in enumerate(batch):
            status = _deliver(nudge, words, token=token, connection=connection)
            outcomes[status] += 1
            if status == DELIVERY_TAKEN:
                # This sender outlived its lease; the rest of the batch is another's now.
                outcomes[DELIVERY_TAKEN] += len(batch) - position - 1
                break
    finally:
        if own_connection:
            connection.close()
    return outcomes


def nudge_send(
    *, organisation_id: int, nudge_id: int, connection: BaseEmailBackend | None = None
) -> str:
    """Deliver one claimed nudge; return its status afterwards (or busy, missing, taken).

    A row another sender holds is skipped (``"busy"``), a row that is not sending
    (sent already, cancelled, swept back to planned) is left alone and its status
    returned, a missing one (another organisation's, deleted) is not an error.
    """
    outcomes = nudges_send(
        organisation_id=organisation_id, nudge_ids=[nudge_id], connection=connection
    )
    (status,) = outcomes
    return status


def _take_batch(
    *,
    organisation_id: int,
    nudge_ids: Iterable[int],
    lease_until: dt.datetime | None,
    outcomes: Outcomes,
) -> tuple[list[tuple[Nudge, Words]], dt.datetime]:
    """Read, cancel, fill in and hold (a lease of this sender's own) the batch, in one transaction.

    Counts in ``outcomes`` what is not sent; returns the rest with their words,
    and the lease value that marks them as this sender's.
    """
    ids = list(dict.fromkeys(nudge_ids))
    with organisation_scope(organisation_id):
        rows = (
            _by_primary_key(organisation_id, ids)
            .select_for_update(skip_locked=True)
            # Fetched apart, each by primary key: joined, a planner with statistics from
            # before the batch was planned walks the rule's nudges instead.
            .prefetch_related("rule", "member__user", "member__organisation", "unit")
            .order_by("pk")
        )
        nudges = []
        for nudge in rows:
            if nudge.status != Nudge.Status.SENDING:
                outcomes[nudge.status] += 1  # sent already, cancelled, swept back to planned
            elif lease_until is not None and nudge.lease_until != lease_until:
                outcomes[DELIVERY_BUSY] += 1  # claimed again since this task was sent
            else:
                nudges.append(nudge)
        _count_left_alone(
            organisation_id=organisation_id,
            ids=set(ids) - {nudge.pk for nudge in rows},
            lease_until=lease_until,
            outcomes=outcomes,
        )
        members_windows_attach(nudges)
        reasons = nudges_cancel_reasons(nudges)
        by_reason: dict[str, list[int]] = {}
        for nudge_id, reason in reasons.items():
            by_reason.setdefault(reason, []).append(nudge_id)
        for reason, cancelled in by_reason.items():
            outcomes[Nudge.Status.CANCELLED] += nudges_transition(
                organisation_id=organisation_id,
                ids=cancelled,
                source=Nudge.Status.SENDING,
                target=Nudge.Status.CANCELLED,
                cancel_reason=reason,
                lease_until=None,
            )
        nudges = [nudge for nudge in nudges if nudge.pk not in reasons]
        nudges = _within_members_time(nudges, outcomes=outcomes)
        token = lease_for(timezone.now())
        if nudges:
            _by_primary_key(organisation_id, [nudge.pk for nudge in nudges]).update(
                lease_until=token
            )
        batch = [(nudge, nudge_words(nudge)) for nudge in nudges]
    return batch, token


def _within_members_time(nudges: list[Nudge], *, outcomes: Outcomes) -> list[Nudge]:
    """The batch's nudges that may go out now; the others planned later or bundled.

    The member's time is checked again (preferences may have changed since planning).
    Nudges of one member earlier in the batch count towards their daily maximum.
    """
    now = timezone.now()
    taken: Counter = Counter()
    kept = []
    for nudge in nudges:
        mine = (nudge.member_id, nudge.channel)
        if nudge_hold(nudge=nudge, now=now, pending=taken[mine]):
            outcomes[nudge.status] += 1
        else:
            taken[mine] += 1
            kept.append(nudge)
    return kept


def _by_primary_key(organisation_id: int, ids: list[int]):
    """The organisation's nudges among ``ids``, found through the primary key.

    The organisation is still asked for, as ``organisation_id + 0`` (and row-level
    security asks again): plainly, as the scoped manager would add it, it tempts the
    planner (whose statistics lag behind a batch just planned) into walking the
    organisation's index through every nudge it has, for each batch. The status and
    the lease are checked by the caller for the same reason.
    """
    return (
        Nudge.objects.with_scopes_disabled()
        .alias(organisation_key=F("organisation_id") + 0)
        .filter(organisation_key=organisation_id, pk__in=ids)
    )


def _count_left_alone(
    *,
    organisation_id: int,
    ids: set[int],
    lease_until: dt.datetime | None,
    outcomes: Outcomes,
) -> None:
    """Why each id the batch's read skipped (locked) was: busy or missing; which to try again.

    The read without a lock sees the last committed state: a sending row with this
    task's lease (or any, for a task without one) is still this task's to send once
    the lock is gone.
    """
    if not ids:
        return
    found = {
        pk: (status, lease)
        for pk, status, lease in Nudge.objects.filter(
            organisation_id=organisation_id, pk__in=ids
        ).values_list("pk", "status", "lease_until")
    }
    for nudge_id in sorted(ids):
        status, lease = found.get(nudge_id, (None, None))
        if status is None:
            outcomes[DELIVERY_MISSING] += 1
        elif status == Nudge.Status.SENDING:
            outcomes[DELIVERY_BUSY] += 1
            if lease_until is None or lease == lease_until:
                outcomes.locked.append(nudge_id)
        else:
            outcomes[status] += 1


def nudges_cancel_reasons(nudges: list[Nudge]) -> dict[int, str]:
    """``{nudge id: why it has no purpose any more}`` for the nudges of a batch that have none.

    A kind with a ``cancel_reasons`` hook answers for its whole group at once.
    """
    reasons: dict[int, str] = {}
    by_kind: dict[str, list[Nudge]] = {}
    for nudge in nudges:
        if not nudge.rule.is_active:
            reasons[nudge.pk] = Nudge.CancelReason.RULE_OFF
        elif not nudge.member.is_active:
            reasons[nudge.pk] = Nudge.CancelReason.MEMBER_INACTIVE
        elif nudge_unsubscribed(nudge):
            reasons[nudge.pk] = Nudge.CancelReason.UNSUBSCRIBED
        else:
            by_kind.setdefault(nudge.rule.kind, []).append(nudge)
    for kind, group in by_kind.items():
        module = kind_module(kind)
        if hasattr(module, "cancel_reasons"):
            found = module.cancel_reasons(group)
        else:
            found = {nudge.pk: module.cancel_reason(nudge) for nudge in group}
        reasons.update({nudge_id: reason for nudge_id, reason in found.items() if reason})
    return reasons


def _deliver(
    nudge: Nudge, words: Words, *, token: dt.datetime, connection: BaseEmailBackend
) -> str:
    """Send one nudge of a taken batch and commit the outcome at once; its status afterwards."""
    now = timezone.now()
    if nudge.channel == Nudge.Channel.EMAIL:
        try:
            connection.open()  # reused: opens only the first time, or after a failure
            _send_email(nudge, words, connection)
        except OSError as exc:  # smtplib.SMTPException and socket errors alike
            connection.close()  # the next message opens a fresh one
            return _retry_or_fail(nudge, exc, token=token, now=now)
    if not _mark_sent(nudge, words, token=token, now=now):
        return DELIVERY_TAKEN
    return Nudge.Status.SENT


def _sent_changes(words: Words, now: dt.datetime) -> dict[str, object]:
    return {
        "sent_at": now,
        "last_error": "",
        "lease_until": None,
        "title": words.subject[: Nudge._meta.get_field("title").max_length],
        "body": words.text,
        "action_url": words.action.path,
    }


def _mark_sent(nudge: Nudge, words: Words, *, token: dt.datetime, now: dt.datetime) -> bool:
    """Commit ``sent`` and its learning event, if the row is still this sender's.

    On PostgreSQL outside a transaction this is one round trip: the RLS settings,
    the UPDATE and the event's INSERT in one implicit transaction.
    """
    changes = _sent_changes(words, now)
    if db.vendor == "postgresql":
        if db.in_atomic_block:
            with organisation_scope(nudge.organisation_id):
                return _mark_sent_statement(nudge, changes, token=token, settings_prefix=False)
        return _mark_sent_statement(nudge, changes, token=token, settings_prefix=True)
    with organisation_scope(nudge.organisation_id):
        moved = nudges_transition(
            organisation_id=nudge.organisation_id,
            ids=[nudge.pk],
            source=Nudge.Status.SENDING,
            target=Nudge.Status.SENT,
            held_until=token,
            attempts=F("attempts") + 1,
            **changes,
        )
        if moved:
            learning_event_record(
                actor=nudge.member,
                verb=LearningEvent.Verb.NUDGE_SENT,
                object_type="nudge",
                object_id=nudge.pk,
                context=_event_context(nudge),
                timestamp=now,
            )
    return bool(moved)


def _event_context(nudge: Nudge) -> dict[str, object]:
    return {
        "channel": nudge.channel,
        "kind": nudge.kind,
        "rule": nudge.rule_id,
        "unit": nudge.unit_id,
    }


def _mark_sent_statement(
    nudge: Nudge, changes: dict[str, object], *, token: dt.datetime, settings_prefix: bool
) -> bool:
    nudge_table = Nudge._meta.db_table
    event_table = LearningEvent._meta.db_table
    if not nudge_transition_allowed(source=Nudge.Status.SENDING, target=Nudge.Status.SENT):
        return False
    # The commit does not wait for the WAL to reach the disk (a few milliseconds per
    # message): a worker that dies loses nothing by it, only a crash of the database
    # server itself could forget the last fraction of a second of ``sent`` marks, and
    # those messages would go out again (see the module's docstring).
    prefix = (
        "SELECT set_config(%(setting)s, %(organisation)s, true), "
        "set_config(%(bypass)s, 'off', true), set_config('synchronous_commit', 'off', true); "
        if settings_prefix
        else "SELECT set_config('synchronous_commit', 'off', true); "
    )
    context = _event_context(nudge)
    category = event_category(verb=LearningEvent.Verb.NUDGE_SENT)
    if category is not None:
        context["category"] = category.value
    # Only table names are interpolated; every value is a parameter. The row is found by
    # its primary key (``organisation_id + 0``: see ``_by_primary_key``), and it is still
    # this sender's if it carries this sender's lease (only a sending row has a lease:
    # every move out of sending clears it).
    statement = f"""WITH sent AS (
            UPDATE {nudge_table}
               SET status = %(sent)s, sent_at = %(sent_at)s, attempts = attempts + 1,
                   last_error = '', lease_until = NULL,
                   title = %(title)s, body = %(body)s, action_url = %(action_url)s
             WHERE id = %(id)s AND organisation_id + 0 = %(organisation_id)s
               AND lease_until = %(token)s
            RETURNING id, organisation_id, member_id)
        INSERT INTO {event_table}
            (organisation_id, actor_id, verb, object_type, object_id, result, context, timestamp)
        SELECT organisation_id, member_id, %(verb)s, 'nudge', id, '{{}}'::jsonb,
               %(context)s::jsonb, %(sent_at)s
          FROM sent"""  # noqa: S608
    with db.cursor() as cursor:
        cursor.execute(
            prefix + statement,
            {
                "setting": ORGANISATION_SETTING,
                "bypass": BYPASS_SETTING,
                "organisation": str(nudge.organisation_id),
                "organisation_id": nudge.organisation_id,
                "id": nudge.pk,
                "sent": Nudge.Status.SENT,
                "token": token,
                "verb": str(LearningEvent.Verb.NUDGE_SENT),
                "context": json.dumps(context),
                **changes,
            },
        )
        return cursor.rowcount == 1


def _retry_or_fail(nudge: Nudge, exc: Exception, *, token: dt.datetime, now: dt.datetime) -> str:
    error = f"{type(exc).__name__}: {exc}"[:LAST_ERROR_LENGTH]
    attempts = nudge.attempts + 1
    if attempts >= MAX_DELIVERY_ATTEMPTS:
        target, changes = Nudge.Status.FAILED, {}
    else:
        target, changes = Nudge.Status.PLANNED, {"due_at": now + retry_delay(attempts)}
    with organisation_scope(nudge.organisation_id):
        moved = nudges_transition(
            organisation_id=nudge.organisation_id,
            ids=[nudge.pk],
            source=Nudge.Status.SENDING,
            target=target,
            held_until=token,
            attempts=attempts,
            last_error=error,
            lease_until=None,
            **changes,
        )
    logger.warning(
        "nudge %s: sending failed (attempt %s, now %s): %s",
        nudge.pk,
        attempts,
        target if moved else "another sender's",
        error,
    )
    return target if moved else DELIVERY_TAKEN


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
    unsubscribe = unsubscribe_url(nudge)
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
            "unsubscribe_url": unsubscribe,
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
    message = _NudgeEmail(
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
            **unsubscribe_headers(unsubscribe),
        },
    )
    message.attach_alternative(html, "text/html")
    message.send()


class _NudgeEmail(EmailMultiAlternatives):
    """A nudge e-mail whose MIME boundary is chosen up front, at random.

    Without one, the generator joins the whole message and compiles a pattern to be
    sure the boundary it makes up appears nowhere in it: a tenth of a sender's work.
    Twenty random bytes appear in no text by chance.
    """

    def message(self):
        mime = super().message()
        mime.set_boundary(f"=_werkwijs_{secrets.token_hex(20)}")
        return mime


def _preferences_path(member) -> str:
    return reverse("nudges:preferences", kwargs={"org_slug": member.organisation.slug})
