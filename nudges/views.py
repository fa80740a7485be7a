"""Web pages for nudges: the member's reminders in the app."""

from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render

from organisations.access import member_required

from .selectors import inapp_nudges_for_member
from .services import nudge_mark_read

INBOX_PAGE_SIZE = 25


@member_required()
def inbox(request):
    nudges = inapp_nudges_for_member(membership=request.membership)
    page = Paginator(nudges, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "nudges/inbox.html", {"page": page})


@member_required()
def nudge_open(request, nudge_id: int):
    # Only the member's own delivered in-app nudges exist here; anything else is 404,
    # whatever the method, so the answer says nothing about other people's nudges.
    nudge = get_object_or_404(
        inapp_nudges_for_member(membership=request.membership).filter(
            organisation=request.organisation
        ),
        pk=nudge_id,
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    nudge_mark_read(nudge=nudge)
    if nudge.unit_id is None:
        return redirect("nudges:inbox", org_slug=request.organisation.slug)
    return redirect(
        "microlearning:unit_detail", org_slug=request.organisation.slug, unit_id=nudge.unit_id
    )
