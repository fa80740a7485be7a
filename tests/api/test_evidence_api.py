"""The evidence API: hand in with files, rounds, the queue, decide, peer feedback."""

from __future__ import annotations

import pytest
from django_scopes import scope, scopes_disabled
from rest_framework.test import APIClient

from courses.models import EvidenceSubmission, FeedbackRequest, StepProgress
from tests.api.support import error_of, make_token
from tests.conftest import make_member
from tests.courses.evidence_factories import evidence_world, fake_pdf, pdf_file, png_file
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _test_reads_unscoped():
    with scopes_disabled():
        yield


@pytest.fixture
def world(organisation):
    with scope(organisation=organisation):
        return evidence_world(organisation)


def api(membership) -> APIClient:
    client = APIClient()
    _token, raw = make_token(membership)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def base(world) -> str:
    return f"/api/v1/o/{world.organisation.slug}"


def evidence_url(world) -> str:
    return f"{base(world)}/learning/steps/{world.progress.pk}/evidence/"


def test_hand_in_with_files_then_changes_then_approve(world):
    learner, manager = api(world.learner), api(world.manager)
    response = learner.post(
        evidence_url(world),
        {"text": "Round one", "files": [pdf_file(), png_file()]},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted"
    assert [f["name"] for f in body["rounds"][0]["files"]] == ["notes.pdf", "photo.png"]

    queue = manager.get(f"{base(world)}/sign-off/").json()
    assert [(i["progress_id"], i["round"], i["why"]) for i in queue] == [
        (world.progress.pk, 1, "manager")
    ]
    submission_id = queue[0]["submission_id"]
    decide = f"{base(world)}/sign-off/{submission_id}/decision/"
    missing = manager.post(decide, {"decision": "changes"}, format="json")
    assert missing.status_code == 400 and "feedback" in error_of(missing)["fields"]
    asked = manager.post(decide, {"decision": "changes", "feedback": "More"}, format="json")
    assert asked.status_code == 201 and asked.json()["decision"] == "changes_requested"

    learner.post(
        evidence_url(world), {"text": "Round two", "files": [pdf_file()]}, format="multipart"
    )
    second = manager.get(f"{base(world)}/sign-off/").json()[0]["submission_id"]
    approved = manager.post(
        f"{base(world)}/sign-off/{second}/decision/", {"decision": "approve"}, format="json"
    )
    assert approved.status_code == 201

    rounds = learner.get(evidence_url(world)).json()
    assert rounds["status"] == "done"
    assert [(r["number"], r["decision"]["decision"]) for r in rounds["rounds"]] == [
        (1, "changes_requested"),
        (2, "approved"),
    ]


def test_a_wrong_file_is_400_on_the_files_field_and_nothing_is_saved(world):
    response = api(world.learner).post(
        evidence_url(world), {"text": "x", "files": [fake_pdf()]}, format="multipart"
    )

    assert response.status_code == 400
    assert "not a file we accept" in error_of(response)["fields"]["files"][0]
    assert not EvidenceSubmission.objects.exists()


def test_a_locked_step_cannot_get_evidence_through_the_api(organisation):
    with scope(organisation=organisation):
        world = evidence_world(organisation, locked=True)

    response = api(world.learner).post(
        evidence_url(world), {"text": "x", "files": [pdf_file()]}, format="multipart"
    )

    assert response.status_code == 400
    assert "Read the handbook" in str(error_of(response)["fields"])
    assert not EvidenceSubmission.objects.exists()


def test_sign_off_by_the_wrong_person_is_403_and_across_organisations_404(world):
    learner = api(world.learner)
    learner.post(evidence_url(world), {"text": "x", "files": [pdf_file()]}, format="multipart")
    submission = EvidenceSubmission.objects.get()
    decide = f"{base(world)}/sign-off/{submission.pk}/decision/"

    for who in (world.learner, world.buddy, world.colleague):
        response = api(who).post(decide, {"decision": "approve"}, format="json")
        assert response.status_code == 403, who
        assert error_of(response)["code"] == "permission_denied"
    assert api(world.colleague).get(evidence_url(world)).status_code == 403

    other = OrganisationFactory(slug="globex")
    with scope(organisation=other):
        stranger = make_member(other)
    foreign = api(stranger)
    assert (
        foreign.post(
            f"/api/v1/o/globex/sign-off/{submission.pk}/decision/", {"decision": "approve"}
        ).status_code
        == 404
    )
    assert (
        foreign.get(f"/api/v1/o/globex/learning/steps/{world.progress.pk}/evidence/").status_code
        == 404
    )
    world.progress.refresh_from_db()
    assert world.progress.status == StepProgress.Status.SUBMITTED


def test_peer_feedback_is_asked_and_answered(world):
    learner = api(world.learner)
    learner.post(evidence_url(world), {"text": "x", "files": [pdf_file()]}, format="multipart")

    asked = learner.post(
        f"{evidence_url(world)}feedback/", {"colleague": world.colleague.pk}, format="json"
    )
    assert asked.status_code == 201
    self_ask = learner.post(
        f"{evidence_url(world)}feedback/", {"colleague": world.learner.pk}, format="json"
    )
    assert self_ask.status_code == 400
    request_id = asked.json()["id"]
    answer_url = f"{base(world)}/feedback/{request_id}/answer/"
    assert api(world.buddy).post(answer_url, {"answer": "ok"}, format="json").status_code == 403
    answered = api(world.colleague).post(answer_url, {"answer": "Helpful."}, format="json")
    assert answered.status_code == 200 and answered.json()["answer"] == "Helpful."
    assert FeedbackRequest.objects.get().answered_at is not None
    # The colleague asked may read the rounds too.
    assert api(world.colleague).get(evidence_url(world)).status_code == 200


def test_the_evidence_routes_are_in_the_schema(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    post = paths["/api/v1/o/{org_slug}/learning/steps/{progress_id}/evidence/"]["post"]
    assert "multipart/form-data" in post["requestBody"]["content"]
    assert {"400", "403", "404"} <= set(post["responses"])
    decide = paths["/api/v1/o/{org_slug}/sign-off/{submission_id}/decision/"]["post"]
    assert {"400", "403", "404"} <= set(decide["responses"])
