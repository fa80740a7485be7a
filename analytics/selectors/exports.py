"""Reads for HR exports: which jobs a member may see."""

from __future__ import annotations

from django.db.models import QuerySet

from organisations.models import Membership
from organisations.permissions import Action, can

from ..models import ExportJob

RECENT_EXPORTS = 10


def exports_visible_to(*, membership: Membership) -> QuerySet[ExportJob]:
    """The organisation's exports for HR; for anyone else only the exports they requested."""
    jobs = ExportJob.objects.filter(organisation=membership.organisation)
    if not can(membership, Action.VIEW_ORGANISATION_REPORTS):
        jobs = jobs.filter(requested_by=membership)
    return jobs


def recent_exports(*, membership: Membership, limit: int = RECENT_EXPORTS) -> list[ExportJob]:
    """The member's own latest exports, newest first."""
    return list(
        exports_visible_to(membership=membership)
        .filter(requested_by=membership)
        .order_by("-created_at", "-pk")[:limit]
    )
