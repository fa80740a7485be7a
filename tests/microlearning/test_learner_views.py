"""The learner's unit page and its forms, the home's commitments and the manager's reflections."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from microlearning.models import BlockProgress, Commitment, Completion, QuestionAnswer, Reflection
from microlearning.services import learning
from tests.factories import MembershipFactory
from tests.microlearning.learning_support import (
    EVERY_KIND,
    QUESTION_SINGLE,
    blocks_of,
    unit_with_blocks,
    web_url,
)

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + dt.timedelta(days=1)
SECRETS = ("FEEDBACK-", "EXPLANATION-", '"correct"', "correct&quot;")


@pytest.fixture
def unit(organisation):
    with scopes_disabled():
        return unit_with_blocks(organisation)


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner.user)
    return client


def by_kind(unit, kind):
    with scopes_disabled():
        return blocks_of(unit, kind)[0]


def test_every_block_kind_renders_for_the_learner(signed_in, organisation, unit):
    response = signed_in.get(web_url(organisation, "unit_detail", unit.pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>this</strong>" in html
    assert 'src="https://www.youtube-nocookie.com/embed/abc123"' in html
    assert 'loading="lazy"' in html and 'referrerpolicy="strict-origin-when-cross-origin"' in html
    assert "Greet" in html and 'aria-pressed="false"' in html
    assert 'type="radio" name="selected"' in html and 'type="checkbox" name="selected"' in html
    assert "What surprised you?" in html and 'name="shared"' in html
    assert 'type="date"' in html and "What will you try tomorrow?" in html
    assert "Was this useful?" in html


def test_correct_answers_are_not_in_the_page_before_answering(signed_in, organisation, unit):
    html = signed_in.get(web_url(organisation, "unit_detail", unit.pk)).content.decode()

    for secret in SECRETS:
        assert secret not in html


def test_answering_shows_feedback_for_the_chosen_option_and_the_explanation(
    signed_in, organisation, unit
):
    question = by_kind(unit, "question")

    response = signed_in.post(
        web_url(organisation, "question_answer", unit.pk, question.pk), {"selected": "1"}
    )
    html = signed_in.get(web_url(organisation, "unit_detail", unit.pk)).content.decode()

    assert response.status_code == 302 and response.url.endswith(f"#block-{question.pk}")
    assert "FEEDBACK-ARGUE" in html and "EXPLANATION-SINGLE" in html
    assert "FEEDBACK-LISTEN" not in html and "FEEDBACK-LEAVE" not in html
    assert "Answer again" in html


def test_retry_keeps_every_attempt(signed_in, organisation, unit, learner):
    question = by_kind(unit, "question")
    url = web_url(organisation, "question_answer", unit.pk, question.pk)

    signed_in.post(url, {"selected": "1"})
    signed_in.post(url, {"selected": "0"})

    with scopes_disabled():
        attempts = list(
            QuestionAnswer.objects.filter(member=learner, block=question)
            .order_by("attempt")
            .values_list("attempt", "correct")
        )
    assert attempts == [(1, False), (2, True)]


def test_ticking_a_checklist_item_saves_it(signed_in, organisation, unit, learner):
    checklist = by_kind(unit, "checklist")

    signed_in.post(
        web_url(organisation, "checklist_tick", unit.pk, checklist.pk), {"item": "1", "ticked": "1"}
    )
    html = signed_in.get(web_url(organisation, "unit_detail", unit.pk)).content.decode()

    with scopes_disabled():
        assert BlockProgress.objects.get(member=learner, block=checklist).state == {"ticked": [1]}
    assert 'aria-pressed="true"' in html


def test_reflection_and_commitment_from_the_page(signed_in, organisation, unit, learner):
    reflection = by_kind(unit, "reflection")
    apply = by_kind(unit, "apply")

    signed_in.post(
        web_url(organisation, "reflection_save", unit.pk, reflection.pk),
        {"text": "I listen more."},
    )
    signed_in.post(
        web_url(organisation, "commitment_create", unit.pk, apply.pk),
        {"text": "Summarise every call", "due_on": TOMORROW.isoformat()},
    )
    home = signed_in.get(web_url(organisation, "home")).content.decode()

    with scopes_disabled():
        saved = Reflection.objects.get(member=learner)
        assert saved.shared_with_manager is False
        assert Commitment.objects.get(member=learner).due_on == TOMORROW
    assert "Summarise every call" in home and "How did it go?" in home


def test_commitment_in_the_past_is_refused(signed_in, organisation, unit, learner):
    apply = by_kind(unit, "apply")

    signed_in.post(
        web_url(organisation, "commitment_create", unit.pk, apply.pk),
        {"text": "Too late", "due_on": "2000-01-01"},
    )

    with scopes_disabled():
        assert not Commitment.objects.filter(member=learner).exists()


def test_reporting_a_commitment_takes_it_off_the_home(signed_in, organisation, unit, learner):
    apply = by_kind(unit, "apply")
    with scopes_disabled():
        commitment = learning.commitment_create(
            block=apply, membership=learner, text="Call back", due_on=TOMORROW
        )

    signed_in.post(
        web_url(organisation, "commitment_report", commitment.pk),
        {"status": "applied", "note": "It worked"},
    )
    home = signed_in.get(web_url(organisation, "home")).content.decode()

    with scopes_disabled():
        commitment.refresh_from_db()
    assert (commitment.status, commitment.note) == ("applied", "It worked")
    assert "Call back" not in home


def test_rating_from_the_page(signed_in, organisation, unit):
    url = web_url(organisation, "unit_rate", unit.pk)
    signed_in.post(url, {"score": "2"})
    signed_in.post(url, {"score": "5", "comment": "Handy"})

    html = signed_in.get(web_url(organisation, "unit_detail", unit.pk)).content.decode()

    assert 'value="5" required checked' in html and "Handy" in html


def test_mark_as_complete_only_without_open_interactive_blocks(
    signed_in, organisation, unit, learner
):
    with scopes_disabled():
        reading = unit_with_blocks(organisation, [("text", {"markdown": "x"})], title="Read")

    quiz_page = signed_in.get(web_url(organisation, "unit_detail", unit.pk)).content.decode()
    refused = signed_in.post(web_url(organisation, "unit_complete", unit.pk))
    reading_page = signed_in.get(web_url(organisation, "unit_detail", reading.pk)).content.decode()
    signed_in.post(web_url(organisation, "unit_complete", reading.pk))

    assert "Mark as complete" not in quiz_page and "Still to do" in quiz_page
    assert refused.status_code == 302
    assert "Mark as complete" in reading_page
    with scopes_disabled():
        assert list(
            Completion.objects.filter(member=learner).values_list("unit_id", flat=True)
        ) == [reading.pk]


def test_resume_link_points_at_the_first_open_block(signed_in, organisation, unit, learner):
    text, video = blocks_of_scoped(unit)[:2]
    signed_in.post(web_url(organisation, "block_done", unit.pk, text.pk))

    html = signed_in.get(web_url(organisation, "unit_detail", unit.pk)).content.decode()

    assert f'href="#block-{video.pk}"' in html and "Continue where you left off" in html


def blocks_of_scoped(unit):
    with scopes_disabled():
        return blocks_of(unit)


def test_another_organisations_block_and_commitment_give_404(
    signed_in, organisation, other_organisation, unit
):
    with scopes_disabled():
        foreign = unit_with_blocks(
            other_organisation, [("question", QUESTION_SINGLE), ("apply", {"prompt": "?"})]
        )
        question, apply = blocks_of(foreign)
        stranger = MembershipFactory(organisation=other_organisation)
        commitment = learning.commitment_create(
            block=apply, membership=stranger, text="x", due_on=TOMORROW
        )
    own_question = by_kind(unit, "question")

    answers = [
        signed_in.post(
            web_url(organisation, "question_answer", unit.pk, question.pk), {"selected": "0"}
        ),
        signed_in.post(
            web_url(organisation, "question_answer", foreign.pk, own_question.pk), {"selected": "0"}
        ),
        signed_in.post(
            web_url(organisation, "commitment_report", commitment.pk), {"status": "applied"}
        ),
        signed_in.get(web_url(organisation, "unit_detail", foreign.pk)),
    ]

    assert [r.status_code for r in answers] == [404, 404, 404, 404]


def test_someone_elses_commitment_gives_404(client, organisation, unit, learner):
    apply = by_kind(unit, "apply")
    with scopes_disabled():
        commitment = learning.commitment_create(
            block=apply, membership=learner, text="x", due_on=TOMORROW
        )
    colleague = MembershipFactory(organisation=organisation)
    client.force_login(colleague.user)

    response = client.post(
        web_url(organisation, "commitment_report", commitment.pk), {"status": "applied"}
    )

    assert response.status_code == 404


def test_manager_page_shows_only_shared_reflections_of_their_team(
    client, organisation, team, learner, unit
):
    manager = MembershipFactory(organisation=organisation)
    team.manager = manager
    team.save(update_fields=["manager"])
    teammate = MembershipFactory(organisation=organisation, team=team)
    reflection = by_kind(unit, "reflection")
    with scopes_disabled():
        learning.reflection_save(
            block=reflection, membership=learner, text="SHARED-TEXT", shared=True
        )
        learning.reflection_save(
            block=reflection, membership=teammate, text="PRIVATE-TEXT", shared=False
        )
    client.force_login(manager.user)

    html = client.get(web_url(organisation, "team_reflections")).content.decode()

    assert "SHARED-TEXT" in html and "PRIVATE-TEXT" not in html


def test_manager_page_is_for_managers_only(signed_in, organisation):
    assert signed_in.get(web_url(organisation, "team_reflections")).status_code == 403


def test_unit_page_query_count_is_constant_in_blocks(
    signed_in, organisation, learner, django_assert_max_num_queries
):
    counts = {}
    for copies in (1, 10):  # 3 blocks against 30, with progress on some of them
        kinds = [EVERY_KIND[0], EVERY_KIND[3], EVERY_KIND[4]] * copies
        with scopes_disabled():
            unit = unit_with_blocks(organisation, kinds, title=f"Unit {copies}")
            blocks = blocks_of(unit)
            learning.block_done(block=blocks[0], membership=learner)
            learning.question_answer(block=blocks[2], membership=learner, selected=[0])
        signed_in.get(web_url(organisation, "unit_detail", unit.pk))  # warm the session

        with django_assert_max_num_queries(25) as captured:
            response = signed_in.get(web_url(organisation, "unit_detail", unit.pk))

        assert response.status_code == 200
        counts[copies] = len(captured.captured_queries)

    assert counts[1] == counts[10], counts


def test_done_next_goes_on_to_the_next_open_block(signed_in, organisation, unit, learner):
    text, video, image = blocks_of_scoped(unit)[:3]
    with scopes_disabled():
        learning.block_done(block=video, membership=learner)

    response = signed_in.post(web_url(organisation, "block_done", unit.pk, text.pk))

    assert response.url.endswith(f"#block-{image.pk}")


def test_managers_find_shared_reflections_from_their_home(client, organisation, team):
    manager = MembershipFactory(organisation=organisation)
    team.manager = manager
    team.save(update_fields=["manager"])
    client.force_login(manager.user)

    html = client.get(web_url(organisation, "home")).content.decode()

    assert web_url(organisation, "team_reflections") in html


def test_a_video_url_that_is_not_https_is_never_embedded(signed_in, organisation):
    with scopes_disabled():
        unit = unit_with_blocks(organisation, [("video", {"embed_url": "javascript:alert(1)"})])

    html = signed_in.get(web_url(organisation, "unit_detail", unit.pk)).content.decode()

    assert "javascript:alert" not in html and "<iframe" not in html


def test_ticking_a_step_returns_to_its_block_and_announces_the_result_there(
    signed_in, organisation, unit
):
    checklist = by_kind(unit, "checklist")

    response = signed_in.post(
        web_url(organisation, "checklist_tick", unit.pk, checklist.pk), {"item": "0"}
    )
    html = signed_in.get(web_url(organisation, "unit_detail", unit.pk)).content.decode()

    assert response.url.endswith(f"#block-{checklist.pk}")
    block = html[html.index(f'id="block-{checklist.pk}"') :]
    block = block[: block.index("</li>")]
    assert 'tabindex="-1"' in block
    step = checklist.data["items"][0]
    total = len(checklist.data["items"])
    assert f'role="status"><p class="message success">Ticked “{step}”: 1 of {total}' in block
    # Announced at the block, so not a second time at the top of the page.
    assert html.count(f"Ticked “{step}”") == 1


def test_answering_announces_right_or_not_at_the_question(signed_in, organisation, unit):
    question = by_kind(unit, "question")
    url = web_url(organisation, "question_answer", unit.pk, question.pk)

    signed_in.post(url, {"selected": "1"})
    wrong = signed_in.get(web_url(organisation, "unit_detail", unit.pk)).content.decode()
    signed_in.post(url, {"selected": "0"})
    right = signed_in.get(web_url(organisation, "unit_detail", unit.pk)).content.decode()

    status = '<div class="block-result visually-hidden" role="status"><p class="message success">'
    assert status + "Not quite. Have another go.</p>" in wrong
    assert status + "Right.</p>" in right


def test_a_refused_action_says_why_at_its_block(signed_in, organisation, unit):
    question = by_kind(unit, "question")

    signed_in.post(web_url(organisation, "question_answer", unit.pk, question.pk), {})
    html = signed_in.get(web_url(organisation, "unit_detail", unit.pk)).content.decode()

    block = html[html.index(f'id="block-{question.pk}"') :]
    assert '<p class="message error">' in block[: block.index("</li>")]
