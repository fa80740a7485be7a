"""Kudos for a teammate's shared achievement."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.access import member_required
from organisations.forms import service_errors_text
from organisations.permissions import can_see_recognition

from .. import selectors, services


@require_POST
@member_required()
def kudos_give(request, recognition_id: int):
    recognition = selectors.recognition_for(
        membership=request.membership, recognition_id=recognition_id
    )
    if recognition is None:
        raise Http404
    if not can_see_recognition(request.membership, recognition):
        raise PermissionDenied
    try:
        _kudos, created = services.kudos_give(
            recognition=recognition, membership=request.membership
        )
    except ValidationError as exc:
        messages.error(request, service_errors_text(exc))
    else:
        if created:
            messages.success(
                request,
                _("You gave %(name)s kudos.") % {"name": recognition.member.display_name},
            )
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("microlearning:home", request.organisation.slug)
