"""Evidence rounds for the demo's trajectories: steps at every stage of sign-off.

Called by the demo after the trajectories' own seeding, with the organisation and
the step progress it made::

    from demo.evidence import evidence_seed
    evidence_seed(organisation=organisation, progress=StepProgress.objects.filter(...))

Only steps that ask for evidence and have a signer are used; they are taken in
turn through four stages: one round waiting for sign-off; changes asked, then a
second round waiting (with a colleague's peer feedback); approved; left open.
Locked steps and steps that already have evidence are skipped, so a second run
creates nothing. Everything goes through the evidence services, so statuses,
events and the signers' e-mails are what real use makes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from courses.models import Step, StepProgress
from courses.services.evidence import (
    evidence_signers,
    evidence_submit,
    feedback_answer,
    feedback_request_create,
    sign_off_decide,
)
from organisations.models import Membership, Organisation

STAGES = ("waiting", "second_round", "approved", "open")

# What the demo's learners, signers and colleagues write, in the organisation's language.
TEXTS = {
    "en": {
        "round_one": (
            "I did it twice. The first time it took too long; the second time I used a short "
            "checklist and it went smoothly."
        ),
        "round_two": (
            "I added the checklist I used and what my colleagues said afterwards: clearer, and "
            "nobody forgot a thing. Next time I will ask for feedback beforehand."
        ),
        "changes": "Good start. Add the checklist you used, and what your colleagues said.",
        "approved": "Well done.",
        "ask": "Was my account clear?",
        "peer": "Clear and to the point. The checklist helped; ask a quiet colleague too.",
        "files": ("notes.pdf", "checklist.pdf"),
    },
    "nl": {
        "round_one": (
            "Ik heb het twee keer gedaan. De eerste keer duurde het te lang; de tweede keer "
            "werkte ik met een korte checklist en ging het vlot."
        ),
        "round_two": (
            "Ik heb de checklist toegevoegd die ik gebruikte, en wat mijn collega's ervan "
            "vonden: duidelijker, en niemand vergat iets. Volgende keer vraag ik vooraf feedback."
        ),
        "changes": "Goed begin. Voeg je checklist toe, en wat je collega's ervan zeiden.",
        "approved": "Goed gedaan.",
        "ask": "Was mijn verslag duidelijk?",
        "peer": "Helder en to the point. De checklist hielp; vraag ook een stille collega.",
        "files": ("aantekeningen.pdf", "checklist.pdf"),
    },
}


def _pdf(name: str) -> ContentFile:
    body = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    return ContentFile(body, name=name)


def _round(progress: StepProgress, text: str, name: str):
    step = progress.step
    return evidence_submit(
        progress=progress,
        membership=progress.enrolment.membership,
        text=text,
        files=[_pdf(name)] if step.evidence_files else [],
        checklist_ticked=range(len(step.evidence_checklist or [])),
    )


def _colleague(progress: StepProgress, signer: Membership) -> Membership | None:
    learner = progress.enrolment.membership
    return (
        Membership.objects.filter(organisation_id=learner.organisation_id, is_active=True)
        .exclude(pk__in=[learner.pk, signer.pk])
        .filter(team_id=learner.team_id)
        .order_by("pk")
        .first()
    )


def evidence_seed(*, organisation: Organisation, progress: Iterable[StepProgress]) -> Counter:
    """Hand in, send back and sign off evidence on the given progress; returns what it made."""
    made: Counter[str] = Counter()
    # The stage follows from a step's place among all the given ones, not from what is
    # left to do: a second run gives each step the stage it got the first time.
    steps = (
        StepProgress.objects.filter(organisation=organisation, pk__in=[p.pk for p in progress])
        .exclude(step__sign_off=Step.SignOff.NOBODY)
        .select_related("step", "enrolment__membership", "enrolment__trajectory")
        .order_by("pk")
    )
    for index, item in enumerate(steps):
        which = STAGES[index % len(STAGES)]
        if which == "open" or item.status != StepProgress.Status.OPEN:
            continue
        if item.evidence_rounds.exists():
            continue
        signers = evidence_signers(progress=item)
        if not signers:
            continue
        signer = signers[0]
        text = TEXTS.get(organisation.language, TEXTS["en"])
        try:
            first = _round(item, text["round_one"], text["files"][0])
        except ValidationError:  # locked: it waits for an earlier step
            continue
        made["rounds"] += 1
        if which == "approved":
            sign_off_decide(
                submission=first, signer=signer, approve=True, feedback=text["approved"]
            )
            made["approved"] += 1
        elif which == "second_round":
            sign_off_decide(
                submission=first, signer=signer, approve=False, feedback=text["changes"]
            )
            item.refresh_from_db()
            _round(item, text["round_two"], text["files"][1])
            made["rounds"] += 1
            colleague = _colleague(item, signer)
            if colleague is not None:
                request = feedback_request_create(
                    progress=item,
                    membership=item.enrolment.membership,
                    colleague=colleague,
                    message=text["ask"],
                )
                feedback_answer(request=request, membership=colleague, answer=text["peer"])
                made["peer_feedback"] += 1
    return made
