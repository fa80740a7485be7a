"""The document resources over HTTP: state, activity profile and agent profile.

Round trips (any content type), ids lists with ``since``, JSON merges on POST, deletes,
the concurrency of xAPI Communication 3.1 (ETag, If-Match, If-None-Match; 412, 409),
malformed parameters, scopes and query counts.
"""

from __future__ import annotations

import hashlib
import json
import time

import pytest
from django.utils.http import http_date, parse_http_date

from lrs import documents
from lrs.models import Document
from organisations.tenancy import organisation_scope
from tests.lrs.conftest import READ_ALL, READ_OWN, WRITE, make_lrs_client, new_id

pytestmark = pytest.mark.django_db

ACTIVITY = "http://example.com/activities/unit-1"
AGENT = {"objectType": "Agent", "mbox": "mailto:ann@example.com"}
STATE = {"activityId": ACTIVITY, "agent": json.dumps(AGENT), "stateId": "bookmark"}
ACTIVITY_PROFILE = {"activityId": ACTIVITY, "profileId": "settings"}
AGENT_PROFILE = {"agent": json.dumps(AGENT), "profileId": "preferences"}
RESOURCES = {
    "activities/state": STATE,
    "activities/profile": ACTIVITY_PROFILE,
    "agents/profile": AGENT_PROFILE,
}
ID_PARAM = {"activities/state": "stateId", "activities/profile": "profileId"}
ID_PARAM["agents/profile"] = "profileId"


def quoted_sha1(content: bytes) -> str:
    return '"' + hashlib.sha1(content).hexdigest() + '"'  # noqa: S324 - the spec's ETag


def without(params: dict, name: str) -> dict:
    return {k: v for k, v in params.items() if k != name}


@pytest.fixture
def lrs(xapi):
    return Docs(xapi)


class Docs:
    """Requests to the document resources with the fixture's client (xAPI 1.0.3)."""

    def __init__(self, xapi):
        self.xapi = xapi
        self.base = xapi.url.removesuffix("statements")

    def url(self, resource: str, params: dict) -> str:
        from urllib.parse import urlencode

        return f"{self.base}{resource}?{urlencode(params)}"

    def headers(self, extra=None, version=None):
        return self.xapi.headers(version, extra)

    def get(self, resource, params, headers=None, version=None):
        return self.xapi.client.get(
            self.url(resource, params), headers=self.headers(headers, version)
        )

    def head(self, resource, params):
        return self.xapi.client.head(self.url(resource, params), headers=self.headers())

    def put(self, resource, params, body, content_type="application/json", headers=None):
        return self._send("put", resource, params, body, content_type, headers)

    def post(self, resource, params, body, content_type="application/json", headers=None):
        return self._send("post", resource, params, body, content_type, headers)

    def delete(self, resource, params, headers=None):
        return self.xapi.client.delete(self.url(resource, params), headers=self.headers(headers))

    def _send(self, method, resource, params, body, content_type, headers):
        data = json.dumps(body) if isinstance(body, (dict, list)) else body
        return getattr(self.xapi.client, method)(
            self.url(resource, params),
            data,
            content_type=content_type,
            headers=self.headers(headers),
        )


def documents_count(organisation) -> int:
    with organisation_scope(organisation.pk):
        return Document.objects.filter(organisation=organisation).count()


