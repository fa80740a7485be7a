"""The API tokens page: every member manages their own tokens, nobody else's."""

import pytest
from django.urls import reverse

from organisations.models import ApiToken
from organisations.services import api_token_create
from organisations.tenancy import organisation_scope
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


def tokens_url(organisation):
    return reverse("organisations:token_list", args=[organisation.slug])


def revoke_url(organisation, token):
    return reverse("organisations:token_revoke", args=[organisation.slug, token.pk])


def test_a_learner_creates_a_token_and_sees_it_once(member_client, organisation, member):
    created = member_client.post(tokens_url(organisation), {"name": "My script"})

    raw = created.context["raw_token"]
    assert raw.startswith("ww_") and raw in created.content.decode()
    assert "no-store" in created["Cache-Control"]
    with organisation_scope(organisation.pk):
        token = ApiToken.objects.get()
    assert (token.membership_id, token.name) == (member.pk, "My script")

    later = member_client.get(tokens_url(organisation)).content.decode()
    assert raw not in later
    assert "My script" in later and token.prefix in later


def test_the_token_from_the_page_works_on_the_api_until_revoked(
    member_client, client, organisation
):
    created = member_client.post(tokens_url(organisation), {"name": "API"})
    raw = created.context["raw_token"]
    me = reverse("organisations_api:me", args=[organisation.slug])
    api = client.__class__()

    assert api.get(me, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    member_client.post(revoke_url(organisation, created.context["new_token"]))
    assert api.get(me, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_a_member_revokes_their_own_token(member_client, organisation, member):
    with organisation_scope(organisation.pk):
        token, _ = api_token_create(membership=member, name="Old")

    response = member_client.post(revoke_url(organisation, token), follow=True)

    with organisation_scope(organisation.pk):
        token.refresh_from_db()
    assert token.revoked_at is not None
    assert "revoked" in response.content.decode()


def test_another_members_token_gives_404(member_client, organisation):
    colleague = make_member(organisation)
    with organisation_scope(organisation.pk):
        token, _ = api_token_create(membership=colleague, name="Theirs")

    response = member_client.post(revoke_url(organisation, token))

    assert response.status_code == 404
    with organisation_scope(organisation.pk):
        token.refresh_from_db()
    assert token.revoked_at is None


def test_another_organisations_token_gives_404(member_client, organisation, other_organisation):
    stranger = make_member(other_organisation)
    with organisation_scope(other_organisation.pk):
        token, _ = api_token_create(membership=stranger, name="Foreign")

    assert member_client.post(revoke_url(organisation, token)).status_code == 404


def test_a_token_needs_a_name(member_client, organisation):
    response = member_client.post(tokens_url(organisation), {"name": ""})

    assert response.context["form"].errors["name"]
    assert response.context["raw_token"] is None
