"""Security events about sign-in: a password-spraying run that the rate limits stopped."""

from __future__ import annotations

import logging
from collections import defaultdict

from django.db import transaction

from ..models import Membership, User
from ..tenancy import organisation_scope, platform_bypass
from .audit import audit_log_record

logger = logging.getLogger("werkwijs.security")

ACTION_SPRAYING_STOPPED = "signin.spraying_stopped"


@transaction.atomic
def login_spraying_record(*, address: str, tried_logins: list[str], failed_attempts: int) -> int:
    """Audit a stopped spraying run; return how many organisations were told.

    The accounts tried may belong to several organisations or to none, and the audit
    log is per organisation: each organisation whose members were tried gets one row
    naming the address and only its own members; the platform's log gets the whole
    picture (address, attempts, how many accounts, how many exist), so a run against
    addresses that exist nowhere is not lost either.
    """
    logins = sorted(set(tried_logins))
    users = {user.pk: user.email for user in User.objects.filter(email__in=logins)}
    by_organisation: dict[int, list[str]] = defaultdict(list)
    if users:
        # Finding which organisations the accounts belong to crosses organisations.
        with platform_bypass(reason=f"sign-in spraying from {address}", actor="rate limit"):
            for organisation_id, user_id in Membership.objects.filter(
                user_id__in=users, is_active=True
            ).values_list("organisation_id", "user_id"):
                by_organisation[organisation_id].append(users[user_id])
    logger.warning(
        "Sign-in spraying from %s stopped after %d failed attempts on %d accounts "
        "(%d of them exist, in %d organisations)",
        address,
        failed_attempts,
        len(logins),
        len(users),
        len(by_organisation),
    )
    for organisation_id, emails in sorted(by_organisation.items()):
        with organisation_scope(organisation_id):
            audit_log_record(
                actor=None,
                action=ACTION_SPRAYING_STOPPED,
                organisation_id=organisation_id,
                data={
                    "address": address,
                    "accounts": sorted(emails),
                    "accounts_tried": len(logins),
                    "failed_attempts": failed_attempts,
                },
            )
    return len(by_organisation)
