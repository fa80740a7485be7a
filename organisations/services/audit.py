"""The audit trail: every meaningful service records who did what."""

from __future__ import annotations

from django.db import models

from ..models import AuditLog, Membership


def audit_log_record(
    *,
    actor: Membership | None,
    action: str,
    obj: models.Model | None = None,
    data: dict | None = None,
    organisation_id: int | None = None,
) -> AuditLog:
    """Write who did what to which object; called inside every meaningful service."""
    return AuditLog.objects.create(
        organisation_id=organisation_id or actor.organisation_id,
        actor=actor,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=obj.pk if obj is not None else None,
        data=data or {},
    )
