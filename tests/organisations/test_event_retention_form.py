"""The organisation admin sets how long raw learning events are kept, on the settings page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organisations.models import AuditLog, Organisation
from organisations.tenancy import organisation_scope
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, organisation):
    client.force_login(MembershipFactory(organisation=organisation, is_admin=True).user)
    return client


def retention_url(organisation):
    return reverse("organisations:organisation_event_retention", args=[organisation.slug])


def test_the_settings_page_shows_event_retention_beside_the_other_forms(admin_client, organisation):
    page = admin_client.get(
        reverse("organisations:organisation_settings", args=[organisation.slug])
    )
    html = page.content.decode()
    assert 'name="retention-months"' in html
    assert "Target mix" in html


def test_the_admin_keeps_events_for_24_months_and_it_is_audited(admin_client, organisation):
    response = admin_client.post(retention_url(organisation), {"retention-months": "24"})

    assert response.status_code == 302
    assert Organisation.objects.get(pk=organisation.pk).event_retention_months == 24
    with organisation_scope(organisation.pk):
        assert AuditLog.objects.filter(
            organisation=organisation, action="organisation.event_retention_set"
        ).exists()


def test_empty_keeps_events_forever(admin_client, organisation):
    Organisation.objects.filter(pk=organisation.pk).update(event_retention_months=24)

    admin_client.post(retention_url(organisation), {"retention-months": ""})

    assert Organisation.objects.get(pk=organisation.pk).event_retention_months is None


@pytest.mark.parametrize("months", ["0", "12", "-3", "twelve", "601"])
def test_a_bad_number_of_months_is_a_field_error_and_saves_nothing(
    admin_client, organisation, months
):
    response = admin_client.post(retention_url(organisation), {"retention-months": months})

    assert response.status_code == 200
    assert response.context["retention_form"].errors["months"]
    assert Organisation.objects.get(pk=organisation.pk).event_retention_months is None


def test_a_learner_may_not_set_it(client, organisation):
    client.force_login(MembershipFactory(organisation=organisation).user)
    assert client.post(retention_url(organisation), {"retention-months": "13"}).status_code == 403
