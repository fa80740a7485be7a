"""Writes for evidence on trajectory steps: handing it in, signing it off, peer feedback.

A learner hands in a round of evidence: what the step asks for (a written
account, files, every checklist item ticked), checked before anything is saved.
A step nobody signs off is done there and then; otherwise it waits for its
signer, who approves (the step is done) or asks for changes with feedback (the
learner hands in the next round). Every round and every decision is kept.

Statuses move only through ``courses.services.progress``; who may sign is asked
of ``organisations.permissions``. Recognition ("share with my team") is not
offered from here: goals listens for the ``approved`` event.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from events.models import LearningEvent
from events.services import learning_event_record
from microlearning.blocks import IMAGE_TYPES, PILLOW_FORMATS
from organisations.models import Membership, Organisation, Team
from organisations.permissions import may_sign_off, may_submit_evidence, roles_held
from organisations.services import enqueue_after_commit

from ..models import (
    EvidenceFile,
    EvidenceSubmission,
    FeedbackRequest,
    SignOffDecision,
    Step,
    StepProgress,
)
from .progress import progress_check_open, progress_move, step_progress_done

TEXT_MAX_LENGTH = 10_000
FEEDBACK_MAX_LENGTH = 5_000
PEER_FEEDBACK_MAX_LENGTH = 600
# Whom a role-signed step's e-mail goes to at most: a role is a handful of people.
ROLE_SIGNERS_MAILED = 20

ERROR_TEXT_REQUIRED = _("Describe what you did: this step asks for a written account.")
ERROR_TOO_LONG = _("Keep it under %(max)s characters.")
ERROR_FILES_REQUIRED = _("Add at least one file: this step asks for files.")
ERROR_TOO_MANY_FILES = _("Add at most %(max)s files per round.")
ERROR_FILE_TYPE = _(
    "“%(name)s” is not a file we accept: upload a PDF, an image (PNG, JPEG, WebP, GIF), "
    "an Office or OpenDocument file, or plain text."
)
ERROR_FILE_TOO_BIG = _("“%(name)s” is %(size)s; the limit is %(max)s.")
ERROR_CHECKLIST = _("Tick every item of the checklist before you hand in.")
ERROR_NOTHING_ASKED = _("This step asks for no evidence.")
ERROR_ALREADY_SUBMITTED = _("This step is already waiting for sign-off.")
ERROR_ALREADY_DONE = _("This step is already done.")
ERROR_NOT_WAITING = _("This round is not waiting for a decision (any more).")
ERROR_FEEDBACK_REQUIRED = _("Say what should change, so the learner knows what to do.")
ERROR_NOT_YOURS = _("Only the learner hands in evidence for their step.")
ERROR_MAY_NOT_SIGN = _("You do not sign off this step.")
ERROR_COLLEAGUE_SELF = _("Ask a colleague, not yourself.")
ERROR_COLLEAGUE_INACTIVE = _("Choose an active colleague of your organisation.")
ERROR_ALREADY_ASKED = _("You already asked this colleague; they have not answered yet.")
ERROR_ANSWER_REQUIRED = _("Write your feedback (a sentence or three).")
ERROR_ALREADY_ANSWERED = _("You already answered this request.")
ERROR_NO_ROUND = _("Hand in evidence first; then you can ask a colleague about it.")


def evidence_max_bytes() -> int:
    return settings.EVIDENCE_MAX_BYTES


def evidence_max_files() -> int:
    return settings.EVIDENCE_MAX_FILES


# --- Files: what they are, by their content ------------------------------------------------

PDF_TYPE = "application/pdf"
TEXT_TYPES = {".txt": "text/plain", ".csv": "text/csv", ".md": "text/markdown"}
OOXML_TYPES = {
    ".docx": ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".pptx": ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
ODF_TYPES = {
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
}
OLE_TYPES = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Every type a round may hold, by extension: also what the download view names.
EVIDENCE_TYPES = {
    ".pdf": PDF_TYPE,
    **IMAGE_TYPES,
    **TEXT_TYPES,
    **{ext: kind for ext, (_prefix, kind) in OOXML_TYPES.items()},
    **ODF_TYPES,
    **OLE_TYPES,
}
ACCEPT = ",".join(sorted(EVIDENCE_TYPES))


def _read(file: File, length: int | None = None) -> bytes:
    file.seek(0)
    data = file.read() if length is None else file.read(length)
    file.seek(0)
    return data


def _is_image(file: File, extension: str) -> bool:
    from PIL import Image, UnidentifiedImageError

    try:
        file.seek(0)
        with Image.open(file) as image:
            image.verify()
            found = PILLOW_FORMATS.get(image.format or "")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return False
    finally:
        file.seek(0)
    return found == IMAGE_TYPES[extension]


def _zip_names(file: File) -> tuple[set[str], bytes] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(_read(file))) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype") if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    return names, mimetype


def _is_text(file: File) -> bool:
    data = _read(file)
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def evidence_file_type(file: File) -> str | None:
    """The content type ``file`` really is, if it is one evidence may be; else None.

    The extension names what it claims to be and the bytes must agree: a PDF
    starts as one, Pillow reads an image, an Office file is the zip (or the old
    compound file) its kind is, text is UTF-8 without NULs. No HTML or SVG: they can
    script.
    """
    extension = PurePath(file.name or "").suffix.lower()
    if extension == ".pdf":
        return PDF_TYPE if _read(file, 5) == b"%PDF-" else None
    if extension in IMAGE_TYPES:
        return IMAGE_TYPES[extension] if _is_image(file, extension) else None
    if extension in TEXT_TYPES:
        return TEXT_TYPES[extension] if _is_text(file) else None
    if extension in OLE_TYPES:
        return OLE_TYPES[extension] if _read(file, 8) == OLE_MAGIC else None
    if extension in OOXML_TYPES:
        prefix, kind = OOXML_TYPES[extension]
        found = _zip_names(file)
        names = found[0] if found else set()
        if "[Content_Types].xml" in names and any(n.startswith(prefix) for n in names):
            return kind
        return None
    if extension in ODF_TYPES:
        found = _zip_names(file)
        if found and found[1].strip() == ODF_TYPES[extension].encode():
            return ODF_TYPES[extension]
        return None
    return None


@dataclass
class CheckedFile:
    file: File
    name: str
    content_type: str
    size: int


def _original_name(file: File) -> str:
    name = PurePath(file.name or "").name
    return (get_valid_filename(name) or "file")[-255:]


def evidence_files_check(files: Sequence[File]) -> list[CheckedFile]:
    """Check every file of a round (count, size, type by content); raise with one message each."""
    if len(files) > evidence_max_files():
        raise ValidationError(ERROR_TOO_MANY_FILES, params={"max": evidence_max_files()})
    checked, problems = [], []
    limit = evidence_max_bytes()
    for file in files:
        name = _original_name(file)
        size = file.size or 0
        if size > limit:
            problems.append(
                ValidationError(
                    ERROR_FILE_TOO_BIG,
                    params={
                        "name": name,
                        "size": filesizeformat(size),
                        "max": filesizeformat(limit),
                    },
                )
            )
            continue
        kind = evidence_file_type(file)
        if kind is None:
            problems.append(ValidationError(ERROR_FILE_TYPE, params={"name": name}))
            continue
        checked.append(CheckedFile(file=file, name=name, content_type=kind, size=size))
    if problems:
        raise ValidationError(problems)
    return checked


# --- Handing in -------------------------------------------------------------------------


def _learner(progress: StepProgress) -> Membership:
    return progress.enrolment.membership


def evidence_submit(
    *,
    progress: StepProgress,
    membership: Membership,
    text: str = "",
    files: Sequence[File] = (),
    checklist_ticked: Sequence[int] = (),
) -> EvidenceSubmission:
    """Hand in a round of evidence for the learner's own step.

    Raises ValidationError with messages keyed by field (``text``, ``files``,
    ``checklist``) when the round lacks what the step asks, or a file is of the
    wrong type, too big or one too many; nothing is saved then. A locked step or
    a withdrawn enrolment raises ValidationError too. A step nobody signs off is
    done at once; any other waits for its signer, who is told.
    """
    if not may_submit_evidence(membership, learner=_learner(progress)):
        raise PermissionDenied(ERROR_NOT_YOURS)
    step = progress.step
    if not (step.needs_evidence or step.sign_off != Step.SignOff.NOBODY):
        raise ValidationError(ERROR_NOTHING_ASKED)
    text = (text or "").strip()
    errors: dict[str, Any] = {}
    if step.evidence_text and not text:
        errors["text"] = ERROR_TEXT_REQUIRED
    elif len(text) > TEXT_MAX_LENGTH:
        errors["text"] = ValidationError(ERROR_TOO_LONG, params={"max": TEXT_MAX_LENGTH})
    checked: list[CheckedFile] = []
    try:
        checked = evidence_files_check(list(files))
    except ValidationError as exc:
        errors["files"] = exc.error_list
    if step.evidence_files and not files and "files" not in errors:
        errors["files"] = ERROR_FILES_REQUIRED
    items = len(step.evidence_checklist or [])
    ticked = sorted({int(i) for i in checklist_ticked if 0 <= int(i) < items})
    if items and len(ticked) < items:
        errors["checklist"] = ERROR_CHECKLIST
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        progress = (
            StepProgress.objects.select_for_update()
            .select_related("step", "enrolment__membership")
            .get(pk=progress.pk, organisation_id=progress.organisation_id)
        )
        progress_check_open(progress=progress)
        if progress.status == StepProgress.Status.SUBMITTED:
            raise ValidationError(ERROR_ALREADY_SUBMITTED)
        if progress.status == StepProgress.Status.DONE:
            raise ValidationError(ERROR_ALREADY_DONE)
        step = progress.step
        last = progress.evidence_rounds.aggregate(last=Max("number"))["last"] or 0
        now = timezone.now()
        submission = EvidenceSubmission.objects.create(
            organisation_id=progress.organisation_id,
            progress=progress,
            number=last + 1,
            text=text,
            checklist_ticked=ticked,
            submitted_by=membership,
            submitted_at=now,
        )
        for item in checked:
            evidence_file = EvidenceFile(
                organisation_id=progress.organisation_id,
                submission=submission,
                original_name=item.name,
                content_type=item.content_type,
                size=item.size,
            )
            item.file.seek(0)
            evidence_file.file.save(item.name, item.file, save=False)
            evidence_file.save()
        learning_event_record(
            actor=membership,
            verb=LearningEvent.Verb.SUBMITTED,
            object_type="step",
            object_id=step.pk,
            result={"round": submission.number, "files": len(checked)},
            context=_context(progress, submission=submission),
            object_category=step.category,
            timestamp=now,
        )
        if step.sign_off == Step.SignOff.NOBODY:
            step_progress_done(progress=progress, by=membership, at=now)
        else:
            progress_move(progress=progress, status=StepProgress.Status.SUBMITTED)
            _tell_after_commit(submission=submission, what="submitted")
    return submission


def _context(progress: StepProgress, *, submission: EvidenceSubmission, **extra) -> dict:
    enrolment = progress.enrolment
    return {
        "trajectory": enrolment.trajectory_id,
        "version": enrolment.version_id,
        "enrolment": enrolment.pk,
        "progress": progress.pk,
        "submission": submission.pk,
        "round": submission.number,
        **extra,
    }


# --- Signing off ------------------------------------------------------------------------


def may_sign(*, membership: Membership | None, progress: StepProgress) -> bool:
    """``organisations.permissions.may_sign_off`` with the values of this step and enrolment."""
    step, enrolment = progress.step, progress.enrolment
    return may_sign_off(
        membership,
        learner=enrolment.membership,
        buddy_id=enrolment.buddy_id,
        rule=step.sign_off,
        role=step.sign_off_role,
    )


def sign_off_decide(
    *,
    submission: EvidenceSubmission,
    signer: Membership,
    approve: bool,
    feedback: str = "",
) -> SignOffDecision:
    """Approve a round (the step is done) or ask for changes with feedback (required).

    Someone who does not sign off this step gets PermissionDenied; a round that is
    not the one waiting (decided already, or an older one) raises ValidationError.
    """
    feedback = (feedback or "").strip()
    if not approve and not feedback:
        raise ValidationError({"feedback": ERROR_FEEDBACK_REQUIRED})
    if len(feedback) > FEEDBACK_MAX_LENGTH:
        raise ValidationError(
            {"feedback": ValidationError(ERROR_TOO_LONG, params={"max": FEEDBACK_MAX_LENGTH})}
        )
    with transaction.atomic():
        progress = (
            StepProgress.objects.select_for_update()
            .select_related("step", "enrolment__membership")
            .get(pk=submission.progress_id, organisation_id=submission.organisation_id)
        )
        if not may_sign(membership=signer, progress=progress):
            raise PermissionDenied(ERROR_MAY_NOT_SIGN)
        latest = progress.evidence_rounds.order_by("-number").first()
        waiting = (
            progress.status == StepProgress.Status.SUBMITTED
            and latest is not None
            and latest.pk == submission.pk
            and not SignOffDecision.objects.filter(submission_id=submission.pk).exists()
        )
        if not waiting:
            raise ValidationError(ERROR_NOT_WAITING)
        now = timezone.now()
        decision = SignOffDecision.objects.create(
            organisation_id=submission.organisation_id,
            submission=latest,
            signer=signer,
            decision=SignOffDecision.Decision.APPROVED
            if approve
            else SignOffDecision.Decision.CHANGES_REQUESTED,
            feedback=feedback,
            decided_at=now,
        )
        step = progress.step
        learner = progress.enrolment.membership
        if approve:
            step_progress_done(progress=progress, by=signer, at=now)
        else:
            progress_move(progress=progress, status=StepProgress.Status.CHANGES_REQUESTED)
        # The learner's record, like ``completed``: it is their step that was signed off,
        # with the signer in the context. Goals listens for ``approved`` to offer sharing.
        learning_event_record(
            actor=learner,
            verb=LearningEvent.Verb.APPROVED if approve else LearningEvent.Verb.ASKED_CHANGES,
            object_type="step",
            object_id=step.pk,
            result={"feedback": bool(feedback)},
            context=_context(progress, submission=latest, by=signer.pk),
            object_category=step.category,
            timestamp=now,
        )
        _tell_after_commit(submission=latest, what="decided")
    return decision


# --- Peer feedback ----------------------------------------------------------------------


def feedback_request_create(
    *,
    progress: StepProgress,
    membership: Membership,
    colleague: Membership,
    message: str = "",
) -> FeedbackRequest:
    """The learner asks a colleague about their latest round; one open request per colleague.

    The colleague finds it on their home and gets an e-mail with the link to answer,
    sent through the outbox once the request commits.
    """
    if not may_submit_evidence(membership, learner=_learner(progress)):
        raise PermissionDenied(ERROR_NOT_YOURS)
    message = (message or "").strip()
    if len(message) > PEER_FEEDBACK_MAX_LENGTH:
        raise ValidationError(
            {"message": ValidationError(ERROR_TOO_LONG, params={"max": PEER_FEEDBACK_MAX_LENGTH})}
        )
    if colleague.pk == membership.pk:
        raise ValidationError({"colleague": ERROR_COLLEAGUE_SELF})
    if not colleague.is_active or colleague.organisation_id != membership.organisation_id:
        raise ValidationError({"colleague": ERROR_COLLEAGUE_INACTIVE})
    submission = progress.evidence_rounds.order_by("-number").first()
    if submission is None:
        raise ValidationError(ERROR_NO_ROUND)
    with transaction.atomic():
        try:
            with transaction.atomic():
                request = FeedbackRequest.objects.create(
                    organisation_id=progress.organisation_id,
                    submission=submission,
                    asked_by=membership,
                    colleague=colleague,
                    message=message,
                )
        except IntegrityError as exc:
            raise ValidationError({"colleague": ERROR_ALREADY_ASKED}) from exc
        learning_event_record(
            actor=membership,
            verb=LearningEvent.Verb.FEEDBACK_REQUESTED,
            object_type="step",
            object_id=progress.step_id,
            context=_context(progress, submission=submission, colleague=colleague.pk),
            object_category=progress.step.category,
        )
        # The colleague is mailed once this commits; a rolled-back request sends nothing.
        _ask_after_commit(request=request)
    return request


def feedback_answer(
    *, request: FeedbackRequest, membership: Membership, answer: str
) -> FeedbackRequest:
    """The colleague answers, once, in a sentence or three."""
    if request.colleague_id != membership.pk:
        raise PermissionDenied
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": ERROR_ANSWER_REQUIRED})
    if len(answer) > PEER_FEEDBACK_MAX_LENGTH:
        raise ValidationError(
            {"answer": ValidationError(ERROR_TOO_LONG, params={"max": PEER_FEEDBACK_MAX_LENGTH})}
        )
    with transaction.atomic():
        claimed = FeedbackRequest.objects.filter(
            pk=request.pk, organisation_id=request.organisation_id, answered_at__isnull=True
        ).update(answer=answer, answered_at=timezone.now())
        if not claimed:
            raise ValidationError(ERROR_ALREADY_ANSWERED)
        request.refresh_from_db()
        submission = request.submission
        progress = submission.progress
        learning_event_record(
            actor=membership,
            verb=LearningEvent.Verb.FEEDBACK_GIVEN,
            object_type="step",
            object_id=progress.step_id,
            context=_context(progress, submission=submission, learner=request.asked_by_id),
            object_category=progress.step.category,
        )
    return request


# --- Telling people ---------------------------------------------------------------------


def _tell_after_commit(*, submission: EvidenceSubmission, what: str) -> None:
    from ..tasks import send_evidence_emails

    enqueue_after_commit(
        send_evidence_emails,
        organisation=submission.organisation_id,
        submission_id=submission.pk,
        what=what,
    )


def _ask_after_commit(*, request: FeedbackRequest) -> None:
    from ..tasks import send_feedback_request_email

    enqueue_after_commit(
        send_feedback_request_email,
        organisation=request.organisation_id,
        feedback_request_id=request.pk,
    )


def evidence_signers(*, progress: StepProgress) -> list[Membership]:
    """Who is told a round waits: the nearest manager, the buddy, or the role's holders."""
    step, enrolment = progress.step, progress.enrolment
    learner = enrolment.membership
    members = Membership.objects.filter(
        organisation_id=progress.organisation_id, is_active=True
    ).select_related("user", "organisation")
    if step.sign_off == Step.SignOff.MANAGER:
        team_id = learner.team_id
        parents = dict(
            Team.objects.filter(organisation_id=progress.organisation_id).values_list(
                "id", "parent_id"
            )
        )
        managers = dict(
            Team.objects.filter(organisation_id=progress.organisation_id).values_list(
                "id", "manager_id"
            )
        )
        seen = set()
        while team_id is not None and team_id not in seen:
            seen.add(team_id)
            manager_id = managers.get(team_id)
            if manager_id and manager_id != learner.pk:
                return list(members.filter(pk=manager_id))
            team_id = parents.get(team_id)
        return []
    if step.sign_off == Step.SignOff.BUDDY:
        return list(members.filter(pk=enrolment.buddy_id)) if enrolment.buddy_id else []
    if step.sign_off == Step.SignOff.ROLE and step.sign_off_role:
        candidates = members.exclude(pk=learner.pk).order_by("pk")
        return [m for m in candidates if step.sign_off_role in roles_held(m)][:ROLE_SIGNERS_MAILED]
    return []


