"""The refresher: up to three quiz questions the learner answered before, due to be repeated.

One form, no JavaScript: the page lists the due questions; sending it reviews each
card and shows on the same page whether each answer was right, with the
explanation. The questions a form asks are named in it (hidden ``question``
fields), so a reload or a second tab finds the same cards; another member's or
organisation's question is not found (404).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.access import member_required

from ..models import ReviewCard
from ..selectors import repetition as repetition_selectors
from ..services import repetition as repetition_services
from ..services.learning import ERROR_NO_OPTION

EASY_LABEL = _("I knew this one easily")


class RefresherForm(forms.Form):
    """A choice field per question (``q<block id>``), an "easily" box and the review count seen."""

    def __init__(self, *args, cards: list[ReviewCard], **kwargs):
        super().__init__(*args, **kwargs)
        self.cards = cards
        for card in cards:
            block = card.block
            choices = [(str(i), o.get("text", "")) for i, o in enumerate(block.data["options"])]
            multiple = bool(block.data.get("multiple"))
            field_class = forms.MultipleChoiceField if multiple else forms.ChoiceField
            widget = forms.CheckboxSelectMultiple if multiple else forms.RadioSelect
            self.fields[f"q{block.pk}"] = field_class(
                label=block.data.get("prompt", ""),
                choices=choices,
                widget=widget,
                error_messages={"required": ERROR_NO_OPTION},
            )
            self.fields[f"easy{block.pk}"] = forms.BooleanField(label=EASY_LABEL, required=False)
            self.fields[f"seen{block.pk}"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, initial=card.reps
            )

    def questions(self) -> list[dict]:
        """Each card with its bound fields, for the template to lay out."""
        return [
            {
                "card": card,
                "block": card.block,
                "multiple": bool(card.block.data.get("multiple")),
                "field": self[f"q{card.block_id}"],
                "easy": self[f"easy{card.block_id}"],
                "seen": self[f"seen{card.block_id}"],
            }
            for card in self.cards
        ]

    def answers(self) -> list[repetition_services.RefresherAnswer]:
        data = self.cleaned_data
        answers = []
        for card in self.cards:
            value = data[f"q{card.block_id}"]
            values = value if isinstance(value, list) else [value]
            answers.append(
                repetition_services.RefresherAnswer(
                    card=card,
                    selected=[int(v) for v in values],
                    easy=data[f"easy{card.block_id}"],
                    seen_reps=data[f"seen{card.block_id}"],
                )
            )
        return answers


def _posted_cards(request) -> list[ReviewCard]:
    try:
        block_ids = {int(value) for value in request.POST.getlist("question")}
    except ValueError:
        raise Http404 from None
    if not block_ids or len(block_ids) > repetition_selectors.REFRESHER_SIZE:
        raise Http404
    cards = repetition_selectors.refresher_cards(membership=request.membership, block_ids=block_ids)
    if len(cards) != len(block_ids):
        raise Http404
    return cards


def _results(results: list[repetition_services.RefresherResult]) -> list[dict]:
    """Per answered question: right or not, the feedback of the chosen options, the explanation."""
    shown = []
    for result in results:
        block = result.card.block
        options = block.data.get("options", [])
        shown.append(
            {
                "block": block,
                "correct": result.correct,
                "chosen": [
                    {"text": options[i].get("text", ""), "feedback": options[i].get("feedback", "")}
                    for i in result.selected
                ],
                "explanation": block.data.get("explanation", ""),
                "due": result.card.due,
            }
        )
    return shown


@member_required()
def refresher(request):
    now = timezone.now()
    if request.method == "POST":
        cards = _posted_cards(request)
        form = RefresherForm(request.POST, cards=cards)
        if form.is_valid():
            try:
                results = repetition_services.refresher_answer(
                    membership=request.membership, answers=form.answers(), now=now
                )
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                return render(
                    request,
                    "microlearning/refresher.html",
                    {
                        "results": _results(results),
                        "right": sum(result.correct for result in results),
                        "still_due": repetition_selectors.due_card_count(
                            membership=request.membership, now=now
                        ),
                    },
                )
        status = 400
    else:
        form = RefresherForm(
            cards=repetition_selectors.due_cards(membership=request.membership, now=now)
        )
        status = 200
    return render(
        request,
        "microlearning/refresher.html",
        {"form": form, "questions": form.questions()},
        status=status,
    )
