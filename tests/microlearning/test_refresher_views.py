"""The refresher page and the home's "Repeat" card."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from events.models import LearningEvent
from microlearning.models import ReviewCard
from microlearning.services import learning
from tests.factories import MembershipFactory
from tests.microlearning.learning_support import (
    QUESTION_MULTIPLE,
    QUESTION_SINGLE,
    blocks_of,
    unit_with_blocks,
    web_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner.user)
    return client


def answered_questions(organisation, member, count, *, due_days_ago=1, data=QUESTION_SINGLE):
    """``count`` questions the member answered right, now due since ``due_days_ago`` days."""
    with scopes_disabled():
        unit = unit_with_blocks(organisation, [("question", data)] * count, title="Complaints")
        blocks = blocks_of(unit)
        for offset, block in enumerate(blocks):
            learning.question_answer(block=block, membership=member, selected=[0])
            ReviewCard.objects.filter(member=member, block=block).update(
                due=timezone.now() - dt.timedelta(days=due_days_ago, minutes=offset)
            )
        return blocks


def card(member, block) -> ReviewCard:
    with scopes_disabled():
        return ReviewCard.objects.get(member=member, block=block)


def post(blocks, answers: dict, **extra) -> dict:
    return {"question": [b.pk for b in blocks], **answers, **extra}


def test_the_refresher_asks_at_most_three_due_questions(signed_in, organisation, learner):
    blocks = answered_questions(organisation, learner, 4)
    not_due = answered_questions(organisation, learner, 1, due_days_ago=-5)

    response = signed_in.get(web_url(organisation, "refresher"))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('name="question"') == 3
    asked = {b.pk for b in blocks if f'name="q{b.pk}"' in html}
    assert asked == {b.pk for b in blocks[1:]}  # the longest due first
    assert f'name="q{not_due[0].pk}"' not in html
    assert "EXPLANATION-SINGLE" not in html and "FEEDBACK-" not in html
    assert "I knew this one easily" in html


def test_answering_reschedules_each_card_and_shows_right_and_the_explanation(
    signed_in, organisation, learner
):
    right, wrong = answered_questions(organisation, learner, 2)
    before = {b.pk: card(learner, b) for b in (right, wrong)}

    response = signed_in.post(
        web_url(organisation, "refresher"),
        post(
            [right, wrong],
            {f"q{right.pk}": "0", f"q{wrong.pk}": "1", f"easy{right.pk}": "on"},
            **{f"seen{right.pk}": "1", f"seen{wrong.pk}": "1"},
        ),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "You got 1 of 2 questions right." in html
    assert "EXPLANATION-SINGLE" in html and "FEEDBACK-ARGUE" in html
    after = {b.pk: card(learner, b) for b in (right, wrong)}
    assert after[right.pk].due > timezone.now() + dt.timedelta(days=2)
    assert after[wrong.pk].lapses == before[wrong.pk].lapses + 1
    assert all(after[pk].reps == before[pk].reps + 1 for pk in after)
    with scopes_disabled():
        refresher_events = LearningEvent.objects.filter(
            actor=learner, verb="answered", context__refresher=True
        )
        assert refresher_events.count() == 2


def test_a_question_left_unanswered_is_a_field_error_and_changes_nothing(
    signed_in, organisation, learner
):
    first, second = answered_questions(organisation, learner, 2)

    response = signed_in.post(
        web_url(organisation, "refresher"), post([first, second], {f"q{first.pk}": "0"})
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Choose an answer." in html
    assert f'id="q{second.pk}-error"' in html
    assert 'aria-invalid="true"' in html
    assert "checked" in html  # the answer given is kept
    assert card(learner, first).reps == card(learner, second).reps == 1


def test_a_multiple_choice_question_takes_several_answers(signed_in, organisation, learner):
    [block] = answered_questions(organisation, learner, 1, data=QUESTION_MULTIPLE)

    response = signed_in.post(
        web_url(organisation, "refresher"), post([block], {f"q{block.pk}": ["0", "2"]})
    )

    assert "You got 1 of 1 question right." in response.content.decode()


def test_another_organisations_question_is_not_found(
    signed_in, organisation, other_organisation, learner
):
    stranger = MembershipFactory(organisation=other_organisation)
    [theirs] = answered_questions(other_organisation, stranger, 1)
    [mine] = answered_questions(organisation, learner, 1)

    response = signed_in.post(
        web_url(organisation, "refresher"),
        post([mine, theirs], {f"q{mine.pk}": "0", f"q{theirs.pk}": "0"}),
    )

    assert response.status_code == 404
    assert card(learner, mine).reps == 1 and card(stranger, theirs).reps == 1


def test_a_colleagues_question_is_not_found(signed_in, organisation, learner):
    colleague = MembershipFactory(organisation=organisation)
    [theirs] = answered_questions(organisation, colleague, 1)

    response = signed_in.post(
        web_url(organisation, "refresher"), post([theirs], {f"q{theirs.pk}": "0"})
    )

    assert response.status_code == 404


def test_nothing_due_says_so(signed_in, organisation, learner):
    answered_questions(organisation, learner, 1, due_days_ago=-3)

    response = signed_in.get(web_url(organisation, "refresher"))

    assert "Nothing to repeat right now." in response.content.decode()


def test_the_home_shows_the_repeat_card_only_when_questions_are_due(
    signed_in, organisation, learner
):
    home = web_url(organisation, "home")
    assert "Repeat:" not in signed_in.get(home).content.decode()

    answered_questions(organisation, learner, 2)

    html = signed_in.get(home).content.decode()
    assert "Repeat: 2 questions due" in html
    assert web_url(organisation, "refresher") in html


def test_the_refresher_costs_the_same_queries_for_one_question_or_three(
    signed_in, organisation, learner
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get(web_url(organisation, "refresher")).status_code == 200
        return len(captured)

    answered_questions(organisation, learner, 1)
    one = queries()
    answered_questions(organisation, learner, 2)

    assert queries() == one
