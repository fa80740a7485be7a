"""Every page the resolver knows is served with a Content-Security-Policy it can live with.

The routes come from the tenant-isolation walk's enumeration (tests/test_tenant_isolation.py),
so a page added later is covered without touching this file. Each is fetched with GET
as every role of an organisation that owns one of everything (and the Django admin as
platform staff); every answer carries the policy, scripts may not run inline unless
they carry the request's nonce, and a page holds nothing the policy would refuse
silently: no inline handlers (``onclick=``), no ``style=`` attributes, no
``javascript:`` links.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from microlearning.views.files import FILE_POLICY
from tests.factories import UserFactory
from tests.isolation import ROLES, World, module_world, world_file_name
from tests.test_tenant_isolation import (
    KWARG_OBJECTS,
    ORG_KWARG_VALUES,
    OUTSIDE_KWARG_VALUES,
    ROUTES,
    Route,
    outside_kind,
    route_ids,
)

# JSON answers are not pages; the API's docs page is, and is walked.
PAGES = [route for route in ROUTES if not route.is_api or outside_kind(route)]
# Script types a browser runs; other types (application/json) are data, not code.
SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}


def policy_of(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.status_code} without a Content-Security-Policy"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


class _InlineCode(HTMLParser):
    """Inline scripts and styles with their nonces, and what a policy refuses silently."""

    def __init__(self):
        super().__init__()
        self.scripts: list[str | None] = []  # nonce of each inline script
        self.styles: list[str | None] = []
        self.refused: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.refused.append(f"<{tag} {name}=...>")
            elif name == "style":
                self.refused.append(f"<{tag} style={value!r}>")
            elif name in {"href", "src", "action"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.refused.append(f"<{tag} {name}={value!r}>")
        if tag == "script" and not values.get("src"):
            if (values.get("type") or "").lower() in SCRIPT_TYPES:
                self.scripts.append(values.get("nonce"))
        elif tag == "style":
            self.styles.append(values.get("nonce"))


def nonce_in(values: list[str]) -> str | None:
    for value in values:
        if value.startswith("'nonce-"):
            return value.removeprefix("'nonce-").removesuffix("'")
    return None


def check_page(label: str, response, problems: list[str]) -> None:
    try:
        policy = policy_of(response)
    except AssertionError as error:
        problems.append(f"{label}: {error}")
        return
    scripts = policy.get("script-src", policy.get("default-src", []))
    styles = policy.get("style-src", policy.get("default-src", []))
    for unsafe in ("'unsafe-inline'", "'unsafe-eval'"):
        if unsafe in scripts:
            problems.append(f"{label}: script-src allows {unsafe}")
    if "'unsafe-inline'" in styles:
        problems.append(f"{label}: style-src allows 'unsafe-inline'")
    if policy.get("object-src") != ["'none'"] and policy.get("default-src") != ["'none'"]:
        problems.append(f"{label}: object-src is not 'none'")
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    content = b"".join(response.streaming_content) if response.streaming else response.content
    page = _InlineCode()
    page.feed(content.decode(errors="replace"))
    problems += [f"{label}: {what} is refused by the policy" for what in page.refused]
    for kind, nonces, allowed in (
        ("script", page.scripts, nonce_in(scripts)),
        ("style", page.styles, nonce_in(styles)),
    ):
        for nonce in nonces:
            if nonce is None or nonce != allowed:
                problems.append(f"{label}: an inline {kind} with nonce {nonce!r}, header {allowed}")


# --- Shared data --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with module_world(django_db_blocker) as (a, _b):
        yield a


@pytest.fixture(autouse=True)
def world_files(world, settings):
    """The world's block file and cover, in this test's MEDIA_ROOT (set per test)."""
    for what in ("block", "cover"):
        name = world_file_name(world.organisation.pk, what)
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(b"\x89PNG\r\n\x1a\n" + b"0" * 32))


@pytest.fixture
def visitors(world, db) -> dict[str, Client]:
    clients = {"anonymous": Client()}
    for role in ROLES:
        clients[role] = Client()
        clients[role].force_login(world.members[role].user)
    staff = UserFactory(is_staff=True, is_superuser=True, password=None)
    clients["platform staff"] = Client()
    clients["platform staff"].force_login(staff)
    return clients


def path_of(route: Route, world: World) -> str:
    if route.in_organisation:
        values = {name: KWARG_OBJECTS[name](world)[0].pk for name in route.id_kwargs}
        values.update({k: v for k, v in ORG_KWARG_VALUES.items() if k in route.kwargs})
        values["org_slug"] = world.organisation.slug
    else:
        values = OUTSIDE_KWARG_VALUES
    return route.path(values)


# --- The walk -------------------------------------------------------------------------------


@pytest.mark.parametrize("route", PAGES, ids=route_ids(PAGES))
def test_every_page_is_served_with_a_policy_it_keeps(route, world, visitors):
    path = path_of(route, world)
    if outside_kind(route) == "admin":
        who = ["platform staff", "anonymous"]
    elif route.in_organisation:
        who = [*ROLES, "anonymous"]
    else:
        who = ["admin", "anonymous"]
    problems: list[str] = []

    for name in who:
        response = visitors[name].get(path)
        check_page(f"{name} GET {path} ({response.status_code})", response, problems)

    assert not problems, "\n".join(problems)


# --- The policy itself ----------------------------------------------------------------------


def test_the_policy_keeps_scripts_to_this_origin_and_frames_to_the_video_players(client, db):
    policy = policy_of(client.get("/accounts/login/"))

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # a nonce only when a page asks for one
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == policy["form-action"] == ["'self'"]
    assert sorted(policy["frame-src"]) == [
        "https://player.vimeo.com",
        "https://www.youtube-nocookie.com",
    ]


def test_a_page_that_asks_for_a_nonce_gets_it_in_the_header(rf, settings):
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse

    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    middleware = CSPMiddleware(view)
    request = rf.get("/")
    response = middleware(request)
    problems: list[str] = []

    check_page("a page with an inline script", response, problems)

    assert not problems, problems
    assert f"'nonce-{request.csp_nonce}'" in policy_of(response)["script-src"]


def test_uploaded_files_keep_their_own_stricter_policy(world, visitors):
    author = visitors["author"]
    block = world.blocks[0]

    response = author.get(f"/o/{world.organisation.slug}/files/blocks/{block.pk}/")

    assert response.status_code == 200
    assert policy_of(response) == {name: list(values) for name, values in FILE_POLICY.items()}
