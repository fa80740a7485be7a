"""Accepting an invitation: the link in the e-mail, outside any organisation."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import services
from ..forms import InvitationAccountForm, add_service_errors
from ..models import Invitation, User
from ..selectors import invitation_for_link
from ..services import InvitationProblem
from ..tenancy import organisation_scope
from .common import posted


def invitation_accept(request, token: str):
    """The link in the invitation e-mail. Every way it can fail gets a page that says why."""
    try:
        organisation_id, invitation_id = services.invitation_token_read(token)
    except InvitationProblem as problem:
        return _invitation_problem(request, problem)
    user = request.user if request.user.is_authenticated else None
    # The signature is checked, so the organisation named in the token can be entered.
    with organisation_scope(organisation_id, user_id=user.pk if user else None):
        invitation = invitation_for_link(
            organisation_id=organisation_id, invitation_id=invitation_id
        )
        # Opening the link again after accepting it is no problem: it leads home.
        if invitation is not None and user is not None and invitation.accepted_by_id == user.pk:
            return redirect("microlearning:home", org_slug=invitation.organisation.slug)
        try:
            services.invitation_check(invitation=invitation, user=user)
            if user is not None:
                return _accept_signed_in(request, invitation, user)
            if User.objects.filter(email__iexact=invitation.email).exists():
                return render(
                    request,
                    "organisations/invitations/sign_in.html",
                    {"invitation": invitation, "next": request.path},
                )
            return _accept_with_new_account(request, invitation)
        except InvitationProblem as problem:
            return _invitation_problem(request, problem, invitation=invitation)


def _accept_signed_in(request, invitation: Invitation, user: User):
    if request.method == "POST":
        services.invitation_accept(invitation=invitation, user=user)
        messages.success(
            request, _("Welcome to %(name)s.") % {"name": invitation.organisation.name}
        )
        return redirect("microlearning:home", org_slug=invitation.organisation.slug)
    return render(request, "organisations/invitations/confirm.html", {"invitation": invitation})


def _accept_with_new_account(request, invitation: Invitation):
    form = InvitationAccountForm(posted(request), email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.invitation_accept_with_new_account(
                invitation=invitation,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Welcome to %(name)s.") % {"name": invitation.organisation.name}
            )
            return redirect("microlearning:home", org_slug=invitation.organisation.slug)
    return render(
        request,
        "organisations/invitations/new_account.html",
        {"invitation": invitation, "form": form},
    )


def _invitation_problem(request, problem: InvitationProblem, *, invitation=None):
    return render(
        request,
        "organisations/invitations/problem.html",
        {
            "problem": problem.code,
            "invitation": invitation,
            "max_age_days": settings.INVITATION_MAX_AGE_DAYS,
        },
        status=problem.status,
    )
