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


def _other_active_admins_exist(member: Membership) -> bool:
    # Locking the admins' rows makes two admins demoting each other at the same
    # moment queue up, so one of them is always refused.
    admins = Membership.objects.select_for_update().filter(
        organisation_id=member.organisation_id, is_admin=True, is_active=True
    )
    return any(pk != member.pk for pk in admins.values_list("pk", flat=True))


def member_update(
    *,
    member: Membership,
    by: Membership,
    is_author: bool,
    is_hr: bool,
    is_admin: bool,
    team: Team | None,
) -> Membership:
    """Change a member's roles and team; the last active admin keeps the admin role."""
    if team is not None and team.organisation_id != member.organisation_id:
        raise ValidationError({"team": ERROR_OTHER_ORGANISATION})
    with transaction.atomic():
        if (
            member.is_admin
            and member.is_active
            and not is_admin
            and not _other_active_admins_exist(member)
        ):
            raise ValidationError({"is_admin": ERROR_LAST_ADMIN_DEMOTE})
        before = _member_snapshot(member)
        member.is_author, member.is_hr, member.is_admin = is_author, is_hr, is_admin
        member.team = team
        member.full_clean()
        member.save(update_fields=["is_author", "is_hr", "is_admin", "team"])
        after = _member_snapshot(member)
        if after != before:
            audit_log_record(
                actor=by,
                action="member.updated",
                obj=member,
                data={"before": before, "after": after},
            )
    return member


def _member_snapshot(member: Membership) -> dict:
    return {
        "is_author": member.is_author,
        "is_hr": member.is_hr,
        "is_admin": member.is_admin,
        "team_id": member.team_id,
    }


def member_deactivate(*, member: Membership, by: Membership) -> Membership:
    """Stop a member from using the organisation; everything they did stays. Idempotent."""
    if not member.is_active:
        return member
    with transaction.atomic():
        if member.is_admin and not _other_active_admins_exist(member):
            raise ValidationError(ERROR_LAST_ADMIN_DEACTIVATE)
        member.is_active = False
        member.save(update_fields=["is_active"])
        audit_log_record(actor=by, action="member.deactivated", obj=member)
    return member


def member_reactivate(*, member: Membership, by: Membership) -> Membership:
    if member.is_active:
        return member
    member.is_active = True
    member.save(update_fields=["is_active"])
    audit_log_record(actor=by, action="member.reactivated", obj=member)
    return member
