"""A small trajectory world for evidence tests: a team tree, a learner, signers, a step.

Made directly with the ORM (the trajectories' services are another branch's), so
the evidence tests stand on their own. Call inside an organisation scope.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from courses.models import Enrolment, Step, StepProgress, StepRequirement, Trajectory
from organisations.models import Membership, Organisation, Team
from tests.conftest import make_member
from tests.factories import TeamFactory


@dataclass
class EvidenceWorld:
    organisation: Organisation
    top_team: Team
    team: Team
    learner: Membership
    manager: Membership  # of the learner's team
    top_manager: Membership  # of the team above
    buddy: Membership
    colleague: Membership
    trajectory: Trajectory
    step: Step
    enrolment: Enrolment
    progress: StepProgress


def evidence_world(
    organisation: Organisation,
    *,
    sign_off: str = Step.SignOff.MANAGER,
    sign_off_role: str = "",
    evidence_text: bool = True,
    evidence_files: bool = True,
    checklist: list[str] | None = None,
    kind: str = Step.Kind.ASSIGNMENT,
    locked: bool = False,
    title: str = "Lead the Monday stand-up",
) -> EvidenceWorld:
    top_manager = make_member(organisation)
    manager = make_member(organisation)
    top_team = TeamFactory(organisation=organisation, manager=top_manager)
    team = TeamFactory(organisation=organisation, parent=top_team, manager=manager)
    learner = make_member(organisation, team=team)
    buddy = make_member(organisation, team=team)
    colleague = make_member(organisation, team=team)
    manager.team = top_team
    manager.save(update_fields=["team"])
    trajectory = Trajectory.objects.create(
        organisation=organisation, title="New team leaders", status=Trajectory.Status.PUBLISHED
    )
    version = trajectory.versions.create(
        organisation=organisation, number=1, title="New team leaders"
    )
    trajectory.live_version = version
    trajectory.save(update_fields=["live_version"])
    first = None
    if locked:
        first = Step.objects.create(
            organisation=organisation,
            version=version,
            position=0,
            kind=Step.Kind.EXTERNAL,
            title="Read the handbook",
        )
    step = Step.objects.create(
        organisation=organisation,
        version=version,
        position=1,
        kind=kind,
        title=title,
        evidence_text=evidence_text,
        evidence_files=evidence_files,
        evidence_checklist=checklist or [],
        sign_off=sign_off,
        sign_off_role=sign_off_role,
    )
    if first is not None:
        StepRequirement.objects.create(organisation=organisation, step=step, required_step=first)
    enrolment = Enrolment.objects.create(
        organisation=organisation,
        trajectory=trajectory,
        version=version,
        membership=learner,
        buddy=buddy,
    )
    if first is not None:
        StepProgress.objects.create(organisation=organisation, enrolment=enrolment, step=first)
    progress = StepProgress.objects.create(
        organisation=organisation, enrolment=enrolment, step=step
    )
    return EvidenceWorld(
        organisation=organisation,
        top_team=top_team,
        team=team,
        learner=learner,
        manager=manager,
        top_manager=top_manager,
        buddy=buddy,
        colleague=colleague,
        trajectory=trajectory,
        step=step,
        enrolment=enrolment,
        progress=progress,
    )


def pdf_file(name: str = "notes.pdf", size: int = 0) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n% evidence\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
    body += b" " * max(0, size - len(body))
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def png_file(name: str = "photo.png") -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (11, 110, 79)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def docx_file(name: str = "report.docx") -> SimpleUploadedFile:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(
        name,
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def fake_pdf(name: str = "invoice.pdf") -> SimpleUploadedFile:
    """An executable dressed as a PDF: the name and the type say PDF, the bytes do not."""
    return SimpleUploadedFile(name, b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
