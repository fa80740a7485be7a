"""What the microlearning API modules share: a unit as the caller sees it."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from rest_framework import status
from rest_framework.response import Response

from organisations.models import Membership

from ..access import openable_units
from ..models import Completion, Unit
from ..serializers.units import UnitSerializer


def with_completion(units: QuerySet[Unit], membership: Membership) -> QuerySet[Unit]:
    """Annotate when the caller completed each unit: one subquery, not a query per row."""
    completed = Completion.objects.filter(
        organisation_id=membership.organisation_id, member=membership, unit=OuterRef("pk")
    ).values("completed_at")[:1]
    return units.annotate(completed_at=Subquery(completed))


def openable_unit(request, unit_id: int) -> Unit:
    """A unit the caller may open, with their completion; drafts are 404 for learners."""
    units = openable_units(membership=request.membership).select_related("author__user")
    return get_object_or_404(with_completion(units, request.membership), pk=unit_id)


def unit_response(request, unit_id: int, *, status_code: int = status.HTTP_200_OK) -> Response:
    return Response(UnitSerializer(openable_unit(request, unit_id)).data, status=status_code)
