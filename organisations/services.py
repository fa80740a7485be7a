"""Writes for organisations: audit trail, members, teams, invitations, tokens."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone

from .api_auth import TOKEN_PREFIX, hash_token
from .models import ApiToken, AuditLog, Membership


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


def api_token_create(*, membership: Membership, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token; the raw value is returned once and stored only hashed."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        organisation_id=membership.organisation_id,
        membership=membership,
        name=name,
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        key_hash=hash_token(raw),
    )
    token.full_clean()
    token.save()
    audit_log_record(actor=membership, action="api_token.created", obj=token)
    return token, raw


def api_token_revoke(*, token: ApiToken, by: Membership) -> ApiToken:
    """Revoke a token; revoking twice is a no-op."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_log_record(actor=by, action="api_token.revoked", obj=token)
    return token
