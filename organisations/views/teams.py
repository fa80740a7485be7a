"""Teams: the tree, creating, editing and deleting an empty team."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import services
from ..access import member_required
from ..forms import TeamForm, add_service_errors, service_errors_text
from ..models import Team
from ..selectors import team_tree
from .common import ADMIN, manage_redirect, posted


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
    form = TeamForm(posted(request), organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(by=request.membership, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Team %(name)s created.") % {"name": team.name})
            return manage_redirect(request, "team_list")
    return render(
        request, "organisations/manage/team_form.html", {"section": "teams", "form": form}
    )


@member_required(ADMIN)
def team_edit(request, team_id: int):
    team = _team(request, team_id)
    initial = {"name": team.name, "parent": team.parent, "manager": team.manager}
    form = TeamForm(posted(request), organisation=request.organisation, team=team, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_update(team=team, by=request.membership, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Team %(name)s saved.") % {"name": team.name})
            return manage_redirect(request, "team_list")
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
            messages.error(request, service_errors_text(exc))
            return redirect("organisations:team_edit", request.organisation.slug, team.pk)
        messages.success(request, _("Team %(name)s deleted.") % {"name": team.name})
        return manage_redirect(request, "team_list")
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
