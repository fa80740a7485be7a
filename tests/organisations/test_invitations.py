"""Accepting an invitation: the good paths, and a clear page for every bad one."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from organisations.models import Invitation, Membership, User
from organisations.services import invitation_token
from organisations.tenancy import organisation_scope
from tests.conftest import make_member
from tests.factories import PASSWORD, InvitationFactory, TeamFactory, UserFactory

from .helpers import accept_url, token_signed_days_ago

pytestmark = pytest.mark.django_db

NEW_ACCOUNT = {
    "first_name": "Noor",
    "last_name": "Bakker",
    "password1": "kalme-rivier-42",
    "password2": "kalme-rivier-42",
}


@pytest.fixture
def team(organisation):
    return TeamFactory(organisation=organisation, name="Support")


@pytest.fixture
def invitation(organisation, team):
    return InvitationFactory(
        organisation=organisation, email="noor@example.test", team=team, is_author=True
    )


def org_home(organisation) -> str:
    return reverse("microlearning:home", args=[organisation.slug])


def membership_of(user, organisation) -> Membership | None:
    with organisation_scope(organisation.pk):
        return Membership.objects.filter(user=user).first()


def reload(invitation):
    with organisation_scope(invitation.organisation_id):
        invitation.refresh_from_db()
    return invitation


# --- No account yet ----------------------------------------------------------------------
def test_a_new_person_sees_a_form_for_name_and_password(client, invitation):
    response = client.get(accept_url(invitation_token(invitation)))

    page = response.content.decode()
    assert response.status_code == 200
    assert "noor@example.test" in page and "Acme" in page
    assert 'name="first_name"' in page and 'name="password1"' in page


def test_a_new_person_gets_an_account_membership_and_lands_on_the_org_home(
    client, organisation, invitation, team
):
    response = client.post(accept_url(invitation_token(invitation)), NEW_ACCOUNT)

    assert response.status_code == 302
    assert response.url == org_home(organisation)
    user = User.objects.get(email="noor@example.test")
    assert user.get_full_name() == "Noor Bakker"
    assert EmailAddress.objects.get(user=user).verified
    membership = membership_of(user, organisation)
    assert (membership.team_id, membership.is_author, membership.is_admin) == (team.pk, True, False)
    assert reload(invitation).accepted_by == user
    # Signed in straight away: the org home opens without another login.
    assert client.get(response.url).status_code == 200


def test_a_weak_or_mismatched_password_shows_field_errors(client, invitation):
    weak = client.post(
        accept_url(invitation_token(invitation)),
        {**NEW_ACCOUNT, "password1": "12345678", "password2": "12345678"},
    )
    differ = client.post(
        accept_url(invitation_token(invitation)), {**NEW_ACCOUNT, "password2": "something-else"}
    )

    assert weak.status_code == differ.status_code == 200
    assert weak.context["form"].errors["password1"]
    assert differ.context["form"].errors["password2"]
    assert not User.objects.filter(email="noor@example.test").exists()


def test_the_new_account_can_sign_in_with_its_email_later(client, organisation, invitation):
    client.post(accept_url(invitation_token(invitation)), NEW_ACCOUNT)
    client.logout()

    response = client.post(
        reverse("account_login"),
        {"login": "noor@example.test", "password": NEW_ACCOUNT["password1"]},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == org_home(organisation)


# --- An account exists --------------------------------------------------------------------
def test_an_existing_account_is_asked_to_sign_in_and_come_back(client, invitation):
    UserFactory(email="noor@example.test")
    link = accept_url(invitation_token(invitation))

    response = client.get(link)

    assert response.status_code == 200
    assert f"{reverse('account_login')}?next=" in response.content.decode()
    assert response.context["next"] == link


def test_after_signing_in_the_invitee_confirms_and_joins(client, organisation, invitation, team):
    user = UserFactory(email="noor@example.test")
    link = accept_url(invitation_token(invitation))
    signed_in = client.post(
        f"{reverse('account_login')}?next={link}",
        {"login": "noor@example.test", "password": PASSWORD},
    )
    assert signed_in.url == link

    confirm = client.get(link)
    assert confirm.status_code == 200
    assert membership_of(user, organisation) is None
    joined = client.post(link)

    assert joined.url == org_home(organisation)
    assert membership_of(user, organisation).team_id == team.pk
    assert reload(invitation).accepted_at is not None


def test_a_member_of_another_organisation_joins_this_one_too(
    client, organisation, other_organisation
):
    elsewhere = make_member(other_organisation)
    invitation = InvitationFactory(organisation=organisation, email=elsewhere.user.email)
    client.force_login(elsewhere.user)

    client.post(accept_url(invitation_token(invitation)))

    assert membership_of(elsewhere.user, organisation).is_active
    assert membership_of(elsewhere.user, other_organisation).is_active


def test_email_case_does_not_matter(client, organisation):
    user = UserFactory(email="kim@example.test")
    invitation = InvitationFactory(organisation=organisation, email="Kim@Example.TEST")
    client.force_login(user)

    response = client.post(accept_url(invitation_token(invitation)))

    assert response.status_code == 302
    assert membership_of(user, organisation) is not None


# --- Every bad case gets a clear page --------------------------------------------------------
def assert_clear_page(response, status: int, words: str):
    page = response.content.decode()
    assert response.status_code == status
    assert words in page
    assert "Traceback" not in page
    assert "<h1>" in page


def test_an_expired_link_explains_how_to_get_a_new_one(client, invitation, settings):
    settings.INVITATION_MAX_AGE_DAYS = 14

    response = client.get(accept_url(token_signed_days_ago(invitation, 15)))

    assert_clear_page(response, 410, "This invitation has expired")
    assert "send you a new invitation" in response.content.decode()


def test_a_link_just_within_its_age_still_works(client, invitation, settings):
    settings.INVITATION_MAX_AGE_DAYS = 14

    assert client.get(accept_url(token_signed_days_ago(invitation, 13.9))).status_code == 200


def test_a_used_link_says_so(client, organisation, invitation):
    client.post(accept_url(invitation_token(invitation)), NEW_ACCOUNT)
    client.logout()

    response = client.get(accept_url(invitation_token(invitation)))

    assert_clear_page(response, 410, "This invitation has been used already")


def test_the_person_who_accepted_is_simply_taken_home_when_opening_it_again(
    client, organisation, invitation
):
    link = accept_url(invitation_token(invitation))
    client.post(link, NEW_ACCOUNT)

    response = client.get(link)

    assert response.status_code == 302 and response.url == org_home(organisation)


def test_a_tampered_link_is_refused(client, invitation):
    token = invitation_token(invitation)
    payload, timestamp, signature = token.split(":")

    for bad in (
        f"{payload}:{timestamp}:{signature[:-1]}x",
        "not-a-token",
        f"{payload}x:{timestamp}:{signature}",
    ):
        assert_clear_page(client.get(accept_url(bad)), 400, "This invitation link does not work")


def test_a_revoked_invitation_is_refused(client, organisation, invitation, org_admin):
    token = invitation_token(invitation)
    with organisation_scope(organisation.pk):
        Invitation.objects.filter(pk=invitation.pk).delete()

    response = client.get(accept_url(token))

    assert_clear_page(response, 410, "This invitation is no longer valid")


def test_a_token_naming_another_organisation_finds_nothing(
    client, organisation, other_organisation, invitation
):
    # A genuine signature over ids that do not belong together: the lookup is scoped.
    forged = InvitationFactory.build(organisation=other_organisation, pk=invitation.pk)

    response = client.get(accept_url(invitation_token(forged)))

    assert_clear_page(response, 410, "This invitation is no longer valid")
    assert reload(invitation).accepted_at is None


def test_signed_in_as_someone_else_gets_a_sign_out_option(client, organisation, invitation):
    stranger = make_member(organisation)
    client.force_login(stranger.user)

    response = client.post(accept_url(invitation_token(invitation)))

    assert_clear_page(response, 400, "This invitation is for someone else")
    assert reverse("account_logout") in response.content.decode()
    assert reload(invitation).accepted_at is None
    assert not User.objects.filter(email="noor@example.test").exists()


def test_a_deactivated_member_is_told_to_ask_an_admin(client, organisation):
    former = make_member(organisation, is_active=False)
    invitation = InvitationFactory(organisation=organisation, email=former.user.email)
    client.force_login(former.user)

    for response in (
        client.get(accept_url(invitation_token(invitation))),
        client.post(accept_url(invitation_token(invitation))),
    ):
        assert_clear_page(response, 400, "Your membership is deactivated")
    assert not membership_of(former.user, organisation).is_active
    assert reload(invitation).accepted_at is None
