"""Reads for spaced repetition: which quiz questions are due, for a member and for the planner.

Every read starts from the ``(organisation, due)`` or ``(organisation, member, due)``
index of the cards, so asking "who has something due?" costs the same whether the
organisation has a hundred members or a hundred thousand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet

from organisations.models import Membership, Organisation

from ..models import ReviewCard

# Questions one refresher asks: answered in under a minute, on a phone too.
REFRESHER_SIZE = 3


def _member_cards(*, membership: Membership) -> QuerySet[ReviewCard]:
    return ReviewCard.objects.filter(organisation_id=membership.organisation_id, member=membership)


def due_card_count(*, membership: Membership, now: dt.datetime) -> int:
    """How many of the member's questions are due: one indexed count (the home page's card)."""
    return _member_cards(membership=membership).filter(due__lte=now).count()


def due_cards(
    *, membership: Membership, now: dt.datetime, limit: int = REFRESHER_SIZE
) -> list[ReviewCard]:
    """The member's questions longest due first, with their blocks and units, in one query."""
    return list(
        _member_cards(membership=membership)
        .filter(due__lte=now)
        .select_related("block__version__unit")
        .order_by("due", "pk")[:limit]
    )


def preview_cards(
    *, viewer: Membership, now: dt.datetime, limit: int = REFRESHER_SIZE
) -> tuple[Membership, list[ReviewCard]]:
    """A member and the questions a refresher would ask them, to preview a rule with.

    The viewer's own due questions; else the questions coming due soonest in the
    organisation, with the member they belong to. No cards at all: the viewer, none.
    """
    own = due_cards(membership=viewer, now=now, limit=limit)
    if own:
        return viewer, own
    first = (
        ReviewCard.objects.filter(organisation_id=viewer.organisation_id)
        .select_related("member__user", "member__organisation")
        .order_by("due", "pk")
        .first()
    )
    if first is None:
        return viewer, []
    return first.member, list(_member_cards(membership=first.member).order_by("due", "pk")[:limit])


def refresher_cards(*, membership: Membership, block_ids: Iterable[int]) -> list[ReviewCard]:
    """The member's cards of these questions (another member's or organisation's: none)."""
    return list(
        _member_cards(membership=membership)
        .filter(block_id__in=list(block_ids))
        .select_related("block__version__unit")
        .order_by("due", "pk")
    )


def members_with_due_cards(
    *,
    organisation: Organisation,
    due_by: dt.datetime,
    memberships: QuerySet[Membership] | None = None,
    per_member: int = REFRESHER_SIZE,
) -> dict[int, list[int]]:
    """Member id -> the ids of their questions due by ``due_by``, longest due first, at most
    ``per_member``; only members of ``memberships`` when given.

    The due cards are read off the due index first; the members are asked about only
    when some card is due, and then by id. So a planner run with nothing due reads no
    member at all, however large the organisation.
    """
    due: dict[int, list[int]] = {}
    for member_id, block_id in (
        ReviewCard.objects.filter(organisation=organisation, due__lte=due_by)
        .order_by("member_id", "due", "pk")
        .values_list("member_id", "block_id")
    ):
        questions = due.setdefault(member_id, [])
        if len(questions) < per_member:
            questions.append(block_id)
    if due and memberships is not None:
        wanted = set(memberships.filter(pk__in=list(due)).values_list("pk", flat=True))
        due = {member_id: ids for member_id, ids in due.items() if member_id in wanted}
    return due
