"""The learner's API: a unit with blocks (no right answers leaked), progress, answers,
reflections, commitments and ratings; other organisations' ids are 404."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from events.models import LearningEvent
from microlearning.models import Completion, Rating, Reflection
from tests.microlearning.learning_support import (
    QUESTION_SINGLE,
    blocks_of,
    unit_with_blocks,
)

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + dt.timedelta(days=1)


@pytest.fixture
def unit(acme):
    with scopes_disabled():
        return unit_with_blocks(acme.organisation)


@pytest.fixture
def blocks(unit):
    with scopes_disabled():
        return {b.kind: b for b in reversed(blocks_of(unit))}


@pytest.fixture
def client(acme, as_member):
    return as_member(acme.learner)


def test_unit_detail_lists_every_block_without_right_answers(client, api_url, unit):
    response = client.get(api_url("microlearning_api:learner_unit", unit.pk))

    body = response.json()
    raw = json.dumps(body)
    assert response.status_code == 200
    assert [b["kind"] for b in body["blocks"]] == [
        "text",
        "video",
        "image",
        "checklist",
        "question",
        "question",
        "reflection",
        "apply",
    ]
    assert body["version_id"] == unit.live_version_id
    assert '"correct"' not in raw and "FEEDBACK-" not in raw and "EXPLANATION-" not in raw


def test_answering_returns_the_score_feedback_and_explanation(client, api_url, unit, blocks):
    url = api_url("microlearning_api:answers", unit.pk, blocks["question"].pk)

    wrong = client.post(url, {"selected": [2]}, format="json")
    right = client.post(url, {"selected": [0]}, format="json")
    detail = client.get(api_url("microlearning_api:learner_unit", unit.pk)).json()

    assert wrong.status_code == 201
    assert wrong.json()["correct"] is False and wrong.json()["attempt"] == 1
    assert [f["feedback"] for f in wrong.json()["feedback"]] == ["FEEDBACK-LEAVE"]
    assert right.json()["correct"] is True and right.json()["attempt"] == 2
    assert right.json()["explanation"] == "EXPLANATION-SINGLE"
    question = next(b for b in detail["blocks"] if b["id"] == blocks["question"].pk)
    assert question["attempts"] == 2 and question["last_answer"]["correct"] is True


def test_two_options_on_a_single_choice_question_is_400(client, api_url, unit, blocks):
    url = api_url("microlearning_api:answers", unit.pk, blocks["question"].pk)

    response = client.post(url, {"selected": [0, 1]}, format="json")

    assert response.status_code == 400


def test_progress_reflection_commitment_and_rating(client, api_url, unit, blocks, acme):
    checklist = api_url("microlearning_api:block_progress", unit.pk, blocks["checklist"].pk)
    ticked = client.post(checklist, {"item": 1}, format="json")
    read = client.post(
        api_url("microlearning_api:block_progress", unit.pk, blocks["text"].pk), {}, format="json"
    )
    reflection = client.post(
        api_url("microlearning_api:reflection", unit.pk, blocks["reflection"].pk),
        {"text": "Slow down.", "shared": True},
        format="json",
    )
    commitment = client.post(
        api_url("microlearning_api:commitment_create", unit.pk, blocks["apply"].pk),
        {"text": "Call back within a day", "due_on": TOMORROW.isoformat()},
        format="json",
    )
    rating_url = api_url("microlearning_api:rating", unit.pk)
    client.post(rating_url, {"score": 2}, format="json")
    rating = client.post(rating_url, {"score": 4, "comment": "Good"}, format="json")

    assert ticked.json()["ticked"] == [1] and ticked.json()["done"] is False
    assert read.json()["done"] is True
    assert reflection.json()["shared"] is True
    assert commitment.status_code == 201 and commitment.json()["status"] == "open"
    assert rating.json()["score"] == 4
    with scopes_disabled():
        assert Reflection.objects.get(member=acme.learner).shared_with_manager is True
        assert Rating.objects.filter(member=acme.learner).count() == 1


def test_commitment_report_and_the_open_list(client, api_url, unit, blocks):
    created = client.post(
        api_url("microlearning_api:commitment_create", unit.pk, blocks["apply"].pk),
        {"text": "Try it", "due_on": TOMORROW.isoformat()},
        format="json",
    ).json()
    report_url = api_url("microlearning_api:commitment_report", created["id"])

    not_yet = client.post(report_url, {"status": "not_yet"}, format="json")
    still_open = client.get(api_url("microlearning_api:commitments")).json()
    applied = client.post(report_url, {"status": "applied", "note": "Done"}, format="json")
    back = client.post(report_url, {"status": "not_relevant"}, format="json")
    after = client.get(api_url("microlearning_api:commitments")).json()

    assert not_yet.json()["status"] == "not_yet"
    assert [c["id"] for c in still_open] == [created["id"]]
    assert applied.json()["status"] == "applied"
    assert back.status_code == 400
    assert after == []


def test_commitment_in_the_past_is_400(client, api_url, unit, blocks):
    response = client.post(
        api_url("microlearning_api:commitment_create", unit.pk, blocks["apply"].pk),
        {"text": "Too late", "due_on": "2001-01-01"},
        format="json",
    )

    assert response.status_code == 400
    assert "due_on" in response.json()["error"]["fields"]


def test_finishing_every_block_completes_the_unit(client, api_url, acme):
    with scopes_disabled():
        unit = unit_with_blocks(
            acme.organisation,
            [("question", QUESTION_SINGLE), ("text", {"markdown": "x"})],
            pass_mark=100,
        )
        question, text = blocks_of(unit)
    client.post(api_url("microlearning_api:block_progress", unit.pk, text.pk), {}, format="json")

    result = client.post(
        api_url("microlearning_api:answers", unit.pk, question.pk), {"selected": [0]}, format="json"
    )

    assert result.json()["unit_completed"] is True
    with scopes_disabled():
        completion = Completion.objects.get(member=acme.learner, unit=unit)
        assert completion.version_id == unit.live_version_id
        verbs = set(LearningEvent.objects.filter(actor=acme.learner).values_list("verb", flat=True))
    assert {"answered", "completed"} <= verbs


def test_another_organisations_unit_block_and_commitment_are_404(
    client, api_url, acme, globex, unit, blocks
):
    with scopes_disabled():
        foreign = unit_with_blocks(globex.organisation, [("apply", {"prompt": "?"})])
        [foreign_block] = blocks_of(foreign)
    from microlearning.services import learning

    with scopes_disabled():
        commitment = learning.commitment_create(
            block=foreign_block, membership=globex.member, text="x", due_on=TOMORROW
        )

    responses = [
        client.get(api_url("microlearning_api:learner_unit", foreign.pk)),
        client.post(
            api_url("microlearning_api:commitment_create", unit.pk, foreign_block.pk),
            {"text": "x", "due_on": TOMORROW.isoformat()},
            format="json",
        ),
        client.post(
            api_url("microlearning_api:commitment_report", commitment.pk),
            {"status": "applied"},
            format="json",
        ),
        client.post(api_url("microlearning_api:rating", foreign.pk), {"score": 3}, format="json"),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]


def test_a_colleagues_commitment_is_404(as_member, api_url, acme, unit, blocks):
    from microlearning.services import learning

    with scopes_disabled():
        commitment = learning.commitment_create(
            block=blocks["apply"], membership=acme.learner, text="x", due_on=TOMORROW
        )
    colleague = as_member(acme.north_learner)

    response = colleague.post(
        api_url("microlearning_api:commitment_report", commitment.pk),
        {"status": "applied"},
        format="json",
    )

    assert response.status_code == 404


def test_unit_detail_query_count_is_constant_in_blocks(
    client, api_url, acme, django_assert_max_num_queries
):
    counts = {}
    for copies in (1, 10):
        with scopes_disabled():
            unit = unit_with_blocks(
                acme.organisation,
                [
                    ("text", {"markdown": "x"}),
                    ("checklist", {"items": ["a"]}),
                    ("question", QUESTION_SINGLE),
                ]
                * copies,
                title=f"Unit {copies}",
            )
        with django_assert_max_num_queries(25) as captured:
            assert client.get(api_url("microlearning_api:learner_unit", unit.pk)).status_code == 200
        counts[copies] = len(captured.captured_queries)

    assert counts[1] == counts[10], counts
