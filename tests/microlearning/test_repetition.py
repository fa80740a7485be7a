"""Spaced repetition: FSRS schedules, the card an answer makes, the refresher's reviews."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from events.models import LearningEvent
from microlearning.models import QuestionAnswer, ReviewCard
from microlearning.selectors import repetition as repetition_selectors
from microlearning.services import learning, repetition
from microlearning.services.repetition import RefresherAnswer
from tests.factories import MembershipFactory
from tests.microlearning.learning_support import (
    QUESTION_MULTIPLE,
    QUESTION_SINGLE,
    blocks_of,
    unit_with_blocks,
)

pytestmark = pytest.mark.django_db

RIGHT, WRONG = [0], [1]


@pytest.fixture(autouse=True)
def _no_scopes():
    with scopes_disabled():
        yield


@pytest.fixture
def question(organisation):
    unit = unit_with_blocks(organisation, [("question", QUESTION_SINGLE)])
    return blocks_of(unit)[0]


def card_of(member, block) -> ReviewCard:
    return ReviewCard.objects.select_related("block__version").get(member=member, block=block)


def review(member, card, selected, *, at, easy=False):
    return repetition.refresher_answer(
        membership=member,
        answers=[RefresherAnswer(card=card, selected=selected, easy=easy)],
        now=at,
    )


def test_a_remembered_question_moves_further_out_and_a_forgotten_one_closer(
    organisation, learner, question
):
    other = MembershipFactory(organisation=organisation)
    for member in (learner, other):
        learning.question_answer(block=question, membership=member, selected=RIGHT)
    first = card_of(learner, question)
    first_interval = first.due - first.last_review
    at = first.due  # both reviewed the day the question is due

    review(learner, first, RIGHT, at=at)
    review(other, card_of(other, question), WRONG, at=at)

    remembered, forgotten = card_of(learner, question), card_of(other, question)
    assert remembered.due - at > first_interval  # further out than the first time
    assert forgotten.due - at < first_interval  # closer than the first time
    assert remembered.stability > first.stability > forgotten.stability
    assert (remembered.lapses, forgotten.lapses) == (0, 1)
    assert (remembered.reps, forgotten.reps) == (2, 2)


def test_easy_schedules_further_out_than_good(organisation, learner, question):
    learning.question_answer(block=question, membership=learner, selected=RIGHT)
    other = MembershipFactory(organisation=organisation)
    learning.question_answer(block=question, membership=other, selected=RIGHT)
    at = timezone.now() + dt.timedelta(days=3)

    review(learner, card_of(learner, question), RIGHT, at=at)
    review(other, card_of(other, question), RIGHT, at=at, easy=True)

    assert card_of(other, question).due > card_of(learner, question).due


def test_easy_does_not_count_for_a_wrong_answer():
    assert repetition.rating_for(correct=False, easy=True) == repetition.fsrs.Rating.Again


def test_the_first_answer_makes_the_card_rated_by_it(organisation, learner, question):
    before = timezone.now()
    other = MembershipFactory(organisation=organisation)

    learning.question_answer(block=question, membership=learner, selected=RIGHT)
    learning.question_answer(block=question, membership=other, selected=WRONG)

    right, wrong = card_of(learner, question), card_of(other, question)
    assert right.organisation_id == organisation.pk
    assert (right.reps, right.state, right.last_review >= before) == (
        1,
        ReviewCard.State.REVIEW,
        True,
    )
    assert right.due - right.last_review >= dt.timedelta(days=1)
    assert wrong.due < right.due


def test_answering_again_in_the_unit_leaves_the_schedule_alone(learner, question):
    learning.question_answer(block=question, membership=learner, selected=WRONG)
    first = card_of(learner, question)

    learning.question_answer(block=question, membership=learner, selected=RIGHT)

    again = card_of(learner, question)
    assert (again.pk, again.due, again.reps) == (first.pk, first.due, 1)
    assert ReviewCard.objects.filter(member=learner).count() == 1


def test_a_refresher_answer_is_an_answered_event_from_the_refresher(learner, question):
    learning.question_answer(block=question, membership=learner, selected=RIGHT)
    card = card_of(learner, question)

    [result] = review(learner, card, WRONG, at=card.due)

    event = LearningEvent.objects.filter(actor=learner, verb="answered").latest("id")
    assert result.reviewed and not result.correct
    assert event.context["refresher"] is True
    assert event.context["block"] == question.pk
    assert event.result == {"correct": False, "selected": [1], "rating": 1}
    assert QuestionAnswer.objects.filter(member=learner).count() == 1  # the unit's score stays


def test_a_form_sent_twice_reviews_once(learner, question):
    learning.question_answer(block=question, membership=learner, selected=RIGHT)
    card = card_of(learner, question)
    seen = card.reps
    answer = RefresherAnswer(card=card, selected=RIGHT, seen_reps=seen)

    repetition.refresher_answer(membership=learner, answers=[answer], now=card.due)
    [second] = repetition.refresher_answer(membership=learner, answers=[answer], now=card.due)

    assert not second.reviewed
    assert card_of(learner, question).reps == seen + 1
    assert LearningEvent.objects.filter(actor=learner, verb="answered").count() == 2


def test_one_invalid_answer_changes_no_card(organisation, learner):
    unit = unit_with_blocks(
        organisation, [("question", QUESTION_SINGLE), ("question", QUESTION_MULTIPLE)]
    )
    single, multiple = blocks_of(unit)
    learning.question_answer(block=single, membership=learner, selected=RIGHT)
    learning.question_answer(block=multiple, membership=learner, selected=[0, 2])
    cards = [card_of(learner, single), card_of(learner, multiple)]

    with pytest.raises(ValidationError) as error:
        repetition.refresher_answer(
            membership=learner,
            answers=[
                RefresherAnswer(card=cards[0], selected=RIGHT),
                RefresherAnswer(card=cards[1], selected=[7]),
            ],
        )

    assert list(error.value.message_dict) == [f"q{multiple.pk}"]
    assert [card_of(learner, b).reps for b in (single, multiple)] == [1, 1]


def test_another_members_card_is_refused(organisation, learner, question):
    learning.question_answer(block=question, membership=learner, selected=RIGHT)
    stranger = MembershipFactory(organisation=organisation)

    with pytest.raises(ValidationError):
        review(stranger, card_of(learner, question), RIGHT, at=timezone.now())

    assert card_of(learner, question).reps == 1


def test_due_questions_longest_due_first_at_most_three(organisation, learner):
    unit = unit_with_blocks(organisation, [("question", QUESTION_SINGLE)] * 4)
    blocks = blocks_of(unit)
    now = timezone.now()
    for days, block in zip((5, 1, 3, 2), blocks, strict=True):
        learning.question_answer(block=block, membership=learner, selected=RIGHT)
        ReviewCard.objects.filter(member=learner, block=block).update(
            due=now - dt.timedelta(days=days)
        )
    ReviewCard.objects.filter(member=learner, block=blocks[1]).update(
        due=now + dt.timedelta(days=1)
    )

    due = repetition_selectors.due_cards(membership=learner, now=now)

    assert [card.block_id for card in due] == [blocks[0].pk, blocks[2].pk, blocks[3].pk]
    assert repetition_selectors.due_card_count(membership=learner, now=now) == 3
