"""Browser-based activity providers: CORS on /xapi/ and xAPI 1.0.3's Alternate Request Syntax."""

from __future__ import annotations

import base64
import json
from urllib.parse import urlencode

import pytest
from django.test import Client

from lrs.models import Statement
from organisations.tenancy import organisation_scope
from tests.lrs.conftest import new_id, statement

pytestmark = pytest.mark.django_db

ORIGIN = "https://content.example.org"


def stored_count(organisation) -> int:
    with organisation_scope(organisation.pk):
        return Statement.objects.filter(organisation=organisation).count()


# --- CORS --------------------------------------------------------------------------------------


def test_a_preflight_is_answered_with_the_allowed_methods_and_headers(organisation):
    response = Client().options(
        f"/xapi/o/{organisation.slug}/statements",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "authorization, x-experience-api-version",
        },
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    methods = {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")}
    assert {"GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS"} <= methods
    allowed = {h.strip() for h in response["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type", "x-experience-api-version"} <= allowed
    assert {"if-match", "if-none-match"} <= allowed
    # No cookies: the xAPI authenticates with HTTP Basic only.
    assert "Access-Control-Allow-Credentials" not in response


def test_a_preflight_needs_no_credentials_and_touches_no_database(
    organisation, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = Client().options(
            f"/xapi/o/{organisation.slug}/statements",
            headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"},
        )
    assert response.status_code == 200


def test_a_cross_origin_request_may_read_the_xapi_headers(xapi):
    [statement_id] = xapi.post(statement()).json()
    response = xapi.get({"statementId": statement_id}, headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    exposed = {h.strip().lower() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert {"x-experience-api-version", "x-experience-api-consistent-through"} <= exposed
    assert {"last-modified", "etag"} <= exposed


def test_errors_carry_cors_headers_too(xapi):
    # Else a browser hides the 400's message from the script that sent the request.
    response = xapi.get({"unknown": "1"}, headers={"Origin": ORIGIN})
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*"


def test_cors_is_for_the_xapi_only(organisation):
    response = Client().options(
        f"/api/v1/o/{organisation.slug}/",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"},
    )
    assert "Access-Control-Allow-Origin" not in response


def test_a_plain_options_request_lists_the_methods(organisation):
    response = Client().options(f"/xapi/o/{organisation.slug}/statements")
    assert response.status_code == 200
    assert "PUT" in response["Allow"]
    assert response["X-Experience-API-Version"] == "1.0.3"


# --- Alternate Request Syntax ------------------------------------------------------------------


def alternate(organisation, method: str, form: dict, *, query: str | None = None) -> object:
    url = f"/xapi/o/{organisation.slug}/statements?{query or urlencode({'method': method})}"
    return Client().post(url, urlencode(form), content_type="application/x-www-form-urlencoded")


def basic(lrs_client) -> str:
    client, secret = lrs_client
    return "Basic " + base64.b64encode(f"{client.key}:{secret}".encode()).decode()


def test_the_specifications_example_put_is_stored(organisation, lrs_client):
    # Communication, Appendix C: every header and the statementId in the form.
    statement_id = new_id()
    content = json.dumps(statement(id=statement_id))
    response = alternate(
        organisation,
        "PUT",
        {
            "statementId": statement_id,
            "Authorization": basic(lrs_client),
            "X-Experience-API-Version": "1.0.3",
            "Content-Type": "application/json",
            "Content-Length": str(len(content)),
            "content": content,
        },
    )
    assert response.status_code == 204, response.content
    assert response["X-Experience-API-Version"] == "1.0.3"
    assert stored_count(organisation) == 1


def test_a_post_and_a_get_in_the_alternate_syntax(organisation, lrs_client):
    headers = {"Authorization": basic(lrs_client), "X-Experience-API-Version": "1.0.3"}
    posted = alternate(
        organisation, "POST", {**headers, "content": json.dumps([statement(), statement()])}
    )
    assert posted.status_code == 200, posted.content
    first, _second = posted.json()

    # GET by POST, e.g. for a query string too long for a URL.
    got = alternate(organisation, "GET", {**headers, "statementId": first})
    assert got.status_code == 200
    assert got.json()["id"] == first
    assert "Last-Modified" in got
    listed = alternate(organisation, "GET", {**headers, "limit": "1"})
    assert len(listed.json()["statements"]) == 1


def test_the_alternate_syntax_is_authenticated_like_any_request(organisation, lrs_client):
    content = json.dumps(statement())
    no_credentials = alternate(
        organisation, "POST", {"X-Experience-API-Version": "1.0.3", "content": content}
    )
    assert no_credentials.status_code == 401
    client, _secret = lrs_client
    wrong = "Basic " + base64.b64encode(f"{client.key}:wrong".encode()).decode()
    bad = alternate(
        organisation,
        "POST",
        {"Authorization": wrong, "X-Experience-API-Version": "1.0.3", "content": content},
    )
    assert bad.status_code == 401
    assert stored_count(organisation) == 0


@pytest.mark.parametrize(
    ("query", "form", "message"),
    [
        # Only "method" may be in the query string.
        ("method=PUT&statementId=" + "0" * 8, {}, "no query parameter but method"),
        ("method=PATCH", {}, "method: must be one of"),
        # Statements as content must be JSON; binary attachments are impossible here.
        ("method=POST", {"content": "{not json"}, "not JSON"),
        (
            "method=POST",
            {"Content-Type": "multipart/mixed; boundary=x", "content": "--x--"},
            "cannot be sent in the alternate request syntax",
        ),
        ("method=POST", {"Content-Type": "text/plain", "content": "{}"}, "Content-Type"),
        # Query parameters go through the resource's own checks.
        ("method=GET", {"nonsense": "1"}, "nonsense"),
    ],
    ids=["extra-query", "bad-method", "bad-json", "multipart", "text", "unknown-param"],
)
def test_a_malformed_alternate_request_is_refused(organisation, lrs_client, query, form, message):
    form = {"Authorization": basic(lrs_client), "X-Experience-API-Version": "1.0.3", **form}
    response = alternate(organisation, "", form, query=query)
    assert response.status_code == 400, response.content
    assert message in response.json()["error"]["message"]
    assert stored_count(organisation) == 0


def test_the_alternate_syntax_is_not_part_of_xapi_2(organisation, lrs_client):
    content = json.dumps(statement())
    for form, headers in (
        ({"X-Experience-API-Version": "2.0.0"}, {}),
        ({}, {"X-Experience-API-Version": "2.0.0"}),
    ):
        response = Client().post(
            f"/xapi/o/{organisation.slug}/statements?method=POST",
            urlencode({"Authorization": basic(lrs_client), "content": content, **form}),
            content_type="application/x-www-form-urlencoded",
            headers=headers,
        )
        assert response.status_code == 400
        assert "2.0.0 has no alternate request syntax" in response.json()["error"]["message"]
        assert response["X-Experience-API-Version"] == "2.0.0"
    assert stored_count(organisation) == 0


def test_an_alternate_post_runs_in_the_queries_of_a_plain_one(
    organisation, lrs_client, django_assert_max_num_queries
):
    form = {
        "Authorization": basic(lrs_client),
        "X-Experience-API-Version": "1.0.3",
        "content": json.dumps([statement() for _ in range(20)]),
    }
    # A plain POST's queries (with the intake's lookup of the actors' members, lrs.intake).
    with django_assert_max_num_queries(12):
        response = alternate(organisation, "POST", form)
    assert len(response.json()) == 20
