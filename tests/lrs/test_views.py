"""The LRS clients page: an organisation admin creates a client (secret shown once), revokes it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lrs.models import LrsClient
from organisations.models import AuditLog
from organisations.tenancy import organisation_scope
from tests.conftest import make_member
from tests.lrs.conftest import Xapi, make_lrs_client

pytestmark = pytest.mark.django_db


def page(organisation):
    return reverse("lrs:client_list", args=[organisation.slug])


@pytest.fixture
def admin_client(client, organisation):
    admin = make_member(organisation, is_admin=True)
    client.force_login(admin.user)
    return client


def test_admin_creates_a_client_and_sees_its_secret_once(admin_client, organisation):
    response = admin_client.post(
        page(organisation), {"name": "Authoring tool", "scopes": ["write", "read_own"]}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = response.context["secret"]
    with organisation_scope(organisation.pk):
        client = LrsClient.objects.get(organisation=organisation)
        assert AuditLog.objects.filter(action="lrs_client.created").exists()
    assert client.scopes == ["read_own", "write"]
    assert secret.encode() in response.content
    assert secret not in client.secret_hash
    # The secret works, once shown; the list does not show it again.
    assert Xapi(organisation, client.key, secret).get().status_code == 200
    again = admin_client.get(page(organisation))
    assert secret.encode() not in again.content
    assert client.key.encode() in again.content


def test_choosing_both_read_scopes_is_refused(admin_client, organisation):
    response = admin_client.post(
        page(organisation), {"name": "x", "scopes": ["read_all", "read_own"]}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["scopes"]
    with organisation_scope(organisation.pk):
        assert not LrsClient.objects.filter(organisation=organisation).exists()


def test_admin_revokes_a_client_and_it_stops_working(admin_client, organisation):
    client, secret = make_lrs_client(organisation)
    url = reverse("lrs:client_revoke", args=[organisation.slug, client.pk])
    assert admin_client.get(url).status_code == 405
    response = admin_client.post(url)
    assert response.status_code == 302
    assert Xapi(organisation, client.key, secret).get().status_code == 401


def test_a_client_of_another_organisation_is_not_found(
    admin_client, organisation, other_organisation
):
    theirs, _secret = make_lrs_client(other_organisation)
    url = reverse("lrs:client_revoke", args=[organisation.slug, theirs.pk])
    assert admin_client.post(url).status_code == 404
    with organisation_scope(other_organisation.pk):
        theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_only_admins_manage_clients(client, organisation):
    author = make_member(organisation, is_author=True, is_hr=True)
    client.force_login(author.user)
    assert client.get(page(organisation)).status_code == 403
    assert client.post(page(organisation), {"name": "x", "scopes": ["write"]}).status_code == 403
