"""The learner's side: home, a unit, completing it.

Views stay thin: load the object through the organisation (another
organisation's id is simply not found), call one service, render or redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.template import engines
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.access import member_required

from .. import selectors, services


def _inapp_notifications_available() -> bool:
    """The nudges app provides the in-app notifications tag; the home works without it."""
    return "nudges_tags" in engines["django"].engine.template_libraries


@member_required()
def home(request):
    return render(
        request,
        "microlearning/home.html",
        {
            "learning": selectors.learner_home(membership=request.membership),
            "show_notifications": _inapp_notifications_available(),
        },
    )


@member_required()
def unit_detail(request, unit_id: int):
    unit = get_object_or_404(
        selectors.published_units(organisation=request.organisation), pk=unit_id
    )
    services.unit_open(unit=unit, member=request.membership)
    completion = selectors.completion_of(unit=unit, membership=request.membership)
    return render(
        request,
        "microlearning/unit_detail.html",
        {
            "unit": unit,
            "version": unit.live_version,
            "blocks": selectors.version_blocks(version=unit.live_version),
            "completion": completion,
        },
    )


@require_POST
@member_required()
def unit_complete(request, unit_id: int):
    unit = get_object_or_404(
        selectors.published_units(organisation=request.organisation), pk=unit_id
    )
    services.unit_complete(unit=unit, member=request.membership)
    messages.success(request, _("Well done: “%(title)s” is complete.") % {"title": unit.title})
    return redirect("microlearning:unit_detail", request.organisation.slug, unit.pk)
