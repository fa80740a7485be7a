"""Helpers for API tests."""

from __future__ import annotations

from organisations.models import ApiToken, Membership
from organisations.services import api_token_create
from organisations.tenancy import organisation_scope


def make_token(membership: Membership, name: str = "script") -> tuple[ApiToken, str]:
    with organisation_scope(membership.organisation_id):
        return api_token_create(membership=membership, name=name)


def error_of(response) -> dict:
    """The one error shape; fails the test if the body is anything else."""
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]
