from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import services
from .access import member_required
from .forms import (
    ApiTokenForm,
    BulkInvitationForm,
    InvitationAccountForm,
    InvitationForm,
    MemberForm,
    MemberSearchForm,
    NamedItemForm,
    OrganisationSettingsForm,
    TeamForm,
    add_service_errors,
)
from .models import Invitation, Membership, Skill, Team, User, WorkProcess
from .permissions import Action
from .selectors import (
    invitation_for_link,
    member_search,
    memberships_for_user,
    own_api_tokens,
    pending_invitations,
    team_tree,
)
from .services import BulkInviteOutcome, InvitationProblem
from .tenancy import organisation_scope


@login_required
def home(request):
    """Land on the organisation's home; a person in several chooses, one in none is told."""
    memberships = memberships_for_user(user=request.user)
    if len(memberships) == 1:
        return redirect("microlearning:home", org_slug=memberships[0].organisation.slug)
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
    if language in dict(settings.LANGUAGES):
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


# --- Organisation administration ------------------------------------------------------
# Objects are always loaded through request.organisation, so another organisation's
# ids are simply not found (404), never forbidden.

ADMIN = Action.ADMINISTER_ORGANISATION
MEMBERS_PER_PAGE = 50


def _posted(request):
    # Not ``request.POST or None``: a POST with every box unticked is empty, yet still a POST.
    return request.POST if request.method == "POST" else None


def _post_only(request) -> HttpResponseNotAllowed | None:
    # Checked after the object is loaded, so a foreign id is a 404 whatever the method.
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def _member(request, member_id: int) -> Membership:
    members = Membership.objects.filter(organisation=request.organisation)
    return get_object_or_404(members.select_related("user", "team"), pk=member_id)


def _manage_redirect(request, name: str) -> HttpResponseRedirect:
    return redirect(f"organisations:{name}", org_slug=request.organisation.slug)


@member_required(ADMIN)
def member_list(request):
    search = MemberSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    members = member_search(organisation=request.organisation, query=query)
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/manage/member_list.html",
        {"section": "members", "search": search, "query": query, "page": page},
    )


