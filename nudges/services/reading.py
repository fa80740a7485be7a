"""Reading in the app: marking an in-app nudge read."""

from __future__ import annotations

from django.utils import timezone

from events.models import LearningEvent
from events.services import learning_event_record

from ..models import Nudge


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
