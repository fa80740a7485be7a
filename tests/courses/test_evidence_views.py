"""Evidence pages: the conversation and its forms, the sign-off queue, files, peer feedback."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from courses.models import EvidenceSubmission, FeedbackRequest, Step, StepProgress
from courses.services.evidence import evidence_submit, feedback_request_create
from tests.conftest import make_member
from tests.courses.evidence_factories import evidence_world, fake_pdf, pdf_file, png_file
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _test_reads_unscoped():
    # The test's own reads and writes; every request opens its organisation's scope.
    with scopes_disabled():
        yield


@pytest.fixture
def world(organisation):
    with scope(organisation=organisation):
        return evidence_world(organisation, checklist=["Prepared an agenda"])


def client_for(membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


def evidence_url(world):
    return reverse("courses_evidence:evidence", args=[world.organisation.slug, world.progress.pk])


def submitted(world, **kwargs):
    with scope(organisation=world.organisation):
        return evidence_submit(
            progress=world.progress,
            membership=world.learner,
            text=kwargs.get("text", "I did it"),
            files=kwargs.get("files", [pdf_file()]),
            checklist_ticked=[0],
        )


def test_a_wrong_file_type_is_a_field_error_and_the_text_is_kept(world):
    response = client_for(world.learner).post(
        evidence_url(world),
        {"text": "Wat ik deed: de stand-up geleid", "files": [fake_pdf()], "checklist": ["0"]},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "is not a file we accept" in page
    assert "Wat ik deed: de stand-up geleid</textarea>" in page
    assert 'value="0" checked' in page or "checked" in page
    assert not EvidenceSubmission.objects.exists()


def test_an_oversize_file_is_refused_beside_the_field(world, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    response = client_for(world.learner).post(
        evidence_url(world), {"text": "x", "files": [pdf_file(size=500)], "checklist": ["0"]}
    )

    assert response.status_code == 400
    assert "the limit is 100" in response.content.decode()
    assert not EvidenceSubmission.objects.exists()


def test_the_whole_round_trip_through_the_pages(world):
    learner, manager = client_for(world.learner), client_for(world.manager)
    page = learner.get(evidence_url(world))
    assert page.status_code == 200 and "Hand in your evidence" in page.content.decode()

    response = learner.post(
        evidence_url(world),
        {"text": "Round one", "files": [pdf_file(), png_file()], "checklist": ["0"]},
    )
    assert response.status_code == 302
    submission = EvidenceSubmission.objects.get()

    queue = manager.get(reverse("courses_evidence:queue", args=[world.organisation.slug]))
    assert queue.status_code == 200
    assert world.step.title in queue.content.decode()
    assert world.learner.display_name in queue.content.decode()

    decide = reverse("courses_evidence:decide", args=[world.organisation.slug, submission.pk])
    refused = manager.post(decide, {"decision": "changes", "feedback": "", "next": "queue"})
    assert refused.status_code == 400
    assert "Say what should change" in refused.content.decode()
    asked = manager.post(
        decide, {"decision": "changes", "feedback": "Add the agenda", "next": "queue"}
    )
    assert asked.status_code == 302

    page = learner.get(evidence_url(world)).content.decode()
    assert "Add the agenda" in page and "Hand in round 2" in page
    learner.post(
        evidence_url(world), {"text": "Round two", "files": [pdf_file()], "checklist": ["0"]}
    )
    second = EvidenceSubmission.objects.get(number=2)
    view = manager.get(
        reverse("courses_evidence:submission", args=[world.organisation.slug, second.pk])
    )
    assert view.status_code == 200 and "Round two" in view.content.decode()
    manager.post(
        reverse("courses_evidence:decide", args=[world.organisation.slug, second.pk]),
        {"decision": "approve", "feedback": "Well done"},
    )

    world.progress.refresh_from_db()
    assert world.progress.status == StepProgress.Status.DONE
    page = learner.get(evidence_url(world)).content.decode()
    assert page.index("Round one") < page.index("Add the agenda") < page.index("Round two")
    assert "Approved by" in page and "Hand in round" not in page


def test_people_who_may_not_see_or_sign_are_refused(world, organisation):
    submission = submitted(world)
    decide = reverse("courses_evidence:decide", args=[organisation.slug, submission.pk])
    colleague = client_for(world.colleague)

    assert colleague.get(evidence_url(world)).status_code == 403
    assert colleague.post(decide, {"decision": "approve"}).status_code == 403
    assert client_for(world.learner).post(decide, {"decision": "approve"}).status_code == 403
    assert client_for(world.manager).post(evidence_url(world), {"text": "x"}).status_code == 403

    other = OrganisationFactory(slug="globex")
    with scope(organisation=other):
        stranger = make_member(other)
    # Another organisation's member with this organisation's ids, in their own organisation.
    foreign = client_for(stranger)
    assert foreign.get(f"/o/globex/learning/steps/{world.progress.pk}/evidence/").status_code == 404
    assert foreign.post(f"/o/globex/sign-off/{submission.pk}/decide/").status_code == 404
    assert foreign.get(evidence_url(world)).status_code == 404
    world.progress.refresh_from_db()
    assert world.progress.status == StepProgress.Status.SUBMITTED


def test_files_are_served_to_who_may_see_them_only(world, organisation):
    submission = submitted(world, files=[pdf_file("verslag.pdf")])
    url = reverse("courses_evidence:file", args=[organisation.slug, submission.files.get().pk])

    response = client_for(world.manager).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client_for(world.learner).get(url).status_code == 200
    assert client_for(world.colleague).get(url).status_code == 403


def test_a_locked_step_shows_what_it_waits_for_and_no_form(organisation):
    with scope(organisation=organisation):
        world = evidence_world(organisation, locked=True)
    page = client_for(world.learner).get(evidence_url(world)).content.decode()

    assert "Read the handbook" in page and "Hand in your evidence" not in page


def test_peer_feedback_from_ask_to_home_to_answer(
    world, organisation, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    submitted(world)
    mail.outbox = []
    learner = client_for(world.learner)
    ask = reverse("courses_evidence:feedback_ask", args=[organisation.slug, world.progress.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = learner.post(ask, {"colleague": world.colleague.pk, "message": "Clear enough?"})
    assert response.status_code == 302
    request = FeedbackRequest.objects.get()
    # The colleague is told by e-mail too, with the link to the page where they answer.
    (message,) = mail.outbox
    assert message.to == [world.colleague.user.email]
    assert reverse("courses_evidence:feedback_answer", args=[organisation.slug, request.pk]) in (
        message.body
    )

    colleague = client_for(world.colleague)
    home = colleague.get(reverse("microlearning:home", args=[organisation.slug])).content.decode()
    assert "Colleagues ask for your feedback" in home and world.step.title in home
    answer_url = reverse("courses_evidence:feedback_answer", args=[organisation.slug, request.pk])
    assert client_for(world.buddy).get(answer_url).status_code == 403
    page = colleague.get(answer_url)
    assert page.status_code == 200 and "I did it" in page.content.decode()
    assert colleague.post(answer_url, {"answer": "x" * 700}).status_code == 400
    assert colleague.post(answer_url, {"answer": "Very clear."}).status_code == 302

    conversation = learner.get(evidence_url(world)).content.decode()
    assert "Very clear." in conversation
    home = colleague.get(reverse("microlearning:home", args=[organisation.slug])).content.decode()
    assert "Colleagues ask for your feedback" not in home


def test_the_header_links_the_queue_for_signers_only(world, organisation):
    home = reverse("microlearning:home", args=[organisation.slug])
    queue = reverse("courses_evidence:queue", args=[organisation.slug])

    assert queue in client_for(world.manager).get(home).content.decode()
    assert queue in client_for(world.buddy).get(home).content.decode()
    assert queue not in client_for(world.colleague).get(home).content.decode()


def test_the_queue_page_does_not_grow_in_queries(organisation, django_assert_max_num_queries):
    with scope(organisation=organisation):
        worlds = [evidence_world(organisation, title=f"Step {i}") for i in range(2)]
        boss = make_member(organisation)
        for world in worlds:
            world.top_team.manager = boss
            world.top_team.save(update_fields=["manager"])
            evidence_submit(
                progress=world.progress, membership=world.learner, text="x", files=[pdf_file()]
            )
    client = client_for(boss)
    url = reverse("courses_evidence:queue", args=[organisation.slug])
    client.get(url)
    # 11 for the queue, and the header's unread notifications count
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    with scope(organisation=organisation):
        for i in range(5):
            world = evidence_world(organisation, title=f"More {i}", sign_off=Step.SignOff.MANAGER)
            world.top_team.manager = boss
            world.top_team.save(update_fields=["manager"])
            evidence_submit(
                progress=world.progress, membership=world.learner, text="x", files=[pdf_file()]
            )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('class="decision-form"') == 7


def test_a_colleague_asked_for_feedback_may_open_the_file(world, organisation):
    submission = submitted(world)
    with scope(organisation=organisation):
        feedback_request_create(
            progress=world.progress, membership=world.learner, colleague=world.colleague
        )
    url = reverse("courses_evidence:file", args=[organisation.slug, submission.files.get().pk])

    assert client_for(world.colleague).get(url).status_code == 200
    assert client_for(world.buddy).get(url).status_code == 403


def test_the_pages_speak_the_members_language(world, organisation):
    world.learner.user.language = "nl"
    world.learner.user.save(update_fields=["language"])
    submitted(world)
    page = client_for(world.learner).get(evidence_url(world)).content.decode()

    assert "Ronde 1" in page and "Je leidinggevende tekent af." in page


def test_the_queue_pages_its_forms_and_a_failed_decision_shows_its_own_page(
    organisation, monkeypatch
):
    monkeypatch.setattr("courses.views.evidence.QUEUE_PAGE_SIZE", 3)
    with scope(organisation=organisation):
        boss = make_member(organisation)
        submissions = []
        for i in range(5):
            world = evidence_world(organisation, title=f"Step {i}", sign_off=Step.SignOff.MANAGER)
            world.top_team.manager = boss
            world.top_team.save(update_fields=["manager"])
            submissions.append(
                evidence_submit(
                    progress=world.progress, membership=world.learner, text="x", files=[pdf_file()]
                )
            )
    client = client_for(boss)
    url = reverse("courses_evidence:queue", args=[organisation.slug])

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    assert first.count('class="decision-form"') == 3 and "5 rounds wait for you." in first
    assert second.count('class="decision-form"') == 2 and 'rel="prev"' in second
    # Longest waiting first: the last round submitted is on the second page.
    last = submissions[-1]
    decide = reverse("courses_evidence:decide", args=[organisation.slug, last.pk])
    refused = client.post(
        decide, {"decision": "changes", "feedback": "", "next": "queue", "page": "2"}
    )
    assert refused.status_code == 400
    body = refused.content.decode()
    assert f'id="item-{last.pk}"' in body and 'role="alert"' in body
    approved = client.post(decide, {"decision": "approve", "next": "queue", "page": "2"})
    assert approved.status_code == 302 and approved["Location"] == f"{url}?page=2"
