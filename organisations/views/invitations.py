"""Invitations, the admin side: the pending list, inviting one or many, resend, revoke."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from .. import services
from ..access import member_required
from ..forms import BulkInvitationForm, InvitationForm, add_service_errors
from ..models import Invitation
from ..selectors import pending_invitations
from ..services import BulkInviteOutcome
from .common import ADMIN, manage_redirect, post_only, posted


def _invitation(request, invitation_id: int) -> Invitation:
    pending = Invitation.objects.filter(organisation=request.organisation, accepted_at__isnull=True)
    return get_object_or_404(pending, pk=invitation_id)


@member_required(ADMIN)
def invitation_list(request):
    invitations = pending_invitations(organisation=request.organisation)
    return render(
        request,
        "organisations/manage/invitation_list.html",
        {
            "section": "invitations",
            "invitations": invitations,
            "max_age_days": settings.INVITATION_MAX_AGE_DAYS,
        },
    )


@member_required(ADMIN)
def invitation_create(request):
    form = InvitationForm(posted(request), organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(by=request.membership, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return manage_redirect(request, "invitation_list")
    return render(
        request,
        "organisations/manage/invitation_form.html",
        {"section": "invitations", "form": form},
    )


@member_required(ADMIN)
def invitation_bulk(request):
    form = BulkInvitationForm(posted(request), organisation=request.organisation)
    results = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            results = services.invitations_bulk_create(
                by=request.membership,
                text=data["addresses"],
                is_author=data["is_author"],
                is_hr=data["is_hr"],
                is_admin=data["is_admin"],
                team=data["team"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            form = BulkInvitationForm(organisation=request.organisation)
    return render(
        request,
        "organisations/manage/invitation_bulk.html",
        {
            "section": "invitations",
            "form": form,
            "results": results,
            "invited_count": sum(r.outcome == BulkInviteOutcome.INVITED for r in results or ()),
        },
    )


@member_required(ADMIN)
def invitation_resend(request, invitation_id: int):
    invitation = _invitation(request, invitation_id)
    if not_allowed := post_only(request):
        return not_allowed
    services.invitation_resend(invitation=invitation, by=request.membership)
    messages.success(request, _("Sent a new link to %(email)s.") % {"email": invitation.email})
    return manage_redirect(request, "invitation_list")


@member_required(ADMIN)
def invitation_revoke(request, invitation_id: int):
    invitation = _invitation(request, invitation_id)
    if not_allowed := post_only(request):
        return not_allowed
    services.invitation_revoke(invitation=invitation, by=request.membership)
    messages.success(
        request,
        _("Withdrew the invitation for %(email)s; its link no longer works.")
        % {"email": invitation.email},
    )
    return manage_redirect(request, "invitation_list")
