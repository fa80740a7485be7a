"""Reads for the learner's nudge kinds: what is due, from the indexed due things only.

Each planner read starts from rows that carry a due date or a status in an
index (commitments by status and date, step progress by status and due date,
goals by status) and narrows them to the rule's audience with a subquery, so
the cost follows what is due, not the number of members.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Max, QuerySet
from django.db.models.functions import Coalesce

from courses.models import Enrolment, Step, StepProgress
from goals.models import Goal
from goals.selectors.goals import CHECK_IN_EVERY_DAYS
from microlearning.models import Commitment
from organisations.models import Membership, Organisation

from .models import WorkReflection

# How far back a planner looks: what fell due longer ago than this when a rule was
# switched on is history, not a reminder.
LOOK_BACK_DAYS = 28

# The steps done at work whose sign-off invites a reflection.
ON_THE_JOB_KINDS = (Step.Kind.ASSIGNMENT, Step.Kind.SHADOWING)


def commitments_to_ask(
    *,
    organisation: Organisation,
    due_by: dt.date,
    memberships: QuerySet[Membership],
) -> list[tuple[int, int]]:
    """(member id, commitment id) of open commitments whose date is ``due_by`` or before."""
    return list(
        Commitment.objects.filter(
            organisation=organisation,
            status=Commitment.Status.OPEN,
            due_on__lte=due_by,
            due_on__gte=due_by - dt.timedelta(days=LOOK_BACK_DAYS),
            member__in=memberships,
        )
        .order_by("pk")
        .values_list("member_id", "pk")
    )


def commitment_of(*, organisation_id: int, commitment_id: int | None) -> Commitment | None:
    if commitment_id is None:
        return None
    return (
        Commitment.objects.filter(organisation_id=organisation_id, pk=commitment_id)
        .select_related("unit", "member")
        .first()
    )


def steps_due(
    *,
    organisation: Organisation,
    due_by: dt.date,
    overdue_from: dt.date,
    memberships: QuerySet[Membership],
) -> list[tuple[int, int, dt.date]]:
    """(member id, progress id, due date) of open steps of open enrolments due by ``due_by``.

    Overdue steps count from ``overdue_from`` on (the look-back of the planner).
    """
    return list(
        StepProgress.objects.filter(
            organisation=organisation,
            status__in=[
                StepProgress.Status.OPEN,
                StepProgress.Status.SUBMITTED,
                StepProgress.Status.CHANGES_REQUESTED,
            ],
            due_on__lte=due_by,
            due_on__gte=overdue_from,
            enrolment__status__in=Enrolment.OPEN,
            enrolment__membership__in=memberships,
        )
        .order_by("pk")
        .values_list("enrolment__membership_id", "pk", "due_on")
    )


def step_progress_of(*, organisation_id: int, progress_id: int | None) -> StepProgress | None:
    if progress_id is None:
        return None
    return (
        StepProgress.objects.filter(organisation_id=organisation_id, pk=progress_id)
        .select_related("step", "enrolment__version")
        .first()
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
            step__sign_off__in=[
                Step.SignOff.MANAGER,
                Step.SignOff.BUDDY,
                Step.SignOff.ROLE,
            ],
            enrolment__membership__in=memberships,
        )
        .order_by("pk")
        .values_list("enrolment__membership_id", "pk")
    )


def members_with_agreed_goal(
    *, organisation: Organisation, memberships: QuerySet[Membership]
) -> dict[int, int]:
    """Member id -> the id of their agreed goal with the soonest target (one per member)."""
    first: dict[int, int] = {}
    for member_id, goal_id in (
        Goal.objects.filter(
            organisation=organisation, status=Goal.Status.AGREED, member__in=memberships
        )
        .order_by("member_id", "target_date", "pk")
        .values_list("member_id", "pk")
    ):
        first.setdefault(member_id, goal_id)
    return first


def check_ins_due(
    *,
    organisation: Organisation,
    due_by: dt.datetime,
    memberships: QuerySet[Membership],
) -> list[tuple[int, int, dt.datetime]]:
    """(member id, goal id, when the check-in fell due) of agreed goals due a check-in.

    A check-in is due ``CHECK_IN_EVERY_DAYS`` after the last one, or after the goal
    was agreed (as ``goals.selectors.goals.next_check_in_on`` says on the goal's page).
    """
    return list(
        Goal.objects.filter(
            organisation=organisation,
            status=Goal.Status.AGREED,
            agreed_at__isnull=False,
            member__in=memberships,
        )
        .annotate(since=Coalesce(Max("check_ins__created_at"), F("agreed_at")))
        .filter(since__lte=due_by - dt.timedelta(days=CHECK_IN_EVERY_DAYS))
        .order_by("pk")
        .values_list("member_id", "pk", "since")
    )


def goal_of(*, organisation_id: int, goal_id: int | None) -> Goal | None:
    if goal_id is None:
        return None
    return Goal.objects.filter(organisation_id=organisation_id, pk=goal_id).first()


def last_check_in_at(*, goal: Goal) -> dt.datetime | None:
    return goal.check_ins.aggregate(last=Max("created_at"))["last"]


def work_reflection_of(
    *, membership: Membership, subject_type: str, subject_id: int, occurrence: int
) -> WorkReflection | None:
    return WorkReflection.objects.filter(
        organisation_id=membership.organisation_id,
        member=membership,
        subject_type=subject_type,
        subject_id=subject_id,
        occurrence=occurrence,
    ).first()
