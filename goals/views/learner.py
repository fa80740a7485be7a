"""The learner's goal pages, and the manager's actions on the goal page.

Views stay thin: load the goal through the organisation (``goals.access``), call one
service, and go back to the goal page at the part that changed, so everything works
without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.selectors import steps_for_learner
from courses.selectors.evidence import own_progress
from microlearning.selectors import published_units
from organisations.access import member_required
from organisations.forms import add_service_errors, service_errors_text
from organisations.permissions import can_edit_goal, can_manage_goal

from .. import selectors, services
from ..access import goal_activity, goal_check_in, organisation_step, visible_goal
from ..forms import (
    ActivityForm,
    ActivityStatusForm,
    AgreeForm,
    CheckInAnswerForm,
    CheckInForm,
    CloseForm,
    CommentForm,
    GoalForm,
    ShareForm,
)
from ..models import Goal
from .common import ledger_days


def _to_goal(request, goal: Goal, anchor: str = ""):
    url = reverse("goals:goal_detail", args=[request.organisation.slug, goal.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _run(request, goal: Goal, action, success: str, anchor: str = ""):
    """One action on the goal page; a refusal by the service goes back as a message."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, service_errors_text(exc))
    else:
        messages.success(request, success)
    return _to_goal(request, goal, anchor)


@member_required()
def goal_list(request):
    membership = request.membership
    days = ledger_days(request)
    return render(
        request,
        "goals/goal_list.html",
        {
            "goals": list(selectors.goals_of(membership=membership)),
            "templates": list(
                selectors.goal_templates(organisation=request.organisation, active_only=True)
            ),
            "ledger": selectors.ledger_for_member(membership=membership, days=days),
            "days": days,
            "periods": selectors.LEDGER_PERIODS,
        },
    )


