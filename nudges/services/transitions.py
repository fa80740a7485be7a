"""The one function that moves a nudge from one status to another (``Nudge.TRANSITIONS``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..models import Nudge, NudgeRule  # noqa: F401 - NudgeRule for type readers

ILLEGAL_TRANSITION = "A nudge cannot go from %(source)s to %(target)s."


class IllegalTransition(ValueError):
    pass


def nudge_transition_allowed(*, source: str, target: str) -> bool:
    """Whether the move changes anything; raises ``IllegalTransition`` for a forbidden one.

    The same status again is a no-op (False), never an error.
    """
    if source == target:
        return False
    if target not in Nudge.TRANSITIONS[source]:
        raise IllegalTransition(ILLEGAL_TRANSITION % {"source": source, "target": target})
    return True


def nudge_transition(*, nudge: Nudge, target: str, **changes) -> Nudge:
    """Move one (locked) nudge to ``target`` and save it with ``changes``."""
    if not nudge_transition_allowed(source=nudge.status, target=target):
        return nudge
    nudge.status = target
    for field, value in changes.items():
        setattr(nudge, field, value)
    nudge.save(update_fields=["status", *changes])
    return nudge


def nudges_transition(
    *,
    organisation_id: int,
    ids: Iterable[int],
    source: str,
    target: str,
    held_until: dt.datetime | None = None,
    **changes,
) -> int:
    """Move the rows among ``ids`` that are still in ``source`` to ``target``; how many moved.

    With ``held_until``, only rows still carrying that lease (a sender's own claim).
    """
    ids = list(ids)
    if not ids or not nudge_transition_allowed(source=source, target=target):
        return 0
    rows = Nudge.objects.filter(organisation_id=organisation_id, pk__in=ids, status=source)
    if held_until is not None:
        rows = rows.filter(lease_until=held_until)
    return rows.update(status=target, **changes)