def _page_url(*, organisation: Organisation, name: str, args: list) -> str:
    return settings.SITE_URL + reverse(name, args=[organisation.slug, *args])


def evidence_emails_send(*, organisation: Organisation, submission_id: int, what: str) -> int:
    """Mail the signers that a round waits (``submitted``), or the learner the decision.

    Each in their own language. A round decided since (for ``submitted``) is not
    mailed about any more; a missing round is nothing to do.
    """
    submission = (
        EvidenceSubmission.objects.filter(organisation=organisation, pk=submission_id)
        .select_related(
            "progress__step",
            "progress__enrolment__membership__user",
            "progress__enrolment__trajectory",
        )
        .first()
    )
    if submission is None:
        return 0
    progress = submission.progress
    learner = progress.enrolment.membership
    context = {
        "organisation": organisation,
        "learner": learner.display_name,
        "trajectory": progress.enrolment.trajectory.title,
        "step": progress.step.title,
        "round": submission.number,
    }
    messages = []
    if what == "submitted":
        if progress.status != StepProgress.Status.SUBMITTED:
            return 0
        url = _page_url(organisation=organisation, name="courses_evidence:queue", args=[])
        for signer in evidence_signers(progress=progress):
            messages.append(
                _message(signer, "submitted", {**context, "url": url, "name": signer.display_name})
            )
    else:
        decision = SignOffDecision.objects.filter(submission=submission).first()
        if decision is None:
            return 0
        url = _page_url(
            organisation=organisation, name="courses_evidence:evidence", args=[progress.pk]
        )
        messages.append(
            _message(
                learner,
                "decided",
                {
                    **context,
                    "url": url,
                    "name": learner.display_name,
                    "approved": decision.decision == SignOffDecision.Decision.APPROVED,
                    "feedback": decision.feedback,
                },
            )
        )
    messages = [m for m in messages if m is not None]
    if messages:
        with get_connection() as connection:
            connection.send_messages(messages)
    return len(messages)


