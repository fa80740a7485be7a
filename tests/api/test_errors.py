"""One error format: every failure of the API is JSON in the same shape, never an HTML page."""

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.test import RequestFactory
from django_scopes import scopes_disabled

from organisations import api_errors
from tests.api.support import error_of
from tests.microlearning.learning_support import blocks_of, unit_with_blocks

pytestmark = pytest.mark.django_db

UNITS = "microlearning_api:units"


def test_missing_fields_give_400_with_a_message_per_field(acme, as_member, api_url):
    response = as_member(acme.author).post(api_url(UNITS), {}, format="json")

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert error["fields"] == {"title": ["This field is required."]}


def test_malformed_json_gives_400_in_the_same_shape(acme, as_member, api_url):
    response = as_member(acme.author).post(
        api_url(UNITS), '{"title": "unfinished', content_type="application/json"
    )

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "parse_error"
    assert error["fields"]["non_field_errors"][0].startswith("JSON parse error")


def test_json_that_is_not_an_object_gives_400(acme, as_member, api_url):
    response = as_member(acme.author).post(api_url(UNITS), ["title"], format="json")

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["non_field_errors"]


def test_wrong_types_give_400_per_field(acme, as_member, api_url):
    response = as_member(acme.author).post(
        api_url(UNITS), {"title": {"nested": 1}, "body": ["a"]}, format="json"
    )

    assert response.status_code == 400
    assert error_of(response)["fields"] == {
        "title": ["Not a valid string."],
        "body": ["Not a valid string."],
    }


def test_unsupported_media_type_gives_415_in_the_same_shape(acme, as_member, api_url):
    response = as_member(acme.author).post(api_url(UNITS), "x", content_type="text/plain")

    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"


def test_wrong_method_gives_405_in_the_same_shape(acme, as_member, api_url):
    response = as_member(acme.learner).delete(api_url("organisations_api:me"))

    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


def test_missing_role_gives_403_in_the_same_shape(acme, as_member, api_url):
    response = as_member(acme.learner).post(api_url(UNITS), {"title": "T"}, format="json")

    assert response.status_code == 403
    assert error_of(response) == {
        "code": "permission_denied",
        "message": "You do not have permission to perform this action.",
        "fields": {},
    }


def test_unknown_object_gives_json_404(acme, as_member, api_url):
    response = as_member(acme.author).get(api_url("microlearning_api:unit", 999_999))

    assert response.status_code == 404
    assert error_of(response) == {"code": "not_found", "message": "Not found.", "fields": {}}


def test_unknown_organisation_slug_gives_json_404(acme, as_member):
    response = as_member(acme.learner).get("/api/v1/o/no-such-organisation/me/")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_unknown_organisation_slug_on_the_web_still_gives_the_page(acme, client):
    response = client.get("/o/no-such-organisation/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_service_validation_error_becomes_400_with_its_message(acme, as_member, api_url):
    """A Django ValidationError raised by a service (here: a wrong status change)."""
    from tests.factories import UnitFactory

    unit = UnitFactory(organisation=acme.organisation, status="archived")

    response = as_member(acme.author).post(api_url("microlearning_api:unit_publish", unit.pk))

    assert response.status_code == 400
    assert error_of(response)["fields"] == {
        "non_field_errors": ["A unit cannot go from “Archived” to “Published”."]
    }


def test_model_field_errors_keep_their_field_names():
    """full_clean() errors name their fields; Django's ``__all__`` becomes non_field_errors."""
    exc = DjangoValidationError({"title": ["Too long."], "__all__": ["Both or neither."]})

    response = api_errors.exception_handler(exc, {"view": None})

    assert response.status_code == 400
    assert response.data["error"]["fields"] == {
        "title": ["Too long."],
        "non_field_errors": ["Both or neither."],
    }


@pytest.mark.django_db(transaction=True)  # the request's own transaction must really roll back
def test_unexpected_error_gives_json_500_and_is_logged(
    acme, as_member, api_url, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("organisations.api.MeSerializer", broken)

    response = as_member(acme.learner).get(api_url("organisations_api:me"))

    assert response.status_code == 500
    assert error_of(response)["code"] == "server_error"
    assert "boom" in caplog.text


def test_404_handler_answers_json_under_api_and_html_elsewhere():
    factory = RequestFactory()

    api = api_errors.handler404(factory.get("/api/v1/o/acme/nothing-here/"), Exception())
    web = api_errors.handler404(factory.get("/o/acme/nothing-here/"), Exception())

    assert api.status_code == web.status_code == 404
    assert api["Content-Type"] == "application/json"
    assert web["Content-Type"].startswith("text/html")


@pytest.mark.urls("tests.api.json_404_urls")
def test_unknown_api_path_gives_json_404_once_the_handler_is_wired(acme, as_member):
    response = as_member(acme.learner).get("/api/v1/o/acme/no-such-endpoint/")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize(
    "path", ["/api/v1/o/acme/no-such-endpoint/", "/api/v1/o/acme/units/not-a-number/", "/api/v2/"]
)
def test_unknown_api_path_gives_json_404_with_debug_on_and_off(
    acme, as_member, settings, debug, path
):
    settings.DEBUG = debug

    response = as_member(acme.learner).get(path)

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_api_path_without_its_slash_is_still_redirected_to_it(acme, as_member, settings):
    settings.DEBUG = True

    response = as_member(acme.learner).get("/api/v1/o/acme/units")

    assert response.status_code == 301
    assert response["Location"] == "/api/v1/o/acme/units/"


# --- Input read as the schema says (found by schemathesis, tests/api/test_schema_properties.py)


def test_numbers_and_flags_are_not_taken_for_text_or_booleans(acme, as_member, api_url):
    response = as_member(acme.author).post(api_url(UNITS), {"title": 0, "body": 1.5}, format="json")

    assert response.status_code == 400
    assert error_of(response)["fields"] == {
        "title": ["Not a valid string."],
        "body": ["Not a valid string."],
    }


def test_a_list_items_error_is_listed_under_its_field(acme, as_member, api_url):
    with scopes_disabled():
        unit = unit_with_blocks(acme.organisation)
        question = blocks_of(unit, "question")[0]

    response = as_member(acme.learner).post(
        api_url("microlearning_api:answers", unit.pk, question.pk), {"selected": [-1]}
    )

    assert response.status_code == 400
    assert error_of(response)["fields"] == {
        "selected": ["Ensure this value is greater than or equal to 0."]
    }


def test_a_flag_must_be_true_or_false_in_json(acme, as_member, api_url):
    with scopes_disabled():
        unit = unit_with_blocks(acme.organisation)
        reflection = blocks_of(unit, "reflection")[0]

    response = as_member(acme.learner).post(
        api_url("microlearning_api:reflection", unit.pk, reflection.pk),
        {"text": "I interrupt too soon.", "shared": 0},
    )

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["shared"]


def test_views_without_files_read_json_only(acme, as_member, api_url):
    with scopes_disabled():
        unit = unit_with_blocks(acme.organisation)

    response = as_member(acme.author).patch(
        api_url("microlearning_api:unit", unit.pk), {"title": "New"}, format="multipart"
    )

    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"


def test_an_empty_filter_is_refused_not_ignored(acme, as_member, api_url):
    response = as_member(acme.learner).get(f"{api_url(UNITS)}?status=")

    assert response.status_code == 400
    assert error_of(response)["fields"] == {"status": ["This field may not be blank."]}


def test_an_empty_page_number_is_an_invalid_page(acme, as_member, api_url):
    response = as_member(acme.learner).get(f"{api_url(UNITS)}?page=")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
