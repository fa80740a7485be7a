"""Reading in the app: marking in-app nudges read, one (opened) or all at once."""

from __future__ import annotations

from django.utils import timezone

from events.models import LearningEvent
from events.services import learning_event_record
from organisations.models import Membership

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


def nudges_mark_all_read(*, membership: Membership) -> int:
    """Mark every unread in-app nudge of the member read; how many were unread.

    Clearing the list is not opening each nudge, so no "opened" event is recorded:
    the rule's figures count what members opened, not what they dismissed.
    """
    return Nudge.objects.filter(
        organisation_id=membership.organisation_id,
        member=membership,
        channel=Nudge.Channel.IN_APP,
        status=Nudge.Status.SENT,
        read_at__isnull=True,
    ).update(read_at=timezone.now())
