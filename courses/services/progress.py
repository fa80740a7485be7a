"""Writes for where an enrolment stands: a step becomes done, the enrolment's status follows.

Every kind of step ends here: a completed unit, a module marked done, evidence
signed off, a session attended. So the rules live once: a locked step cannot be
done, a done step stays done, each completion records one ``completed`` event
in the step's 70:20:10 category, and the enrolment's status is recomputed from
its steps by ``enrolment_refresh_status`` with the transitions of
``Enrolment.TRANSITIONS``.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import LearningEvent
from events.services import learning_event_record
from organisations.models import Membership
from organisations.workdays import local_date

from ..models import Enrolment, StepProgress
from ..selectors.progress import progress_waits_for

ERROR_LOCKED = _("This step waits for: %(steps)s.")
ERROR_PROGRESS_TRANSITION = _("A step that is “%(old)s” cannot become “%(new)s”.")
ERROR_ENROLMENT_TRANSITION = _("An enrolment that is “%(old)s” cannot become “%(new)s”.")
ERROR_WITHDRAWN = _("This enrolment was withdrawn.")


def progress_check_open(*, progress: StepProgress) -> None:
    """Raise unless the step may be worked on now: enrolment open, waiting for nothing."""
    if progress.enrolment.status == Enrolment.Status.WITHDRAWN:
        raise ValidationError(ERROR_WITHDRAWN)
    waits = progress_waits_for(progress=progress)
    if waits:
        raise ValidationError(
            ERROR_LOCKED, params={"steps": ", ".join(step.title for step in waits)}
        )


def progress_move(*, progress: StepProgress, status: StepProgress.Status) -> StepProgress:
    """Move a step's progress along ``StepProgress.TRANSITIONS``; the same status is a no-op."""
    old = StepProgress.Status(progress.status)
    new = StepProgress.Status(status)
    if old == new:
        return progress
    if new not in StepProgress.TRANSITIONS[old]:
        raise ValidationError(
            ERROR_PROGRESS_TRANSITION, params={"old": old.label, "new": new.label}
        )
    progress.status = new
    progress.updated_at = timezone.now()
    progress.save(update_fields=["status", "updated_at"])
    return progress


def step_progress_done(
    *,
    progress: StepProgress,
    by: Membership,
    at: dt.datetime | None = None,
    result: dict | None = None,
) -> StepProgress:
    """Make a step done for its learner, whoever did it (learner, signer, facilitator).

    Done again is a no-op. A locked step or a withdrawn enrolment raises
    ValidationError. The ``completed`` event is the learner's (they learnt), with
    who made it done in its context.
    """
    with transaction.atomic():
        progress = (
            StepProgress.objects.select_for_update()
            .select_related("step", "enrolment")
            .get(pk=progress.pk, organisation_id=progress.organisation_id)
        )
        if progress.status == StepProgress.Status.DONE:
            return progress
        progress_check_open(progress=progress)
        at = at or timezone.now()
        progress_move(progress=progress, status=StepProgress.Status.DONE)
        progress.done_at = at
        progress.done_by = by
        progress.save(update_fields=["done_at", "done_by"])
        enrolment = progress.enrolment
        step = progress.step
        learning_event_record(
            actor=enrolment.membership,
            verb=LearningEvent.Verb.COMPLETED,
            object_type="step",
            object_id=step.pk,
            result=result,
            context={
                "trajectory": enrolment.trajectory_id,
                "version": enrolment.version_id,
                "enrolment": enrolment.pk,
                "kind": step.kind,
                "by": by.pk,
            },
            object_category=step.category,
            timestamp=at,
        )
        enrolment_refresh_status(enrolment=enrolment, at=at)
    return progress


def enrolment_move(
    *, enrolment: Enrolment, status: Enrolment.Status, at: dt.datetime | None = None
) -> Enrolment:
    """Move an enrolment along ``Enrolment.TRANSITIONS``; the same status is a no-op."""
    old = Enrolment.Status(enrolment.status)
    new = Enrolment.Status(status)
    if old == new:
        return enrolment
    if new not in Enrolment.TRANSITIONS[old]:
        raise ValidationError(
            ERROR_ENROLMENT_TRANSITION, params={"old": old.label, "new": new.label}
        )
    at = at or timezone.now()
    enrolment.status = new
    enrolment.completed_at = at if new == Enrolment.Status.COMPLETED else None
    if new == Enrolment.Status.WITHDRAWN:
        enrolment.withdrawn_at = at
    elif old == Enrolment.Status.WITHDRAWN:
        enrolment.withdrawn_at = None
    enrolment.save(update_fields=["status", "completed_at", "withdrawn_at"])
    return enrolment


def enrolment_status_due(
    *, enrolment: Enrolment, at: dt.datetime | None = None
) -> Enrolment.Status:
    """The status an open enrolment's steps and due date call for (a withdrawn one stays so).

    Completed when every required step is done; overdue when its due date has
    passed in the organisation's days; in progress once any step moved; else
    not started.
    """
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        return Enrolment.Status.WITHDRAWN
    rows = list(
        StepProgress.objects.filter(
            organisation_id=enrolment.organisation_id, enrolment_id=enrolment.pk
        ).values_list("status", "step__required")
    )
    required_open = any(
        required and status != StepProgress.Status.DONE for status, required in rows
    )
    if not required_open:
        return Enrolment.Status.COMPLETED
    at = at or timezone.now()
    if enrolment.due_on and enrolment.due_on < local_date(
        organisation=enrolment.organisation, moment=at
    ):
        return Enrolment.Status.OVERDUE
    if any(status != StepProgress.Status.OPEN for status, _required in rows):
        return Enrolment.Status.IN_PROGRESS
    return Enrolment.Status.NOT_STARTED


def enrolment_refresh_status(*, enrolment: Enrolment, at: dt.datetime | None = None) -> Enrolment:
    """Bring an enrolment's status in line with its steps and due date."""
    status = enrolment_status_due(enrolment=enrolment, at=at)
    if status == Enrolment.Status(enrolment.status):
        return enrolment
    # From completed back to "not started" is no transition: a learner moved on to
    # a version with new required steps has started, they are in progress again.
    if enrolment.status == Enrolment.Status.COMPLETED and status == Enrolment.Status.NOT_STARTED:
        status = Enrolment.Status.IN_PROGRESS
    return enrolment_move(enrolment=enrolment, status=status, at=at)
