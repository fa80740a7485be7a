"""Personal API tokens: every member manages their own."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from .. import services
from ..access import member_required
from ..forms import ApiTokenForm
from ..permissions import Action
from ..selectors import own_api_tokens
from .common import manage_redirect, post_only, posted


@member_required(Action.MANAGE_OWN_TOKENS)
def token_list(request):
    form = ApiTokenForm(posted(request))
    new_token, raw_token = None, None
    if request.method == "POST" and form.is_valid():
        new_token, raw_token = services.api_token_create(
            membership=request.membership, name=form.cleaned_data["name"]
        )
        form = ApiTokenForm()
    response = render(
        request,
        "organisations/token_list.html",
        {
            "form": form,
            "tokens": own_api_tokens(membership=request.membership),
            "new_token": new_token,
            "raw_token": raw_token,
        },
    )
    if raw_token:
        # The raw token is on this page once; keep it out of every cache.
        patch_cache_control(response, no_store=True, private=True)
    return response


@member_required(Action.MANAGE_OWN_TOKENS)
def token_revoke(request, token_id: int):
    token = get_object_or_404(own_api_tokens(membership=request.membership), pk=token_id)
    if not_allowed := post_only(request):
        return not_allowed
    services.api_token_revoke(token=token, by=request.membership)
    messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return manage_redirect(request, "token_list")
