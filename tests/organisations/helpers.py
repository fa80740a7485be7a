"""Small helpers shared by the organisation tests."""

from __future__ import annotations

import time
from unittest import mock

from organisations.models import Invitation
from organisations.services import invitation_token


def token_signed_days_ago(invitation: Invitation, days: float) -> str:
    """A genuine token for ``invitation`` whose signature is ``days`` old."""
    then = time.time() - days * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=then):
        return invitation_token(invitation)


def accept_url(token: str) -> str:
    return f"/invitations/{token}/"
