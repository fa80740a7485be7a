"""The OpenAPI schema: valid, warning-free, every operation typed, tagged and secured."""

import pytest
from django.core.management import call_command
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

    assert tags == {"organisation", "tokens", "units", "dashboard", "nudges"}


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
