"""Cross-tenant isolation: every route, for every role, with another organisation's ids.

Organisation A holds the members under test; organisation B holds one of every
tenant object, every text of it a canary string. The walk enumerates every URL
pattern from the resolver (web and API), so a route added later is covered
without touching this file, and a route that fits no rule fails the test.

For each route inside an organisation, every role of A, signed in with a
session (and, for the API, with a Bearer token of A):

- in A, with B's ids in the path: 404 (or an answer that does not depend on
  whose object it is: 405, or the same 400/403 that A's own object gets);
- in B: 404 (a token of A is refused there: 401/403); anonymous visitors are
  sent to the login page (web) or refused (API);
- the query string and body of every request carry B's ids in every id-ish
  field and canary-free text.

No response (nor any e-mail sent meanwhile) contains a B canary, B's rows are
the same afterwards, and no row anywhere references another organisation's row.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, URLResolver, get_resolver, resolve, reverse
from django.utils.regex_helper import normalize

from tests.factories import UserFactory
from tests.isolation import (
    ROLES,
    World,
    cross_organisation_references,
    module_world,
    organisation_rows,
    snapshot_differences,
    tenant_models,
)

# --- What the walk knows about --------------------------------------------------------------

# Routes outside any organisation, by route (exact) or prefix, and how each is checked.
OUTSIDE_ROUTES = {
    "": "home",
    "health/": "public",
    "i18n/setlang/": "set_language",
    "api/v1/schema/": "public",
    "api/v1/docs/": "public",
}
OUTSIDE_PREFIXES = {
    "accounts/": "public",  # django-allauth
    "invitations/": "public",  # the invitation link: a signed token, no organisation id
    "u/": "public",  # unsubscribe from a nudge e-mail: a signed token naming the organisation
    "n/c/": "public",  # a tracked link in a nudge e-mail: likewise
    "c/": "public",  # a content package's files and runtime: a signed per-attempt token
    "admin/": "admin",  # Django admin: platform staff only
}

# Path parameters naming objects, and which objects of an organisation to put there.
# A route with a parameter missing here fails the walk: add the kind of object it names.
KWARG_OBJECTS: dict[str, Callable[[World], list]] = {
    "progress_id": lambda w: [w.evidence.progress, *w.progress],
    "submission_id": lambda w: w.evidence.submissions,
    "file_id": lambda w: w.evidence.files,
    "feedback_request_id": lambda w: w.evidence.feedback_requests,
    "unit_id": lambda w: [w.unit, w.draft_unit, w.packages["unit"]],
    "team_id": lambda w: [w.team, w.subteam],
    "member_id": lambda w: [w.members["learner"], w.members["manager"]],
    "invitation_id": lambda w: [w.invitation],
    "token_id": lambda w: [w.tokens["learner"][0]],
    "skill_id": lambda w: [w.skill],
    "work_process_id": lambda w: [w.work_process],
    "nudge_id": lambda w: [w.nudges[k] for k in ("in_app", "email", "apply", "reflect")],
    "rule_id": lambda w: [w.nudge_rule],
    "block_id": lambda w: [*w.blocks, w.packages["block"]],
    "version_id": lambda w: [w.unit.live_version],
    "commitment_id": lambda w: w.commitments,
    "day_off_id": lambda w: [w.day_off],
    "trajectory_id": lambda w: [*w.trajectories, w.sessions["trajectory"]],
    "step_id": lambda w: w.steps,
    "enrolment_id": lambda w: w.enrolments,
    "trajectory_version_id": lambda w: w.trajectory_versions,
    "goal_id": lambda w: w.goals["goals"],
    "activity_id": lambda w: w.goals["activities"],
    "check_in_id": lambda w: w.goals["check_ins"],
    "template_id": lambda w: [w.goals["template"]],
    "recognition_id": lambda w: w.goals["recognitions"],
    "session_id": lambda w: [w.sessions["session"]],
    "seat_id": lambda w: [w.sessions["seat"]],
    "client_id": lambda w: [w.lrs["client"]],
    "export_id": lambda w: w.exports,
}
# Routes inside an organisation that need no login: a signed link is the proof (a nudge's
# one-click answer). Nobody's session matters there; a link that is not the
# organisation's own gets a clear 400 page, never a login page or anyone's data.
SIGNED_LINK_ROUTES = {"nudges:apply_answer"}
# xAPI resources the specification wants open to anyone (about: the versions the LRS
# speaks). They answer the same for every organisation and show nothing of it.
PUBLIC_XAPI_ROUTES = {"xapi:about"}
# Other path parameters inside an organisation, with a value to use.
ORG_KWARG_VALUES = {"format": "json", "token": "not-a-valid-token"}
# Path parameters of routes outside any organisation.
OUTSIDE_KWARG_VALUES = {
    "object_id": "1",
    "id": "1",
    "content_type_id": "1",
    "app_label": "auth",
    "url": "nothing-here/",
    "key": "not-a-key",
    "uidb36": "0",
    "token": "not-a-valid-token",
    "path": "index.html",  # a file of a content package
}

PROBE_TEXT = "Isolation probe"
WEB_METHODS = ("GET", "POST")
API_METHODS = ("GET", "POST", "PATCH", "DELETE")


# --- Enumerating routes from the resolver ------------------------------------------------------


@dataclass(frozen=True)
class Route:
    segments: tuple  # the pattern of every resolver on the way, then the route's own
    name: str
    callback: Callable

    @property
    def route(self) -> str:
        return "".join(str(segment) for segment in self.segments)

    @property
    def kwargs(self) -> list[str]:
        return [name for s in self.segments for name in normalize(s.regex.pattern)[0][1]]

    @property
    def is_api(self) -> bool:
        return self.route.startswith(("api/", "xapi/"))

    @property
    def is_xapi(self) -> bool:
        """The learning record store: HTTP Basic with an LRS client's key, no session."""
        return self.route.startswith("xapi/")

    @property
    def in_organisation(self) -> bool:
        return "org_slug" in self.kwargs

    @property
    def id_kwargs(self) -> list[str]:
        return [k for k in self.kwargs if k != "org_slug" and k not in ORG_KWARG_VALUES]

    def path(self, values: dict) -> str:
        parts = []
        for segment in self.segments:
            template, params = normalize(segment.regex.pattern)[0]
            converters = getattr(segment, "converters", {})
            parts.append(
                template
                % {
                    name: converters[name].to_url(values[name])
                    if name in converters
                    else str(values[name])
                    for name in params
                }
            )
        return "/" + "".join(parts)

    def methods(self) -> list[str]:
        if not self.is_api:
            return list(WEB_METHODS)
        actions = getattr(self.callback, "actions", None)
        view_class = getattr(self.callback, "cls", None) or getattr(
            self.callback, "view_class", None
        )
        if actions:
            allowed = {method.upper() for method in actions}
        elif view_class is not None:
            allowed = {m.upper() for m in view_class.http_method_names if hasattr(view_class, m)}
        else:
            allowed = set(API_METHODS)
        return [method for method in API_METHODS if method in allowed] or ["GET"]


