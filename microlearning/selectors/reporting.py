"""Reads for reports about units (analytics' HR report asks here, not the tables)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, QuerySet, Sum

from organisations.models import Membership, Organisation

from ..models import Rating


def ratings_per_team(
    *,
    organisation: Organisation,
    members: QuerySet[Membership],
    since: dt.datetime,
    until: dt.datetime,
) -> list[dict]:
    """Per member team (``member__team_id``): ratings given in the period: ``n``, the scores'
    ``total`` and the ``people`` who rated."""
    return list(
        Rating.objects.filter(
            organisation=organisation,
            member__in=members,
            created_at__gte=since,
            created_at__lt=until,
        )
        .values("member__team_id")
        .annotate(n=Count("pk"), total=Sum("score"), people=Count("member_id", distinct=True))
        .order_by()
    )
