from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    """People join through invitations, so open sign-up is off unless configured."""

    def is_open_for_signup(self, request) -> bool:
        if getattr(request, "session", None) and request.session.get("invitation_token"):
            return True
        return settings.ACCOUNT_SIGNUP_OPEN
