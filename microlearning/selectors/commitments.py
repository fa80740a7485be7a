"""Reads about apply-at-work commitments for the apply nudge: which are due a question."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, QuerySet

from organisations.models import Membership, Organisation

from ..models import Commitment

# The answers a learner reports, in the order a question offers them.
REPORT_STATUSES = (
    Commitment.Status.APPLIED,
    Commitment.Status.NOT_YET,
    Commitment.Status.NOT_RELEVANT,
)
OPEN = Commitment.Status.OPEN
APPLIED = Commitment.Status.APPLIED
NOT_YET = Commitment.Status.NOT_YET


def commitments_open_due(
    *,
    organisation: Organisation,
    due_from: dt.date,
    due_by: dt.date,
    memberships: QuerySet[Membership],
) -> list[tuple[int, int]]:
    """(member id, commitment id) of open commitments of ``memberships`` dated in the range.

    Reads the ``commitment_status_due`` index; the members are a subquery.
    """
    return list(
        Commitment.objects.filter(
            organisation=organisation,
            status=Commitment.Status.OPEN,
            due_on__gte=due_from,
            due_on__lte=due_by,
            member__in=memberships,
        )
        .order_by("pk")
        .values_list("member_id", "pk")
    )


def commitment_by_id(*, organisation_id: int, commitment_id: int | None) -> Commitment | None:
    if commitment_id is None:
        return None
    return (
        Commitment.objects.filter(organisation_id=organisation_id, pk=commitment_id)
        .select_related("unit")
        .first()
    )


def commitment_latest(*, organisation_id: int) -> Commitment | None:
    """The organisation's newest commitment: real words for a preview."""
    return (
        Commitment.objects.filter(organisation_id=organisation_id)
        .select_related("unit")
        .order_by("-pk")
        .first()
    )


def commitment_next_statuses(commitment: Commitment) -> list[str]:
    """The answers the learner may still give, in the order a question offers them."""
    allowed = Commitment.TRANSITIONS[Commitment.Status(commitment.status)]
    return [status for status in REPORT_STATUSES if status in allowed]


def commitment_status_label(status: str) -> str:
    return str(Commitment.Status(status).label)


def commitment_locked(*, organisation_id: int, commitment_id: int) -> Commitment | None:
    """The commitment, locked until the caller's transaction ends: one report at a time."""
    return (
        Commitment.objects.select_for_update()
        .filter(organisation_id=organisation_id, pk=commitment_id)
        .first()
    )


def commitments_not_yet_reported(
    *,
    organisation: Organisation,
    reported_from: dt.datetime,
    reported_by: dt.datetime,
    memberships: QuerySet[Membership],
) -> list[tuple[int, int]]:
    """(member id, commitment id) of commitments reported "not yet" between the times."""
    return list(
        Commitment.objects.filter(
            organisation=organisation,
            status=Commitment.Status.NOT_YET,
            reported_at__gte=reported_from,
            reported_at__lte=reported_by,
            member__in=memberships,
        )
        .order_by("pk")
        .values_list("member_id", "pk")
    )


def commitment_report_counts(
    *, organisation_id: int, member_ids: list[int]
) -> dict[int, dict[str, int]]:
    """Member id -> {status: how many of their commitments stand at it}: one query."""
    counts: dict[int, dict[str, int]] = {}
    if not member_ids:
        return counts
    for member_id, status, total in (
        Commitment.objects.filter(organisation_id=organisation_id, member_id__in=member_ids)
        .order_by()
        .values("member_id", "status")
        .annotate(total=Count("pk"))
        .values_list("member_id", "status", "total")
    ):
        counts.setdefault(member_id, {})[status] = total
    return counts


def commitments_of_member(
    *, organisation_id: int, member_id: int, limit: int = 20
) -> list[Commitment]:
    """A member's latest commitments with their unit, newest first: one query."""
    return list(
        Commitment.objects.filter(organisation_id=organisation_id, member_id=member_id)
        .select_related("unit")
        .order_by("-created_at", "-pk")[:limit]
    )
