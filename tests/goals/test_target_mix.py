"""The organisation admin sets the target 70:20:10 mix on the settings page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organisations.models import Organisation
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, organisation):
    client.force_login(MembershipFactory(organisation=organisation, is_admin=True).user)
    return client


def mix_url(organisation):
    return reverse("organisations:organisation_target_mix", args=[organisation.slug])


def test_the_settings_page_shows_the_target_mix(admin_client, organisation):
    page = admin_client.get(
        reverse("organisations:organisation_settings", args=[organisation.slug])
    )
    assert "Target mix" in page.content.decode()


def test_the_admin_saves_a_mix_that_adds_up_to_100(admin_client, organisation):
    response = admin_client.post(
        mix_url(organisation), {"mix-experience": 60, "mix-social": 25, "mix-formal": 15}
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(pk=organisation.pk)
    assert (organisation.target_experience, organisation.target_social) == (60, 25)


def test_a_mix_not_adding_up_is_a_field_error_and_saves_nothing(admin_client, organisation):
    response = admin_client.post(
        mix_url(organisation), {"mix-experience": 60, "mix-social": 30, "mix-formal": 30}
    )
    assert response.status_code == 200
    assert response.context["mix_form"].errors["experience"]
    assert Organisation.objects.get(pk=organisation.pk).target_experience == 70


def test_a_learner_may_not_set_it(client, organisation):
    client.force_login(MembershipFactory(organisation=organisation).user)
    assert client.post(mix_url(organisation), {}).status_code == 403
