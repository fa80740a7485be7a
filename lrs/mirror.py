"""Writes: Werkwijs's own learning events mirrored into the organisation's statements.

The mirror reads the event log from its checkpoint (the last event id mirrored), as
the analytics rollups do, and stores each new event as a Statement row, so the
statements resource serves both from one store (one index, one paging, the same
filters). The checkpoint moves in the transaction that stores the statements; a
statement's id is derived from its event's id, so a batch redone after a crash
stores nothing twice.

Ids are handed out at insert, not at commit: the scan stops at the first event
stored less than ROLLUP_SETTLE_SECONDS ago, for the reason the rollups give
(analytics.services.rollups), and starts a margin before the last mirrored
event's ``stored_at``, so it reads a range of (organisation, stored_at).

Events recorded from a statement another tool sent (``lrs.intake``) are not
mirrored: that statement is in the store already, and mirroring it would make a
second one (a loop, if the tool reads it back). An organisation without an LRS
client is skipped: nobody reads its statements.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from events.models import LearningEvent
from events.verbs import Verb
from organisations.models import Organisation

from . import statements as st
from . import vocabulary as vocab
from .models import LrsClient, MirrorCheckpoint, Statement, StatementLink
from .services import format_timestamp

# Bounded so one run holds its transaction briefly; the next run goes on from the checkpoint.
MIRROR_BATCH_SIZE = 5_000
SCAN_MARGIN = dt.timedelta(minutes=10)
SCAN_FROM_START = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
LANGUAGES = ("en", "nl")


def _verb_displays() -> dict[str, dict[str, str]]:
    displays: dict[str, dict[str, str]] = {}
    for verb in Verb:
        display = {}
        for language in LANGUAGES:
            with translation.override(language):
                display[language] = str(verb.label)
        displays[verb.value] = display
    return displays


def event_statement(
    event: LearningEvent, *, organisation: Organisation, stored: str, displays: dict | None = None
) -> dict:
    """The xAPI statement of one learning event, as the store keeps it."""
    verb = Verb(event.verb)
    displays = displays or _verb_displays()
    context = dict(event.context or {})
    extensions = {vocab.CONTEXT_EXTENSION: context}
    if "category" in context:
        extensions[vocab.CATEGORY_EXTENSION] = context["category"]
    data = {
        "id": str(vocab.statement_id_for_event(event.pk)),
        "actor": vocab.member_account(event.actor_id),
        "verb": {"id": verb.iri, "display": displays[verb.value]},
        "object": {
            "objectType": "Activity",
            "id": vocab.activity_iri(event.object_type, event.object_id),
        },
        "context": {"platform": vocab.PLATFORM, "extensions": extensions},
        "timestamp": format_timestamp(event.timestamp),
        "stored": stored,
        "authority": vocab.werkwijs_authority(organisation),
        "version": "1.0.0",
    }
    if event.result:
        data["result"] = {"extensions": {vocab.RESULT_EXTENSION: event.result}}
    return data


def events_mirror(
    *,
    organisation: Organisation,
    batch_size: int = MIRROR_BATCH_SIZE,
    now: dt.datetime | None = None,
    settle: dt.timedelta | None = None,
) -> int:
    """Mirror one batch of new events into statements; return how many events were read.

    A result of ``batch_size`` means more may be waiting.
    """
    now = now or timezone.now()
    if settle is None:
        settle = dt.timedelta(seconds=settings.ROLLUP_SETTLE_SECONDS)
    if not LrsClient.objects.filter(organisation=organisation).exists():
        return 0
    with transaction.atomic():
        checkpoint, _ = MirrorCheckpoint.objects.select_for_update().get_or_create(
            organisation=organisation
        )
        last_stored = checkpoint.last_stored_at
        scan_from = last_stored - settle - SCAN_MARGIN if last_stored else SCAN_FROM_START
        events = list(
            LearningEvent.objects.filter(
                organisation=organisation,
                stored_at__gte=scan_from,
                id__gt=checkpoint.last_event_id,
            ).order_by("id")[:batch_size]
        )
        for position, event in enumerate(events):
            if event.stored_at > now - settle:
                events = events[:position]
                break
        if not events:
            return 0
        _store(organisation=organisation, events=events)
        checkpoint.last_event_id, checkpoint.last_stored_at = events[-1].pk, events[-1].stored_at
        checkpoint.updated_at = timezone.now()
        checkpoint.save(update_fields=["last_event_id", "last_stored_at", "updated_at"])
    return len(events)


def _store(*, organisation: Organisation, events: list[LearningEvent]) -> None:
    mirrored = [e for e in events if vocab.STATEMENT_CONTEXT_KEY not in (e.context or {})]
    ids = [vocab.statement_id_for_event(e.pk) for e in mirrored]
    # Only a run redone after a lost checkpoint finds any: the checkpoint lock keeps two
    # runs of one organisation apart.
    existing = set(
        Statement.objects.filter(organisation=organisation, statement_id__in=ids).values_list(
            "statement_id", flat=True
        )
    )
    stored_at = timezone.now()
    stored = format_timestamp(stored_at)
    displays = _verb_displays()
    rows, links = [], []
    for event, statement_id in zip(mirrored, ids, strict=True):
        if statement_id in existing:
            continue
        data = event_statement(event, organisation=organisation, stored=stored, displays=displays)
        rows.append(
            Statement(
                organisation=organisation,
                statement_id=statement_id,
                data=data,
                verb=data["verb"]["id"],
                activity=data["object"]["id"],
                actor=st.agent_key(data["actor"]),
                timestamp=event.timestamp,
                stored=stored_at,
            )
        )
        found = {(StatementLink.Kind.AGENT, key) for key in st.related_agents(data)}
        found |= {(StatementLink.Kind.ACTIVITY, iri) for iri in st.related_activities(data)}
        links.append(sorted(found))
    created = Statement.objects.bulk_create(rows, batch_size=1000)
    StatementLink.objects.bulk_create(
        [
            StatementLink(organisation=organisation, statement=row, kind=kind, value=value)
            for row, found in zip(created, links, strict=True)
            for kind, value in found
        ],
        batch_size=2000,
    )
