"""Reads for reports about trajectories (analytics' HR report asks here, not the tables)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from organisations.models import Membership, Organisation

from ..models import Enrolment, Trajectory


def trajectories_of(*, organisation: Organisation) -> QuerySet[Trajectory]:
    return Trajectory.objects.filter(organisation=organisation).order_by("title")


def trajectory_of(*, organisation: Organisation, pk: int) -> Trajectory | None:
    return Trajectory.objects.filter(organisation=organisation, pk=pk).first()


def members_enrolled(*, organisation: Organisation, trajectory: Trajectory) -> QuerySet:
    """The ids of the members enrolled in ``trajectory``, as a subquery."""
    return Enrolment.objects.filter(organisation=organisation, trajectory=trajectory).values(
        "membership_id"
    )


def enrolments_per_trajectory(
    *,
    organisation: Organisation,
    members: QuerySet[Membership],
    trajectory: Trajectory | None,
    since: dt.datetime,
    until: dt.datetime,
) -> list[dict]:
    """Per trajectory (by title): ``trajectory_id``, ``trajectory__title``, ``people``
    enrolled among ``members``, and ``completed`` within [since, until). One query."""
    enrolments = Enrolment.objects.filter(organisation=organisation, membership__in=members)
    if trajectory is not None:
        enrolments = enrolments.filter(trajectory=trajectory)
    return list(
        enrolments.values("trajectory_id", "trajectory__title")
        .annotate(
            people=Count("membership_id", distinct=True),
            completed=Count(
                "pk",
                filter=Q(completed_at__gte=since, completed_at__lt=until)
                & Q(status=Enrolment.Status.COMPLETED),
            ),
        )
        .order_by("trajectory__title")
    )
