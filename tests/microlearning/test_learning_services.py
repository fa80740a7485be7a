"""Doing a unit: scoring, retries, pass mark, completion per version, reflections,
commitments, ratings and the learning event every action records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from events.models import LearningEvent
from microlearning.models import Commitment, Completion, QuestionAnswer, Rating, Reflection
from microlearning.selectors import learning as learning_selectors
from microlearning.services import learning
from microlearning.services import units as unit_services
from tests.factories import MembershipFactory, TeamFactory
from tests.microlearning.learning_support import (
    QUESTION_MULTIPLE,
    QUESTION_SINGLE,
    blocks_of,
    unit_with_blocks,
)

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _no_scopes():
    with scopes_disabled():
        yield


def events(membership, verb):
    return list(LearningEvent.objects.filter(actor=membership, verb=verb).order_by("id"))


def test_single_choice_scored_on_the_server(organisation, learner):
    unit = unit_with_blocks(organisation, [("question", QUESTION_SINGLE)])
    [question] = blocks_of(unit)

    wrong = learning.question_answer(block=question, membership=learner, selected=[1])
    right = learning.question_answer(block=question, membership=learner, selected=[0])

    assert (wrong.correct, wrong.attempt) == (False, 1)
    assert (right.correct, right.attempt) == (True, 2)
    assert QuestionAnswer.objects.filter(member=learner, block=question).count() == 2


def test_single_choice_refuses_two_options_and_unknown_ones(organisation, learner):
    unit = unit_with_blocks(organisation, [("question", QUESTION_SINGLE)])
    [question] = blocks_of(unit)

    for selected in ([0, 1], [], [7]):
        with pytest.raises(ValidationError):
            learning.question_answer(block=question, membership=learner, selected=selected)
    assert not QuestionAnswer.objects.filter(member=learner).exists()


def test_multiple_choice_is_right_only_with_every_right_option(organisation, learner):
    unit = unit_with_blocks(organisation, [("question", QUESTION_MULTIPLE)])
    [question] = blocks_of(unit)

    partial = learning.question_answer(block=question, membership=learner, selected=[0])
    extra = learning.question_answer(block=question, membership=learner, selected=[0, 1, 2])
    exact = learning.question_answer(block=question, membership=learner, selected=[2, 0])

    assert [partial.correct, extra.correct, exact.correct] == [False, False, True]
    assert exact.selected == [0, 2]


def test_feedback_only_for_chosen_options_and_explanation_after_answering(organisation, learner):
    unit = unit_with_blocks(organisation, [("question", QUESTION_SINGLE)])
    [question] = blocks_of(unit)
    before = learning_selectors.unit_page(unit=unit, membership=learner).blocks[0]
    assert before.explanation == ""
    assert all(option.feedback == "" for option in before.options)

    learning.question_answer(block=question, membership=learner, selected=[1])

    after = learning_selectors.unit_page(unit=unit, membership=learner).blocks[0]
    assert [o.feedback for o in after.options] == ["", "FEEDBACK-ARGUE", ""]
    assert after.explanation == "EXPLANATION-SINGLE"
    assert after.attempts == 1


def test_pass_mark_blocks_completion_until_met(organisation, learner):
    unit = unit_with_blocks(
        organisation,
        [("question", QUESTION_SINGLE), ("question", QUESTION_MULTIPLE)],
        pass_mark=100,
    )
    first, second = blocks_of(unit)
    learning.question_answer(block=first, membership=learner, selected=[0])
    learning.question_answer(block=second, membership=learner, selected=[1])

    assert not Completion.objects.filter(member=learner).exists()
    with pytest.raises(ValidationError):
        unit_services.unit_complete(unit=unit, membership=learner)

    learning.question_answer(block=second, membership=learner, selected=[0, 2])

    completion = Completion.objects.get(member=learner, unit=unit)
    assert completion.version_id == unit.live_version_id


def test_latest_attempt_counts_for_the_pass_mark(organisation, learner):
    unit = unit_with_blocks(
        organisation,
        [("question", QUESTION_SINGLE), ("checklist", {"items": ["a"]})],
        pass_mark=100,
    )
    question, checklist = blocks_of(unit)
    learning.question_answer(block=question, membership=learner, selected=[0])
    learning.question_answer(block=question, membership=learner, selected=[2])

    learning.checklist_tick(block=checklist, membership=learner, item=0, ticked=True)

    assert not Completion.objects.filter(member=learner).exists()
    assert learning_selectors.completion_missing(unit=unit, membership=learner)


def test_required_interactive_blocks_block_mark_as_complete(organisation, learner):
    unit = unit_with_blocks(
        organisation, [("text", {"markdown": "x"}), ("reflection", {"prompt": "?"})]
    )
    text, reflection = blocks_of(unit)

    with pytest.raises(ValidationError):
        unit_services.unit_complete(unit=unit, membership=learner)
    learning.reflection_save(block=reflection, membership=learner, text="Hm.", shared=False)
    # The text block is still open: completion waits for it or for "Mark as complete".
    assert not Completion.objects.filter(member=learner).exists()

    unit_services.unit_complete(unit=unit, membership=learner)
    assert Completion.objects.filter(member=learner, unit=unit).count() == 1


def test_doing_the_last_required_block_completes_the_unit(organisation, learner):
    unit = unit_with_blocks(
        organisation, [("text", {"markdown": "x"}), ("checklist", {"items": ["a", "b"]})]
    )
    text, checklist = blocks_of(unit)
    learning.block_done(block=text, membership=learner)
    learning.checklist_tick(block=checklist, membership=learner, item=0, ticked=True)
    assert not Completion.objects.filter(member=learner).exists()

    learning.checklist_tick(block=checklist, membership=learner, item=1, ticked=True)

    assert Completion.objects.filter(member=learner, unit=unit).exists()
    assert len(events(learner, LearningEvent.Verb.COMPLETED)) == 1


def test_optional_blocks_do_not_hold_completion_back(organisation, learner):
    unit = unit_with_blocks(
        organisation, [("text", {"markdown": "x"}), ("reflection", {"prompt": "?"}, False)]
    )
    [text, _reflection] = blocks_of(unit)

    learning.block_done(block=text, membership=learner)

    assert Completion.objects.filter(member=learner, unit=unit).exists()


def test_completion_is_idempotent_and_keeps_its_version_after_a_new_version(
    organisation, learner, author
):
    unit = unit_with_blocks(organisation, [("text", {"markdown": "v1"})])
    first = unit_services.unit_complete(unit=unit, membership=learner)
    again = unit_services.unit_complete(unit=unit, membership=learner)
    old_version = unit.live_version_id

    unit_services.unit_update(unit=unit, by=author, title="Complaints, v2")
    unit_services.unit_publish(unit=unit, by=author)

    unit.refresh_from_db()
    assert unit.live_version_id != old_version
    assert first.pk == again.pk
    assert Completion.objects.get(pk=first.pk).version_id == old_version
    assert len(events(learner, LearningEvent.Verb.COMPLETED)) == 1


def test_checklist_progress_is_saved_per_item(organisation, learner):
    unit = unit_with_blocks(organisation, [("checklist", {"items": ["a", "b", "c"]})])
    [checklist] = blocks_of(unit)

    learning.checklist_tick(block=checklist, membership=learner, item=2, ticked=True)
    learning.checklist_tick(block=checklist, membership=learner, item=0, ticked=True)
    progress = learning.checklist_tick(block=checklist, membership=learner, item=2, ticked=False)

    assert progress.state == {"ticked": [0]}
    assert progress.done_at is None
    with pytest.raises(ValidationError):
        learning.checklist_tick(block=checklist, membership=learner, item=3, ticked=True)


def test_resume_points_at_the_first_open_block(organisation, learner):
    unit = unit_with_blocks(organisation)
    blocks = blocks_of(unit)
    learning.block_done(block=blocks[0], membership=learner)
    learning.block_done(block=blocks[1], membership=learner)

    page = learning_selectors.unit_page(unit=unit, membership=learner)

    assert page.first_open.block == blocks[2]
    assert page.done_count == 2


def test_blocks_of_a_draft_version_are_refused(organisation, learner, author):
    unit = unit_with_blocks(organisation, [("text", {"markdown": "x"})])
    draft = unit_services.unit_draft(unit=unit, by=author)
    [draft_block] = list(draft.blocks.all())

    with pytest.raises(ValidationError):
        learning.block_done(block=draft_block, membership=learner)


def test_reflection_is_private_by_default_and_saving_again_rewrites_it(organisation, learner):
    unit = unit_with_blocks(organisation, [("reflection", {"prompt": "?"})])
    [block] = blocks_of(unit)

    learning.reflection_save(block=block, membership=learner, text="First", shared=False)
    learning.reflection_save(block=block, membership=learner, text="Second", shared=True)

    reflection = Reflection.objects.get(member=learner, block=block)
    assert (reflection.text, reflection.shared_with_manager) == ("Second", True)
    assert [e.result for e in events(learner, LearningEvent.Verb.REFLECTED)] == [
        {"shared": False},
        {"shared": True},
    ]
    with pytest.raises(ValidationError):
        learning.reflection_save(block=block, membership=learner, text="  ", shared=False)


def test_manager_reads_only_shared_reflections_of_their_own_teams(organisation, team, learner):
    manager = MembershipFactory(organisation=organisation)
    team.manager = manager
    team.save(update_fields=["manager"])
    sub = TeamFactory(organisation=organisation, parent=team)
    sub_learner = MembershipFactory(organisation=organisation, team=sub)
    other_team = TeamFactory(organisation=organisation)
    stranger = MembershipFactory(organisation=organisation, team=other_team)
    unit = unit_with_blocks(organisation, [("reflection", {"prompt": "?"})])
    [block] = blocks_of(unit)
    shared = learning.reflection_save(block=block, membership=learner, text="shared", shared=True)
    learning.reflection_save(block=block, membership=sub_learner, text="private", shared=False)
    learning.reflection_save(block=block, membership=stranger, text="elsewhere", shared=True)

    seen = list(learning_selectors.shared_reflections(manager=manager))
    nobody = list(learning_selectors.shared_reflections(manager=stranger))

    assert seen == [shared]
    assert nobody == []


def test_commitment_needs_a_date_from_today_on(organisation, learner):
    unit = unit_with_blocks(organisation, [("apply", {"prompt": "?"})])
    [block] = blocks_of(unit)

    with pytest.raises(ValidationError):
        learning.commitment_create(
            block=block,
            membership=learner,
            text="Try it",
            due_on=timezone.localdate() - dt.timedelta(days=1),
        )
    commitment = learning.commitment_create(
        block=block, membership=learner, text="Try it", due_on=TOMORROW
    )

    assert commitment.status == Commitment.Status.OPEN
    assert commitment.version_id == unit.live_version_id
    [event] = events(learner, LearningEvent.Verb.COMMITTED)
    assert event.context["version"] == unit.live_version_id
    assert event.result == {"due_on": TOMORROW.isoformat()}


def test_commitment_transitions(organisation, learner):
    unit = unit_with_blocks(organisation, [("apply", {"prompt": "?"})])
    [block] = blocks_of(unit)
    commitment = learning.commitment_create(
        block=block, membership=learner, text="x", due_on=TOMORROW
    )

    learning.commitment_report(commitment=commitment, by=learner, status="not_yet", note="busy")
    learning.commitment_report(commitment=commitment, by=learner, status="not_yet", note="again")
    assert commitment.note == "busy"  # same status: nothing changes
    learning.commitment_report(commitment=commitment, by=learner, status="applied", note="done")
    with pytest.raises(ValidationError):
        learning.commitment_report(commitment=commitment, by=learner, status="not_relevant")

    commitment.refresh_from_db()
    assert (commitment.status, commitment.note) == ("applied", "done")
    assert [e.result["status"] for e in events(learner, LearningEvent.Verb.APPLIED)] == [
        "not_yet",
        "applied",
    ]


def test_only_the_learner_reports_on_their_commitment(organisation, learner):
    unit = unit_with_blocks(organisation, [("apply", {"prompt": "?"})])
    [block] = blocks_of(unit)
    commitment = learning.commitment_create(
        block=block, membership=learner, text="x", due_on=TOMORROW
    )
    someone = MembershipFactory(organisation=organisation)

    with pytest.raises(ValidationError):
        learning.commitment_report(commitment=commitment, by=someone, status="applied")


def test_open_commitments_until_reported(organisation, learner):
    unit = unit_with_blocks(organisation, [("apply", {"prompt": "?"})])
    [block] = blocks_of(unit)
    later = learning.commitment_create(
        block=block, membership=learner, text="later", due_on=TOMORROW + dt.timedelta(days=3)
    )
    sooner = learning.commitment_create(
        block=block, membership=learner, text="sooner", due_on=TOMORROW
    )
    not_yet = learning.commitment_create(block=block, membership=learner, text="n", due_on=TOMORROW)
    learning.commitment_report(commitment=not_yet, by=learner, status="not_yet")
    learning.commitment_report(commitment=later, by=learner, status="applied")

    assert list(learning_selectors.open_commitments(membership=learner)) == [sooner, not_yet]


def test_rating_again_replaces_the_rating(organisation, learner):
    unit = unit_with_blocks(organisation, [("text", {"markdown": "x"})])

    learning.rating_save(unit=unit, membership=learner, score=2, comment="meh")
    learning.rating_save(unit=unit, membership=learner, score=5)

    rating = Rating.objects.get(member=learner, unit=unit)
    assert (rating.score, rating.comment) == (5, "")
    assert [e.result["score"] for e in events(learner, LearningEvent.Verb.RATED)] == [2, 5]
    with pytest.raises(ValidationError):
        learning.rating_save(unit=unit, membership=learner, score=6)


def test_every_action_records_an_event_with_the_version(organisation, learner):
    unit = unit_with_blocks(organisation)
    blocks = {b.kind: b for b in reversed(blocks_of(unit))}
    unit_services.unit_open(unit=unit, membership=learner)
    answer = learning.question_answer(block=blocks["question"], membership=learner, selected=[1])
    learning.question_answer(block=blocks["question"], membership=learner, selected=[0])
    learning.reflection_save(block=blocks["reflection"], membership=learner, text="r", shared=False)
    commitment = learning.commitment_create(
        block=blocks["apply"], membership=learner, text="a", due_on=TOMORROW
    )
    learning.commitment_report(commitment=commitment, by=learner, status="applied")
    learning.rating_save(unit=unit, membership=learner, score=4)

    verbs = list(
        LearningEvent.objects.filter(actor=learner)
        .order_by("id")
        .values_list("verb", "context", "result")
    )

    assert [v for v, _c, _r in verbs] == [
        "viewed",
        "answered",
        "answered",
        "reflected",
        "committed",
        "applied",
        "rated",
    ]
    assert all(context["version"] == unit.live_version_id for _v, context, _r in verbs)
    assert verbs[2][2]["correct"] is True and verbs[2][2]["attempt"] == 2
    assert answer.attempt == 1


def test_a_new_version_starts_the_learner_afresh_and_keeps_what_they_did(
    organisation, learner, author
):
    unit = unit_with_blocks(
        organisation, [("question", QUESTION_SINGLE), ("reflection", {"prompt": "?"})]
    )
    question, reflection = blocks_of(unit)
    old_version = unit.live_version_id
    learning.question_answer(block=question, membership=learner, selected=[0])
    learning.reflection_save(block=reflection, membership=learner, text="Mine", shared=False)

    unit_services.unit_update(unit=unit, by=author, title="Complaints, v2")
    unit_services.unit_publish(unit=unit, by=author)
    unit.refresh_from_db()
    page = learning_selectors.unit_page(unit=unit, membership=learner)

    assert page.version.pk != old_version
    assert not any(b.done or b.answers or b.reflection for b in page.blocks)
    assert QuestionAnswer.objects.get(member=learner).version_id == old_version
    assert Reflection.objects.get(member=learner).version_id == old_version
    assert Completion.objects.get(member=learner, unit=unit).version_id == old_version