# --- Round trips ---------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_json_document_round_trips_with_its_etag_and_last_modified(lrs, resource):
    params = RESOURCES[resource]
    body = {"x": "foo", "y": ["bar", 1]}
    response = lrs.put(resource, params, body, headers={"If-None-Match": "*"})
    assert response.status_code == 204
    assert response["X-Experience-API-Version"] == "1.0.3"

    response = lrs.get(resource, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == body
    assert response["ETag"] == quoted_sha1(response.content)
    assert abs(parse_http_date(response["Last-Modified"]) - time.time()) < 5


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_binary_document_keeps_its_bytes_and_content_type(lrs, resource):
    params = RESOURCES[resource]
    body = bytes(range(256)) * 4  # NUL bytes and all
    assert lrs.put(resource, params, body, content_type="image/png").status_code == 204

    response = lrs.get(resource, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content == body
    assert response["ETag"] == quoted_sha1(body)


def test_head_answers_like_get_without_the_body(lrs):
    lrs.put("activities/state", STATE, {"a": 1})
    response = lrs.head("activities/state", STATE)
    assert response.status_code == 200
    assert response.content == b""
    assert response["ETag"] == quoted_sha1(json.dumps({"a": 1}).encode())


@pytest.mark.parametrize("resource", RESOURCES)
def test_an_unknown_document_is_not_found(lrs, resource):
    response = lrs.get(resource, RESOURCES[resource])
    assert response.status_code == 404
    assert response["X-Experience-API-Version"] == "1.0.3"


def test_the_state_of_each_registration_is_its_own(lrs):
    first, second = new_id(), new_id()
    lrs.put("activities/state", {**STATE, "registration": first}, {"r": 1})
    lrs.put("activities/state", {**STATE, "registration": second}, {"r": 2})
    lrs.put("activities/state", STATE, {"r": None})

    assert lrs.get("activities/state", {**STATE, "registration": first}).json() == {"r": 1}
    assert lrs.get("activities/state", {**STATE, "registration": second}).json() == {"r": 2}
    assert lrs.get("activities/state", STATE).json() == {"r": None}


def test_an_agent_is_the_same_whatever_else_the_parameter_says(lrs):
    lrs.put("agents/profile", AGENT_PROFILE, {"a": 1}, headers={"If-None-Match": "*"})
    other_form = {"name": "Ann", "mbox": "mailto:ANN@example.com"}
    params = {**AGENT_PROFILE, "agent": json.dumps(other_form)}
    assert lrs.get("agents/profile", params).json() == {"a": 1}


def test_version_two_is_answered_as_two(xapi2):
    lrs = Docs(xapi2)
    assert lrs.put("activities/state", STATE, {"a": 1}).status_code == 204
    response = lrs.get("activities/state", STATE)
    assert response.status_code == 200
    assert response["X-Experience-API-Version"] == "2.0.0"


# --- Ids lists ----------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", RESOURCES)
def test_the_ids_list_names_the_documents_and_since_limits_it(lrs, resource, organisation):
    params = without(RESOURCES[resource], ID_PARAM[resource])
    name = ID_PARAM[resource]
    for document_id in ("one", "two"):
        lrs.put(resource, {**params, name: document_id}, {"id": document_id})
    with organisation_scope(organisation.pk):
        first = Document.objects.get(document_id="one")
        Document.objects.filter(pk=first.pk).update(updated=first.updated.replace(year=2020))
    lrs.put(resource, {**without(RESOURCES[resource], name), name: "other"}, b"x", "text/plain")

    response = lrs.get(resource, params)
    assert response.status_code == 200
    assert sorted(response.json()) == ["one", "other", "two"]
    assert response["ETag"] == quoted_sha1(response.content)
    latest = documents_updated(organisation, "other")
    assert response["Last-Modified"] == http_date(latest.timestamp())

    response = lrs.get(resource, {**params, "since": "2021-01-01T00:00:00Z"})
    assert sorted(response.json()) == ["other", "two"]


def documents_updated(organisation, document_id):
    with organisation_scope(organisation.pk):
        return Document.objects.get(document_id=document_id).updated


def test_an_empty_ids_list_is_an_empty_array(lrs):
    response = lrs.get("activities/profile", {"activityId": ACTIVITY})
    assert response.status_code == 200
    assert response.json() == []
    assert "Last-Modified" not in response


def test_a_state_list_without_registration_covers_every_registration(lrs):
    registration = new_id()
    lrs.put("activities/state", {**STATE, "registration": registration, "stateId": "a"}, {})
    lrs.put("activities/state", {**STATE, "stateId": "b"}, {})
    lrs.put("activities/state", {**STATE, "stateId": "a"}, {})
    context = without(STATE, "stateId")

    assert sorted(lrs.get("activities/state", context).json()) == ["a", "b"]
    with_registration = {**context, "registration": registration}
    assert lrs.get("activities/state", with_registration).json() == ["a"]


def test_the_ids_list_of_one_activity_leaves_out_anothers(lrs):
    lrs.put("activities/profile", ACTIVITY_PROFILE, {}, headers={"If-None-Match": "*"})
    other = {"activityId": "http://example.com/activities/other", "profileId": "p"}
    lrs.put("activities/profile", other, {}, headers={"If-None-Match": "*"})
    assert lrs.get("activities/profile", {"activityId": ACTIVITY}).json() == ["settings"]


# --- Merging (POST) -------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", RESOURCES)
def test_post_merges_the_top_level_properties_of_json_objects(lrs, resource):
    params = RESOURCES[resource]
    assert lrs.post(resource, params, {"x": "foo", "y": "bar"}).status_code == 204
    assert lrs.post(resource, params, {"x": "bash", "z": {"a": 1}}).status_code == 204
    assert lrs.post(resource, params, {"z": {"b": 2}}).status_code == 204

    assert lrs.get(resource, params).json() == {"x": "bash", "y": "bar", "z": {"b": 2}}


@pytest.mark.parametrize(
    ("stored", "stored_type", "posted", "posted_type", "message"),
    [
        ({"x": 1}, "application/json", b"not json", "application/json", "JSON object"),
        ({"x": 1}, "application/json", [1, 2], "application/json", "JSON object"),
        ({"x": 1}, "application/json", b"x=1", "text/plain", "Content-Type"),
        (b"plain", "text/plain", {"x": 1}, "application/json", "not application/json"),
        ([1, 2], "application/json", {"x": 1}, "application/json", "JSON object"),
    ],
)
def test_post_refuses_to_merge_what_is_not_two_json_objects(
    lrs, stored, stored_type, posted, posted_type, message
):
    lrs.put("activities/state", STATE, stored, content_type=stored_type)
    before = lrs.get("activities/state", STATE).content

    response = lrs.post("activities/state", STATE, posted, content_type=posted_type)
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]
    assert lrs.get("activities/state", STATE).content == before


def test_post_of_a_json_array_as_a_new_document_is_refused(lrs, organisation):
    response = lrs.post("activities/state", STATE, [1, 2])
    assert response.status_code == 400
    assert documents_count(organisation) == 0


def test_post_of_other_content_as_a_new_document_stores_it(lrs):
    assert lrs.post("activities/state", STATE, b"abc", content_type="text/plain").status_code == 204
    assert lrs.get("activities/state", STATE).content == b"abc"


# --- Deleting -------------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", RESOURCES)
def test_delete_removes_one_document(lrs, resource):
    params = RESOURCES[resource]
    lrs.put(resource, params, {"a": 1})
    assert lrs.delete(resource, params).status_code == 204
    assert lrs.get(resource, params).status_code == 404
    # Deleting what is not there is no error either.
    assert lrs.delete(resource, params).status_code == 204


def test_delete_of_the_state_without_an_id_removes_the_whole_context(lrs, organisation):
    registration = new_id()
    for state_id in ("a", "b"):
        lrs.put("activities/state", {**STATE, "stateId": state_id}, {})
        lrs.put(
            "activities/state", {**STATE, "stateId": state_id, "registration": registration}, {}
        )
    other_activity = {**STATE, "activityId": "http://example.com/activities/other"}
    lrs.put("activities/state", other_activity, {})
    context = without(STATE, "stateId")

    # With a registration: that registration's only.
    response = lrs.delete("activities/state", {**context, "registration": registration})
    assert response.status_code == 204
    assert documents_count(organisation) == 3
    # Without: all of the activity and agent.
    assert lrs.delete("activities/state", context).status_code == 204
    assert lrs.get("activities/state", context).json() == []
    assert lrs.get("activities/state", other_activity).status_code == 200


@pytest.mark.parametrize("resource", ["activities/profile", "agents/profile"])
def test_a_profile_delete_needs_the_profile_id(lrs, resource):
    params = without(RESOURCES[resource], "profileId")
    response = lrs.delete(resource, params)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "profileId: is required"


# --- Concurrency ----------------------------------------------------------------------------------


def etag(lrs, resource) -> str:
    return lrs.get(resource, RESOURCES[resource])["ETag"]


@pytest.mark.parametrize("resource", RESOURCES)
def test_put_with_the_current_etag_succeeds_and_a_stale_one_gets_412(lrs, resource):
    params = RESOURCES[resource]
    lrs.put(resource, params, {"v": 1}, headers={"If-None-Match": "*"})
    first = etag(lrs, resource)

    response = lrs.put(resource, params, {"v": 2}, headers={"If-Match": first})
    assert response.status_code == 204
    response = lrs.put(resource, params, {"v": 3}, headers={"If-Match": first})
    assert response.status_code == 412
    assert response["X-Experience-API-Version"] == "1.0.3"
    assert lrs.get(resource, params).json() == {"v": 2}


@pytest.mark.parametrize("resource", RESOURCES)
def test_if_none_match_star_refuses_to_overwrite_an_existing_document(lrs, resource):
    params = RESOURCES[resource]
    assert lrs.put(resource, params, {"v": 1}, headers={"If-None-Match": "*"}).status_code == 204
    response = lrs.put(resource, params, {"v": 2}, headers={"If-None-Match": "*"})
    assert response.status_code == 412
    assert lrs.get(resource, params).json() == {"v": 1}


@pytest.mark.parametrize("resource", RESOURCES)
def test_if_match_on_a_missing_document_gets_412_and_stores_nothing(lrs, resource, organisation):
    params = RESOURCES[resource]
    response = lrs.put(resource, params, {"v": 1}, headers={"If-Match": quoted_sha1(b"{}")})
    assert response.status_code == 412
    assert documents_count(organisation) == 0


def test_if_match_star_needs_a_document_and_takes_any(lrs):
    params = STATE
    assert lrs.put("activities/state", params, {}, headers={"If-Match": "*"}).status_code == 412
    lrs.put("activities/state", params, {})
    assert lrs.put("activities/state", params, {}, headers={"If-Match": "*"}).status_code == 204


def test_an_etag_in_a_list_or_unquoted_matches(lrs):
    lrs.put("activities/state", STATE, {"v": 1})
    current = etag(lrs, "activities/state")
    listed = f'"0000000000000000000000000000000000000000", {current}'
    assert (
        lrs.put("activities/state", STATE, {"v": 2}, headers={"If-Match": listed}).status_code
        == 204
    )
    current = etag(lrs, "activities/state").strip('"')
    assert (
        lrs.put("activities/state", STATE, {"v": 3}, headers={"If-Match": current}).status_code
        == 204
    )


@pytest.mark.parametrize("resource", ["activities/profile", "agents/profile"])
@pytest.mark.parametrize("version", ["1.0.3", "2.0.0"])
def test_a_profile_put_over_an_existing_document_without_headers_is_a_conflict(
    lrs, resource, version
):
    params = RESOURCES[resource]
    # Creating without a header is allowed: there is nothing to overwrite.
    assert lrs.put(resource, params, {"v": 1}).status_code == 204

    response = lrs.xapi.client.put(
        lrs.url(resource, params),
        json.dumps({"v": 2}),
        content_type="application/json",
        headers=lrs.headers(version=version),
    )
    assert response.status_code == 409
    assert "If-Match" in response.json()["error"]["message"]
    assert response["X-Experience-API-Version"] == version
    assert lrs.get(resource, params).json() == {"v": 1}


def test_the_state_may_be_overwritten_without_headers(lrs):
    lrs.put("activities/state", STATE, {"v": 1})
    assert lrs.put("activities/state", STATE, {"v": 2}).status_code == 204
    assert lrs.get("activities/state", STATE).json() == {"v": 2}


@pytest.mark.parametrize("resource", RESOURCES)
def test_post_and_delete_honour_if_match_too(lrs, resource):
    params = RESOURCES[resource]
    lrs.put(resource, params, {"v": 1}, headers={"If-None-Match": "*"})
    stale = quoted_sha1(b"stale")

    assert lrs.post(resource, params, {"w": 2}, headers={"If-Match": stale}).status_code == 412
    assert lrs.post(resource, params, {"w": 2}, headers={"If-None-Match": "*"}).status_code == 412
    assert lrs.delete(resource, params, headers={"If-Match": stale}).status_code == 412
    assert lrs.get(resource, params).json() == {"v": 1}

    current = etag(lrs, resource)
    assert lrs.post(resource, params, {"w": 2}, headers={"If-Match": current}).status_code == 204
    current = etag(lrs, resource)
    assert lrs.delete(resource, params, headers={"If-Match": current}).status_code == 204
    assert lrs.get(resource, params).status_code == 404


# --- Malformed requests ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resource", "params", "detail"),
    [
        ("activities/state", without(STATE, "activityId"), "activityId: is required"),
        ("activities/state", without(STATE, "agent"), "agent: is required"),
        ("activities/state", without(STATE, "stateId"), "stateId: is required"),
        ("activities/state", {**STATE, "activityId": "not an iri"}, "activityId"),
        ("activities/state", {**STATE, "agent": "{not json"}, "agent: is not JSON"),
        ("activities/state", {**STATE, "agent": '{"mbox": "ann@example.com"}'}, "mailto"),
        ("activities/state", {**STATE, "agent": '{"name": "Ann"}'}, "agent"),
        (
            "activities/state",
            {**STATE, "agent": '{"objectType": "Group", "mbox": "mailto:g@example.com"}'},
            'agent.objectType: must be "Agent"',
        ),
        ("activities/state", {**STATE, "registration": "nope"}, "registration"),
        ("activities/state", {**STATE, "stateId": ""}, "stateId: must not be empty"),
        ("activities/state", {**STATE, "since": "2020-01-01T00:00:00Z"}, "since"),
        ("activities/state", {**STATE, "profileId": "x"}, "profileId: is not a parameter"),
        ("activities/profile", without(ACTIVITY_PROFILE, "profileId"), "profileId: is required"),
        ("activities/profile", {**ACTIVITY_PROFILE, "agent": "{}"}, "agent: is not a parameter"),
        ("agents/profile", without(AGENT_PROFILE, "agent"), "agent: is required"),
        ("agents/profile", {**AGENT_PROFILE, "activityId": ACTIVITY}, "activityId: is not"),
    ],
)
def test_a_malformed_put_is_refused_with_a_message(lrs, organisation, resource, params, detail):
    response = lrs.put(resource, params, {"a": 1})
    assert response.status_code == 400
    assert detail in response.json()["error"]["message"]
    assert response["X-Experience-API-Version"] == "1.0.3"
    assert documents_count(organisation) == 0


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({**without(STATE, "stateId"), "since": "yesterday"}, "since"),
        ({**STATE, "since": "2020-01-01T00:00:00Z"}, "since"),
        (without(STATE, "activityId"), "activityId: is required"),
    ],
)
def test_a_malformed_get_is_refused_with_a_message(lrs, params, detail):
    response = lrs.get("activities/state", params)
    assert response.status_code == 400
    assert detail in response.json()["error"]["message"]


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_request_without_version_or_credentials_is_refused(lrs, resource, client):
    response = lrs.get(resource, RESOURCES[resource], version=False)
    assert response.status_code == 400
    assert response["X-Experience-API-Version"] == "1.0.3"
    response = client.get(lrs.url(resource, RESOURCES[resource]))
    assert response.status_code == 401
    assert "WWW-Authenticate" in response


