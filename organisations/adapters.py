from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError

from . import login_limits
from .services.security import login_spraying_record


class AccountAdapter(DefaultAccountAdapter):
    """Accounts come from invitations, so allauth's own sign-up stays closed.

    The invitation page (``organisations.views.accept.invitation_accept``) creates the
    account itself, with the invited address already verified, and the
    membership in the same transaction. Open sign-up would only make people who
    belong to no organisation; ``ACCOUNT_SIGNUP_OPEN`` exists for installations
    that want it anyway.

    Sign-in: a refusal by the rate limits is audited when the client's address
    ran out of failed attempts (many accounts tried from one place), see
    ``organisations.login_limits``; ``organisations.views.signin`` answers it with 429.
    """

    def is_open_for_signup(self, request) -> bool:
        return settings.ACCOUNT_SIGNUP_OPEN

    def pre_authenticate(self, request, **credentials) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            if login_limits.address_allowance_used_up(request):
                address = login_limits.client_address(request)
                if login_limits.first_refusal_in_window(address):
                    login_spraying_record(
                        address=address,
                        tried_logins=login_limits.tried_logins(address),
                        failed_attempts=len(login_limits.tried_logins(address)),
                    )
            raise

    def authentication_failed(self, request, **credentials) -> None:
        super().authentication_failed(request, **credentials)
        login = credentials.get("email") or credentials.get("username") or ""
        login_limits.tried_login_note(request, login)
