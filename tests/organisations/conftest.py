"""Fixtures for organisation administration tests: an admin of ``organisation`` and their client."""

import pytest
from django.core.cache import cache

from tests.conftest import make_member


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The production hasher costs half a second per user; these tests make many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # allauth keeps its login and e-mail rate limits in the cache (Redis under test),
    # which outlives a test: without this, earlier runs' sign-ins count against this one.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def org_admin(organisation):
    return make_member(organisation, is_admin=True)


@pytest.fixture
def org_admin_client(client, org_admin):
    client.force_login(org_admin.user)
    return client
