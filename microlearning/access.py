"""Loading units and blocks through the request's organisation, for web views and API alike.

Another organisation's id is simply not found (404), never forbidden: no existence oracle.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from .models import Block, Unit


def authored_unit(request, unit_id: int) -> Unit:
    """A unit of the request's organisation in any status."""
    return get_object_or_404(Unit.objects.filter(organisation=request.organisation), pk=unit_id)


def authored_block(request, unit: Unit, block_id: int) -> Block:
    """A block of one of ``unit``'s versions (another unit's or organisation's: 404)."""
    return get_object_or_404(
        Block.objects.filter(organisation=request.organisation, version__unit=unit).select_related(
            "version"
        ),
        pk=block_id,
    )