@pytest.mark.parametrize("resource", RESOURCES)
def test_an_unsupported_method_is_405(lrs, resource):
    response = lrs.xapi.client.patch(
        lrs.url(resource, RESOURCES[resource]), "{}", headers=lrs.headers()
    )
    assert response.status_code == 405
    assert "PUT" in response["Allow"]


# --- Scopes ---------------------------------------------------------------------------------------


def docs_for(organisation, scopes) -> Docs:
    from tests.lrs.conftest import Xapi

    client, secret = make_lrs_client(organisation, scopes=scopes, name="-".join(scopes))
    return Docs(Xapi(organisation, client.key, secret))


def test_writing_needs_the_write_scope_and_reading_a_read_scope(organisation):
    reader = docs_for(organisation, [READ_ALL])
    own_reader = docs_for(organisation, [READ_OWN])
    writer = docs_for(organisation, [WRITE])

    assert reader.put("activities/state", STATE, {}).status_code == 403
    assert reader.delete("activities/state", STATE).status_code == 403
    assert writer.put("activities/state", STATE, {"a": 1}).status_code == 204
    assert writer.get("activities/state", STATE).status_code == 403
    assert reader.get("activities/state", STATE).json() == {"a": 1}
    assert own_reader.get("activities/state", STATE).json() == {"a": 1}


