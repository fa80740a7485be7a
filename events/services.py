"""Writes for learning events: every app records what learners do through here."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from organisations.models import Membership

from .models import LearningEvent
from .signals import learning_event_recorded
from .verbs import Verb, event_category


def learning_event_record(
    *,
    actor: Membership,
    verb: Verb | str,
    object_type: str,
    object_id: int,
    result: dict | None = None,
    context: dict | None = None,
    object_category: str | None = None,
    timestamp: dt.datetime | None = None,
) -> LearningEvent:
    """Append one xAPI-shaped statement: actor, verb, object, result, context, timestamp.

    An unknown verb raises ValueError: a statement no rollup or export understands
    is not written. The 70:20:10 category the event counts under (the verb's own,
    or ``object_category``, the object's, for verbs that count where their object
    does) is kept in ``context["category"]``: the ledger and the rollups read it
    there instead of joining every object's table.
    """
    verb = Verb(verb)
    context = dict(context or {})
    category = event_category(verb=verb, object_category=object_category)
    if category is not None:
        context["category"] = category.value
    event = LearningEvent.objects.create(
        organisation_id=actor.organisation_id,
        actor=actor,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        result=result or {},
        context=context,
        timestamp=timestamp or timezone.now(),
    )
    learning_event_recorded.send(sender=LearningEvent, event=event)
    return event


def learning_events_record_many(*, events: list[dict]) -> list[LearningEvent]:
    """``learning_event_record`` for many statements at once: one INSERT, listeners told each.

    Each dict holds ``learning_event_record``'s keyword arguments; for a batch
    (a team enrolled at once) where a statement per row would cost a round trip each.
    """
    rows = []
    for item in events:
        verb = Verb(item["verb"])
        context = dict(item.get("context") or {})
        category = event_category(verb=verb, object_category=item.get("object_category"))
        if category is not None:
            context["category"] = category.value
        actor = item["actor"]
        rows.append(
            LearningEvent(
                organisation_id=actor.organisation_id,
                actor_id=actor.pk,
                verb=verb,
                object_type=item["object_type"],
                object_id=item["object_id"],
                result=item.get("result") or {},
                context=context,
                timestamp=item.get("timestamp") or timezone.now(),
            )
        )
    created = LearningEvent.objects.bulk_create(rows, batch_size=1000)
    for event in created:
        learning_event_recorded.send(sender=LearningEvent, event=event)
    return created


def learning_events_delete_rolled_up(
    *, organisation_id: int, before: dt.datetime, through_id: int, limit: int
) -> tuple[int, int]:
    """The one deletion the append-only log allows: retention, of events both older than
    ``before`` (when they happened) and at or below ``through_id`` (already rolled up).

    Deletes at most ``limit`` (oldest first); returns (how many, the highest id deleted).
    """
    ids = list(
        LearningEvent.objects.filter(
            organisation_id=organisation_id, timestamp__lt=before, id__lte=through_id
        )
        .order_by("timestamp")
        .values_list("id", flat=True)[:limit]
    )
    if not ids:
        return 0, 0
    deleted, _ = LearningEvent.objects.filter(organisation_id=organisation_id, id__in=ids).delete()
    return deleted, max(ids)
