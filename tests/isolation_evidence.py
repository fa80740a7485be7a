"""Evidence rows for the isolation worlds (tests/isolation.py ``build_world`` calls this).

A trajectory of its own with a step signed off by the manager, the learner
enrolled with a buddy: round 1 sent back with feedback (answered peer feedback),
round 2 waiting (an open feedback request), each with a file. Text fields carry
the world's text, so a leak of another organisation's shows its canary.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from courses.models import (
    Enrolment,
    EvidenceFile,
    EvidenceSubmission,
    FeedbackRequest,
    SignOffDecision,
    Step,
    StepProgress,
    StepRequirement,
    StepSkill,
    Trajectory,
)
from organisations.models import OrganisationHoliday


@dataclass
class EvidenceRows:
    progress: StepProgress
    submissions: list[EvidenceSubmission] = field(default_factory=list)
    files: list[EvidenceFile] = field(default_factory=list)
    feedback_requests: list[FeedbackRequest] = field(default_factory=list)


def build_evidence(*, organisation, members, skill, text, file_name: str) -> EvidenceRows:
    learner = members["learner"]
    # A day off, so due dates of this trajectory count work days around one. (Main's
    # world adds its own on another date; both may stay.)
    OrganisationHoliday.objects.get_or_create(
        organisation=organisation, date=dt.date(2030, 12, 27), defaults={"name": text("day-off")}
    )
    trajectory = Trajectory.objects.create(
        organisation=organisation,
        title=text("evidence-trajectory"),
        status=Trajectory.Status.PUBLISHED,
        created_by=members["author"],
    )
    version = trajectory.versions.create(
        organisation=organisation,
        number=1,
        title=text("evidence-trajectory"),
        description=text("evidence-trajectory-description"),
        audience=text("evidence-audience"),
    )
    trajectory.live_version = version
    trajectory.save(update_fields=["live_version"])
    first = Step.objects.create(
        organisation=organisation,
        version=version,
        position=0,
        kind=Step.Kind.EXTERNAL,
        title=text("evidence-first-step"),
        url="https://example.test/module",
    )
    step = Step.objects.create(
        organisation=organisation,
        version=version,
        position=1,
        kind=Step.Kind.ASSIGNMENT,
        title=text("evidence-step"),
        instructions=text("evidence-instructions"),
        evidence_text=True,
        evidence_files=True,
        evidence_checklist=[text("evidence-checklist")],
        sign_off=Step.SignOff.MANAGER,
    )
    StepRequirement.objects.create(organisation=organisation, step=step, required_step=first)
    StepSkill.objects.create(organisation=organisation, step=step, skill=skill)
    enrolment = Enrolment.objects.create(
        organisation=organisation,
        trajectory=trajectory,
        version=version,
        membership=learner,
        buddy=members["author"],
        enrolled_by=members["admin"],
        status=Enrolment.Status.IN_PROGRESS,
    )
    now = timezone.now()
    StepProgress.objects.create(
        organisation=organisation,
        enrolment=enrolment,
        step=first,
        status=StepProgress.Status.DONE,
        done_at=now,
        done_by=learner,
    )
    progress = StepProgress.objects.create(
        organisation=organisation,
        enrolment=enrolment,
        step=step,
        status=StepProgress.Status.SUBMITTED,
    )
    rows = EvidenceRows(progress=progress)
    for number in (1, 2):
        submission = EvidenceSubmission.objects.create(
            organisation=organisation,
            progress=progress,
            number=number,
            text=text(f"evidence-round-{number}"),
            checklist_ticked=[0],
            submitted_by=learner,
        )
        rows.submissions.append(submission)
        rows.files.append(
            EvidenceFile.objects.create(
                organisation=organisation,
                submission=submission,
                file=file_name,
                original_name=text(f"evidence-file-{number}") + ".png",
                content_type="image/png",
                size=40,
            )
        )
        rows.feedback_requests.append(
            FeedbackRequest.objects.create(
                organisation=organisation,
                submission=submission,
                asked_by=learner,
                colleague=members["hr"],
                message=text(f"feedback-message-{number}"),
                answer=text("feedback-answer") if number == 1 else "",
                answered_at=now if number == 1 else None,
            )
        )
    SignOffDecision.objects.create(
        organisation=organisation,
        submission=rows.submissions[0],
        signer=members["manager"],
        decision=SignOffDecision.Decision.CHANGES_REQUESTED,
        feedback=text("sign-off-feedback"),
    )
    return rows
