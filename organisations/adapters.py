from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    """Accounts come from invitations, so allauth's own sign-up stays closed.

    The invitation page (``organisations.views.accept.invitation_accept``) creates the
    account itself, with the invited address already verified, and the
    membership in the same transaction. Open sign-up would only make people who
    belong to no organisation; ``ACCOUNT_SIGNUP_OPEN`` exists for installations
    that want it anyway.
    """

    def is_open_for_signup(self, request) -> bool:
        return settings.ACCOUNT_SIGNUP_OPEN
