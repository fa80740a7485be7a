"""What the administration pages share.

Objects are always loaded through request.organisation, so another organisation's
ids are simply not found (404), never forbidden.
"""

from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import redirect

from ..permissions import Action

ADMIN = Action.ADMINISTER_ORGANISATION


def posted(request):
    # Not ``request.POST or None``: a POST with every box unticked is empty, yet still a POST.
    return request.POST if request.method == "POST" else None


def post_only(request) -> HttpResponseNotAllowed | None:
    # Checked after the object is loaded, so a foreign id is a 404 whatever the method.
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def manage_redirect(request, name: str) -> HttpResponseRedirect:
    return redirect(f"organisations:{name}", org_slug=request.organisation.slug)
