from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from . import login_limits
from .selectors import memberships_for_user
from .services.security import login_spraying_record
from .tenancy import user_scope


def member_language(request) -> str | None:
    """The language a signed-in person reads: their own choice, else their organisation's.

    ``MemberLanguageMiddleware`` picks the page's language before the view runs, so
    on the sign-in page (no one signed in yet, no organisation in the URL) it is the
    browser's. A message made once the person is known must follow them instead.
    Several organisations with different languages: no answer, the browser's stays.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if user.language:
        return user.language
    membership = getattr(request, "membership", None)
    if membership is not None:
        return membership.organisation.language
    # Signed in during this request: the middleware's scope did not know the user yet.
    with user_scope(user.pk):
        languages = {m.organisation.language for m in memberships_for_user(user=user)}
    return languages.pop() if len(languages) == 1 else None


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

    def add_message(self, request, *args, **kwargs) -> None:
        # allauth renders the text now ("Successfully signed in as …"): in the member's language.
        language = member_language(request) or translation.get_language()
        with translation.override(language):
            super().add_message(request, *args, **kwargs)
