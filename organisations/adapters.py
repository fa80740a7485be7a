from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from .selectors import memberships_for_user
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
    """

    def is_open_for_signup(self, request) -> bool:
        return settings.ACCOUNT_SIGNUP_OPEN

    def add_message(self, request, *args, **kwargs) -> None:
        # allauth renders the text now ("Successfully signed in as …"): in the member's language.
        language = member_language(request) or translation.get_language()
        with translation.override(language):
            super().add_message(request, *args, **kwargs)
