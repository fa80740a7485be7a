"""The learner's side: My learning, a trajectory's page, a step's page and its actions.

Every action is a plain form that posts and comes back to the step, so the
pages work without JavaScript. A locked step shows what it waits for; posting
to it anyway is refused by the service.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.access import member_required
from organisations.forms import add_service_errors, service_errors_text
from organisations.permissions import can_manage_enrolment
from organisations.workdays import local_date

from ..access import followed_progress, published_trajectory
from ..forms import ReflectionForm
from ..models import Step
from ..selectors import enrolments as enrolment_selectors
from ..selectors import learning as selectors
from ..selectors.evidence import is_buddy_of_open_enrolment
from ..services import enrolments as enrolment_services
from ..services import learning as learning_services


def _today(request):
    return local_date(organisation=request.organisation, moment=timezone.now())


# "My trajectories" lists the first steps due; the rest are on each trajectory's page.
MY_TRAJECTORIES_DUE = 12


@member_required()
def my_learning(request):
    return render(
        request,
        "courses/my_learning.html",
        {
            "learning": selectors.my_trajectories(
                membership=request.membership, today=_today(request), limit=MY_TRAJECTORIES_DUE
            ),
            # The header has asked already (cached on the membership): most members are
            # nobody's buddy, and the buddy query costs more to plan than to run.
            "buddy_steps": list(selectors.buddy_steps_for(membership=request.membership)[:20])
            if is_buddy_of_open_enrolment(membership=request.membership)
            else [],
        },
    )


@member_required()
def catalogue(request):
    trajectories = list(selectors.trajectory_catalogue(membership=request.membership))
    return render(request, "courses/catalogue.html", {"trajectories": trajectories})


@member_required()
def trajectory_detail(request, trajectory_id: int):
    trajectory = published_trajectory(request, trajectory_id)
    enrolment = selectors.learner_enrolment(membership=request.membership, trajectory=trajectory)
    summary = None
    if enrolment is not None:
        enrolment.membership = request.membership
        summary = selectors.enrolment_summary(
            enrolment=enrolment, today=_today(request), with_sessions=True
        )
    version = enrolment.version if enrolment else trajectory.live_version
    return render(
        request,
        "courses/trajectory_detail.html",
        {
            "trajectory": trajectory,
            "version": version,
            "enrolment": enrolment,
            "summary": summary,
            "steps": list(version.steps.order_by("position"))
            if summary is None and version
            else [],
            "may_enrol": enrolment is None
            and trajectory.live_version is not None
            and trajectory.live_version.self_enrolment,
        },
    )


@require_POST
@member_required()
def self_enrol(request, trajectory_id: int):
    trajectory = published_trajectory(request, trajectory_id)
    try:
        enrolment_services.enrolment_create(
            trajectory=trajectory, membership=request.membership, by=request.membership
        )
    except ValidationError as exc:
        messages.error(request, service_errors_text(exc))
    else:
        messages.success(request, _("You are enrolled. Your first steps are below."))
    return redirect("courses:trajectory", request.organisation.slug, trajectory.pk)


def _step_context(request, progress, reflection_form=None) -> dict:
    row = selectors.step_row(progress=progress, today=_today(request))
    step = progress.step
    enrolment = progress.enrolment
    is_learner = enrolment.membership_id == request.membership.pk
    reflection = (
        selectors.reflection_of(progress=progress) if step.kind == Step.Kind.REFLECTION else None
    )
    confirmed = (
        selectors.buddy_confirmed_by(progress=progress) if step.kind == Step.Kind.BUDDY else set()
    )
    needs_buddy = step.kind == Step.Kind.BUDDY and not enrolment.buddy_id
    may_name_buddy = needs_buddy and can_manage_enrolment(
        request.membership, learner_team_id=enrolment.membership.team_id
    )
    if reflection_form is None and is_learner and step.kind == Step.Kind.REFLECTION:
        reflection_form = ReflectionForm(
            initial={"text": reflection.text, "shared_with_manager": reflection.shared_with_manager}
            if reflection
            else None
        )
    return {
        "row": row,
        "progress": progress,
        "step": step,
        "enrolment": enrolment,
        "trajectory": enrolment.trajectory,
        "is_learner": is_learner,
        "is_buddy": enrolment.buddy_id == request.membership.pk,
        "marks_done": is_learner and learning_services.learner_marks_done(step),
        "reflection": reflection
        if is_learner or (reflection and reflection.shared_with_manager)
        else None,
        "reflection_form": reflection_form,
        "may_name_buddy": may_name_buddy,
        "buddy_namer": enrolment_selectors.buddy_namer(
            organisation=request.organisation, learner=enrolment.membership
        )
        if needs_buddy and not may_name_buddy
        else None,
        "confirmed_by_me": request.membership.pk in confirmed,
        "confirmed_by_learner": enrolment.membership_id in confirmed,
        "confirmed_by_buddy": enrolment.buddy_id in confirmed if enrolment.buddy_id else False,
    }


@member_required()
def step_detail(request, progress_id: int):
    progress = followed_progress(request, progress_id)
    return render(request, "courses/step_detail.html", _step_context(request, progress))


def _back_to_step(request, progress_id: int):
    return redirect("courses:step", request.organisation.slug, progress_id)


@require_POST
@member_required()
def step_done(request, progress_id: int):
    progress = followed_progress(request, progress_id)
    try:
        learning_services.step_mark_done(progress=progress, membership=request.membership)
    except ValidationError as exc:
        messages.error(request, service_errors_text(exc))
    else:
        messages.success(request, _("Step done. On to the next one."))
    return _back_to_step(request, progress.pk)


@require_POST
@member_required()
def step_reflection(request, progress_id: int):
    progress = followed_progress(request, progress_id)
    form = ReflectionForm(request.POST)
    if form.is_valid():
        try:
            learning_services.step_reflection_save(
                progress=progress, membership=request.membership, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your answer is saved."))
            return _back_to_step(request, progress.pk)
    return render(
        request, "courses/step_detail.html", _step_context(request, progress, form), status=400
    )


@require_POST
@member_required()
def step_buddy_confirm(request, progress_id: int):
    progress = followed_progress(request, progress_id)
    try:
        learning_services.buddy_confirm(progress=progress, membership=request.membership)
    except ValidationError as exc:
        messages.error(request, service_errors_text(exc))
    else:
        messages.success(request, _("Thank you: you confirmed the conversation took place."))
    return _back_to_step(request, progress.pk)