@member_required()
def goal_create(request):
    organisation = request.organisation
    levels = selectors.proficiency_levels(organisation=organisation)
    template = None
    template_id = request.GET.get("template") or request.POST.get("template")
    if template_id and str(template_id).isdigit():
        template = selectors.goal_template_for(
            organisation=organisation, template_id=int(template_id)
        )
        if template is None:
            raise Http404
    form = GoalForm(
        request.POST or None,
        organisation=organisation,
        levels=levels,
        initial=GoalForm.initial_from(template=template),
    )
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(
                membership=request.membership, template=template, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Goal saved as a draft. Add your plan, then propose it."))
            return _to_goal(request, goal, "plan")
    return render(
        request,
        "goals/goal_form.html",
        {"form": form, "goal": None, "template": template, "levels": levels},
    )


@member_required()
def goal_edit(request, goal_id: int):
    goal = visible_goal(request, goal_id)
    if not can_edit_goal(request.membership, goal):
        raise PermissionDenied
    levels = selectors.proficiency_levels(organisation=request.organisation)
    form = GoalForm(
        request.POST or None,
        organisation=request.organisation,
        levels=levels,
        initial=GoalForm.initial_from(goal=goal),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_update(goal=goal, membership=request.membership, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Goal saved."))
            return _to_goal(request, goal)
    return render(
        request,
        "goals/goal_form.html",
        {"form": form, "goal": goal, "template": None, "levels": levels},
    )


@member_required()
def goal_detail(request, goal_id: int):
    return _goal_page(request, visible_goal(request, goal_id))


def _goal_page(request, goal: Goal, *, activity_form: ActivityForm | None = None, status=200):
    """The goal page; ``activity_form`` bound with its errors when adding one went wrong."""
    membership = request.membership
    is_learner = can_edit_goal(membership, goal)
    is_manager = can_manage_goal(membership, goal)
    page = selectors.goal_page(goal=goal)
    context = {
        "goal": goal,
        "page": page,
        "is_learner": is_learner,
        "is_manager": is_manager,
        "recognition": selectors.recognition_of_goal(goal=goal),
        "close_form": CloseForm(),
        "comment_form": CommentForm(),
        "agree_form": AgreeForm(initial={"hours_per_week": goal.hours_per_week}),
        "status_choices": ActivityStatusForm.base_fields["status"].choices,
        "answer_form": CheckInAnswerForm(),
        "share_form": ShareForm(),
    }
    if is_learner:
        days = ledger_days(request)
        context["ledger"] = selectors.ledger_for_member(membership=membership, days=days)
        context["days"] = days
        context["periods"] = selectors.LEDGER_PERIODS
        if goal.is_open:
            context["activity_form"] = activity_form or _activity_form(request)
        if goal.status == Goal.Status.AGREED:
            context["check_in_form"] = CheckInForm()
    return render(request, "goals/goal_detail.html", context, status=status)


def _activity_form(request, data=None) -> ActivityForm:
    return ActivityForm(
        data,
        units=published_units(organisation=request.organisation).order_by("title"),
        steps=steps_for_learner(membership=request.membership),
    )


@require_POST
@member_required()
def goal_delete(request, goal_id: int):
    goal = visible_goal(request, goal_id)
    try:
        services.goal_delete(goal=goal, membership=request.membership)
    except ValidationError as exc:
        messages.error(request, service_errors_text(exc))
        return _to_goal(request, goal)
    messages.success(request, _("Draft thrown away."))
    return redirect("goals:goal_list", request.organisation.slug)


@require_POST
@member_required()
def goal_propose(request, goal_id: int):
    goal = visible_goal(request, goal_id)
    comment = request.POST.get("comment", "")[:4000]
    return _run(
        request,
        goal,
        lambda: services.goal_propose(goal=goal, membership=request.membership, comment=comment),
        _("Proposed to your manager. You will see their answer here."),
    )


@require_POST
@member_required()
def goal_agree(request, goal_id: int):
    goal = visible_goal(request, goal_id)
    form = AgreeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the hours per week: a number from 0 to 40."))
        return _back(request, goal)
    try:
        services.goal_agree(
            goal=goal,
            membership=request.membership,
            comment=form.cleaned_data["comment"],
            hours_per_week=form.cleaned_data["hours_per_week"],
        )
    except ValidationError as exc:
        messages.error(request, service_errors_text(exc))
    else:
        messages.success(request, _("You agreed “%(title)s” with %(name)s.") % _names(goal))
    return _back(request, goal)


@require_POST
@member_required()
def goal_ask_changes(request, goal_id: int):
    goal = visible_goal(request, goal_id)
    try:
        services.goal_ask_changes(
            goal=goal, membership=request.membership, comment=request.POST.get("comment", "")
        )
    except ValidationError as exc:
        messages.error(request, service_errors_text(exc))
    else:
        messages.success(request, _("You asked %(name)s to change “%(title)s”.") % _names(goal))
    return _back(request, goal)


def _names(goal: Goal) -> dict:
    return {"title": goal.title, "name": goal.member.display_name}


def _back(request, goal: Goal):
    """Managers act from their team page or the goal page: back to where they were."""
    if request.POST.get("next") == "team":
        return redirect("goals:team_goals", request.organisation.slug)
    return _to_goal(request, goal, "conversation")


@require_POST
@member_required()
def goal_comment(request, goal_id: int):
    goal = visible_goal(request, goal_id)
    return _run(
        request,
        goal,
        lambda: services.goal_comment(
            goal=goal, membership=request.membership, text=request.POST.get("comment", "")[:4000]
        ),
        _("Comment added."),
        "conversation",
    )


@require_POST
@member_required()
def goal_close(request, goal_id: int):
    goal = visible_goal(request, goal_id)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how the goal ended."))
        return _to_goal(request, goal, "close")
    is_manager = can_manage_goal(request.membership, goal)
    rating = form.cleaned_data["rating"]
    return _run(
        request,
        goal,
        lambda: services.goal_close(
            goal=goal,
            membership=request.membership,
            outcome=form.cleaned_data["outcome"],
            self_rating=None if is_manager else rating,
            manager_rating=rating if is_manager else None,
        ),
        _("Goal closed."),
    )


@require_POST
@member_required()
def goal_share(request, goal_id: int):
    goal = visible_goal(request, goal_id)
    form = ShareForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    return _run(
        request,
        goal,
        lambda: services.goal_share(goal=goal, membership=request.membership, message=message),
        _("Shared with your team."),
    )


@require_POST
@member_required()
def evidence_share(request, progress_id: int):
    """Share a signed-off step with the team, from the step page; back there afterwards."""
    progress = own_progress(membership=request.membership, progress_id=progress_id)
    if progress is None:
        raise Http404
    form = ShareForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        services.evidence_share(progress=progress, membership=request.membership, message=message)
    except ValidationError as exc:
        messages.error(request, service_errors_text(exc))
    else:
        messages.success(request, _("Shared with your team."))
    return redirect("courses:step", request.organisation.slug, progress.pk)


@require_POST
@member_required()
def activity_add(request, goal_id: int):
    """Add a plan activity; bad input comes back on the goal page's form (400)."""
    goal = visible_goal(request, goal_id)
    form = _activity_form(request, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        step_id = data.get("step")
        try:
            services.activity_add(
                goal=goal,
                membership=request.membership,
                category=data["category"],
                title=data["title"],
                unit=data["unit"],
                step=organisation_step(request, step_id) if step_id is not None else None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Activity added to your plan."))
            return _to_goal(request, goal, "plan")
    return _goal_page(request, goal, activity_form=form, status=400)


@require_POST
@member_required()
def activity_status(request, goal_id: int, activity_id: int):
    activity = goal_activity(request, goal_id, activity_id)
    form = ActivityStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose planned, doing or done."))
        return _to_goal(request, activity.goal, "plan")
    return _run(
        request,
        activity.goal,
        lambda: services.activity_set_status(
            activity=activity, membership=request.membership, status=form.cleaned_data["status"]
        ),
        _("Plan updated."),
        f"activity-{activity.pk}",
    )


@require_POST
@member_required()
def activity_remove(request, goal_id: int, activity_id: int):
    activity = goal_activity(request, goal_id, activity_id)
    return _run(
        request,
        activity.goal,
        lambda: services.activity_remove(activity=activity, membership=request.membership),
        _("Activity removed from your plan."),
        "plan",
    )


@require_POST
@member_required()
def check_in_create(request, goal_id: int):
    goal = visible_goal(request, goal_id)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Rate your progress from 1 to 5."))
        return _to_goal(request, goal, "check-ins")
    return _run(
        request,
        goal,
        lambda: services.check_in_create(
            goal=goal, membership=request.membership, **form.cleaned_data
        ),
        _("Check-in saved. Your manager will answer it."),
        "check-ins",
    )


@require_POST
@member_required()
def check_in_answer(request, goal_id: int, check_in_id: int):
    check_in = goal_check_in(request, goal_id, check_in_id)
    form = CheckInAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Rate the progress from 1 to 5."))
        return _to_goal(request, check_in.goal, "check-ins")
    return _run(
        request,
        check_in.goal,
        lambda: services.check_in_answer(
            check_in=check_in, membership=request.membership, **form.cleaned_data
        ),
        _("Your feedback is saved."),
        f"check-in-{check_in.pk}",
    )
