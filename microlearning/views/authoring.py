"""The author's side: writing, previewing, publishing and assigning units."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.access import member_required
from organisations.permissions import Action

from .. import selectors, services
from ..forms import AssignToTeamForm, UnitForm, UnitStatusFilterForm, UnitTitleForm
from ..models import Unit
from .common import authored_unit, errors_text, redirect_to_unit


@member_required(Action.AUTHOR_UNITS)
def unit_list(request):
    form = UnitStatusFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else None
    units = selectors.units_for_authoring(organisation=request.organisation, status=status)
    return render(request, "microlearning/unit_list.html", {"units": units, "filter_form": form})


@member_required(Action.AUTHOR_UNITS)
def unit_create(request):
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(by=request.membership, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Draft saved. Preview it, then publish it."))
            return redirect_to_unit(request, unit.pk)
    return render(request, "microlearning/unit_form.html", {"form": form, "unit": None})


@member_required(Action.AUTHOR_UNITS)
def unit_edit(request, unit_id: int):
    unit = authored_unit(request, unit_id)
    draft = unit.draft_version or unit.live_version
    form = UnitTitleForm(request.POST or None, initial={"title": draft.title})
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(unit=unit, by=request.membership, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect_to_unit(request, unit.pk)
    return render(request, "microlearning/unit_form.html", {"form": form, "unit": unit})


@member_required(Action.AUTHOR_UNITS)
def unit_preview(request, unit_id: int):
    """The author's view of a unit in any status, with what they can do next."""
    unit = authored_unit(request, unit_id)
    return render(
        request,
        "microlearning/unit_preview.html",
        {
            "unit": unit,
            "version": unit.draft_version or unit.live_version,
            "blocks": selectors.version_blocks(version=unit.draft_version or unit.live_version),
            "can_publish": unit.draft_version_id is not None
            or Unit.Status.PUBLISHED in Unit.TRANSITIONS[unit.status],
            "can_archive": Unit.Status.ARCHIVED in Unit.TRANSITIONS[unit.status],
        },
    )


def _change_status(request, unit_id: int, service, done_message: str):
    unit = authored_unit(request, unit_id)
    try:
        service(unit=unit, by=request.membership)
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        messages.success(request, done_message % {"title": unit.title})
    return redirect_to_unit(request, unit.pk)


@require_POST
@member_required(Action.AUTHOR_UNITS)
def unit_publish(request, unit_id: int):
    return _change_status(request, unit_id, services.unit_publish, _("“%(title)s” is published."))


@require_POST
@member_required(Action.AUTHOR_UNITS)
def unit_archive(request, unit_id: int):
    return _change_status(request, unit_id, services.unit_archive, _("“%(title)s” is archived."))


@member_required(Action.AUTHOR_UNITS)
def unit_assign(request, unit_id: int):
    unit = authored_unit(request, unit_id)
    form = AssignToTeamForm(request.POST or None, teams=selectors.teams_to_assign(unit=unit))
    if request.method == "POST" and form.is_valid():
        team = form.cleaned_data["team"]
        try:
            services.unit_assign(unit=unit, by=request.membership, team=team)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("“%(title)s” is assigned to %(team)s.") % {"title": unit.title, "team": team},
            )
            return redirect("microlearning:unit_assign", request.organisation.slug, unit.pk)
    return render(
        request,
        "microlearning/unit_assign.html",
        {
            "unit": unit,
            "form": form,
            "assignments": selectors.unit_assignments(unit=unit),
            "is_published": unit.status == Unit.Status.PUBLISHED,
        },
    )
