"""Sign-in rate limits: strict per account, generous per address, behind trusted proxies only.

The limits count in the cache (Redis under ``make test``), which ``_fast_tests`` clears
before each test; passwords use the fast hasher, so hundreds of sign-ins stay cheap.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from organisations.models import AuditLog
from organisations.services.security import ACTION_SPRAYING_STOPPED
from organisations.tenancy import organisation_scope
from tests.conftest import make_member
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"
# Small limits where a test is about which bucket counts, not about the defaults.
ADDRESS_ALLOWANCE = 8
SMALL_ADDRESS_LIMIT = {
    "login": "600/5m/ip",
    "login_failed": f"5/5m/key,{ADDRESS_ALLOWANCE}/5m/ip",
}


def sign_in(client: Client, email: str, password: str = PASSWORD, **headers):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **headers)


def signed_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


def use_up_address_allowance(client: Client, **headers) -> None:
    for n in range(ADDRESS_ALLOWANCE):
        response = sign_in(client, f"nobody{n}@example.test", WRONG, **headers)
        assert response.status_code == 200  # a wrong password, not yet a refusal


# --- Per account -----------------------------------------------------------------------


def test_the_sixth_failed_attempt_on_an_account_is_refused_with_429(client, member):
    # given five wrong passwords for one account
    for _ in range(5):
        assert sign_in(client, member.user.email, WRONG).status_code == 200

    # when the sixth attempt comes, even with the right password
    response = sign_in(client, member.user.email)

    # then it is refused with the friendly page
    assert response.status_code == 429
    assert not signed_in(response)
    assert "Too many attempts" in response.content.decode()


def test_a_locked_account_does_not_lock_out_the_address(client, organisation, member):
    colleague = make_member(organisation)
    for _ in range(6):
        sign_in(client, member.user.email, WRONG)

    # the same address signs in another account at once
    response = sign_in(Client(), colleague.user.email)

    assert signed_in(response)


def test_retrying_a_locked_account_uses_up_nothing_of_the_address(
    client, organisation, member, settings
):
    # given a small allowance per address and one person retrying their locked account
    settings.ACCOUNT_RATE_LIMITS = SMALL_ADDRESS_LIMIT
    for _ in range(20):
        sign_in(client, member.user.email, WRONG)

    # then a colleague at the same address still signs in
    assert signed_in(sign_in(Client(), make_member(organisation).user.email))


def test_the_refusal_page_is_friendly_translated_and_says_when_to_retry(client, member):
    for _ in range(5):
        sign_in(client, member.user.email, WRONG)

    response = sign_in(client, member.user.email, HTTP_ACCEPT_LANGUAGE="nl")

    page = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == "300"
    assert 'class="site-header"' in page  # the site's own layout
    assert "Te veel pogingen" in page
    assert "over 5 minuten" in page


# --- Per address -----------------------------------------------------------------------


def test_a_shift_of_300_signs_in_from_one_address(organisation):
    # given 300 members of one organisation behind one address (the test client's)
    members = [make_member(organisation) for _ in range(300)]

    # when each signs in within the same window
    refused = [m for m in members if not signed_in(sign_in(Client(), m.user.email))]

    # then nobody is turned away
    assert refused == []


def test_a_forwarded_address_is_ignored_without_a_trusted_proxy(client, member, settings):
    # given no trusted proxy: anyone may send X-Forwarded-For, so it must not count
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    settings.ACCOUNT_RATE_LIMITS = SMALL_ADDRESS_LIMIT
    use_up_address_allowance(client, HTTP_X_FORWARDED_FOR="198.51.100.7")

    # when another "client" claims another address from the same connection address
    response = sign_in(Client(), member.user.email, HTTP_X_FORWARDED_FOR="198.51.100.8")

    # then it shares the bucket of the address it really came from
    assert response.status_code == 429


def test_clients_behind_a_trusted_proxy_have_buckets_of_their_own(client, member, settings):
    # given one trusted proxy (the test client's address) in front of two clients
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = SMALL_ADDRESS_LIMIT
    use_up_address_allowance(client, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert sign_in(client, member.user.email, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == (
        429
    )

    # when the other client, forwarded by the same proxy, signs in
    response = sign_in(Client(), member.user.email, HTTP_X_FORWARDED_FOR="198.51.100.8")

    # then it is not held back by the first one's attempts
    assert signed_in(response)


def test_only_the_address_the_trusted_proxy_saw_counts(client, member, settings):
    # given one trusted proxy: what the client put in front of its own entry is a lie
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = SMALL_ADDRESS_LIMIT
    for n in range(ADDRESS_ALLOWANCE):
        sign_in(
            client,
            f"nobody{n}@example.test",
            WRONG,
            HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 198.51.100.7",
        )

    response = sign_in(client, member.user.email, HTTP_X_FORWARDED_FOR="10.9.9.99, 198.51.100.7")

    assert response.status_code == 429


# --- Password spraying -----------------------------------------------------------------


def test_password_spraying_from_one_address_is_stopped_and_audited(
    client, organisation, other_organisation
):
    # given accounts in two organisations and addresses that exist nowhere
    ours = [make_member(organisation).user.email for _ in range(40)]
    theirs = [make_member(other_organisation).user.email for _ in range(40)]
    unknown = [f"guess{n}@example.test" for n in range(20)]
    headers = {"REMOTE_ADDR": "203.0.113.9"}

    # when one address tries one password on 100 accounts (the default allowance)
    for email in ours + theirs + unknown:
        assert sign_in(client, email, "Winter2026!", **headers).status_code == 200

    # then the next attempt from there is refused, whatever its account
    assert sign_in(client, ours[0], **headers).status_code == 429
    assert sign_in(client, theirs[0], **headers).status_code == 429
    # and each organisation's audit log names the address and only its own members, once
    with organisation_scope(organisation.pk):
        rows = list(AuditLog.objects.filter(action=ACTION_SPRAYING_STOPPED))
    assert len(rows) == 1
    assert rows[0].data["address"] == "203.0.113.9"
    assert rows[0].data["accounts"] == sorted(ours)
    assert rows[0].data["accounts_tried"] == 100
    with organisation_scope(other_organisation.pk):
        row = AuditLog.objects.get(action=ACTION_SPRAYING_STOPPED)
    assert row.data["accounts"] == sorted(theirs)


def test_spraying_from_one_address_does_not_stop_another(client, organisation, member, settings):
    settings.ACCOUNT_RATE_LIMITS = SMALL_ADDRESS_LIMIT
    use_up_address_allowance(client, REMOTE_ADDR="203.0.113.9")

    response = sign_in(Client(), member.user.email, REMOTE_ADDR="192.0.2.44")

    assert signed_in(response)


def test_a_few_mistyping_colleagues_are_not_taken_for_spraying(client, organisation):
    # given twenty colleagues at one address who each mistype their password twice
    members = [make_member(organisation) for _ in range(20)]
    for m in members:
        for _ in range(2):
            sign_in(Client(), m.user.email, WRONG)

    # then all of them still sign in, and nothing is audited
    assert all(signed_in(sign_in(Client(), m.user.email)) for m in members)
    with organisation_scope(organisation.pk):
        assert not AuditLog.objects.filter(action=ACTION_SPRAYING_STOPPED).exists()