@member_required(ADMIN)
def member_edit(request, member_id: int):
    member = _member(request, member_id)
    initial = {
        "is_author": member.is_author,
        "is_hr": member.is_hr,
        "is_admin": member.is_admin,
        "team": member.team,
    }
    form = MemberForm(_posted(request), organisation=request.organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(member=member, by=request.membership, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Saved the changes for %(name)s.") % {"name": member.display_name}
            )
            if member.pk == request.membership.pk and not member.is_admin:
                # They gave up the admin role: the admin pages are closed to them now.
                return redirect("microlearning:home", org_slug=request.organisation.slug)
            return _manage_redirect(request, "member_list")
    return render(
        request,
        "organisations/manage/member_edit.html",
        {"section": "members", "member": member, "form": form},
    )


@member_required(ADMIN)
def member_deactivate(request, member_id: int):
    member = _member(request, member_id)
    if not_allowed := _post_only(request):
        return not_allowed
    try:
        services.member_deactivate(member=member, by=request.membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("organisations:member_edit", request.organisation.slug, member.pk)
    messages.success(
        request,
        _("%(name)s is deactivated. Their history stays; you can reactivate them any time.")
        % {"name": member.display_name},
    )
    if member.pk == request.membership.pk:
        return redirect("home")
    return _manage_redirect(request, "member_list")


@member_required(ADMIN)
def member_reactivate(request, member_id: int):
    member = _member(request, member_id)
    if not_allowed := _post_only(request):
        return not_allowed
    services.member_reactivate(member=member, by=request.membership)
    messages.success(request, _("%(name)s is active again.") % {"name": member.display_name})
    return redirect("organisations:member_edit", request.organisation.slug, member.pk)


# --- Invitations (admin side) -------------------------------------------------------------
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
    form = InvitationForm(_posted(request), organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(by=request.membership, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return _manage_redirect(request, "invitation_list")
    return render(
        request,
        "organisations/manage/invitation_form.html",
        {"section": "invitations", "form": form},
    )


@member_required(ADMIN)
def invitation_bulk(request):
    form = BulkInvitationForm(_posted(request), organisation=request.organisation)
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
    if not_allowed := _post_only(request):
        return not_allowed
    services.invitation_resend(invitation=invitation, by=request.membership)
    messages.success(request, _("Sent a new link to %(email)s.") % {"email": invitation.email})
    return _manage_redirect(request, "invitation_list")


@member_required(ADMIN)
def invitation_revoke(request, invitation_id: int):
    invitation = _invitation(request, invitation_id)
    if not_allowed := _post_only(request):
        return not_allowed
    services.invitation_revoke(invitation=invitation, by=request.membership)
    messages.success(
        request,
        _("Withdrew the invitation for %(email)s; its link no longer works.")
        % {"email": invitation.email},
    )
    return _manage_redirect(request, "invitation_list")


# --- Teams ----------------------------------------------------------------------------
def _team(request, team_id: int) -> Team:
    teams = Team.objects.filter(organisation=request.organisation)
    return get_object_or_404(teams.select_related("parent", "manager__user"), pk=team_id)


@member_required(ADMIN)
def team_list(request):
    return render(
        request,
        "organisations/manage/team_list.html",
        {"section": "teams", "tree": team_tree(organisation=request.organisation)},
    )


@member_required(ADMIN)
def team_create(request):
    form = TeamForm(_posted(request), organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(by=request.membership, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Team %(name)s created.") % {"name": team.name})
            return _manage_redirect(request, "team_list")
    return render(
        request, "organisations/manage/team_form.html", {"section": "teams", "form": form}
    )


@member_required(ADMIN)
def team_edit(request, team_id: int):
    team = _team(request, team_id)
    initial = {"name": team.name, "parent": team.parent, "manager": team.manager}
    form = TeamForm(_posted(request), organisation=request.organisation, team=team, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_update(team=team, by=request.membership, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Team %(name)s saved.") % {"name": team.name})
            return _manage_redirect(request, "team_list")
    return render(
        request,
        "organisations/manage/team_form.html",
        {"section": "teams", "form": form, "team": team},
    )


@member_required(ADMIN)
def team_delete(request, team_id: int):
    team = _team(request, team_id)
    if request.method == "POST":
        try:
            services.team_delete(team=team, by=request.membership)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("organisations:team_edit", request.organisation.slug, team.pk)
        messages.success(request, _("Team %(name)s deleted.") % {"name": team.name})
        return _manage_redirect(request, "team_list")
    return render(
        request,
        "organisations/manage/confirm_delete.html",
        {
            "section": "teams",
            "object": team,
            "cancel_url": reverse(
                "organisations:team_edit", args=[request.organisation.slug, team.pk]
            ),
        },
    )


# --- Skills and work processes ----------------------------------------------------------
@dataclass(frozen=True)
class _Catalogue:
    """What differs between the skills pages and the work-process pages."""

    section: str
    model: type[Skill] | type[WorkProcess]
    kwarg: str
    title: str
    add_label: str
    empty_text: str
    create: Callable
    update: Callable
    delete: Callable
    list_url: str
    create_url: str
    edit_url: str
    delete_url: str

    def objects(self, request):
        return self.model.objects.filter(organisation=request.organisation).order_by("name")

    def get(self, request, object_id: int):
        return get_object_or_404(self.objects(request), pk=object_id)


SKILLS = _Catalogue(
    section="skills",
    model=Skill,
    kwarg="skill",
    title=gettext_lazy("Skills"),
    add_label=gettext_lazy("Add a skill"),
    empty_text=gettext_lazy(
        "No skills yet. Skills let people find units by what they want to get better at."
    ),
    create=services.skill_create,
    update=services.skill_update,
    delete=services.skill_delete,
    list_url="organisations:skill_list",
    create_url="organisations:skill_create",
    edit_url="organisations:skill_edit",
    delete_url="organisations:skill_delete",
)
WORK_PROCESSES = _Catalogue(
    section="work_processes",
    model=WorkProcess,
    kwarg="work_process",
    title=gettext_lazy("Work processes"),
    add_label=gettext_lazy("Add a work process"),
    empty_text=gettext_lazy(
        "No work processes yet. Attach units to the work people do, so they find help "
        "at the moment they need it."
    ),
    create=services.work_process_create,
    update=services.work_process_update,
    delete=services.work_process_delete,
    list_url="organisations:work_process_list",
    create_url="organisations:work_process_create",
    edit_url="organisations:work_process_edit",
    delete_url="organisations:work_process_delete",
)


def _catalogue_list(request, catalogue: _Catalogue):
    return render(
        request,
        "organisations/manage/catalogue_list.html",
        {"section": catalogue.section, "catalogue": catalogue, "items": catalogue.objects(request)},
    )


def _catalogue_form(request, catalogue: _Catalogue, object_id: int | None = None):
    item = catalogue.get(request, object_id) if object_id is not None else None
    initial = {"name": item.name, "description": item.description} if item else None
    form = NamedItemForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if item is None:
                item = catalogue.create(by=request.membership, **form.cleaned_data)
            else:
                catalogue.update(
                    **{catalogue.kwarg: item}, by=request.membership, **form.cleaned_data
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": item.name})
            return redirect(catalogue.list_url, org_slug=request.organisation.slug)
    return render(
        request,
        "organisations/manage/catalogue_form.html",
        {"section": catalogue.section, "catalogue": catalogue, "form": form, "item": item},
    )


def _catalogue_delete(request, catalogue: _Catalogue, object_id: int):
    item = catalogue.get(request, object_id)
    if request.method == "POST":
        try:
            catalogue.delete(**{catalogue.kwarg: item}, by=request.membership)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(name)s deleted.") % {"name": item.name})
        return redirect(catalogue.list_url, org_slug=request.organisation.slug)
    return render(
        request,
        "organisations/manage/confirm_delete.html",
        {
            "section": catalogue.section,
            "object": item,
            "cancel_url": reverse(catalogue.edit_url, args=[request.organisation.slug, item.pk]),
        },
    )


@member_required(ADMIN)
def skill_list(request):
    return _catalogue_list(request, SKILLS)


@member_required(ADMIN)
def skill_create(request):
    return _catalogue_form(request, SKILLS)


@member_required(ADMIN)
def skill_edit(request, skill_id: int):
    return _catalogue_form(request, SKILLS, skill_id)


@member_required(ADMIN)
def skill_delete(request, skill_id: int):
    return _catalogue_delete(request, SKILLS, skill_id)


@member_required(ADMIN)
def work_process_list(request):
    return _catalogue_list(request, WORK_PROCESSES)


@member_required(ADMIN)
def work_process_create(request):
    return _catalogue_form(request, WORK_PROCESSES)


@member_required(ADMIN)
def work_process_edit(request, work_process_id: int):
    return _catalogue_form(request, WORK_PROCESSES, work_process_id)


@member_required(ADMIN)
def work_process_delete(request, work_process_id: int):
    return _catalogue_delete(request, WORK_PROCESSES, work_process_id)


# --- Organisation settings ---------------------------------------------------------------
@member_required(ADMIN)
def organisation_settings(request):
    organisation = request.organisation
    initial = {
        "name": organisation.name,
        "language": organisation.language,
        "time_zone": organisation.time_zone,
        "nudge_after_days": organisation.nudge_after_days,
    }
    form = OrganisationSettingsForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                organisation=organisation, by=request.membership, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Settings saved."))
            return _manage_redirect(request, "organisation_settings")
    return render(
        request, "organisations/manage/settings.html", {"section": "settings", "form": form}
    )


# --- API tokens (every member, their own) -------------------------------------------------
@member_required(Action.MANAGE_OWN_TOKENS)
def token_list(request):
    form = ApiTokenForm(_posted(request))
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
    if not_allowed := _post_only(request):
        return not_allowed
    services.api_token_revoke(token=token, by=request.membership)
    messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return _manage_redirect(request, "token_list")


# --- Accepting an invitation (outside any organisation) --------------------------------------
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
        try:
            if invitation is None:
                raise InvitationProblem(InvitationProblem.REVOKED)
            if invitation.accepted_at is not None:
                if user is not None and invitation.accepted_by_id == user.pk:
                    return redirect("microlearning:home", org_slug=invitation.organisation.slug)
                raise InvitationProblem(InvitationProblem.USED)
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
    if user.email.lower() != invitation.email.lower():
        raise InvitationProblem(InvitationProblem.WRONG_ACCOUNT)
    if Membership.objects.filter(user=user, is_active=False).exists():
        raise InvitationProblem(InvitationProblem.DEACTIVATED)
    if request.method == "POST":
        services.invitation_accept(invitation=invitation, user=user)
        messages.success(
            request, _("Welcome to %(name)s.") % {"name": invitation.organisation.name}
        )
        return redirect("microlearning:home", org_slug=invitation.organisation.slug)
    return render(request, "organisations/invitations/confirm.html", {"invitation": invitation})


def _accept_with_new_account(request, invitation: Invitation):
    form = InvitationAccountForm(_posted(request), email=invitation.email)
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