def feedback_request_email_send(*, organisation: Organisation, feedback_request_id: int) -> int:
    """Mail the colleague a learner asked for feedback, in the colleague's language.

    Text and HTML, with the link to the page where they answer. A request answered
    since it was queued, a missing one or a colleague no longer active gets nothing.
    """
    request = (
        FeedbackRequest.objects.filter(
            organisation=organisation, pk=feedback_request_id, answered_at__isnull=True
        )
        .select_related(
            "colleague__user",
            "colleague__organisation",
            "asked_by__user",
            "submission__progress__step",
            "submission__progress__enrolment__trajectory",
        )
        .first()
    )
    if request is None or not request.colleague.is_active or not request.colleague.user.email:
        return 0
    colleague = request.colleague
    progress = request.submission.progress
    context = {
        "organisation": organisation,
        "name": colleague.user.first_name or colleague.display_name,
        "learner": request.asked_by.display_name,
        "step": progress.step.title,
        "trajectory": progress.enrolment.trajectory.title,
        "message": request.message,
        "url": _page_url(
            organisation=organisation, name="courses_evidence:feedback_answer", args=[request.pk]
        ),
    }
    with translation.override(colleague.language):
        subject = render_to_string("courses/evidence/email/feedback_subject.txt", context)
        text = render_to_string("courses/evidence/email/feedback.txt", context)
        html = render_to_string("courses/evidence/email/feedback.html", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), text, to=[colleague.user.email])
    message.attach_alternative(html, "text/html")
    with get_connection() as connection:
        connection.send_messages([message])
    return 1


def _message(membership: Membership, template: str, context: dict) -> EmailMessage | None:
    if not membership.user.email:
        return None
    with translation.override(membership.language):
        subject = render_to_string(f"courses/evidence/email/{template}_subject.txt", context)
        body = render_to_string(f"courses/evidence/email/{template}.txt", context)
    return EmailMessage(" ".join(subject.split()), body, to=[membership.user.email])