# --- The service for the platform itself ----------------------------------------------------------


def test_the_service_writes_a_state_document_the_resource_serves(organisation, lrs):
    registration = new_id()
    launch_data = {"contextTemplate": {}, "launchMode": "Normal", "moveOn": "Completed"}
    with organisation_scope(organisation.pk):
        place = documents.state_place(activity_id=ACTIVITY, agent=AGENT, registration=registration)
        documents.document_write(
            organisation=organisation,
            place=place,
            document_id="LMS.LaunchData",
            content=json.dumps(launch_data).encode(),
        )
    params = {**STATE, "stateId": "LMS.LaunchData", "registration": registration}
    response = lrs.get("activities/state", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == launch_data


# --- Queries --------------------------------------------------------------------------------------


def test_reads_and_writes_take_a_fixed_number_of_queries(lrs, django_assert_max_num_queries):
    for i in range(20):
        lrs.put("activities/state", {**STATE, "stateId": f"s{i}"}, {"i": i})
    context = without(STATE, "stateId")
    # The organisation (with its RLS setting), the client, then the request's own; in a
    # test the request's transaction is a savepoint that also saves and restores settings.
    with django_assert_max_num_queries(7):
        assert len(lrs.get("activities/state", context).json()) == 20
    with django_assert_max_num_queries(7):
        assert lrs.get("activities/state", STATE).status_code == 404
    with django_assert_max_num_queries(11):
        assert lrs.post("activities/state", {**STATE, "stateId": "s3"}, {"j": 1}).status_code == 204
    # A first write inserts in a savepoint of its own (a racing insert is a 409, not a 500).
    with django_assert_max_num_queries(12):
        assert lrs.put("activities/state", {**STATE, "stateId": "new"}, {}).status_code == 204
    with django_assert_max_num_queries(9):
        assert lrs.delete("activities/state", context).status_code == 204


def test_a_document_over_the_upload_limit_is_413(lrs, organisation, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = lrs.put("activities/state", STATE, b"x" * 2000, content_type="text/plain")
    assert response.status_code == 413
    assert response["X-Experience-API-Version"] == "1.0.3"
    assert documents_count(organisation) == 0
