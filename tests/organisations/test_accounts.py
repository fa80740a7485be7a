"""Accounts (allauth) in our own layout, and the Django admin for platform staff."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests.conftest import make_member
from tests.factories import PASSWORD, InvitationFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, email, password=PASSWORD):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, follow=True
    )


def test_signing_in_with_email_lands_on_the_organisation_home(client, organisation, member):
    response = sign_in(client, member.user.email)

    assert response.redirect_chain[-1][0] == reverse("microlearning:home", args=["acme"])
    assert response.status_code == 200


def test_the_email_is_not_case_sensitive_at_sign_in(client, organisation, member):
    response = sign_in(client, member.user.email.upper())

    assert response.redirect_chain[-1][0] == reverse("microlearning:home", args=["acme"])


def test_a_wrong_password_keeps_you_on_the_sign_in_page_with_an_error(client, member):
    response = sign_in(client, member.user.email, "not-the-password")

    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_a_person_in_two_organisations_chooses_one(
    client, organisation, other_organisation, member
):
    make_member(other_organisation, user=member.user)

    response = sign_in(client, member.user.email)

    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Choose an organisation" in response.content.decode()


def test_the_signed_in_message_follows_the_members_language_not_the_browsers(
    client, organisation, member
):
    organisation.language = "nl"
    organisation.save(update_fields=["language"])

    response = client.post(
        reverse("account_login"),
        {"login": member.user.email, "password": PASSWORD},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    page = response.content.decode()
    assert "Je bent nu ingelogd als" in page
    assert "Successfully signed in" not in page


def test_the_signed_in_message_follows_the_persons_own_language_first(client, organisation, member):
    member.user.language = "en"
    member.user.save(update_fields=["language"])

    response = client.post(
        reverse("account_login"),
        {"login": member.user.email, "password": PASSWORD},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="nl",
    )

    assert "Successfully signed in as" in response.content.decode()


@pytest.mark.parametrize(
    ("own_language", "browser", "heading"),
    [
        ("", "nl", "Kies een organisatie"),
        ("", "en", "Choose an organisation"),
        ("nl", "en", "Kies een organisatie"),
    ],
)
def test_the_organisation_chooser_follows_your_language_then_the_browser(
    client, organisation, other_organisation, member, own_language, browser, heading
):
    organisation.language, other_organisation.language = "nl", "en"
    organisation.save(update_fields=["language"])
    other_organisation.save(update_fields=["language"])
    make_member(other_organisation, user=member.user)
    member.user.language = own_language
    member.user.save(update_fields=["language"])

    response = sign_in_with_browser(client, member.user.email, browser)

    assert response.redirect_chain[-1][0] == reverse("home")
    assert f"<h1>{heading}</h1>" in response.content.decode()


def sign_in_with_browser(client, email, language):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": PASSWORD},
        follow=True,
        HTTP_ACCEPT_LANGUAGE=language,
    )


@pytest.mark.parametrize(
    "name",
    ["account_login", "account_reset_password", "account_signup", "account_reset_password_done"],
)
def test_account_pages_use_our_layout(client, name):
    response = client.get(reverse(name))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="site-header"' in page and "werkwijs.css" in page
    assert "<h1>" in page


def test_sign_in_asks_for_email_not_username_and_offers_no_open_sign_up(client):
    page = client.get(reverse("account_login")).content.decode()

    assert 'type="email"' in page
    assert "username" not in page.lower()
    assert reverse("account_signup") not in page
    assert reverse("account_reset_password") in page


def test_sign_up_is_closed_except_through_invitations(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "walk-in@example.test", "password1": "x-Secret-42!", "password2": "x-Secret-42!"},
    )

    assert "Joining is by invitation" in response.content.decode()
    assert not EmailAddress.objects.filter(email="walk-in@example.test").exists()


def test_password_reset_mails_a_link_to_a_known_address(client, member):
    response = client.post(
        reverse("account_reset_password"), {"email": member.user.email}, follow=True
    )

    assert response.status_code == 200
    (message,) = mail.outbox
    assert message.to == [member.user.email]
    assert "/accounts/password/reset/key/" in message.body


def test_an_unverified_address_is_sent_a_verification_mail_at_sign_in(client, organisation):
    user = UserFactory()
    EmailAddress.objects.filter(user=user).update(verified=False)
    make_member(organisation, user=user)

    response = sign_in(client, user.email)

    page = response.content.decode()
    assert 'class="site-header"' in page
    assert len(mail.outbox) == 1
    assert "_auth_user_id" not in client.session


# --- Django admin (platform staff) ---------------------------------------------------------
@pytest.fixture
def staff_client(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    return client


@pytest.mark.parametrize(
    "model",
    [
        "organisation",
        "user",
        "membership",
        "team",
        "invitation",
        "skill",
        "workprocess",
        "auditlog",
    ],
)
def test_staff_see_every_organisations_rows_in_the_django_admin(
    staff_client, organisation, other_organisation, model
):
    TeamFactory(organisation=organisation, name="Acme team")
    TeamFactory(organisation=other_organisation, name="Globex team")
    make_member(organisation)
    InvitationFactory(organisation=other_organisation)

    changelist = staff_client.get(reverse(f"admin:organisations_{model}_changelist"))

    assert changelist.status_code == 200
    if model == "team":
        page = changelist.content.decode()
        assert "Acme team" in page and "Globex team" in page


def test_staff_open_a_member_and_add_a_user_by_email(staff_client, organisation):
    member = make_member(organisation)

    change = staff_client.get(reverse("admin:organisations_membership_change", args=[member.pk]))
    add = staff_client.get(reverse("admin:organisations_user_add"))

    assert change.status_code == 200
    assert add.status_code == 200
    assert 'name="email"' in add.content.decode()
    assert 'name="username"' not in add.content.decode()


def test_the_audit_log_is_read_only_in_the_django_admin(staff_client):
    assert staff_client.get(reverse("admin:organisations_auditlog_add")).status_code == 403


def test_members_who_are_not_staff_cannot_use_the_django_admin(client, organisation):
    client.force_login(make_member(organisation, is_admin=True).user)

    response = client.get(reverse("admin:organisations_team_changelist"))

    assert response.status_code == 302
    assert "/admin/login/" in response.url
