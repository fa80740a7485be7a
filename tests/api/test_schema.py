"""The OpenAPI schema: valid, warning-free, every operation typed, tagged and secured."""

import json
import os
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

ORGANISATION_PATH = "/api/v1/o/{org_slug}/"
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_schema_validates_without_warnings(tmp_path):
    GENERATOR_STATS.reset()

    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )

    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")


def test_every_route_is_inside_an_organisation(schema):
    assert schema["paths"]
    assert all(path.startswith(ORGANISATION_PATH) for path in schema["paths"])


def test_every_operation_is_tagged_summarised_and_secured(schema):
    for path, method, operation in operations(schema):
        where = f"{method.upper()} {path}"
        assert len(operation.get("tags", [])) == 1, where
        assert operation.get("summary"), where
        assert {"tokenAuth": []} in operation["security"], where
        assert {"cookieAuth": []} in operation["security"], where


def test_every_operation_documents_its_errors_in_the_one_shape(schema):
    error = {"$ref": "#/components/schemas/Error"}
    for path, method, operation in operations(schema):
        where = f"{method.upper()} {path}"
        responses = operation["responses"]
        expected = {"401", "404"} | ({"400"} if "requestBody" in operation else set())
        assert expected <= set(responses), where
        for code in set(responses) & {"400", "401", "403", "404"}:
            assert responses[code]["content"]["application/json"]["schema"] == error, where
        assert any(code.startswith("2") for code in responses), where


def test_token_security_scheme_is_documented(schema):
    scheme = schema["components"]["securitySchemes"]["tokenAuth"]

    assert (scheme["type"], scheme["scheme"], scheme["bearerFormat"]) == (
        "http",
        "bearer",
        "ww_...",
    )
    assert "organisation" in scheme["description"]


def test_areas_are_tagged(schema):
    tags = {operation["tags"][0] for _path, _method, operation in operations(schema)}

    assert tags == {
        "organisation", "tokens", "units", "dashboard", "nudges", "goals",
        "trajectories", "enrolments", "my learning", "sessions",
    }  # fmt: skip


def test_object_ids_in_paths_are_named_and_typed(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] != "org_slug":
                    assert parameter["name"].endswith("_id"), path
                    assert parameter["schema"]["type"] == "integer", path


@pytest.mark.django_db
def test_schema_is_served(client):
    response = client.get("/api/v1/schema/")

    assert response.status_code == 200
    assert b"Werkwijs API" in response.content


@pytest.mark.django_db
def test_docs_page_renders_swagger_ui_from_local_static_files(client):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    assert "/static/drf_spectacular_sidecar/" in page
    assert "cdn" not in page.lower()


# --- Served once, even to parallel first requests -----------------------------------------


@pytest.fixture
def fresh_server(db, tmp_path):
    """A threaded gunicorn in a new process (nothing generated or imported yet) on the test DB.

    The test's own process has generated the schema already; only a fresh process shows
    what the first requests after a deploy meet.
    """
    database = connection.settings_dict
    env = {
        **os.environ,
        "DEBUG": "on",
        "WERKWIJS_VAR_DIR": str(tmp_path),
        "DATABASE_URL": (
            f"postgresql://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
    }
    with socket.socket() as probe:  # a free port for the server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "1", "--threads", "8", "--log-level", "warning"],
        cwd=settings.BASE_DIR,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(600):  # until it answers (a busy machine starts slowly)
            assert server.poll() is None, "the server stopped"
            try:
                with urllib.request.urlopen(f"{url}/health/", timeout=5):
                    break
            except OSError:
                threading.Event().wait(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def _get_all_at_once(url: str, count: int) -> list[tuple[int, bytes]]:
    start = threading.Barrier(count)
    results: list = [None] * count

    def fetch(index: int) -> None:
        start.wait()
        try:
            with urllib.request.urlopen(url, timeout=120) as response:
                results[index] = (response.status, response.read())
        except urllib.error.HTTPError as error:
            results[index] = (error.code, error.read())

    threads = [threading.Thread(target=fetch, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_parallel_first_requests_for_the_schema_all_get_the_same_schema(fresh_server):
    results = _get_all_at_once(f"{fresh_server}/api/v1/schema/?format=json", 8)

    assert [status for status, _body in results] == [200] * 8, [b[:200] for _s, b in results]
    assert len({body for _status, body in results}) == 1
    assert json.loads(results[0][1])["info"]["title"] == "Werkwijs API"
