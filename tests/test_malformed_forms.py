"""Malformed forms and query strings to every web route: a friendly 400/413 page, nothing written.

The web's counterpart of tests/api/test_malformed_bodies.py: every route inside an
organisation gets each malformed body as a POST (form, multipart and JSON) and a
NUL character in its query string, as a member holding every role.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.isolation import organisation_rows, snapshot_differences
from tests.malformed import (
    NUL,
    UPLOAD_LIMIT,
    form_bodies,
    json_bodies,
    module_sender,
    route_path,
    write_routes,
)
from tests.test_tenant_isolation import route_ids

WEB_ROUTES = write_routes(api=False)


@pytest.fixture(scope="module")
def sender(django_db_setup, django_db_blocker):
    with module_sender(django_db_blocker) as sender:
        yield sender


@pytest.fixture(autouse=True)
def upload_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_LIMIT


def test_the_walk_finds_web_routes():
    assert len(WEB_ROUTES) >= 20


@pytest.mark.parametrize("route", WEB_ROUTES, ids=route_ids(WEB_ROUTES))
def test_every_web_route_answers_malformed_input_with_a_page_and_writes_nothing(route, sender, db):
    path = route_path(route, sender.world)
    client = sender.client()
    before = organisation_rows(sender.world.organisation.pk)
    bodies = {
        name: (text, "application/json", status) for name, (text, status) in json_bodies().items()
    }
    bodies.update(form_bodies())
    problems = []
    for name, (body, content_type, status) in bodies.items():
        response = client.generic("POST", path, body, content_type=content_type)
        if response.status_code != status:
            problems.append(f"POST {path} with {name}: {response.status_code}, expected {status}")
        elif "400.html" not in [t.name for t in response.templates]:
            problems.append(f"POST {path} with {name}: {status} without the friendly page")
    response = client.get(path, {"q": NUL, "page": NUL})
    if response.status_code != 400:
        problems.append(f"GET {path} with NUL in the query string: {response.status_code}")

    problems += snapshot_differences(before, organisation_rows(sender.world.organisation.pk))
    assert not problems, "\n".join(problems)


def test_the_page_says_what_was_wrong_in_the_members_language(sender, db):
    sender.member.user.language = "nl"
    sender.member.user.save(update_fields=["language"])
    path = reverse("organisations:skill_create", args=[sender.world.organisation.slug])

    response = sender.client().post(path, {"name": NUL})

    assert response.status_code == 400
    page = response.content.decode()
    assert "niet kunnen worden opgeslagen" in page
    assert "Er is niets opgeslagen" in page
