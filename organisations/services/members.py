"""Members: roles, team, and (de)activation; the last active admin is never lost."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..models import Membership, Team
from .audit import audit_log_record
from .checks import ERROR_OTHER_ORGANISATION

# Errors (module constants, so tests and pages share one wording)
ERROR_LAST_ADMIN_DEMOTE = _(
    "You are the last organisation admin. Make someone else an admin first, "
    "then you can give up the role."
)
ERROR_LAST_ADMIN_DEACTIVATE = _(
    "This is the last organisation admin. Make someone else an admin first, "
    "then this member can be deactivated."
)


def _other_active_admins_exist(membership: Membership) -> bool:
    # Locking the admins' rows makes two admins demoting each other at the same
    # moment queue up, so one of them is always refused.
    admins = Membership.objects.select_for_update().filter(
        organisation_id=membership.organisation_id, is_admin=True, is_active=True
    )
    return any(pk != membership.pk for pk in admins.values_list("pk", flat=True))


def member_update(
    *,
    membership: Membership,
    by: Membership,
    is_author: bool,
    is_hr: bool,
    is_admin: bool,
    team: Team | None,
) -> Membership:
    """Change a member's roles and team; the last active admin keeps the admin role."""
    if team is not None and team.organisation_id != membership.organisation_id:
        raise ValidationError({"team": ERROR_OTHER_ORGANISATION})
    with transaction.atomic():
        if (
            membership.is_admin
            and membership.is_active
            and not is_admin
            and not _other_active_admins_exist(membership)
        ):
            raise ValidationError({"is_admin": ERROR_LAST_ADMIN_DEMOTE})
        before = _member_snapshot(membership)
        membership.is_author, membership.is_hr, membership.is_admin = is_author, is_hr, is_admin
        membership.team = team
        membership.full_clean()
        membership.save(update_fields=["is_author", "is_hr", "is_admin", "team"])
        after = _member_snapshot(membership)
        if after != before:
            audit_log_record(
                actor=by,
                action="member.updated",
                obj=membership,
                data={"before": before, "after": after},
            )
    return membership


def _member_snapshot(membership: Membership) -> dict:
    return {
        "is_author": membership.is_author,
        "is_hr": membership.is_hr,
        "is_admin": membership.is_admin,
        "team_id": membership.team_id,
    }


def member_deactivate(*, membership: Membership, by: Membership) -> Membership:
    """Stop a member from using the organisation; everything they did stays. Idempotent."""
    if not membership.is_active:
        return membership
    with transaction.atomic():
        if membership.is_admin and not _other_active_admins_exist(membership):
            raise ValidationError(ERROR_LAST_ADMIN_DEACTIVATE)
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        audit_log_record(actor=by, action="member.deactivated", obj=membership)
    return membership


def member_reactivate(*, membership: Membership, by: Membership) -> Membership:
    if membership.is_active:
        return membership
    membership.is_active = True
    membership.save(update_fields=["is_active"])
    audit_log_record(actor=by, action="member.reactivated", obj=membership)
    return membership
