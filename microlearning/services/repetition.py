"""Writes for spaced repetition: a card per answered quiz question, rescheduled by FSRS.

A card is made the first time a member answers a question in its unit, rated by
that answer; from then on only the refresher reviews it (answering again in the
unit is practice right after reading, not recall after a while, so it leaves the
schedule alone). The scheduler is FSRS (the ``fsrs`` package) without learning
steps: those are minutes apart, meant for one sitting with a deck of flash
cards, while a refresher comes at a working moment, a day or more later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import fsrs
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from events.models import LearningEvent
from events.services import learning_event_record
from organisations.models import Membership

from ..models import Block, QuestionAnswer, ReviewCard

# Fuzzing spreads a big deck's load over nearby days; here the planner already bundles
# a member's due questions into one refresher a day, and an unfuzzed schedule is one
# a test (and a learner asking "why today?") can reproduce.
SCHEDULER = fsrs.Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def rating_for(*, correct: bool, easy: bool = False) -> fsrs.Rating:
    """Wrong is Again and right is Good; Easy only when the learner says so and was right."""
    if not correct:
        return fsrs.Rating.Again
    return fsrs.Rating.Easy if easy else fsrs.Rating.Good


def _utc(moment: dt.datetime) -> dt.datetime:
    # fsrs insists on datetime.timezone.utc itself, not just any zone at offset 0.
    return moment.astimezone(dt.UTC)


def _as_fsrs(card: ReviewCard) -> fsrs.Card:
    return fsrs.Card(
        card_id=card.pk or 0,
        state=fsrs.State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=_utc(card.due),
        last_review=_utc(card.last_review) if card.last_review else None,
    )


def _review(card: ReviewCard, rating: fsrs.Rating, now: dt.datetime) -> None:
    """Move ``card`` (unsaved) to its state after a review with ``rating`` at ``now``."""
    was_in_review = card.reps > 0 and card.state == ReviewCard.State.REVIEW
    reviewed, _log = SCHEDULER.review_card(_as_fsrs(card), rating, review_datetime=_utc(now))
    card.state = int(reviewed.state)
    card.step = reviewed.step
    card.stability = reviewed.stability
    card.difficulty = reviewed.difficulty
    card.due = reviewed.due
    card.last_review = reviewed.last_review
    card.reps += 1
    if rating == fsrs.Rating.Again and was_in_review:
        card.lapses += 1


def review_card_start(*, answer: QuestionAnswer, block: Block) -> ReviewCard:
    """The member's card for the question they just answered; made (and rated) the first time.

    Runs inside the answer's transaction, so there is never an answer without a card.
    """
    card = ReviewCard.objects.filter(
        organisation_id=answer.organisation_id, member_id=answer.member_id, block=block
    ).first()
    if card is not None:
        return card
    now = answer.answered_at
    card = ReviewCard(
        organisation_id=answer.organisation_id,
        member_id=answer.member_id,
        block=block,
        due=now,
        created_at=now,
    )
    _review(card, rating_for(correct=answer.correct), now)
    card.save()
    return card


@dataclass(frozen=True)
class RefresherAnswer:
    """One question of a refresher as the learner answered it.

    ``seen_reps`` is the card's review count when the page was shown: a form sent
    twice (a reload, a second tab) finds it changed and reviews nothing again.
    """

    card: ReviewCard
    selected: list[int]
    easy: bool = False
    seen_reps: int | None = None


@dataclass(frozen=True)
class RefresherResult:
    card: ReviewCard
    selected: list[int]
    correct: bool
    reviewed: bool  # False when this answer had been counted already


def refresher_answer(
    *,
    membership: Membership,
    answers: Sequence[RefresherAnswer],
    now: dt.datetime | None = None,
) -> list[RefresherResult]:
    """Score every answer of a refresher and reschedule its card; all or nothing.

    A question without a valid choice is a ``ValidationError`` keyed ``q<block id>``,
    and then no card changes. Each reviewed card appends an ``answered`` event
    whose context says it came from a refresher.
    """
    from . import learning  # learning calls review_card_start: imported late, not circular

    now = now or timezone.now()
    scored: list[tuple[RefresherAnswer, list[int], bool]] = []
    errors: dict[str, list] = {}
    for item in answers:
        if item.card.organisation_id != membership.organisation_id or (
            item.card.member_id != membership.pk
        ):
            raise ValidationError(learning.ERROR_NOT_LIVE)
        try:
            chosen, correct = learning.question_score(block=item.card.block, selected=item.selected)
        except ValidationError as exc:
            errors[f"q{item.card.block_id}"] = exc.message_dict["selected"]
            continue
        scored.append((item, chosen, correct))
    if errors:
        raise ValidationError(errors)
    results = []
    with transaction.atomic():
        locked = {
            card.pk: card
            for card in ReviewCard.objects.select_for_update().filter(
                organisation_id=membership.organisation_id,
                member=membership,
                pk__in=[item.card.pk for item, _chosen, _correct in scored],
            )
        }
        for item, chosen, correct in scored:
            card = locked.get(item.card.pk)
            if card is None:  # removed meanwhile (its unit deleted): nothing left to schedule
                continue
            card.block = item.card.block
            if item.seen_reps is not None and item.seen_reps != card.reps:
                results.append(RefresherResult(card, chosen, correct, reviewed=False))
                continue
            rating = rating_for(correct=correct, easy=item.easy)
            _review(card, rating, now)
            card.save(
                update_fields=[
                    "state",
                    "step",
                    "stability",
                    "difficulty",
                    "due",
                    "last_review",
                    "reps",
                    "lapses",
                ]
            )
            block = item.card.block
            learning_event_record(
                actor=membership,
                verb=LearningEvent.Verb.ANSWERED,
                object_type="block",
                object_id=block.pk,
                result={"correct": correct, "selected": chosen, "rating": int(rating)},
                context={
                    "refresher": True,
                    "block": block.pk,
                    "version": block.version_id,
                    "unit": block.version.unit_id,
                },
                timestamp=now,
            )
            results.append(RefresherResult(card, chosen, correct, reviewed=True))
    return results