def _walk(patterns, segments=(), namespaces=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            yield from _walk(pattern.url_patterns, segments + (pattern.pattern,), inner)
        else:
            name = ":".join(namespaces + (pattern.name,)) if pattern.name else ""
            yield Route(segments + (pattern.pattern,), name, pattern.callback)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


def route_ids(routes: list[Route]) -> list[str]:
    names = [route.name for route in routes]
    return [
        route.name if route.name and names.count(route.name) == 1 else f"{route.name}@{route.route}"
        for route in routes
    ]


ROUTES = all_routes()


def outside_kind(route: Route) -> str | None:
    if route.route in OUTSIDE_ROUTES:
        return OUTSIDE_ROUTES[route.route]
    for prefix, kind in OUTSIDE_PREFIXES.items():
        if route.route.startswith(prefix):
            return kind
    return None


# --- Requests and what may come back --------------------------------------------------------


@dataclass
class Probe:
    """What one route's walk found wrong; reported all at once at the end."""

    route: Route
    canary: bytes
    problems: list[str]

    def fail(self, message: str) -> None:
        self.problems.append(message)

    def send(self, client: Client, method: str, path: str, *, data: dict | None, who: str):
        label = f"{who} {method} {path}"
        try:
            # A savepoint per request: a request that breaks the transaction does not
            # take the rest of the walk down with it.
            with transaction.atomic():
                response = self._request(client, method, path, data)
        except Exception as exc:  # the test client re-raises what the view raised
            self.fail(f"{label}: raised {type(exc).__name__}: {exc}")
            return None
        if response.status_code >= 500:
            self.fail(f"{label}: {response.status_code}")
        body = readable_body(response)
        if self.canary in body:
            at = body.index(self.canary)
            seen = body[max(0, at - 60) : at + 60].decode(errors="replace")
            self.fail(f"{label}: {response.status_code} shows the other organisation's {seen!r}")
        return response

    def _request(self, client: Client, method: str, path: str, data: dict | None):
        if method == "GET":
            return client.get(path, data or {})
        if method == "DELETE":
            return client.delete(path)
        if self.route.is_api:
            return client.generic(
                method, path, json.dumps(data or {}), content_type="application/json"
            )
        return client.generic(
            method, path, _form_encode(data or {}), content_type="application/x-www-form-urlencoded"
        )

    def expect(self, response, allowed: set[int], *, label: str) -> None:
        if response is not None and response.status_code not in allowed:
            self.fail(f"{label}: {response.status_code}, expected one of {sorted(allowed)}")


def _form_encode(data: dict) -> str:
    return urlencode(
        {k: ("on" if v is True else v) for k, v in data.items() if v is not False}, doseq=True
    )


def readable_body(response) -> bytes:
    """The body as text, lowercased; zipped (XLSX) and deflated (PDF) parts unpacked."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    parts = [content, str(response.headers).encode()]
    if content.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts += [archive.read(name) for name in archive.namelist()]
    if content.startswith(b"%PDF"):
        # Best effort: text drawn with subset fonts is glyph ids, not letters.
        for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
            with contextlib.suppress(zlib.error):
                parts.append(zlib.decompress(stream))
    return b"\n".join(parts).lower()


def probe_data(world: World) -> dict:
    """A query string or body with ``world``'s ids in every id-ish field, text without canaries."""
    learner, manager, admin = (world.members[r] for r in ("learner", "manager", "admin"))
    one = {
        ("team", "team_id", "parent", "parent_id"): world.team.pk,
        ("member", "member_id", "membership", "membership_id"): learner.pk,
        ("manager", "manager_id"): manager.pk,
        ("author", "actor", "assigned_by", "invited_by", "by"): admin.pk,
        ("unit", "unit_id"): world.unit.pk,
        ("invitation", "invitation_id"): world.invitation.pk,
        ("skill", "skill_id"): world.skill.pk,
        ("work_process", "work_process_id"): world.work_process.pk,
        ("token", "token_id"): world.tokens["learner"][0].pk,
        ("nudge", "nudge_id"): world.nudges["in_app"].pk,
        ("trajectory", "trajectory_id"): world.trajectories[0].pk,
        ("buddy", "buddy_id"): manager.pk,
        ("enrolment", "enrolment_id"): world.enrolments[0].pk,
        ("step", "step_id"): world.steps[0].pk,
        ("organisation", "organisation_id"): world.organisation.pk,
        ("user", "user_id"): learner.user_id,
        ("question",): world.blocks[0].pk,
    }
    many = {
        ("teams", "team_ids"): [world.team.pk, world.subteam.pk],
        ("members", "member_ids"): [learner.pk, manager.pk],
        ("units", "unit_ids"): [world.unit.pk, world.draft_unit.pk],
        ("skills", "skill_ids"): [world.skill.pk],
        ("requires",): [world.steps[0].pk],
        ("work_processes", "work_process_ids"): [world.work_process.pk],
    }
    data: dict = {name: value for names, value in {**one, **many}.items() for name in names}
    for name in ("title", "body", "name", "description", "text", "comment", "note", "reflection"):
        data[name] = PROBE_TEXT
    data.update(
        email="probe@example.test",
        emails="probe-1@example.test\nprobe-2@example.test",
        language="en",
        time_zone="Europe/Amsterdam",
        status="published",
        is_author=True,
        is_hr=True,
        is_admin=True,
    )
    return data


# --- Shared data: built once for the module, each test rolls back its own writes --------------


@dataclass
class Setup:
    a: World
    b: World
    b_rows: dict
    sessions: dict[str, str]  # role of A -> session cookie, signed in once for the module


@pytest.fixture(scope="module")
def setup(django_db_setup, django_db_blocker):
    with module_world(django_db_blocker) as (a, b):
        sessions = {}
        for role in ROLES:
            client = Client()
            client.force_login(a.members[role].user)
            sessions[role] = client.cookies.output(header="")
        yield Setup(a=a, b=b, b_rows=organisation_rows(b.organisation.pk), sessions=sessions)


@pytest.fixture(autouse=True)
def world_files(setup, settings):
    """The worlds' block file and cover, in this test's MEDIA_ROOT (set per test)."""
    from django.core.files.storage import default_storage

    from tests.isolation import world_file_name

    for world in (setup.a, setup.b):
        for what in ("block", "cover", "evidence"):
            name = world_file_name(world.organisation.pk, what)
            if not default_storage.exists(name):
                default_storage.save(name, ContentFile(b"\x89PNG\r\n\x1a\n" + b"0" * 32))


@pytest.fixture
def probe_clients(setup, db):
    """A session client and, for the API, a Bearer client for every role of A.

    Fresh clients with the module's session cookies: whatever a request did to its
    client's cookies (a logout, messages) does not follow the next test.
    """
    sessions, tokens = {}, {}
    for role in ROLES:
        sessions[role] = Client()
        sessions[role].cookies.load(setup.sessions[role])
        raw = setup.a.tokens[role][1]
        tokens[role] = Client(headers={"authorization": f"Bearer {raw}"})
    # A's LRS client (reads all, writes), speaking xAPI 1.0.3.
    key, secret = setup.a.lrs["client"].key, setup.a.lrs["secret"]
    basic = base64.b64encode(f"{key}:{secret}".encode()).decode()
    tokens["lrs"] = Client(
        headers={"authorization": f"Basic {basic}", "x-experience-api-version": "1.0.3"}
    )
    return sessions, tokens


@pytest.fixture
def after_walk(setup, db):
    """After a route's requests: B's rows unchanged, no reference across organisations."""
    mail.outbox = []
    yield
    problems = snapshot_differences(setup.b_rows, organisation_rows(setup.b.organisation.pk))
    problems += cross_organisation_references()
    canary = setup.b.canary.lower()
    for message in mail.outbox:
        text = "\n".join(
            [message.subject, message.body, *(str(c) for c, _t in message.alternatives)]
        ).lower()
        if canary in text:
            problems.append(f"an e-mail to {message.to} shows data of the other organisation")
    assert not problems, "\n".join(problems)


# --- The walk ---------------------------------------------------------------------------------


@pytest.mark.parametrize("route", ROUTES, ids=route_ids(ROUTES))
def test_route_never_shows_or_changes_another_organisations_data(
    route, setup, probe_clients, after_walk
):
    probe = Probe(route=route, canary=setup.b.canary.lower().encode(), problems=[])

    if route.in_organisation:
        walk_organisation_route(probe, setup, *probe_clients)
    else:
        kind = outside_kind(route)
        if kind is None:
            pytest.fail(
                f"route {route.route!r} ({route.name}) is outside any organisation and not "
                "listed as public: put it under /o/<org_slug>/ or /api/v1/o/<org_slug>/, or "
                "add it to OUTSIDE_ROUTES in tests/test_tenant_isolation.py with a reason"
            )
        walk_outside_route(probe, setup, kind, probe_clients[0]["admin"])

    assert not probe.problems, f"{route.route} ({route.name}):\n" + "\n".join(probe.problems)


def _kwarg_values(route: Route, world: World, variant: int) -> dict:
    values = {}
    for name in route.id_kwargs:
        if name not in KWARG_OBJECTS:
            pytest.fail(
                f"route {route.route!r} has the path parameter <{name}>, which the isolation "
                "walk does not know: add it to KWARG_OBJECTS in tests/test_tenant_isolation.py "
                "(and the object to tests/isolation.py build_world if it is a new kind); "
                "non-id parameters go in ORG_KWARG_VALUES"
            )
        objects = KWARG_OBJECTS[name](world)
        values[name] = objects[variant % len(objects)].pk
    values.update({k: v for k, v in ORG_KWARG_VALUES.items() if k in route.kwargs})
    return values


def _path_for(probe: Probe, route: Route, values: dict) -> str:
    path = route.path(values)
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    if match is None or match.func != route.callback or set(match.kwargs) != set(route.kwargs):
        probe.fail(f"{path} built for {route.route!r} resolves to {match and match.route!r}")
    return path


def walk_organisation_route(probe: Probe, setup: Setup, sessions: dict, tokens: dict) -> None:
    route, a, b = probe.route, setup.a, setup.b
    data = probe_data(b)
    _kwarg_values(route, b, 0)  # fails on a parameter the walk does not know
    variants = max([len(KWARG_OBJECTS[k](b)) for k in route.id_kwargs] or [1])

    # Which kwargs hold B's objects: all of them, and for nested routes each one alone
    # (A's parent with B's child is where a lookup by the wrong key would show up).
    mixes = [set(route.id_kwargs)]
    if len(route.id_kwargs) > 1:
        mixes += [{name} for name in route.id_kwargs]

    clients = [(role, "session", sessions[role]) for role in ROLES]
    if route.is_xapi:
        clients += [("lrs client", "basic", tokens["lrs"])]
    elif route.is_api:
        clients += [(role, "token", tokens[role]) for role in ROLES]

    for variant in range(variants):
        own = {**_kwarg_values(route, a, variant), "org_slug": a.organisation.slug}
        foreign = {**_kwarg_values(route, b, variant), "org_slug": b.organisation.slug}
        for mix in mixes:
            values = {k: (foreign[k] if k in mix else v) for k, v in own.items()}
            path = _path_for(probe, route, values)
            for role, auth, client in clients:
                for method in route.methods():
                    label = f"{role} ({auth}) {method} {path}"
                    response = probe.send(client, method, path, data=data, who=f"{role} ({auth})")
                    if response is None or not route.id_kwargs:
                        continue
                    if response.status_code in (404, 405):
                        continue
                    # 400/403 are fine if one's own object gets the same: then the answer
                    # does not depend on whose object it is (a learner refused an
                    # author's page). Anything else means the foreign object was used.
                    control = None
                    if response.status_code in (400, 403):
                        own_path = _path_for(probe, route, own)
                        control = probe.send(client, method, own_path, data=data, who="control")
                    if control is None or control.status_code != response.status_code:
                        probe.fail(
                            f"{label}: {response.status_code} for the other organisation's "
                            f"object ({control and control.status_code} for its own); "
                            "expected 404"
                        )

        # In B, where A's members are nobody.
        path = _path_for(probe, route, foreign)
        for role, auth, client in clients:
            for method in route.methods():
                response = probe.send(client, method, path, data=data, who=f"{role} ({auth})")
                # 405: the method is refused before anything is looked at. A token of A
                # is simply unknown in B: 401 (or 403/404).
                allowed = {404, 405} if auth == "session" else {401, 403, 404, 405}
                if route.is_xapi:
                    # No session counts there: A's people and A's LRS client are unknown.
                    allowed = {401, 403, 404, 405}
                if route.name in SIGNED_LINK_ROUTES:
                    allowed = {400, 404, 405}
                if route.name in PUBLIC_XAPI_ROUTES:
                    allowed = {200, 405}
                probe.expect(response, allowed, label=f"{role} ({auth}) {method} {path}")
        if variant == 0:
            anonymous = Client()
            for method in route.methods():
                response = probe.send(anonymous, method, path, data=data, who="anonymous")
                if response is None:
                    continue
                if route.name in PUBLIC_XAPI_ROUTES:
                    probe.expect(response, {200, 405}, label=f"anonymous {method} {path}")
                elif route.is_api:
                    probe.expect(response, {401, 403}, label=f"anonymous {method} {path}")
                elif route.name in SIGNED_LINK_ROUTES:
                    probe.expect(response, {400, 404, 405}, label=f"anonymous {method} {path}")
                elif response.status_code != 405 and not _to_login(response):
                    probe.fail(
                        f"anonymous {method} {path}: {response.status_code}, "
                        "expected a redirect to the login page"
                    )

    if route.id_kwargs:
        _check_own_objects_are_found(probe, setup, clients)


def _check_own_objects_are_found(probe: Probe, setup: Setup, clients: list) -> None:
    """The 404s above mean something only if the route finds A's own object by that id.

    Runs last, as it may change A's data (a member deactivated, a unit archived).
    """
    route, a = probe.route, setup.a
    variants = max(len(KWARG_OBJECTS[k](a)) for k in route.id_kwargs)
    for variant in range(variants):
        path = _path_for(
            probe, route, {**_kwarg_values(route, a, variant), "org_slug": a.organisation.slug}
        )
        for role, auth, client in reversed(clients):  # the admin first: may do the most
            for method in route.methods():
                response = probe.send(client, method, path, data={}, who=f"{role} ({auth}) own")
                if response is not None and response.status_code not in (403, 404, 405):
                    return
    probe.fail(
        f"no role of A got anything but 403/404/405 for A's own objects on {route.route!r}: "
        "the 404s for the other organisation prove nothing. Does KWARG_OBJECTS give the "
        "right kind of object for each parameter?"
    )


def _to_login(response) -> bool:
    login = reverse(settings.LOGIN_URL)
    return response.status_code == 302 and response["Location"].startswith(login)


def walk_outside_route(probe: Probe, setup: Setup, kind: str, membership: Client) -> None:
    route = probe.route
    unknown = [k for k in route.kwargs if k not in OUTSIDE_KWARG_VALUES]
    if unknown:
        pytest.fail(
            f"route {route.route!r} has path parameters {unknown}: add sample values to "
            "OUTSIDE_KWARG_VALUES in tests/test_tenant_isolation.py"
        )
    path = route.path(OUTSIDE_KWARG_VALUES)
    anonymous = Client()
    for who, client in (("member of A", membership), ("anonymous", anonymous)):
        if kind == "set_language":
            response = probe.send(
                client, "POST", path, data={"language": "en", "next": "/"}, who=who
            )
            probe.expect(response, {302}, label=f"{who} POST {path}")
            continue
        response = probe.send(client, "GET", path, data=None, who=who)
        if response is None:
            continue
        if kind == "admin":
            # Non-staff go to the admin's login (from logout: to its index, which does so).
            entrances = (reverse("admin:login"), reverse("admin:index"))
            if route.name == "admin:login":
                probe.expect(response, {200}, label=f"{who} GET {path}")
            elif response.status_code != 403 and not (
                response.status_code == 302 and response["Location"].startswith(entrances)
            ):
                probe.fail(
                    f"{who} GET {path}: {response.status_code}; the admin is for platform "
                    "staff only, expected a redirect to its login or 403"
                )
        elif kind == "home":
            expected = (
                reverse("microlearning:home", args=[setup.a.organisation.slug])
                if client is membership
                else reverse(settings.LOGIN_URL)
            )
            if response.status_code != 302 or not response["Location"].startswith(expected):
                probe.fail(f"{who} GET {path}: {response.status_code}, expected {expected}")


# --- Guards on the walk itself ------------------------------------------------------------------


def test_the_walk_finds_routes_of_both_web_and_api_inside_organisations():
    inside = [route for route in ROUTES if route.in_organisation]

    assert any(not route.is_api for route in inside)
    assert {"home", "health", "set_language"} <= {route.name for route in ROUTES}


def test_the_foreign_organisation_has_a_row_in_every_tenant_table(setup, db):
    rows = organisation_rows(setup.b.organisation.pk)

    empty = sorted(table for table, found in rows.items() if not found)
    models = sorted(
        model._meta.label for model in tenant_models() if not rows.get(model._meta.db_table)
    )

    assert not empty and not models, (
        f"the other organisation has no rows in {empty or models}: add one to "
        "tests/isolation.py build_world, or the walk cannot see that data leak"
    )


# --- Pages for people in the wrong place ------------------------------------------------------


def test_an_unknown_organisation_slug_gives_the_friendly_not_found_page(setup, probe_clients):
    client = probe_clients[0]["learner"]

    response = client.get("/o/no-such-organisation/")

    assert response.status_code == 404
    assert "organisations/unknown_organisation.html" in [t.name for t in response.templates]
    assert b"no-such-organisation" in response.content


def test_a_person_in_no_organisation_is_told_so_at_home(db):
    person = UserFactory(password=None)
    client = Client()
    client.force_login(person)

    response = client.get("/")

    assert response.status_code == 200
    assert "organisations/choose.html" in [t.name for t in response.templates]
    assert response.context["memberships"] == []
