"""Token and session authentication: who gets in, on which organisation's URLs."""

import pytest
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from organisations.api_auth import hash_token
from organisations.models import ApiToken
from organisations.services import api_token_revoke
from organisations.tenancy import organisation_scope
from tests.api.support import error_of, make_token

pytestmark = pytest.mark.django_db

ME = "organisations_api:me"


def test_token_authenticates_its_member(acme, with_token, api_url):
    _token, raw = make_token(acme.learner)

    response = with_token(raw).get(api_url(ME))

    assert response.status_code == 200
    assert response.json()["id"] == acme.learner.pk


def test_token_is_stored_hashed_and_its_use_recorded(acme, with_token, api_url):
    token, raw = make_token(acme.learner)

    with_token(raw).get(api_url(ME))

    with scopes_disabled():
        token.refresh_from_db()
    assert token.key_hash == hash_token(raw) != raw
    assert raw.startswith(token.prefix)
    assert token.last_used_at is not None


def test_token_of_one_organisation_fails_on_another_organisations_url(
    acme, globex, with_token, api_url
):
    response = with_token(globex.raw_token).get(api_url(ME))

    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == "Bearer"


def test_revoked_token_fails(acme, with_token, api_url):
    token, raw = make_token(acme.learner)
    with organisation_scope(acme.organisation.pk):
        api_token_revoke(token=token, by=acme.learner)

    response = with_token(raw).get(api_url(ME))

    assert response.status_code == 401


def test_token_of_deactivated_member_fails(acme, with_token, api_url):
    _token, raw = make_token(acme.learner)
    acme.learner.is_active = False
    acme.learner.save(update_fields=["is_active"])

    response = with_token(raw).get(api_url(ME))

    assert response.status_code == 401


@pytest.mark.parametrize("header", ["Bearer", "Bearer ww_not-a-real-token", "Bearer a b"])
def test_malformed_or_unknown_token_fails(acme, api_client, api_url, header):
    api_client.credentials(HTTP_AUTHORIZATION=header)

    response = api_client.get(api_url(ME))

    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"


def test_anonymous_caller_gets_401(acme, api_client, api_url):
    response = api_client.get(api_url(ME))

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_signed_in_non_member_gets_404(acme, globex, as_member, api_url):
    response = as_member(globex.member).get(api_url(ME))

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_session_write_needs_csrf_token(acme, api_url):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(acme.author.user)

    response = client.post(api_url("microlearning_api:units"), {"title": "T", "body": "B"})

    assert response.status_code == 403
    assert "CSRF" in error_of(response)["message"]


def test_session_write_with_csrf_token_succeeds(acme, api_url):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(acme.author.user)
    client.cookies["csrftoken"] = "a" * 32

    response = client.post(
        api_url("microlearning_api:units"),
        {"title": "T", "body": "B"},
        format="json",
        HTTP_X_CSRFTOKEN="a" * 32,
    )

    assert response.status_code == 201


def test_token_needs_no_csrf_token(acme, with_token, api_url):
    _token, raw = make_token(acme.author)
    client = with_token(raw)
    client.handler.enforce_csrf_checks = True

    response = client.post(
        api_url("microlearning_api:units"), {"title": "T", "body": "B"}, format="json"
    )

    assert response.status_code == 201


# --- tokens/ ------------------------------------------------------------------------------


def test_member_creates_a_token_and_sees_it_once(acme, as_member, api_url):
    client = as_member(acme.learner)

    created = client.post(api_url("organisations_api:tokens"), {"name": "CLI"}, format="json")
    listed = client.get(api_url("organisations_api:tokens"))

    assert created.status_code == 201
    raw = created.json()["token"]
    assert raw.startswith("ww_")
    assert [t["name"] for t in listed.json()["results"]] == ["CLI"]
    assert "token" not in listed.json()["results"][0]
    with scopes_disabled():
        assert ApiToken.objects.get(pk=created.json()["id"]).key_hash == hash_token(raw)


def test_created_token_works_and_stops_working_once_revoked(acme, as_member, api_url):
    session = as_member(acme.learner)
    created = session.post(api_url("organisations_api:tokens"), {"name": "CLI"}, format="json")
    token_id, raw = created.json()["id"], created.json()["token"]
    bearer = APIClient()
    bearer.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")

    before = bearer.get(api_url(ME))
    revoked = session.delete(api_url("organisations_api:token", token_id))
    after = bearer.get(api_url(ME))
    again = session.delete(api_url("organisations_api:token", token_id))

    assert (before.status_code, revoked.status_code, after.status_code) == (200, 204, 401)
    assert again.status_code == 204
    listed = session.get(api_url("organisations_api:tokens")).json()["results"]
    assert listed[0]["revoked_at"] is not None


def test_token_cannot_create_more_tokens(acme, with_token, api_url):
    _token, raw = make_token(acme.learner)

    response = with_token(raw).post(
        api_url("organisations_api:tokens"), {"name": "More"}, format="json"
    )

    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"


def test_token_can_revoke_itself(acme, with_token, api_url):
    token, raw = make_token(acme.learner)

    response = with_token(raw).delete(api_url("organisations_api:token", token.pk))

    assert response.status_code == 204
    assert with_token(raw).get(api_url(ME)).status_code == 401


def test_member_cannot_see_or_revoke_someone_elses_token(acme, as_member, api_url):
    theirs, _raw = make_token(acme.author, name="Author's")
    client = as_member(acme.learner)

    listed = client.get(api_url("organisations_api:tokens"))
    revoked = client.delete(api_url("organisations_api:token", theirs.pk))

    assert listed.json()["results"] == []
    assert revoked.status_code == 404
    with scopes_disabled():
        assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None


def test_token_of_another_organisation_cannot_be_revoked(acme, globex, as_member, api_url):
    response = as_member(acme.admin).delete(api_url("organisations_api:token", globex.token.pk))

    assert response.status_code == 404
    with scopes_disabled():
        assert ApiToken.objects.get(pk=globex.token.pk).revoked_at is None


def test_token_without_a_name_is_refused(acme, as_member, api_url):
    response = as_member(acme.learner).post(api_url("organisations_api:tokens"), {}, format="json")

    assert response.status_code == 400
    assert error_of(response)["fields"] == {"name": ["This field is required."]}
