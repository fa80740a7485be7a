"""Reads about steps for the nudges: steps due soon or overdue, on-the-job steps signed off."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from organisations.models import Membership, Organisation

from ..models import Enrolment, Step, StepProgress

# The steps done at work whose sign-off invites a reflection.
ON_THE_JOB_KINDS = (Step.Kind.ASSIGNMENT, Step.Kind.SHADOWING)
SIGNED_OFF_BY = (Step.SignOff.MANAGER, Step.SignOff.BUDDY, Step.SignOff.ROLE)
# The steps waiting for their learner: not those done, nor those waiting for a signer.
FOR_THE_LEARNER = (StepProgress.Status.OPEN, StepProgress.Status.CHANGES_REQUESTED)


def steps_due(
    *,
    organisation: Organisation,
    due_from: dt.date,
    due_by: dt.date,
    memberships: QuerySet[Membership],
) -> list[tuple[int, int, dt.date]]:
    """(member id, progress id, due date) of steps waiting for their learner, due in range.

    Steps of open enrolments only; a step handed in for sign-off waits for its signer.

    Reads the ``progress_org_status_due`` index; the members are a subquery.
    """
    return list(
        StepProgress.objects.filter(
            organisation=organisation,
            status__in=FOR_THE_LEARNER,
            due_on__gte=due_from,
            due_on__lte=due_by,
            enrolment__status__in=Enrolment.OPEN,
            enrolment__membership__in=memberships,
        )
        .order_by("pk")
        .values_list("enrolment__membership_id", "pk", "due_on")
    )


def steps_signed_off(
    *,
    organisation: Organisation,
    done_from: dt.datetime,
    done_by: dt.datetime,
    memberships: QuerySet[Membership],
) -> list[tuple[int, int]]:
    """(member id, progress id) of on-the-job steps a signer made done between the times."""
    return list(
        StepProgress.objects.filter(
            organisation=organisation,
            status=StepProgress.Status.DONE,
            done_at__gte=done_from,
            done_at__lte=done_by,
            step__kind__in=ON_THE_JOB_KINDS,
            step__sign_off__in=SIGNED_OFF_BY,
            enrolment__membership__in=memberships,
        )
        .order_by("pk")
        .values_list("enrolment__membership_id", "pk")
    )


def step_progress_by_id(*, organisation_id: int, progress_id: int | None) -> StepProgress | None:
    """One step's progress with its step, enrolment and the trajectory version's title."""
    if progress_id is None:
        return None
    return (
        StepProgress.objects.filter(organisation_id=organisation_id, pk=progress_id)
        .select_related("step", "enrolment__version")
        .first()
    )


def step_progress_latest_due(*, organisation_id: int) -> StepProgress | None:
    """The organisation's newest step progress with a due date: real words for a preview."""
    return (
        StepProgress.objects.filter(organisation_id=organisation_id, due_on__isnull=False)
        .select_related("step", "enrolment__version")
        .order_by("-pk")
        .first()
    )


def step_progress_is_done(progress: StepProgress) -> bool:
    return progress.status == StepProgress.Status.DONE


def step_progress_waits_for_learner(progress: StepProgress) -> bool:
    return progress.status in FOR_THE_LEARNER


def enrolment_is_open(enrolment: Enrolment) -> bool:
    return enrolment.status in Enrolment.OPEN
