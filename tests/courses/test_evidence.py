"""Evidence on trajectory steps: handing in, signing off, peer feedback (services and selectors)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django_scopes import scope

from courses.models import (
    EvidenceFile,
    EvidenceSubmission,
    FeedbackRequest,
    SignOffDecision,
    Step,
    StepProgress,
)
from courses.selectors.evidence import evidence_rounds, sign_off_queue
from courses.services.evidence import (
    evidence_emails_send,
    evidence_file_type,
    evidence_submit,
    feedback_answer,
    feedback_request_create,
    feedback_request_email_send,
    sign_off_decide,
)
from events.models import LearningEvent
from organisations.models import OutboxMessage
from tests.conftest import make_member
from tests.courses.evidence_factories import (
    docx_file,
    evidence_world,
    fake_pdf,
    pdf_file,
    png_file,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scoped(organisation):
    with scope(organisation=organisation):
        yield organisation


def submit(world, **kwargs):
    kwargs.setdefault("text", "I led the stand-up twice.")
    kwargs.setdefault("files", [pdf_file()])
    return evidence_submit(progress=world.progress, membership=world.learner, **kwargs)


def status_of(world) -> str:
    world.progress.refresh_from_db()
    return world.progress.status


# --- Handing in ---------------------------------------------------------------------------


def test_files_are_accepted_by_what_they_are_not_what_they_say(scoped):
    assert evidence_file_type(pdf_file()) == "application/pdf"
    assert evidence_file_type(png_file()) == "image/png"
    assert evidence_file_type(docx_file()).endswith("wordprocessingml.document")
    assert evidence_file_type(SimpleUploadedFile("notes.txt", "Notities ✓".encode())) == (
        "text/plain"
    )
    assert evidence_file_type(fake_pdf()) is None
    assert evidence_file_type(SimpleUploadedFile("x.png", b"%PDF-1.4")) is None
    assert evidence_file_type(SimpleUploadedFile("page.html", b"<script></script>")) is None
    assert evidence_file_type(SimpleUploadedFile("x.txt", b"a\x00b")) is None
    assert evidence_file_type(SimpleUploadedFile("x.docx", b"PK\x03\x04 broken")) is None


@pytest.mark.parametrize(
    "files, message",
    [
        ([fake_pdf()], "not a file we accept"),
        ([SimpleUploadedFile("run.exe", b"MZ")], "not a file we accept"),
        ([pdf_file(size=2000)], "the limit is"),
        ([pdf_file(f"n{i}.pdf") for i in range(3)], "at most 2 files"),
    ],
    ids=["wrong-type", "executable", "oversize", "too-many"],
)
def test_a_bad_upload_is_a_field_error_and_nothing_is_saved(scoped, settings, files, message):
    settings.EVIDENCE_MAX_BYTES = 1000
    settings.EVIDENCE_MAX_FILES = 2
    world = evidence_world(scoped)

    with pytest.raises(ValidationError) as caught:
        submit(world, files=files)

    assert message in " ".join(caught.value.message_dict["files"])
    assert not EvidenceSubmission.objects.exists() and not EvidenceFile.objects.exists()
    assert status_of(world) == StepProgress.Status.OPEN


def test_what_the_step_asks_for_is_required(scoped):
    world = evidence_world(scoped, checklist=["Prepared an agenda", "Kept it to 15 minutes"])

    with pytest.raises(ValidationError) as caught:
        submit(world, text="  ", files=[], checklist_ticked=[0])

    assert set(caught.value.message_dict) == {"text", "files", "checklist"}
    assert not EvidenceSubmission.objects.exists()


def test_a_locked_step_cannot_get_evidence(scoped):
    world = evidence_world(scoped, locked=True)

    with pytest.raises(ValidationError, match="waits for: Read the handbook"):
        submit(world)

    assert not EvidenceSubmission.objects.exists()


def test_only_the_learner_hands_in_evidence(scoped):
    world = evidence_world(scoped)

    with pytest.raises(PermissionDenied):
        evidence_submit(progress=world.progress, membership=world.manager, text="x")


def test_a_step_nobody_signs_off_is_done_when_handed_in(scoped):
    world = evidence_world(scoped, sign_off=Step.SignOff.NOBODY, evidence_files=False)

    submit(world, files=[])

    assert status_of(world) == StepProgress.Status.DONE
    verbs = list(LearningEvent.objects.order_by("id").values_list("verb", flat=True))
    assert verbs == [LearningEvent.Verb.SUBMITTED, LearningEvent.Verb.COMPLETED]


def test_handing_in_waits_for_the_signer_who_is_mailed(
    scoped, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    world = evidence_world(scoped)
    world.manager.user.language = "nl"
    world.manager.user.save(update_fields=["language"])

    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(world, files=[pdf_file(), png_file()])

    assert status_of(world) == StepProgress.Status.SUBMITTED
    assert submission.number == 1 and submission.files.count() == 2
    stored = submission.files.order_by("id").first()
    assert stored.file.name.startswith(f"org-{scoped.pk}/evidence/")
    assert stored.original_name == "notes.pdf"
    event = LearningEvent.objects.get(verb=LearningEvent.Verb.SUBMITTED)
    assert event.context["category"] == "experience" and event.actor_id == world.learner.pk
    # The nearest manager is told, in their own language.
    assert [m.to for m in mail.outbox] == [[world.manager.user.email]]
    assert "leverde bewijs in" in mail.outbox[0].subject


# --- Signing off -------------------------------------------------------------------------


def test_ask_changes_then_approve_keeps_both_rounds_in_order(scoped, settings):
    world = evidence_world(scoped)
    first = submit(world, text="First try")

    with pytest.raises(ValidationError, match="Say what should change"):
        sign_off_decide(submission=first, signer=world.manager, approve=False, feedback=" ")
    sign_off_decide(
        submission=first, signer=world.manager, approve=False, feedback="Add the agenda."
    )
    assert status_of(world) == StepProgress.Status.CHANGES_REQUESTED

    second = submit(world, text="Second try, with the agenda")
    assert second.number == 2
    sign_off_decide(submission=second, signer=world.manager, approve=True)

    assert status_of(world) == StepProgress.Status.DONE
    world.progress.refresh_from_db()
    assert world.progress.done_by_id == world.manager.pk
    rounds = evidence_rounds(progress=world.progress)
    assert [(r.number, r.submission.text, r.decision.decision) for r in rounds] == [
        (1, "First try", SignOffDecision.Decision.CHANGES_REQUESTED),
        (2, "Second try, with the agenda", SignOffDecision.Decision.APPROVED),
    ]
    assert rounds[0].decision.feedback == "Add the agenda."


def test_approving_makes_the_step_done_with_events_in_its_category(scoped):
    world = evidence_world(scoped, kind=Step.Kind.SHADOWING)
    Step.objects.filter(pk=world.step.pk).update(category_override="social")
    world.progress.step.refresh_from_db()
    submission = submit(world)

    sign_off_decide(submission=submission, signer=world.manager, approve=True)

    events = {e.verb: e for e in LearningEvent.objects.all()}
    for verb in (
        LearningEvent.Verb.SUBMITTED,
        LearningEvent.Verb.APPROVED,
        LearningEvent.Verb.COMPLETED,
    ):
        assert events[verb].context["category"] == "social", verb
        assert events[verb].actor_id == world.learner.pk
    assert events[LearningEvent.Verb.APPROVED].context["by"] == world.manager.pk


def test_the_decision_is_mailed_to_the_learner(scoped):
    world = evidence_world(scoped)
    submission = submit(world)
    sign_off_decide(submission=submission, signer=world.manager, approve=False, feedback="More.")

    assert evidence_emails_send(organisation=scoped, submission_id=submission.pk, what="decided")

    assert mail.outbox[-1].to == [world.learner.user.email]
    assert "More." in mail.outbox[-1].body


def test_a_manager_of_a_parent_team_may_sign(scoped):
    world = evidence_world(scoped)
    submission = submit(world)

    sign_off_decide(submission=submission, signer=world.top_manager, approve=True)

    assert status_of(world) == StepProgress.Status.DONE


@pytest.mark.parametrize("who", ["learner", "buddy", "colleague", "outsider"])
def test_sign_off_by_someone_who_may_not_sign_is_refused(scoped, who):
    world = evidence_world(scoped)
    submission = submit(world)
    signer = make_member(scoped) if who == "outsider" else getattr(world, who)

    with pytest.raises(PermissionDenied):
        sign_off_decide(submission=submission, signer=signer, approve=True)

    assert status_of(world) == StepProgress.Status.SUBMITTED
    assert not SignOffDecision.objects.exists()


def test_the_buddy_signs_when_the_rule_is_buddy_and_the_manager_does_not(scoped):
    world = evidence_world(scoped, sign_off=Step.SignOff.BUDDY)
    submission = submit(world)

    with pytest.raises(PermissionDenied):
        sign_off_decide(submission=submission, signer=world.manager, approve=True)
    sign_off_decide(submission=submission, signer=world.buddy, approve=True)

    assert status_of(world) == StepProgress.Status.DONE


def test_a_role_signs_a_role_step_but_not_the_learner_holding_it(scoped):
    world = evidence_world(scoped, sign_off=Step.SignOff.ROLE, sign_off_role="hr")
    world.learner.is_hr = True
    world.learner.save(update_fields=["is_hr"])
    hr = make_member(scoped, is_hr=True)
    submission = submit(world)

    with pytest.raises(PermissionDenied):
        sign_off_decide(submission=submission, signer=world.learner, approve=True)
    sign_off_decide(submission=submission, signer=hr, approve=True)

    assert status_of(world) == StepProgress.Status.DONE


def test_a_decided_round_cannot_be_decided_again(scoped):
    world = evidence_world(scoped)
    submission = submit(world)
    sign_off_decide(submission=submission, signer=world.manager, approve=False, feedback="More")

    with pytest.raises(ValidationError, match="not waiting"):
        sign_off_decide(submission=submission, signer=world.manager, approve=True)


# --- Peer feedback -----------------------------------------------------------------------


def test_peer_feedback_is_asked_answered_and_shown_with_the_round(scoped):
    world = evidence_world(scoped)
    submit(world)

    request = feedback_request_create(
        progress=world.progress,
        membership=world.learner,
        colleague=world.colleague,
        message="Was my agenda clear?",
    )
    with pytest.raises(ValidationError, match="already asked"):
        feedback_request_create(
            progress=world.progress, membership=world.learner, colleague=world.colleague
        )
    with pytest.raises(ValidationError, match="not yourself"):
        feedback_request_create(
            progress=world.progress, membership=world.learner, colleague=world.learner
        )
    with pytest.raises(PermissionDenied):
        feedback_answer(request=request, membership=world.buddy, answer="Fine")
    with pytest.raises(ValidationError):
        feedback_answer(request=request, membership=world.colleague, answer="x" * 601)
    feedback_answer(request=request, membership=world.colleague, answer="Clear and short.")

    rounds = evidence_rounds(progress=world.progress)
    assert [(f.colleague_id, f.answer) for f in rounds[0].feedback] == [
        (world.colleague.pk, "Clear and short.")
    ]
    given = LearningEvent.objects.get(verb=LearningEvent.Verb.FEEDBACK_GIVEN)
    assert given.actor_id == world.colleague.pk and given.context["category"] == "social"
    assert LearningEvent.objects.filter(verb=LearningEvent.Verb.FEEDBACK_REQUESTED).exists()
    assert FeedbackRequest.objects.get().answered_at is not None


def _speaks(membership, language: str) -> None:
    membership.user.language = language
    membership.user.save(update_fields=["language"])


@pytest.mark.parametrize(
    ("language", "subject"),
    [("nl", "vraagt je feedback op"), ("en", "asks for your feedback on")],
)
def test_the_colleague_asked_is_mailed_in_their_language_with_the_link_to_answer(
    scoped, settings, django_capture_on_commit_callbacks, language, subject
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    world = evidence_world(scoped)
    _speaks(world.learner, "en" if language == "nl" else "nl")
    _speaks(world.colleague, language)
    submit(world)
    mail.outbox = []

    with django_capture_on_commit_callbacks(execute=True):
        request = feedback_request_create(
            progress=world.progress,
            membership=world.learner,
            colleague=world.colleague,
            message="Was my agenda clear?",
        )

    (message,) = mail.outbox
    link = settings.SITE_URL + reverse(
        "courses_evidence:feedback_answer", args=[scoped.slug, request.pk]
    )
    assert message.to == [world.colleague.user.email]
    assert subject in message.subject and "Lead the Monday stand-up" in message.subject
    assert link in message.body and "Was my agenda clear?" in message.body
    (html, kind), *_ = message.alternatives
    assert kind == "text/html"
    assert f'<html lang="{language}">' in html and f'href="{link}"' in html
    assert OutboxMessage.objects.get(task="courses.send_feedback_request_email").state == "done"


def test_a_rolled_back_request_mails_nobody(scoped, settings, django_capture_on_commit_callbacks):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    world = evidence_world(scoped)
    submit(world)
    mail.outbox = []

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        feedback_request_create(
            progress=world.progress, membership=world.learner, colleague=world.colleague
        )
        raise RuntimeError("something after it failed")

    assert mail.outbox == []
    assert not FeedbackRequest.objects.exists()
    assert not OutboxMessage.objects.filter(task="courses.send_feedback_request_email").exists()


def test_a_refused_request_queues_no_mail(scoped):
    world = evidence_world(scoped)
    submit(world)

    with pytest.raises(ValidationError):
        feedback_request_create(
            progress=world.progress, membership=world.learner, colleague=world.learner
        )

    assert not OutboxMessage.objects.filter(task="courses.send_feedback_request_email").exists()


def test_a_request_answered_before_the_mail_goes_out_is_not_mailed(scoped):
    world = evidence_world(scoped)
    submit(world)
    request = feedback_request_create(
        progress=world.progress, membership=world.learner, colleague=world.colleague
    )
    feedback_answer(request=request, membership=world.colleague, answer="Clear.")
    mail.outbox = []

    sent = feedback_request_email_send(organisation=scoped, feedback_request_id=request.pk)

    assert sent == 0 and mail.outbox == []
    assert feedback_request_email_send(organisation=scoped, feedback_request_id=10**9) == 0


# --- Reads with a fixed number of queries ------------------------------------------------


def test_the_conversation_reads_in_a_fixed_number_of_queries(scoped, django_assert_max_num_queries):
    world = evidence_world(scoped)
    for text in ("one", "two", "three"):
        submission = submit(world, text=text, files=[pdf_file(), png_file()])
        feedback_request_create(
            progress=world.progress, membership=world.learner, colleague=world.colleague
        ) if text == "one" else None
        if text != "three":
            sign_off_decide(
                submission=submission, signer=world.manager, approve=False, feedback="Again"
            )

    with django_assert_max_num_queries(3):
        rounds = evidence_rounds(progress=world.progress)
        [(r.files, r.decision, r.feedback) for r in rounds]
    assert [r.number for r in rounds] == [1, 2, 3]


def _queue_of_size(organisation, size):
    worlds = [evidence_world(organisation, title=f"Step {i}") for i in range(size)]
    # One manager above every team: the queue gathers every learner of the sub-teams.
    boss = make_member(organisation)
    for world in worlds:
        world.top_team.manager = boss
        world.top_team.save(update_fields=["manager"])
        submit(world)
    return boss, worlds


def test_the_sign_off_queue_does_not_grow_in_queries(scoped, django_assert_max_num_queries):
    boss, worlds = _queue_of_size(scoped, 2)
    with django_assert_max_num_queries(6):
        small = sign_off_queue(membership=boss)
        [(i.learner.display_name, i.trajectory.title, i.step.title) for i in small]

    more = [evidence_world(scoped, title=f"More {i}") for i in range(6)]
    for world in more:
        world.top_team.manager = boss
        world.top_team.save(update_fields=["manager"])
        submit(world)
    boss = type(boss).objects.get(pk=boss.pk)
    with django_assert_max_num_queries(6):
        big = sign_off_queue(membership=boss)
        [(i.learner.display_name, i.trajectory.title, i.step.title) for i in big]

    assert len(small) == 2 and len(big) == 8
    assert {i.why for i in big} == {"manager"}
    assert [i.round for i in big] == [1] * 8


def test_the_queue_shows_the_latest_round_waiting_since_it_was_handed_in(scoped):
    early, late = evidence_world(scoped, title="Early"), evidence_world(scoped, title="Late")
    late.top_team.manager = early.manager
    late.top_team.save(update_fields=["manager"])
    first = submit(early)
    sign_off_decide(submission=first, signer=early.manager, approve=False, feedback="Agenda?")
    submit(late)
    second = submit(early, text="With the agenda")

    items = sign_off_queue(membership=type(early.manager).objects.get(pk=early.manager.pk))

    # The first round of "Early" came first, but its latest round waits the shortest.
    assert [i.step.title for i in items] == ["Late", "Early"]
    assert (items[1].submission_id, items[1].round) == (second.pk, 2)
    assert items[1].waiting_since == second.submitted_at


def test_the_queue_holds_what_waits_for_each_capacity_and_never_own_evidence(scoped):
    manager_step = evidence_world(scoped)
    buddy_step = evidence_world(scoped, sign_off=Step.SignOff.BUDDY)
    submit(manager_step)
    submit(buddy_step)

    assert [i.progress.pk for i in sign_off_queue(membership=manager_step.manager)] == [
        manager_step.progress.pk
    ]
    assert [i.why for i in sign_off_queue(membership=buddy_step.buddy)] == ["buddy"]
    assert sign_off_queue(membership=manager_step.learner) == []
    # Decided rounds leave the queue.
    sign_off_decide(
        submission=manager_step.progress.evidence_rounds.get(),
        signer=manager_step.manager,
        approve=True,
    )
    assert sign_off_queue(membership=manager_step.manager) == []
