"""Fixtures for organisation administration tests: an admin of ``organisation`` and their client."""

import pytest

from tests.conftest import make_member


@pytest.fixture
def org_admin(organisation):
    return make_member(organisation, is_admin=True)


@pytest.fixture
def org_admin_client(client, org_admin):
    client.force_login(org_admin.user)
    return client


@pytest.fixture
def eager_tasks(settings):
    """Celery runs each task as it is enqueued, in the test, and its errors propagate."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True
