"""Personal API tokens: created once with their raw value shown, revoked for good."""

from __future__ import annotations

import secrets

from django.utils import timezone

from ..api_auth import TOKEN_PREFIX, hash_token
from ..models import ApiToken, Membership
from .audit import audit_log_record


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
