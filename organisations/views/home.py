"""Pages outside any organisation: the landing redirect, the language switch, health."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ..permissions import is_manager
from ..selectors import memberships_for_user
from ..tenancy import organisation_scope


@login_required
def home(request):
    """Land on the organisation's home; a person in several chooses, one in none is told."""
    memberships = memberships_for_user(user=request.user)
    if len(memberships) == 1:
        membership = memberships[0]
        slug = membership.organisation.slug
        # A manager lands on the coaching view; "My learning" stays in the header.
        with organisation_scope(membership.organisation_id, user_id=request.user.pk):
            manages = is_manager(membership)
        if manages:
            return redirect("analytics:coaching", org_slug=slug)
        return redirect("microlearning:home", org_slug=slug)
    return render(
        request,
        "organisations/choose.html",
        {"memberships": memberships},
        status=200,
    )


@require_POST
def set_language(request):
    """The language switch: remembered on the account, or in a cookie for visitors."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language == "" and request.user.is_authenticated:
        # Back to the organisation's language (the account page offers it).
        request.user.language = ""
        request.user.save(update_fields=["language"])
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
    elif language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            request.user.language = language
            request.user.save(update_fields=["language"])
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax"
        )
    return response


def health(request):
    """For load balancers and container health checks."""
    return JsonResponse({"status": "ok"})
