"""Shared fixtures.

Test setup writes rows for several organisations directly, acting as platform
staff: ``rls_setup_bypass`` lifts row-level security on the test's own
connection for that. Code under test never inherits it: requests and tasks run
inside ``organisation_scope``, which turns the bypass off for their
transaction, and live servers and Celery workers use connections of their own.
Tests that prove RLS (tests/organisations/test_rls.py) turn it off themselves.

Under pytest-xdist (``make test`` runs two workers) each worker has its own test
database (pytest-django adds ``_gw<N>``) and its own Redis database: see
``worker_redis_url``.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import override_settings

from tests import factories


def worker_redis_url(url: str, worker: str) -> str:
    """The Redis database of xdist worker ``gw<N>``: ``N`` below the one in ``url``.

    Tests clear the cache (FLUSHDB) and the Celery worker tests use Redis as their
    broker, so two workers sharing a database would wipe each other's keys and take
    each other's tasks. Counting down keeps ``make test``'s default (15) in range.
    """
    index = int(worker.removeprefix("gw"))
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    if base - index < 0:
        raise pytest.UsageError(
            f"REDIS_URL names database {base}: too low for xdist worker {worker}, which "
            f"counts down from it; use database {index} or higher"
        )
    return urlunsplit(parts._replace(path=f"/{base - index}"))


# Before any test touches the cache: Django's settings are loaded by now (pytest-django
# sets Django up first), the cache connects on first use. The environment is changed too,
# for the subprocesses tests start (the Celery worker, manage.py) and what they read of it.
if (_worker := os.environ.get("PYTEST_XDIST_WORKER")) and os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = worker_redis_url(os.environ["REDIS_URL"], _worker)
    if django_settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        override_settings(
            CACHES={
                "default": {
                    **django_settings.CACHES["default"],
                    "LOCATION": os.environ["REDIS_URL"],
                }
            }
        ).enable()


@pytest.fixture(autouse=True)
def rls_setup_bypass(request):
    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if uses_db:
        request.getfixturevalue("_django_db_helper")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('app.rls_bypass', 'on', false)")
    yield


@pytest.fixture(autouse=True)
def _fast_tests(settings, tmp_path):
    # A real password hash costs half a second per account; tests make hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Visitors outside an organisation get Dutch by default; tests read English unless
    # they set a language themselves (an organisation's, a member's or the browser's).
    settings.LANGUAGE_CODE = "en"
    # Tests roll up events they have just made; the lag is proven in its own test.
    settings.ROLLUP_SETTLE_SECONDS = 0
    settings.MEDIA_ROOT = tmp_path / "media"
    # allauth keeps login rate limits in the cache, which is Redis under `make test`.
    cache.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def organisation(db):
    return factories.OrganisationFactory(slug="acme", name="Acme")


@pytest.fixture
def other_organisation(db):
    return factories.OrganisationFactory(slug="globex", name="Globex")


def make_member(organisation, **kwargs):
    return factories.MembershipFactory(organisation=organisation, **kwargs)


@pytest.fixture
def member(organisation):
    return make_member(organisation)


@pytest.fixture
def member_client(client, member):
    client.force_login(member.user)
    return client
