"""The learner's side: home, a unit, doing its blocks, reporting on commitments.

Views stay thin: load the object through the organisation (another
organisation's id is simply not found), call one service, then redirect back
to the block the learner was at, so the page works without JavaScript.
"""

from __future__ import annotations

from csp.constants import SELF
from csp.decorators import csp_update
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from organisations.access import member_required
from organisations.forms import service_errors_text
from organisations.permissions import Action

from .. import selectors, services
from ..access import live_block, published_unit
from ..models import Block, Commitment, Unit
from ..selectors import learning as learning_selectors
from ..selectors import repetition as repetition_selectors
from ..services import learning as learning_services


class CommitmentReportForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("How did it go?"),
        choices=[
            (Commitment.Status.APPLIED, gettext_lazy("I applied it")),
            (Commitment.Status.NOT_YET, gettext_lazy("Not yet")),
            (Commitment.Status.NOT_RELEVANT, gettext_lazy("Not relevant")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=gettext_lazy("Note (optional)"), required=False, max_length=2000)


class CommitmentForm(forms.Form):
    text = forms.CharField(max_length=2000)
    due_on = forms.DateField()


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        coerce=int, choices=[(n, str(n)) for n in range(1, 6)], widget=forms.RadioSelect
    )
    comment = forms.CharField(required=False, max_length=2000)


@member_required()
def home(request):
    now = timezone.now()
    return render(
        request,
        "microlearning/home.html",
        {
            "learning": selectors.learner_home(membership=request.membership),
            "commitments": list(learning_selectors.open_commitments(membership=request.membership)),
            "report_choices": CommitmentReportForm.base_fields["status"].choices,
            "today": timezone.localdate(),
            "now": now,
            "repeat_due": repetition_selectors.due_card_count(
                membership=request.membership, now=now
            ),
        },
    )


def _back_to(request, unit: Unit, block: Block | None = None, *, onwards: bool = False):
    """Back to the unit at ``block``; ``onwards``: at the next block still open (or the end)."""
    url = reverse("microlearning:unit_detail", args=[request.organisation.slug, unit.pk])
    if block is not None and onwards:
        block = learning_selectors.next_open_block(block=block, membership=request.membership)
    anchor = f"block-{block.pk}" if block is not None else "unit-end"
    return redirect(f"{url}#{anchor}")


# A package block plays its SCO in a frame of this origin, served sandboxed under a
# policy of its own (``packages.views``); no other page frames this origin.
@csp_update({"frame-src": [SELF]})
@member_required()
def unit_detail(request, unit_id: int):
    unit = published_unit(request, unit_id)
    services.unit_open(unit=unit, membership=request.membership)
    page = learning_selectors.unit_page(unit=unit, membership=request.membership)
    return render(
        request,
        "microlearning/unit_detail.html",
        {
            "unit": unit,
            "version": page.version,
            "page": page,
            "blocks": page.blocks,
            "completion": page.completion,
            "learner_view": True,
            "today": timezone.localdate(),
            "rating_scores": range(1, 6),
        },
    )


@require_POST
@member_required()
def unit_complete(request, unit_id: int):
    unit = published_unit(request, unit_id)
    try:
        services.unit_complete(unit=unit, membership=request.membership)
    except ValidationError as exc:
        messages.error(request, service_errors_text(exc))
        return _back_to(request, unit)
    messages.success(request, _("Well done: “%(title)s” is complete.") % {"title": unit.title})
    return redirect("microlearning:unit_detail", request.organisation.slug, unit.pk)


def _block_tag(block: Block) -> str:
    """Tags a message as the result of an action on this block: the block shows it (in a
    live region) and keyboard focus returns there, instead of at the top of the page."""
    return f"block-{block.pk}"


def _done(request, unit: Unit, block: Block, action, *, onwards: bool = False) -> HttpResponse:
    """Run one learner action; errors go back to the block as a message."""
    try:
        result = action()
    except ValidationError as exc:
        messages.error(request, service_errors_text(exc), extra_tags=_block_tag(block))
        return _back_to(request, unit, block)
    if isinstance(result, str):
        messages.success(request, result, extra_tags=_block_tag(block))
    return _back_to(request, unit, block, onwards=onwards)


