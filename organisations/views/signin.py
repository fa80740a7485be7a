"""Sign-in refused by the rate limits: the friendly page with 429 and Retry-After."""

from __future__ import annotations

from allauth.account.views import LoginView as AllauthLoginView
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.shortcuts import render

REFUSED = "too_many_login_attempts"  # allauth's error code for a used-up limit


def _retry_after_seconds() -> int:
    # Every limit is a sliding window: after the longest one, its oldest attempt has left it.
    return max(
        seconds
        for _, seconds in (
            settings.LOGIN_FAILED_PER_ACCOUNT,
            settings.LOGIN_FAILED_PER_ADDRESS,
            settings.LOGIN_PER_ADDRESS,
        )
    )


def handler429(request, exception=None):
    """``handler429`` of the root URLconf: allauth answers every used-up rate limit with it."""
    retry_after = _retry_after_seconds()
    response = render(
        request, "429.html", {"retry_minutes": max(1, -(-retry_after // 60))}, status=429
    )
    response["Retry-After"] = str(retry_after)
    return response


class LoginView(AllauthLoginView):
    """allauth's sign-in, except that a refusal by the failed-attempt limits is a 429.

    allauth shows that refusal as a form error with status 200; a person then keeps
    retrying, and a script cannot tell a refusal from a wrong password.
    """

    def form_invalid(self, form):
        if form.has_error(NON_FIELD_ERRORS, REFUSED):
            return handler429(self.request)
        return super().form_invalid(form)


login = LoginView.as_view()
