"""The demo's LRS client: the README's credentials work, and the demo's events are there."""

from __future__ import annotations

import pytest

from demo.demo import demo_seed
from demo.lrs import DEMO_LRS_KEY, DEMO_LRS_SECRET, DEMO_LRS_SLUG
from organisations.models import Organisation
from tests.lrs.conftest import Xapi, statement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_demo_lrs_credentials_read_the_demos_events_and_write(client):
    demo_seed(log=lambda message: None)
    organisation = Organisation.objects.get(slug=DEMO_LRS_SLUG)
    xapi = Xapi(organisation, DEMO_LRS_KEY, DEMO_LRS_SECRET)

    response = xapi.get({"verb": "http://adlnet.gov/expapi/verbs/completed", "limit": "5"})

    assert response.status_code == 200
    found = response.json()["statements"]
    assert len(found) == 5
    assert all("account" in s["actor"] and "mbox" not in s["actor"] for s in found)
    assert xapi.post(statement()).status_code == 200
    # Seeding twice adds nothing (the client, the mirrored statements): test_seed_demo's
    # row counts cover it.
