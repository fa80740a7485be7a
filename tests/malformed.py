"""Malformed requests sent to every write route the resolver knows (API and web).

The routes and their path parameters come from the isolation walk
(tests/test_tenant_isolation.py), so a route added later is probed without
touching these tests. The member sending them holds every role (author, HR,
admin, and leads a team), so no permission check answers before the body is read.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.test import Client
from django_scopes import scopes_disabled

from organisations.models import Membership, Team
from organisations.tenancy import organisation_scope
from tests.isolation import World, build_world, lift_rls_for_setup
from tests.test_tenant_isolation import ROUTES, Route, _kwarg_values

NUL = "a\x00b"
SURROGATE = "a\udfffb"
# Deeper than Python's recursion limit, so the parser itself gives up (RecursionError).
VERY_DEEP = 10_000
# Within Python's limit but over ours (organisations.input_checks.MAX_JSON_DEPTH).
DEEP = 100
# Tests lower Django's DATA_UPLOAD_MAX_MEMORY_SIZE to this, so a body over it stays small.
UPLOAD_LIMIT = 64 * 1024

TEXT_FIELDS = (
    "title",
    "summary",
    "body",
    "name",
    "description",
    "text",
    "comment",
    "note",
    "reflection",
    "email",
    "emails",
    "markdown",
    "kind",
    "alt",
    "q",
)


def text_body(value: str) -> dict:
    """Every text field the routes know, and a block's nested data, holding ``value``."""
    body: dict = dict.fromkeys(TEXT_FIELDS, value)
    body["data"] = {"markdown": value, "items": [value], value: value}
    body[value] = value
    return body


def deep_json(levels: int) -> str:
    return '{"kind": "text", "data": ' + "[" * levels + "]" * levels + "}"


def json_bodies() -> dict[str, tuple[str, int]]:
    """Name -> (JSON text, the status it must get)."""
    return {
        "NUL in JSON text": (json.dumps(text_body(NUL)), 400),
        "lone surrogate in JSON text": (json.dumps(text_body(SURROGATE)), 400),
        f"JSON nested {VERY_DEEP} levels": (deep_json(VERY_DEEP), 400),
        f"JSON nested {DEEP} levels": (deep_json(DEEP), 400),
        "JSON over the upload limit": (
            json.dumps({"title": "x", "body": "x" * (UPLOAD_LIMIT + 1)}),
            413,
        ),
    }


def form_bodies() -> dict[str, tuple[bytes, str, int]]:
    """Name -> (body, content type, the status it must get)."""
    boundary = "malformed-" + uuid.uuid4().hex
    multipart = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="title"\r\n\r\na\x00b\r\n'
        f"--{boundary}\r\n"
        # Django drops unprintable characters from file names itself (sanitize_file_name).
        'Content-Disposition: form-data; name="file"; filename="a\x00b.png"\r\n'
        "Content-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n0000\r\n"
        f"--{boundary}--\r\n"
    ).encode("latin-1")
    return {
        "NUL in a form field": (b"title=a%00b&name=a%00b&email=a%00b&text=a%00b", FORM, 400),
        "NUL in a form field's name": (b"a%00b=1", FORM, 400),
        "NUL in a multipart field": (multipart, f"multipart/form-data; boundary={boundary}", 400),
        "form over the upload limit": (b"title=" + b"x" * (UPLOAD_LIMIT + 1), FORM, 413),
    }


FORM = "application/x-www-form-urlencoded"


def write_methods(route: Route) -> list[str]:
    """POST, PUT and PATCH where the route has them (the web: POST, every route)."""
    if not route.is_api:
        return ["POST"]
    actions = getattr(route.callback, "actions", None)
    view_class = getattr(route.callback, "cls", None) or getattr(route.callback, "view_class", None)
    names = (
        set(actions) if actions else {m for m in ("post", "put", "patch") if hasattr(view_class, m)}
    )
    return [m.upper() for m in ("post", "put", "patch") if m in names]


def write_routes(*, api: bool) -> list[Route]:
    return [
        route
        for route in ROUTES
        if route.in_organisation and route.is_api == api and write_methods(route)
    ]


def route_path(route: Route, world: World) -> str:
    return route.path({**_kwarg_values(route, world, 0), "org_slug": world.organisation.slug})


@dataclass
class Sender:
    world: World
    member: Membership
    session: str  # the member's session cookie, signed in once for the module

    def client(self) -> Client:
        client = Client()
        client.cookies.load(self.session)
        return client


@contextmanager
def module_sender(django_db_blocker) -> Iterator[Sender]:
    """One organisation and a member holding every role, inside a transaction rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        lift_rls_for_setup()
        with scopes_disabled():
            world = build_world(slug=f"malformed-{uuid.uuid4().hex[:6]}")
            member = world.members["admin"]
            with organisation_scope(world.organisation.pk):
                Membership.objects.filter(pk=member.pk).update(is_author=True, is_hr=True)
                Team.objects.filter(pk=world.subteam.pk).update(manager=member)
        client = Client()
        client.force_login(member.user)
        yield Sender(world=world, member=member, session=client.cookies.output(header=""))
        transaction.set_rollback(True)
