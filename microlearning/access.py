"""Who opens which unit, and loading units and blocks for web views and API alike.

The rule is written once, here: authors (and admins) open every unit of their
organisation in any status and every version of it; learners open published
units only, and of those only the live version. Another organisation's id is
simply not found (404), never forbidden: no existence oracle.
"""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404

from organisations.models import Membership
from organisations.permissions import Action, can

from .models import Block, Unit, UnitVersion
from .selectors import learning as learning_selectors
from .selectors import units as unit_selectors


def opens_every_unit(membership: Membership) -> bool:
    """Drafts, archived units and older versions are for the people who write units."""
    return can(membership, Action.AUTHOR_UNITS)


def openable_units(*, membership: Membership) -> QuerySet[Unit]:
    """The units ``membership`` may open: every unit for authors, published ones for learners."""
    if opens_every_unit(membership):
        return Unit.objects.filter(organisation_id=membership.organisation_id)
    return unit_selectors.published_units(organisation=membership.organisation)


def openable_versions(*, membership: Membership) -> QuerySet[UnitVersion]:
    """Every version for authors; for learners the live version of a published unit."""
    versions = UnitVersion.objects.filter(organisation_id=membership.organisation_id)
    if opens_every_unit(membership):
        return versions
    return versions.filter(unit__status=Unit.Status.PUBLISHED, unit__live_version=F("pk"))


def openable_blocks(*, membership: Membership) -> QuerySet[Block]:
    """The blocks of the versions ``membership`` may open."""
    return Block.objects.filter(
        organisation_id=membership.organisation_id,
        version__in=openable_versions(membership=membership),
    )


def published_unit(request, unit_id: int) -> Unit:
    """A unit the learner may do: published, of the request's organisation (else 404).

    Authors too do a unit only once it is published; they preview drafts instead.
    """
    return get_object_or_404(
        unit_selectors.published_units(organisation=request.organisation), pk=unit_id
    )


def live_block(request, unit_id: int, block_id: int) -> tuple[Unit, Block]:
    """A block of the live version of a published unit of the organisation, or 404."""
    unit = published_unit(request, unit_id)
    return unit, get_object_or_404(learning_selectors.live_blocks(unit=unit), pk=block_id)


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
