"""Writes for learning events: every app records what learners do through here."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from organisations.models import Membership

from .models import LearningEvent
from .verbs import Verb


def learning_event_record(
    *,
    actor: Membership,
    verb: Verb | str,
    object_type: str,
    object_id: int,
    result: dict | None = None,
    context: dict | None = None,
    timestamp: dt.datetime | None = None,
) -> LearningEvent:
    """Append one xAPI-shaped statement: actor, verb, object, result, context, timestamp.

    An unknown verb raises ValueError: a statement no rollup or export understands
    is not written.
    """
    return LearningEvent.objects.create(
        organisation_id=actor.organisation_id,
        actor=actor,
        verb=Verb(verb),
        object_type=object_type,
        object_id=object_id,
        result=result or {},
        context=context or {},
        timestamp=timestamp or timezone.now(),
    )
