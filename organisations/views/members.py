"""Members: the searchable list, roles and team, (de)activation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import services
from ..access import member_required
from ..forms import MemberForm, MemberSearchForm, add_service_errors, service_errors_text
from ..models import Membership
from ..selectors import member_search
from .common import ADMIN, manage_redirect, post_only, posted

MEMBERS_PER_PAGE = 50


def _member(request, member_id: int) -> Membership:
    members = Membership.objects.filter(organisation=request.organisation)
    return get_object_or_404(members.select_related("user", "team"), pk=member_id)


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
    form = MemberForm(posted(request), organisation=request.organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(membership=member, by=request.membership, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Saved the changes for %(name)s.") % {"name": member.display_name}
            )
            if member.pk == request.membership.pk and not member.is_admin:
                # They gave up the admin role: the admin pages are closed to them now.
                return redirect("microlearning:home", org_slug=request.organisation.slug)
            return manage_redirect(request, "member_list")
    return render(
        request,
        "organisations/manage/member_edit.html",
        {"section": "members", "member": member, "form": form},
    )


@member_required(ADMIN)
def member_deactivate(request, member_id: int):
    member = _member(request, member_id)
    if not_allowed := post_only(request):
        return not_allowed
    try:
        services.member_deactivate(membership=member, by=request.membership)
    except ValidationError as exc:
        messages.error(request, service_errors_text(exc))
        return redirect("organisations:member_edit", request.organisation.slug, member.pk)
    messages.success(
        request,
        _("%(name)s is deactivated. Their history stays; you can reactivate them any time.")
        % {"name": member.display_name},
    )
    if member.pk == request.membership.pk:
        return redirect("home")
    return manage_redirect(request, "member_list")


@member_required(ADMIN)
def member_reactivate(request, member_id: int):
    member = _member(request, member_id)
    if not_allowed := post_only(request):
        return not_allowed
    services.member_reactivate(membership=member, by=request.membership)
    messages.success(request, _("%(name)s is active again.") % {"name": member.display_name})
    return redirect("organisations:member_edit", request.organisation.slug, member.pk)
