"""Malformed bodies to every API write route: 400 (413 when too large) in the one error format.

NUL characters and lone surrogates cannot be stored by PostgreSQL, 10,000 levels of
JSON exhaust Python's parser, and a body over the upload limit is refused by Django:
each answered 500 before. Every POST/PUT/PATCH route the resolver knows is probed
(tests/malformed.py), so a new route is covered without touching this file.
"""

from __future__ import annotations

import json

import pytest

from organisations.input_checks import MAX_JSON_DEPTH, MESSAGE_UNSAFE_TEXT
from tests.isolation import organisation_rows, snapshot_differences
from tests.malformed import (
    NUL,
    UPLOAD_LIMIT,
    deep_json,
    form_bodies,
    json_bodies,
    module_sender,
    route_path,
    write_methods,
    write_routes,
)
from tests.test_tenant_isolation import route_ids

API_ROUTES = write_routes(api=True)
CODES = {
    "unsafe_text",
    "too_deep",
    "too_large",
    "parse_error",
    "too_many_fields",
    "unsupported_media_type",
}


def reads(route, content_type: str) -> bool:
    """Whether the route's view has a parser for the type (JSON everywhere; multipart where
    it takes files)."""
    view = getattr(route.callback, "cls", None)
    media_type = content_type.split(";")[0]
    return view is None or any(p.media_type == media_type for p in view().get_parsers())


@pytest.fixture(scope="module")
def sender(django_db_setup, django_db_blocker):
    with module_sender(django_db_blocker) as sender:
        yield sender


@pytest.fixture(autouse=True)
def upload_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_LIMIT


def error_of(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}
    assert error["code"] in CODES and error["message"]
    return error


def test_the_walk_finds_api_write_routes():
    assert len(API_ROUTES) >= 10
    assert "api/v1/o/<slug:org_slug>/units/<int:unit_id>/blocks/" in {r.route for r in API_ROUTES}


@pytest.mark.parametrize("route", API_ROUTES, ids=route_ids(API_ROUTES))
def test_every_api_write_route_refuses_malformed_bodies_in_the_error_format(route, sender, db):
    path = route_path(route, sender.world)
    client = sender.client()
    before = organisation_rows(sender.world.organisation.pk)
    problems = []
    bodies = {
        name: (text, "application/json", status) for name, (text, status) in json_bodies().items()
    }
    bodies.update(form_bodies())
    for method in write_methods(route):
        for name, (body, content_type, status) in bodies.items():
            response = client.generic(method, path, body, content_type=content_type)
            label = f"{method} {path} with {name}: {response.status_code}"
            if not reads(route, content_type):
                # Django checks POST forms before any view; other methods' forms reach the
                # view, which does not read them: 415.
                status = response.status_code if response.status_code == 415 else status
            if response.status_code != status:
                problems.append(f"{label}, expected {status}: {response.content[:300]!r}")
                continue
            try:
                error_of(response)
            except AssertionError as exc:
                problems.append(f"{label} not in the error format: {exc}")

    problems += snapshot_differences(before, organisation_rows(sender.world.organisation.pk))
    assert not problems, "\n".join(problems)


# --- The cases the issue names, one by one ---------------------------------------------------


@pytest.fixture
def blocks_url(sender):
    return f"/api/v1/o/{sender.world.organisation.slug}/units/{sender.world.draft_unit.pk}/blocks/"


def post_json(sender, url, text: str):
    return sender.client().post(url, text, content_type="application/json")


def test_a_nul_character_in_a_blocks_markdown_is_refused(sender, db, blocks_url):
    response = post_json(
        sender, blocks_url, json.dumps({"kind": "text", "data": {"markdown": NUL}})
    )

    assert response.status_code == 400
    assert error_of(response) == {
        "code": "unsafe_text",
        "message": str(MESSAGE_UNSAFE_TEXT),
        "fields": {"non_field_errors": [str(MESSAGE_UNSAFE_TEXT)]},
    }


def test_a_lone_surrogate_is_refused_but_a_surrogate_pair_is_text(sender, db, blocks_url):
    lone = post_json(sender, blocks_url, '{"kind": "text", "data": {"markdown": "a\\udfffb"}}')
    pair = post_json(
        sender, blocks_url, '{"kind": "text", "data": {"markdown": "a\\ud83d\\ude00"}}'
    )

    assert (lone.status_code, error_of(lone)["code"]) == (400, "unsafe_text")
    assert pair.status_code == 201


def test_json_at_the_depth_limit_is_read_and_one_deeper_is_refused(sender, db, blocks_url):
    # The document's own object is one level, the data list the second.
    at_limit = post_json(sender, blocks_url, deep_json(MAX_JSON_DEPTH - 1))
    deeper = post_json(sender, blocks_url, deep_json(MAX_JSON_DEPTH))

    # (At the limit the document is read, and the serializer finds no text block in it.)
    assert at_limit.status_code == 400
    assert at_limit.json()["error"]["code"] == "invalid"
    assert (deeper.status_code, error_of(deeper)["code"]) == (400, "too_deep")


def test_a_body_over_the_upload_limit_gets_413(sender, db, blocks_url):
    response = post_json(sender, blocks_url, json.dumps({"kind": "text", "x": "y" * UPLOAD_LIMIT}))

    assert response.status_code == 413
    assert error_of(response)["code"] == "too_large"
    assert error_of(response)["fields"] == {}


def test_a_nul_character_in_the_query_string_is_refused(sender, db):
    response = sender.client().get(
        f"/api/v1/o/{sender.world.organisation.slug}/catalogue/", {"q": NUL}
    )

    assert (response.status_code, error_of(response)["code"]) == (400, "unsafe_text")


def test_the_refusal_is_in_the_members_language(sender, db, blocks_url):
    sender.member.user.language = "nl"
    sender.member.user.save(update_fields=["language"])

    response = post_json(sender, blocks_url, json.dumps({"kind": "text", "data": {"x": NUL}}))

    assert "kunnen worden opgeslagen" in error_of(response)["message"]
