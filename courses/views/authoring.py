"""The author's side: the list of trajectories, the editor, publishing, moving enrolments on.

The editor works without JavaScript: every action (save details, add, change,
move or remove a step) is a plain form that posts and comes back to the editor.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.access import member_required
from organisations.forms import add_service_errors, service_errors_text
from organisations.permissions import Action

from ..access import authored_step, authored_trajectory
from ..forms import (
    AddStepForm,
    MoveStepForm,
    StepForm,
    TrajectoryDetailsForm,
    TrajectoryForm,
    TrajectoryStatusFilterForm,
)
from ..models import Step, StepSkill, Trajectory
from ..selectors import authoring as selectors
from ..services import authoring as services
from ..services import enrolments as enrolment_services


def _to_editor(request, trajectory_id: int, anchor: str = ""):
    response = redirect("courses:trajectory_edit", request.organisation.slug, trajectory_id)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@member_required(Action.AUTHOR_TRAJECTORIES)
def trajectory_list(request):
    form = TrajectoryStatusFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else None
    trajectories = selectors.trajectories_for_authoring(
        organisation=request.organisation, status=status
    )
    return render(
        request,
        "courses/trajectory_list.html",
        {"trajectories": list(trajectories), "filter_form": form},
    )


@member_required(Action.AUTHOR_TRAJECTORIES)
def trajectory_create(request):
    form = TrajectoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            trajectory = services.trajectory_create(by=request.membership, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Draft saved. Add its steps."))
            return _to_editor(request, trajectory.pk, "steps")
    return render(request, "courses/trajectory_form.html", {"form": form})


def _editor_context(request, trajectory: Trajectory, form) -> dict:
    version = selectors.editing_version(trajectory=trajectory)
    return {
        "trajectory": trajectory,
        "version": version,
        "has_draft": trajectory.draft_version_id is not None,
        "steps": selectors.editor_steps(version=version),
        "form": form,
        "add_form": AddStepForm(),
        "is_archived": trajectory.status == Trajectory.Status.ARCHIVED,
        "stale_enrolments": selectors.stale_enrolment_count(trajectory=trajectory),
    }


@member_required(Action.AUTHOR_TRAJECTORIES)
def trajectory_edit(request, trajectory_id: int):
    trajectory = authored_trajectory(request, trajectory_id)
    version = selectors.editing_version(trajectory=trajectory)
    form = TrajectoryDetailsForm(
        request.POST or None,
        request.FILES or None,
        initial=TrajectoryDetailsForm.initial_for(version),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.trajectory_details_update(
                trajectory=trajectory, by=request.membership, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return _to_editor(request, trajectory.pk)
    return render(
        request, "courses/trajectory_editor.html", _editor_context(request, trajectory, form)
    )


@member_required(Action.AUTHOR_TRAJECTORIES)
def trajectory_preview(request, trajectory_id: int):
    """The editing version as a learner sees it before they start."""
    trajectory = authored_trajectory(request, trajectory_id)
    version = selectors.editing_version(trajectory=trajectory)
    return render(
        request,
        "courses/trajectory_preview.html",
        {
            "trajectory": trajectory,
            "version": version,
            "steps": selectors.editor_steps(version=version),
        },
    )


def _status_action(request, trajectory_id: int, service, done: str):
    trajectory = authored_trajectory(request, trajectory_id)
    try:
        service(trajectory=trajectory, by=request.membership)
    except ValidationError as exc:
        messages.error(request, service_errors_text(exc))
    else:
        messages.success(request, done)
    return _to_editor(request, trajectory.pk)


@require_POST
@member_required(Action.AUTHOR_TRAJECTORIES)
def trajectory_publish(request, trajectory_id: int):
    return _status_action(
        request,
        trajectory_id,
        services.trajectory_publish,
        _("Published. New enrolments follow this version."),
    )


@require_POST
@member_required(Action.AUTHOR_TRAJECTORIES)
def trajectory_archive(request, trajectory_id: int):
    return _status_action(request, trajectory_id, services.trajectory_archive, _("Archived."))


@require_POST
@member_required(Action.AUTHOR_TRAJECTORIES)
def trajectory_restore(request, trajectory_id: int):
    return _status_action(
        request, trajectory_id, services.trajectory_restore, _("Restored to a draft.")
    )


@require_POST
@member_required(Action.AUTHOR_TRAJECTORIES)
def trajectory_move_on(request, trajectory_id: int):
    trajectory = authored_trajectory(request, trajectory_id)
    try:
        moved = enrolment_services.enrolments_move_on(trajectory=trajectory, by=request.membership)
    except ValidationError as exc:
        messages.error(request, service_errors_text(exc))
    else:
        messages.success(
            request,
            _("%(count)s enrolments now follow the live version; what was done stays done.")
            % {"count": moved},
        )
    return _to_editor(request, trajectory.pk)


def _step_form(request, trajectory, kind, *, step=None, data=None, initial=None):
    version = selectors.editing_version(trajectory=trajectory)
    return StepForm(
        data,
        kind=kind,
        organisation=request.organisation,
        earlier_steps=selectors.version_step_choices(version=version, before=step),
        initial=initial,
    )


def _render_step_form(request, trajectory, form, step=None, status=200):
    return render(
        request,
        "courses/step_form.html",
        {
            "trajectory": trajectory,
            "form": form,
            "edited_step": step,
            "kind_label": Step.Kind(form.kind).label,
        },
        status=status,
    )


@member_required(Action.AUTHOR_TRAJECTORIES)
def step_add(request, trajectory_id: int):
    """``?kind=unit`` shows the form for that kind; posting it adds the step at the end."""
    trajectory = authored_trajectory(request, trajectory_id)
    kind_form = AddStepForm(request.POST or request.GET or None)
    if not kind_form.is_valid():
        return render(
            request,
            "courses/step_kind.html",
            {"trajectory": trajectory, "add_form": AddStepForm()},
        )
    kind = kind_form.cleaned_data["kind"]
    if request.method != "POST":
        return _render_step_form(request, trajectory, _step_form(request, trajectory, kind))
    form = _step_form(request, trajectory, kind, data=request.POST)
    if form.is_valid():
        try:
            step = services.step_add(
                trajectory=trajectory, by=request.membership, **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Step added."))
            return _to_editor(request, trajectory.pk, f"step-{step.key}")
    return _render_step_form(request, trajectory, form, status=400)


@member_required(Action.AUTHOR_TRAJECTORIES)
def step_edit(request, trajectory_id: int, step_id: int):
    trajectory = authored_trajectory(request, trajectory_id)
    step = authored_step(request, trajectory, step_id)
    if request.method != "POST":
        requires = list(Step.objects.filter(pk__in=step.requirements.values("required_step")))
        skills = [
            link.skill for link in StepSkill.objects.filter(step=step).select_related("skill")
        ]
        form = _step_form(
            request,
            trajectory,
            step.kind,
            step=step,
            initial=StepForm.initial_for(step, requires=requires, skills=skills),
        )
        return _render_step_form(request, trajectory, form, step)
    form = _step_form(request, trajectory, step.kind, step=step, data=request.POST)
    if form.is_valid():
        fields = form.service_fields()
        fields.pop("kind")
        try:
            step = services.step_update(step=step, by=request.membership, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Step saved."))
            return _to_editor(request, trajectory.pk, f"step-{step.key}")
    return _render_step_form(request, trajectory, form, step, status=400)


@require_POST
@member_required(Action.AUTHOR_TRAJECTORIES)
def step_move(request, trajectory_id: int, step_id: int):
    trajectory = authored_trajectory(request, trajectory_id)
    step = authored_step(request, trajectory, step_id)
    form = MoveStepForm(request.POST)
    if form.is_valid():
        try:
            step = services.step_move(
                step=step, by=request.membership, direction=form.cleaned_data["direction"]
            )
        except ValidationError as exc:
            messages.error(request, service_errors_text(exc))
    return _to_editor(request, trajectory.pk, f"step-{step.key}")


@require_POST
@member_required(Action.AUTHOR_TRAJECTORIES)
def step_remove(request, trajectory_id: int, step_id: int):
    trajectory = authored_trajectory(request, trajectory_id)
    step = authored_step(request, trajectory, step_id)
    try:
        services.step_remove(step=step, by=request.membership)
    except ValidationError as exc:
        messages.error(request, service_errors_text(exc))
    else:
        messages.success(request, _("Step removed."))
    return _to_editor(request, trajectory.pk, "steps")
