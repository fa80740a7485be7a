"""L&D's side: goal templates per skill and what each proficiency level means."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from organisations.access import member_required
from organisations.forms import add_service_errors
from organisations.permissions import Action, can

from .. import selectors, services
from ..forms import GoalTemplateForm, ProficiencyLevelsForm


@member_required(Action.AUTHOR_GOAL_TEMPLATES)
def template_list(request):
    return render(
        request,
        "goals/template_list.html",
        {"templates": list(selectors.goal_templates(organisation=request.organisation))},
    )


def _template_form(request, template=None):
    initial = (
        {
            "skill": template.skill_id,
            "title": template.title,
            "why": template.why,
            "target_level": template.target_level,
            "hours_per_week": template.hours_per_week,
            "suggested_plan": template.suggested_plan,
            "is_active": template.is_active,
        }
        if template is not None
        else {"target_level": 3, "hours_per_week": 1, "is_active": True}
    )
    form = GoalTemplateForm(
        request.POST or None, organisation=request.organisation, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            if template is None:
                services.goal_template_create(by=request.membership, **form.cleaned_data)
            else:
                services.goal_template_update(
                    template=template, by=request.membership, **form.cleaned_data
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Goal template saved."))
            return redirect("goals:template_list", request.organisation.slug)
    return render(request, "goals/template_form.html", {"form": form, "template": template})


@member_required(Action.AUTHOR_GOAL_TEMPLATES)
def template_create(request):
    return _template_form(request)


@member_required(Action.AUTHOR_GOAL_TEMPLATES)
def template_edit(request, template_id: int):
    template = selectors.goal_template_for(
        organisation=request.organisation, template_id=template_id
    )
    if template is None:
        raise Http404
    return _template_form(request, template)


@member_required()
def proficiency_levels(request):
    """Every member reads what the levels mean; L&D and admins change them here too."""
    levels = selectors.proficiency_levels(organisation=request.organisation)
    may_edit = can(request.membership, Action.AUTHOR_GOAL_TEMPLATES)
    form = ProficiencyLevelsForm(request.POST or None, levels=levels) if may_edit else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            services.proficiency_levels_save(
                organisation=request.organisation, by=request.membership, levels=form.levels()
            )
            messages.success(request, _("Proficiency levels saved."))
            return redirect("goals:proficiency_levels", request.organisation.slug)
    return render(
        request,
        "goals/proficiency_levels.html",
        {"levels": sorted(levels.items()), "form": form},
    )
