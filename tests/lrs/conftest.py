"""Fixtures for the learning record store: LRS clients and a small xAPI client for requests."""

from __future__ import annotations

import base64
import json
import uuid

import pytest
from django.test import Client

from lrs import services
from lrs.models import LrsClient
from organisations.tenancy import organisation_scope
from tests.conftest import make_member

READ_ALL, READ_OWN, WRITE = (
    LrsClient.Scope.READ_ALL,
    LrsClient.Scope.READ_OWN,
    LrsClient.Scope.WRITE,
)


def make_lrs_client(organisation, scopes=(READ_ALL, WRITE), name="Tool"):
    admin = make_member(organisation, is_admin=True)
    with organisation_scope(organisation.pk):
        return services.lrs_client_create(
            organisation=organisation, name=name, scopes=list(scopes), by=admin
        )


class Xapi:
    """Requests to one organisation's statements resource as one LRS client."""

    def __init__(self, organisation, key: str, secret: str, version: str = "1.0.3"):
        self.url = f"/xapi/o/{organisation.slug}/statements"
        self.version = version
        credentials = base64.b64encode(f"{key}:{secret}".encode()).decode()
        self.client = Client(headers={"authorization": f"Basic {credentials}"})

    def headers(self, version, extra):
        headers = dict(extra or {})
        if version is not False:
            headers["X-Experience-API-Version"] = version or self.version
        return headers

    def get(self, params=None, *, version=None, headers=None, url=None):
        return self.client.get(
            url or self.url, params or {}, headers=self.headers(version, headers)
        )

    def head(self, params=None, *, version=None):
        return self.client.head(self.url, params or {}, headers=self.headers(version, None))

    def post(self, body, *, version=None, raw=False):
        data = body if raw else json.dumps(body)
        return self.client.post(
            self.url, data, content_type="application/json", headers=self.headers(version, None)
        )

    def put(self, body, statement_id, *, version=None):
        return self.client.put(
            f"{self.url}?statementId={statement_id}",
            json.dumps(body),
            content_type="application/json",
            headers=self.headers(version, None),
        )


@pytest.fixture
def lrs_client(organisation):
    return make_lrs_client(organisation)


@pytest.fixture
def xapi(organisation, lrs_client):
    client, secret = lrs_client
    return Xapi(organisation, client.key, secret)


@pytest.fixture
def xapi2(organisation, lrs_client):
    client, secret = lrs_client
    return Xapi(organisation, client.key, secret, version="2.0.0")


def statement(**overrides) -> dict:
    """A small valid statement; ``overrides`` replace top-level properties."""
    base = {
        "actor": {"objectType": "Agent", "name": "Ann", "mbox": "mailto:ann@example.com"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "done"}},
        "object": {
            "objectType": "Activity",
            "id": "http://example.com/activities/unit-1",
            "definition": {"name": {"en-US": "Unit 1", "nl-NL": "Eenheid 1"}},
        },
    }
    base.update(overrides)
    return base


def new_id() -> str:
    return str(uuid.uuid4())
