"""The member's account page and the header's account menu."""

import pytest
from django.urls import reverse

from organisations.services import api_token_create
from organisations.tenancy import organisation_scope
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


def test_account_page_gathers_language_password_and_tokens(member_client, organisation, member):
    response = member_client.get(reverse("organisations:account", args=[organisation.slug]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Your account" in page and member.user.email in page
    assert 'name="language"' in page and "The language of Acme" in page
    assert reverse("account_change_password") in page
    assert reverse("organisations:token_list", args=[organisation.slug]) in page
    assert "You have 0 active tokens for Acme." in page


def test_account_page_counts_only_active_tokens(member_client, organisation, member):
    with organisation_scope(organisation.pk):
        api_token_create(membership=member, name="Script")

    page = member_client.get(reverse("organisations:account", args=[organisation.slug]))

    assert "You have 1 active token for Acme." in page.content.decode()


def test_header_bar_keeps_daily_places_and_puts_account_things_in_one_menu(
    member_client, organisation
):
    page = member_client.get(reverse("microlearning:home", args=[organisation.slug]))

    html = page.content.decode()
    bar, menu = html.split('<details class="switcher account-menu">', 1)
    menu = menu.split("</details>", 1)[0]
    assert "API tokens" not in bar and "Change password" not in bar
    for item in ("Your account", "API tokens", "Change password", "Nederlands", "Sign out"):
        assert item in menu


def test_choosing_the_organisations_language_again_clears_your_own(
    member_client, organisation, member
):
    member.user.language = "en"
    member.user.save(update_fields=["language"])

    response = member_client.post(reverse("set_language"), {"language": "", "next": "/"})

    member.user.refresh_from_db()
    assert response.status_code == 302
    assert member.user.language == ""


def test_account_page_is_for_members_only(client, organisation, other_organisation):
    client.force_login(make_member(other_organisation).user)

    response = client.get(reverse("organisations:account", args=[organisation.slug]))

    assert response.status_code == 404
