"""Reads for content packages: the package behind a block, and an attempt by its token."""

from __future__ import annotations

from organisations.models import Membership

from .models import ContentPackage, PackageAttempt


def package_for_block(*, block, organisation_id: int) -> ContentPackage | None:
    """The package a package block plays, of the block's own organisation only."""
    package_id = block.data.get("package") if isinstance(block.data, dict) else None
    if not isinstance(package_id, int):
        return None
    return ContentPackage.objects.filter(organisation_id=organisation_id, pk=package_id).first()


def launchable(*, package: ContentPackage, sco: str) -> dict | None:
    return next((item for item in package.launchables if item["identifier"] == sco), None)


def attempt_for_launch(*, organisation_id: int, attempt_id: int, key: str) -> PackageAttempt | None:
    """The attempt a launch token names, if its key still matches and its learner is active."""
    attempt = (
        PackageAttempt.objects.select_related("package", "member__user", "block")
        .filter(organisation_id=organisation_id, pk=attempt_id, member__is_active=True)
        .first()
    )
    if attempt is None or attempt.key != key:
        return None
    return attempt


def attempts_of(*, membership: Membership):
    return PackageAttempt.objects.filter(
        organisation_id=membership.organisation_id, member=membership
    )
