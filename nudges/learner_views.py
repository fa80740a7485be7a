"""The pages a learner's nudge leads to: a one-click answer, the apply question, a reflection."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from microlearning.selectors.commitments import (
    commitment_by_id,
    commitment_next_statuses,
    commitment_status_label,
)
from microlearning.services.learning import commitment_report
from organisations.access import member_required
from organisations.forms import add_service_errors

from .forms import WorkReflectionForm
from .models import Nudge, NudgeRule
from .services import apply, reflect

# Links that cannot be answered at all (status 400) and those the member can still
# answer after logging in (410: this link is gone, the question is not).
LINK_STATUS = {
    apply.LinkProblem.TAMPERED: 400,
    apply.LinkProblem.EXPIRED: 410,
    apply.LinkProblem.USED: 410,
    apply.LinkProblem.ALREADY_REPORTED: 410,
}


def _link_problem(request, problem: apply.LinkProblem):
    question = apply.question_path(problem.nudge) if problem.nudge else None
    return render(
        request,
        "nudges/apply_link.html",
        {"problem": problem.problem, "question_url": question},
        status=LINK_STATUS[problem.problem],
    )


@require_http_methods(["GET", "POST"])
def apply_answer(request, org_slug: str, token: str):
    """A one-click answer from the e-mail: no login; the link itself is the proof.

    GET shows the answer with one button; only the POST records it. Mail
    scanners and link previews open every link of a message, and must not
    answer for the member.
    """
    organisation_id = request.organisation.pk
    try:
        if request.method == "POST":
            found = apply.link_answer_record(token=token, organisation_id=organisation_id)
        else:
            found = apply.link_read(token=token, organisation_id=organisation_id)
    except apply.LinkProblem as problem:
        return _link_problem(request, problem)
    return render(
        request,
        "nudges/apply_link.html",
        {
            "recorded": request.method == "POST",
            "commitment": found.commitment,
            "answer": found.answer,
            "answer_label": apply.ANSWER_LABELS[found.answer],
            "token": token,
            "question_url": apply.question_path(found.nudge),
        },
    )


def _own_nudge(request, nudge_id: int, kind: str) -> Nudge:
    nudge = get_object_or_404(
        Nudge.objects.filter(
            organisation=request.organisation, member=request.membership, rule__kind=kind
        ).select_related("rule", "member__organisation", "member__user"),
        pk=nudge_id,
    )
    nudge.member = request.membership
    return nudge


@member_required()
@require_http_methods(["GET", "POST"])
def apply_question(request, nudge_id: int):
    """ "Did you apply it?" behind the login: where used and expired links lead."""
    nudge = _own_nudge(request, nudge_id, NudgeRule.Kind.APPLY)
    commitment = commitment_by_id(
        organisation_id=nudge.organisation_id, commitment_id=nudge.subject_id
    )
    if commitment is None or commitment.member_id != request.membership.pk:
        return render(request, "nudges/apply_question.html", {"commitment": None}, status=404)
    if request.method == "POST":
        status = request.POST.get("status", "")
        if status not in apply.ANSWERS:
            messages.error(request, _("Choose how it went."))
        else:
            try:
                commitment_report(commitment=commitment, by=request.membership, status=status)
                messages.success(request, _("Thank you: your report is saved."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        return redirect(request.path)
    choices = [
        (answer, apply.ANSWER_LABELS[answer]) for answer in commitment_next_statuses(commitment)
    ]
    return render(
        request,
        "nudges/apply_question.html",
        {
            "commitment": commitment,
            "choices": choices,
            "status_label": apply.ANSWER_LABELS.get(commitment.status)
            or commitment_status_label(commitment.status),
        },
    )


@member_required()
@require_http_methods(["GET", "POST"])
def reflect_page(request, nudge_id: int):
    """ "What did you learn?", answered on the page the reflect nudge links to."""
    nudge = _own_nudge(request, nudge_id, NudgeRule.Kind.REFLECT)
    saved = reflect.work_reflection_for(nudge=nudge)
    initial = (
        {"text": saved.text, "shared_with_manager": saved.shared_with_manager} if saved else {}
    )
    form = WorkReflectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            reflect.work_reflection_save(
                nudge=nudge,
                membership=request.membership,
                text=form.cleaned_data["text"],
                shared_with_manager=form.cleaned_data["shared_with_manager"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you: your reflection is saved."))
            return redirect(request.path)
    return render(
        request,
        "nudges/reflect.html",
        {
            "nudge": nudge,
            "form": form,
            "saved": saved,
            "prompt": reflect.prompt(nudge),
            "goal": reflect.goal_subject(nudge),
        },
    )
