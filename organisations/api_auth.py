"""Token authentication: a token belongs to one membership and so to one organisation.

Clients send ``Authorization: Bearer ww_...``. Only the SHA-256 of a token is
stored; the raw value is shown once, when it is created. A token is accepted
only on its own organisation's URLs, while it is not revoked and while its
member (and their account) is active; anything else is a 401.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import ApiToken

TOKEN_PREFIX = "ww_"
INVALID_TOKEN = _("Invalid or revoked token.")
# Recording every use would turn each read into a write; a minute is precise enough.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class MembershipTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        organisation = getattr(request._request, "organisation", None)
        if organisation is None:
            # Outside /api/v1/o/<slug>/ (the schema and docs) a token has no meaning.
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(INVALID_TOKEN)
        raw = header[1].decode(errors="replace")
        if not raw.startswith(TOKEN_PREFIX):
            raise exceptions.AuthenticationFailed(INVALID_TOKEN)
        # The scoped manager (and RLS) only see the organisation of the URL, so a
        # token of another organisation is simply not found here.
        token = (
            ApiToken.objects.filter(
                organisation=organisation, key_hash=hash_token(raw), revoked_at__isnull=True
            )
            .select_related("membership__user", "membership__team")
            .first()
        )
        if token is None or not token.membership.is_active or not token.membership.user.is_active:
            raise exceptions.AuthenticationFailed(INVALID_TOKEN)
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        membership = token.membership
        membership.organisation = organisation
        # The token, not a session the client may also carry, says who is calling.
        request._request.membership = membership
        return membership.user, token

    def authenticate_header(self, request):
        return self.keyword


class MembershipTokenScheme(OpenApiAuthenticationExtension):
    target_class = MembershipTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "ww_...",
            "description": (
                "A personal API token (`ww_...`), created at `tokens/` while signed in. "
                "It works only on the URLs of the organisation it was created in."
            ),
        }
