"""Sign-in rate limits at the edge: which limit refused, and who was being tried.

allauth counts failed sign-ins per account (the login, strictly) and per client
address (generously: a whole office or proxy signs in from one). When the
address's allowance is used up, somebody there is trying many accounts
(password spraying); that is audited once per window with the accounts tried,
which are remembered here per address for as long as the window lasts.
"""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from allauth.core.internal import ratelimit as allauth_ratelimit
from django.conf import settings
from django.core.cache import cache

ACTION_FAILED = "login_failed"
# A spraying run may try thousands of logins; the audit needs a sample, not all.
TRIED_LOGINS_KEPT = 200


def client_address(request) -> str:
    """The client's address as the rate limits see it (behind the trusted proxies)."""
    return get_adapter(request).get_client_ip(request)


def _address_rates() -> str:
    rates = settings.ACCOUNT_RATE_LIMITS.get(ACTION_FAILED, "")
    return ",".join(part for part in rates.split(",") if part.strip().endswith("/ip"))


def address_window_seconds() -> int:
    rates = allauth_ratelimit.parse_rates(_address_rates())
    return int(max((rate.duration for rate in rates), default=300))


def address_allowance_used_up(request) -> bool:
    """True when the address, not the account, is what refuses further attempts."""
    rates = _address_rates()
    if not rates:
        return False
    # allauth's own buckets, read without counting: the same action and rate give the
    # same cache key as the limit allauth applies in pre_authenticate.
    usage = allauth_ratelimit.consume(
        request,
        app="allauth.account",
        action=ACTION_FAILED,
        config={ACTION_FAILED: rates},
        dry_run=True,
    )
    return usage is None


def _tried_key(address: str) -> str:
    return f"signin:tried:{address}"


def tried_login_note(request, login: str) -> None:
    """Remember that ``login`` failed from this address, for the audit of a spraying run."""
    key = _tried_key(client_address(request))
    tried = cache.get(key, [])
    if len(tried) < TRIED_LOGINS_KEPT:
        tried.append(login.strip().lower())
        cache.set(key, tried, address_window_seconds())


def tried_logins(address: str) -> list[str]:
    return cache.get(_tried_key(address), [])


def first_refusal_in_window(address: str) -> bool:
    """True once per window and address: an attacker's every refused try is not a new row."""
    return cache.add(f"signin:spraying-audited:{address}", True, address_window_seconds())