@require_POST
@member_required()
def block_done(request, unit_id: int, block_id: int):
    unit, block = live_block(request, unit_id, block_id)
    return _done(
        request,
        unit,
        block,
        lambda: learning_services.block_done(block=block, membership=request.membership),
        onwards=True,
    )


@require_POST
@member_required()
def checklist_tick(request, unit_id: int, block_id: int):
    unit, block = live_block(request, unit_id, block_id)
    try:
        item = int(request.POST.get("item", ""))
    except ValueError:
        item = -1
    ticked = request.POST.get("ticked", "1") == "1"

    def tick() -> str:
        progress = learning_services.checklist_tick(
            block=block, membership=request.membership, item=item, ticked=ticked
        )
        values = {
            "step": block.data["items"][item],
            "done": len(progress.state.get("ticked", [])),
            "total": len(block.data["items"]),
        }
        if ticked:
            return _("Ticked “%(step)s”: %(done)s of %(total)s steps done.") % values
        return _("Unticked “%(step)s”: %(done)s of %(total)s steps done.") % values

    return _done(request, unit, block, tick)


@require_POST
@member_required()
def question_answer(request, unit_id: int, block_id: int):
    unit, block = live_block(request, unit_id, block_id)
    selected = [int(value) for value in request.POST.getlist("selected") if value.isdigit()]

    def answer() -> str:
        result = learning_services.question_answer(
            block=block, membership=request.membership, selected=selected
        )
        return _("Right.") if result.correct else _("Not quite. Have another go.")

    return _done(request, unit, block, answer)


@require_POST
@member_required()
def reflection_save(request, unit_id: int, block_id: int):
    unit, block = live_block(request, unit_id, block_id)

    def save():
        learning_services.reflection_save(
            block=block,
            membership=request.membership,
            text=request.POST.get("text", ""),
            shared=request.POST.get("shared") == "on",
        )
        messages.success(request, _("Your reflection is saved."))

    return _done(request, unit, block, save, onwards=True)


@require_POST
@member_required()
def commitment_create(request, unit_id: int, block_id: int):
    unit, block = live_block(request, unit_id, block_id)
    form = CommitmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what you will apply and pick a date."))
        return _back_to(request, unit, block)

    def create():
        learning_services.commitment_create(
            block=block,
            membership=request.membership,
            text=form.cleaned_data["text"],
            due_on=form.cleaned_data["due_on"],
        )
        messages.success(request, _("Saved. It waits on your home page until you say how it went."))

    return _done(request, unit, block, create)


@require_POST
@member_required()
def rating_save(request, unit_id: int):
    unit = published_unit(request, unit_id)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a score from 1 to 5."))
    else:
        learning_services.rating_save(
            unit=unit,
            membership=request.membership,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
        )
        messages.success(request, _("Thank you for your rating."))
    url = reverse("microlearning:unit_detail", args=[request.organisation.slug, unit.pk])
    return redirect(f"{url}#rating")


@require_POST
@member_required()
def commitment_report(request, commitment_id: int):
    commitment = get_object_or_404(
        learning_selectors.learner_commitments(membership=request.membership), pk=commitment_id
    )
    form = CommitmentReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how it went."))
    else:
        try:
            learning_services.commitment_report(
                commitment=commitment,
                by=request.membership,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Thank you: your report is saved."))
        except ValidationError as exc:
            messages.error(request, service_errors_text(exc))
    return redirect(
        reverse("microlearning:home", args=[request.organisation.slug]) + "#commitments"
    )


@member_required(Action.VIEW_TEAM_DASHBOARD)
def team_reflections(request):
    return render(
        request,
        "microlearning/team_reflections.html",
        {"reflections": learning_selectors.shared_reflections(manager=request.membership)},
    )
