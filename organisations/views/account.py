"""The member's own account page: language, password, API tokens in one place.

The header links here from one account menu, so its bar keeps only the places a
persona uses every day. Notification preferences join this page when they exist.
"""

from django.conf import settings
from django.shortcuts import render

from ..access import member_required
from ..selectors import own_api_tokens


@member_required()
def account(request):
    tokens = own_api_tokens(membership=request.membership)
    return render(
        request,
        "organisations/account.html",
        {
            "languages": settings.LANGUAGES,
            "active_token_count": tokens.filter(revoked_at__isnull=True).count(),
        },
    )
