"""The author's side: writing, previewing, publishing and assigning units.

The editor works without JavaScript: every action (save details, add, change,
remove or move a block) is a plain form that posts and comes back to the editor.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.access import member_required
from organisations.forms import add_service_errors, service_errors_text
from organisations.permissions import Action

from .. import selectors, services
from ..access import authored_block, authored_unit
from ..forms import (
    BLOCK_FORMS,
    AddBlockForm,
    AssignToTeamForm,
    MoveBlockForm,
    UnitDetailsForm,
    UnitForm,
    UnitStatusFilterForm,
)
from ..models import Block, Unit
from ..selectors import authoring as authoring_selectors
from ..services import blocks as block_services
from ..services import units as unit_services
from .common import redirect_to_editor, redirect_to_unit


@member_required(Action.AUTHOR_UNITS)
def unit_list(request):
    form = UnitStatusFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else None
    units = authoring_selectors.with_ratings(
        selectors.units_for_authoring(organisation=request.organisation, status=status)
    )
    return render(request, "microlearning/unit_list.html", {"units": units, "filter_form": form})


@member_required(Action.AUTHOR_UNITS)
def unit_create(request):
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(by=request.membership, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Draft saved. Preview it, then publish it."))
            return redirect_to_unit(request, unit.pk)
    return render(request, "microlearning/unit_form.html", {"form": form, "unit": None})


def _editor_context(unit: Unit, details_form: UnitDetailsForm) -> dict:
    version = authoring_selectors.editing_version(unit=unit)
    return {
        "unit": unit,
        "version": version,
        "has_draft": unit.draft_version_id is not None,
        "blocks": authoring_selectors.editor_blocks(version=version),
        "form": details_form,
        "add_form": AddBlockForm(),
        "is_archived": unit.status == Unit.Status.ARCHIVED,
    }


@member_required(Action.AUTHOR_UNITS)
def unit_edit(request, unit_id: int):
    """The editor: the version's details and its blocks, each with its own small form."""
    unit = authored_unit(request, unit_id)
    version = authoring_selectors.editing_version(unit=unit)
    form = UnitDetailsForm(
        request.POST or None,
        request.FILES or None,
        organisation=request.organisation,
        initial=UnitDetailsForm.initial_for(version),
    )
    if request.method == "POST" and form.is_valid():
        try:
            unit_services.version_details_update(
                unit=unit, by=request.membership, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect_to_editor(request, unit.pk)
    return render(request, "microlearning/unit_editor.html", _editor_context(unit, form))


def _block_form_class(kind: str):
    try:
        return BLOCK_FORMS[Block.Kind(kind)]
    except (ValueError, KeyError) as exc:  # a package block has no form: it is imported
        raise Http404 from exc


def _render_block_form(request, unit: Unit, form, block: Block | None):
    return render(
        request,
        "microlearning/block_form.html",
        {
            "unit": unit,
            "form": form,
            "edited_block": block,
            "kind_label": Block.Kind(form.kind).label,
        },
    )


@member_required(Action.AUTHOR_UNITS)
def block_add(request, unit_id: int):
    """``?kind=question`` shows the form for that kind; posting it adds the block at the end."""
    unit = authored_unit(request, unit_id)
    kind = request.POST.get("kind") or request.GET.get("kind", "")
    if not kind:
        return render(
            request, "microlearning/block_kind.html", {"unit": unit, "add_form": AddBlockForm()}
        )
    form_class = _block_form_class(kind)
    if request.method != "POST":
        return _render_block_form(request, unit, form_class(), None)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            block = block_services.block_add(
                unit=unit,
                kind=form.kind,
                data=form.data_fields(),
                file=form.cleaned_data.get("file"),
                required=form.cleaned_data["required"],
                by=request.membership,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Block added."))
            return redirect_to_editor(request, unit.pk, f"block-{block.pk}")
    return _render_block_form(request, unit, form, None)


@member_required(Action.AUTHOR_UNITS)
def block_edit(request, unit_id: int, block_id: int):
    unit = authored_unit(request, unit_id)
    block = authored_block(request, unit, block_id)
    form_class = _block_form_class(block.kind)
    if request.method != "POST":
        return _render_block_form(
            request, unit, form_class(initial=form_class.initial_for(block)), block
        )
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            block = block_services.block_update(
                block=block,
                data=form.data_fields(),
                file=form.cleaned_data.get("file"),
                required=form.cleaned_data["required"],
                by=request.membership,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Block saved."))
            return redirect_to_editor(request, unit.pk, f"block-{block.pk}")
    return _render_block_form(request, unit, form, block)


@require_POST
@member_required(Action.AUTHOR_UNITS)
def block_remove(request, unit_id: int, block_id: int):
    unit = authored_unit(request, unit_id)
    block = authored_block(request, unit, block_id)
    try:
        block_services.block_remove(block=block, by=request.membership)
    except ValidationError as exc:
        messages.error(request, service_errors_text(exc))
    else:
        messages.success(request, _("Block removed."))
    return redirect_to_editor(request, unit.pk, "blocks")


@require_POST
@member_required(Action.AUTHOR_UNITS)
def block_move(request, unit_id: int, block_id: int):
    unit = authored_unit(request, unit_id)
    block = authored_block(request, unit, block_id)
    form = MoveBlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Move a block up or down."))
        return redirect_to_editor(request, unit.pk, "blocks")
    try:
        block = block_services.block_move(
            block=block, direction=form.cleaned_data["direction"], by=request.membership
        )
    except ValidationError as exc:
        messages.error(request, service_errors_text(exc))
        return redirect_to_editor(request, unit.pk, "blocks")
    return redirect_to_editor(request, unit.pk, f"block-{block.pk}")


@member_required(Action.AUTHOR_UNITS)
def unit_preview(request, unit_id: int):
    """The unit's page for its author: status, what to do next, ratings, and the unit as
    learners will see it (the learner's own block template)."""
    unit = authored_unit(request, unit_id)
    version = authoring_selectors.editing_version(unit=unit)
    return render(
        request,
        "microlearning/unit_preview.html",
        {
            "unit": unit,
            "version": version,
            "blocks": authoring_selectors.editor_blocks(version=version),
            "preview": True,
            "has_draft": unit.draft_version_id is not None,
            "ratings": authoring_selectors.unit_ratings(unit=unit),
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
        messages.error(request, service_errors_text(exc))
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


@require_POST
@member_required(Action.AUTHOR_UNITS)
def unit_duplicate(request, unit_id: int):
    unit = authored_unit(request, unit_id)
    copy = unit_services.unit_duplicate(unit=unit, by=request.membership)
    messages.success(
        request, _("This is a copy of “%(title)s”: a new draft.") % {"title": unit.title}
    )
    return redirect_to_editor(request, copy.pk)


@member_required(Action.AUTHOR_UNITS)
def unit_assign(request, unit_id: int):
    unit = authored_unit(request, unit_id)
    form = AssignToTeamForm(request.POST or None, teams=selectors.teams_to_assign(unit=unit))
    if request.method == "POST" and form.is_valid():
        team = form.cleaned_data["team"]
        try:
            services.unit_assign(unit=unit, by=request.membership, team=team)
        except ValidationError as exc:
            add_service_errors(form, exc)
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
