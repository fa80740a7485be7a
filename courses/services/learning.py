"""Writes for the learner's side of a step: marking it done, reflecting, confirming a buddy talk.

Every way a step ends goes through ``step_progress_done`` (``services.progress``),
which refuses a locked step: the web pages and the API alike.
Units complete their steps by themselves: ``unit_completed_received`` listens
for ``completed unit`` events (connected in ``CoursesConfig.ready``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import LearningEvent
from events.services import learning_event_record
from organisations.models import Membership

from ..models import BuddyConfirmation, Enrolment, Step, StepProgress, StepReflection
from .progress import progress_check_open, step_progress_done

ERROR_NOT_YOURS = _("Only the learner can do this step.")
ERROR_NOT_SELF_DONE = _("This step is done another way, not by marking it done.")
ERROR_NOT_REFLECTION = _("This step asks for no reflection.")
ERROR_NOT_BUDDY_STEP = _("This step is no buddy conversation.")
ERROR_NO_BUDDY = _("This trajectory has no buddy yet. Ask your manager to name one.")
ERROR_NOT_BUDDY = _("Only the learner and their buddy confirm this conversation.")
ERROR_EMPTY_REFLECTION = _("Write your answer first.")


def learner_marks_done(step: Step) -> bool:
    """Whether the learner themselves says the step is done (no evidence, nobody signs)."""
    if step.kind == Step.Kind.EXTERNAL:
        return True
    if step.kind in (Step.Kind.ASSIGNMENT, Step.Kind.SHADOWING):
        return step.sign_off == Step.SignOff.NOBODY and not step.needs_evidence
    return False


def step_mark_done(*, progress: StepProgress, membership: Membership) -> StepProgress:
    """The learner says an external module (or a step without evidence or signer) is done."""
    if progress.enrolment.membership_id != membership.pk:
        raise PermissionDenied(ERROR_NOT_YOURS)
    if not learner_marks_done(progress.step):
        raise ValidationError(ERROR_NOT_SELF_DONE)
    return step_progress_done(progress=progress, by=membership)


def step_reflection_save(
    *, progress: StepProgress, membership: Membership, text: str, shared_with_manager: bool = False
) -> StepReflection:
    """Save the learner's answer to a reflection step, which makes the step done.

    Private unless they share it with their manager; they may change both later.
    """
    if progress.enrolment.membership_id != membership.pk:
        raise PermissionDenied(ERROR_NOT_YOURS)
    if progress.step.kind != Step.Kind.REFLECTION:
        raise ValidationError(ERROR_NOT_REFLECTION)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": ERROR_EMPTY_REFLECTION})
    if progress.status != StepProgress.Status.DONE:
        progress_check_open(progress=progress)
    now = timezone.now()
    with transaction.atomic():
        reflection, created = StepReflection.objects.update_or_create(
            organisation_id=progress.organisation_id,
            progress=progress,
            defaults={"text": text, "shared_with_manager": shared_with_manager, "updated_at": now},
        )
        reflection.full_clean()
        if created:
            learning_event_record(
                actor=membership,
                verb=LearningEvent.Verb.REFLECTED,
                object_type="step",
                object_id=progress.step_id,
                context={"enrolment": progress.enrolment_id, "shared": shared_with_manager},
                timestamp=now,
            )
        if progress.status != StepProgress.Status.DONE:
            step_progress_done(progress=progress, by=membership, at=now)
    return reflection


def buddy_confirm(*, progress: StepProgress, membership: Membership) -> StepProgress:
    """The learner or their buddy says the conversation took place; when both have, it is done."""
    enrolment: Enrolment = progress.enrolment
    if progress.step.kind != Step.Kind.BUDDY:
        raise ValidationError(ERROR_NOT_BUDDY_STEP)
    if enrolment.buddy_id is None:
        raise ValidationError(ERROR_NO_BUDDY)
    if membership.pk not in (enrolment.membership_id, enrolment.buddy_id):
        raise PermissionDenied(ERROR_NOT_BUDDY)
    if progress.status == StepProgress.Status.DONE:
        return progress
    progress_check_open(progress=progress)
    with transaction.atomic():
        BuddyConfirmation.objects.get_or_create(
            organisation_id=progress.organisation_id, progress=progress, membership=membership
        )
        confirmed = set(
            BuddyConfirmation.objects.filter(progress=progress).values_list(
                "membership_id", flat=True
            )
        )
        if {enrolment.membership_id, enrolment.buddy_id} <= confirmed:
            return step_progress_done(progress=progress, by=membership)
    return progress


def unit_steps_complete(*, membership_id: int, organisation_id: int, unit_id: int, at=None) -> int:
    """A completed unit makes its open unit steps done in the learner's open enrolments."""
    rows = (
        StepProgress.objects.filter(
            organisation_id=organisation_id,
            enrolment__membership_id=membership_id,
            enrolment__status__in=Enrolment.OPEN,
            step__kind=Step.Kind.UNIT,
            step__unit_id=unit_id,
        )
        .exclude(status=StepProgress.Status.DONE)
        .select_related("enrolment__membership")
    )
    done = 0
    for progress in rows:
        try:
            step_progress_done(progress=progress, by=progress.enrolment.membership, at=at)
        except ValidationError:
            continue  # locked: it waits for earlier steps; it counts when reached
        done += 1
    return done


def unit_completed_received(sender, event, **kwargs) -> None:
    """``learning_event_recorded`` receiver: a completed unit completes its steps."""
    if event.verb != LearningEvent.Verb.COMPLETED or event.object_type != "unit":
        return
    unit_steps_complete(
        membership_id=event.actor_id,
        organisation_id=event.organisation_id,
        unit_id=event.object_id,
        at=event.timestamp,
    )
