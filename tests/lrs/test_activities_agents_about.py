"""The activities, agents and about resources over HTTP."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.lrs.conftest import READ_OWN, WRITE, Xapi, make_lrs_client, statement

pytestmark = pytest.mark.django_db

UNIT = "http://example.com/activities/unit-1"


def base(xapi) -> str:
    return xapi.url.removesuffix("statements")


def get(xapi, resource, params, **kwargs):
    return xapi.get(params, url=base(xapi) + resource, **kwargs)


# --- activities -----------------------------------------------------------------------------------


def test_an_activity_comes_with_the_definition_of_its_latest_statement(xapi):
    old = statement()
    new = statement(
        object={
            "objectType": "Activity",
            "id": UNIT,
            "definition": {"name": {"en-US": "Unit 1, revised"}, "type": "http://x.test/t"},
        }
    )
    undefined = statement(object={"objectType": "Activity", "id": UNIT})
    for sent in (old, new, undefined):
        assert xapi.post(sent).status_code == 200

    response = get(xapi, "activities", {"activityId": UNIT})
    assert response.status_code == 200
    assert response.json() == {
        "objectType": "Activity",
        "id": UNIT,
        "definition": new["object"]["definition"],
    }
    assert response["ETag"].startswith('"')
    assert response["X-Experience-API-Version"] == "1.0.3"


def test_an_unknown_activity_is_still_an_activity_object(xapi):
    response = get(xapi, "activities", {"activityId": "http://example.com/unknown"})
    assert response.status_code == 200
    assert response.json() == {"objectType": "Activity", "id": "http://example.com/unknown"}


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({}, "activityId: is required"),
        ({"activityId": "no iri"}, "activityId"),
        ({"activityId": UNIT, "agent": "{}"}, "agent: is not a parameter"),
    ],
)
def test_a_malformed_activities_request_is_refused(xapi, params, detail):
    response = get(xapi, "activities", params)
    assert response.status_code == 400
    assert detail in response.json()["error"]["message"]


def test_activities_is_read_only(xapi):
    response = xapi.client.post(
        base(xapi) + "activities?activityId=" + UNIT,
        "{}",
        content_type="application/json",
        headers=xapi.headers(None, None),
    )
    assert response.status_code == 405


def test_a_read_own_client_sees_only_the_definitions_it_sent(organisation, xapi):
    xapi.post(statement())
    own, secret = make_lrs_client(organisation, scopes=[READ_OWN, WRITE], name="Own")
    own_xapi = Xapi(organisation, own.key, secret)
    assert get(own_xapi, "activities", {"activityId": UNIT}).json() == {
        "objectType": "Activity",
        "id": UNIT,
    }


# --- agents ---------------------------------------------------------------------------------------


def test_an_agent_is_answered_as_a_person_with_the_names_it_goes_by(xapi):
    xapi.post(statement(actor={"name": "Ann Smith", "mbox": "mailto:ann@example.com"}))

    response = get(xapi, "agents", {"agent": json.dumps({"mbox": "mailto:ANN@example.com"})})
    assert response.status_code == 200
    assert response.json() == {
        "objectType": "Person",
        "name": ["Ann Smith"],
        "mbox": ["mailto:ANN@example.com"],
    }


def test_an_unknown_agent_is_a_person_of_what_the_request_says(xapi):
    agent = {
        "objectType": "Agent",
        "name": "Bob",
        "account": {"homePage": "https://hr.example", "name": "bob"},
    }
    response = get(xapi, "agents", {"agent": json.dumps(agent)})
    assert response.json() == {
        "objectType": "Person",
        "name": ["Bob"],
        "account": [agent["account"]],
    }


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({}, "agent: is required"),
        ({"agent": "nope"}, "agent: is not JSON"),
        ({"agent": json.dumps({"name": "No identifier"})}, "agent"),
        (
            {"agent": json.dumps({"objectType": "Group", "mbox": "mailto:g@example.com"})},
            'agent.objectType: must be "Agent"',
        ),
    ],
)
def test_a_malformed_agents_request_is_refused(xapi, params, detail):
    response = get(xapi, "agents", params)
    assert response.status_code == 400
    assert detail in response.json()["error"]["message"]


def test_agents_needs_a_read_scope(organisation):
    writer, secret = make_lrs_client(organisation, scopes=[WRITE], name="Writer")
    agent = json.dumps({"mbox": "mailto:ann@example.com"})
    response = get(Xapi(organisation, writer.key, secret), "agents", {"agent": agent})
    assert response.status_code == 403


# --- about ----------------------------------------------------------------------------------------


def test_about_names_the_versions_without_credentials_or_version_header(organisation):
    response = Client().get(f"/xapi/o/{organisation.slug}/about")
    assert response.status_code == 200
    assert response.json() == {"version": ["1.0.3", "2.0.0"]}
    assert response["X-Experience-API-Version"] == "1.0.3"


@pytest.mark.parametrize("version", ["2.0.0", "0.9", "nonsense"])
def test_about_does_not_refuse_any_version_header(organisation, version):
    response = Client().get(
        f"/xapi/o/{organisation.slug}/about", headers={"X-Experience-API-Version": version}
    )
    assert response.status_code == 200
    expected = "2.0.0" if version == "2.0.0" else "1.0.3"
    assert response["X-Experience-API-Version"] == expected


def test_about_is_read_only_and_unknown_organisations_are_not_found(organisation):
    assert Client().post(f"/xapi/o/{organisation.slug}/about").status_code == 405
    assert Client().get("/xapi/o/no-such-organisation/about").status_code == 404
