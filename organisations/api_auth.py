"""Token authentication: a token belongs to one membership and so to one organisation."""

from __future__ import annotations

import hashlib

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import ApiToken

TOKEN_PREFIX = "ww_"
INVALID_TOKEN = _("Invalid or revoked token.")


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class MembershipTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() not in (b"bearer", b"token"):
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(INVALID_TOKEN)
        raw = header[1].decode(errors="replace")
        organisation = getattr(request._request, "organisation", None)
        if organisation is None or not raw.startswith(TOKEN_PREFIX):
            raise exceptions.AuthenticationFailed(INVALID_TOKEN)
        # The scoped manager (and RLS) only see the organisation of the URL, so a
        # token of another organisation is simply not found here.
        token = (
            ApiToken.objects.filter(key_hash=hash_token(raw), revoked_at__isnull=True)
            .select_related("membership__user")
            .first()
        )
        if token is None or not token.membership.is_active or not token.membership.user.is_active:
            raise exceptions.AuthenticationFailed(INVALID_TOKEN)
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        token.membership.organisation = organisation
        request._request.membership = token.membership
        return token.membership.user, token

    def authenticate_header(self, request):
        return self.keyword
