"""Reads about steps that need someone's attention: evidence waiting for sign-off, changes
asked and not acted on, steps past their due date.

For the managers' nudges and their weekly digest. Every read starts from step
progress of one status in one organisation (the ``progress_org_status_due``
index), never from the members: an organisation with nothing waiting costs one
quick query, however many members it has.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import QuerySet

from ..models import Enrolment, EvidenceSubmission, SignOffDecision, Step, StepProgress

# A step still the learner's to do: after its due date, it is overdue.
STILL_TO_DO = (StepProgress.Status.OPEN, StepProgress.Status.CHANGES_REQUESTED)


@dataclass(frozen=True)
class StepInNeed:
    """One learner's step and since when it waits (handed in, sent back, or due)."""

    progress_id: int
    learner_id: int
    learner_team_id: int | None
    learner_name: str
    step_title: str
    trajectory_title: str
    sign_off: str
    since: dt.datetime | dt.date
    submission_id: int | None = None


_FIELDS = (
    "pk",
    "enrolment__membership_id",
    "enrolment__membership__team_id",
    "enrolment__membership__user__first_name",
    "enrolment__membership__user__last_name",
    "enrolment__membership__user__email",
    "step__title",
    "enrolment__trajectory__title",
    "step__sign_off",
)


def _progress(
    *, organisation_id: int, statuses: list[str], team_ids: Collection[int] | None
) -> QuerySet[StepProgress]:
    """Progress of active learners not withdrawn (in ``team_ids`` when given)."""
    rows = StepProgress.objects.filter(
        organisation_id=organisation_id,
        status__in=statuses,
        enrolment__membership__is_active=True,
    ).exclude(enrolment__status=Enrolment.Status.WITHDRAWN)
    if team_ids is not None:
        rows = rows.filter(enrolment__membership__team_id__in=team_ids)
    return rows


def _name(first: str, last: str, email: str) -> str:
    return f"{first} {last}".strip() or email


def _in_need(row: tuple, *, since, submission_id: int | None = None) -> StepInNeed:
    pk, learner_id, team_id, first, last, email, step, trajectory, sign_off = row
    return StepInNeed(
        progress_id=pk,
        learner_id=learner_id,
        learner_team_id=team_id,
        learner_name=_name(first, last, email),
        step_title=step,
        trajectory_title=trajectory,
        sign_off=sign_off,
        since=since,
        submission_id=submission_id,
    )


def evidence_waiting(
    *,
    organisation_id: int,
    submitted_before: dt.datetime,
    team_ids: Collection[int] | None = None,
    manager_sign_off_only: bool = False,
) -> list[StepInNeed]:
    """Handed-in evidence whose latest round waits since before ``submitted_before``.

    Two queries: the waiting steps, then their rounds (the latest is picked in
    Python, as the sign-off queue does). Longest waiting first.
    """
    progress = _progress(
        organisation_id=organisation_id,
        statuses=[StepProgress.Status.SUBMITTED],
        team_ids=team_ids,
    )
    if manager_sign_off_only:
        progress = progress.filter(
            step__sign_off=Step.SignOff.MANAGER, enrolment__membership__team_id__isnull=False
        )
    rows = {row[0]: row for row in progress.values_list(*_FIELDS)}
    if not rows:
        return []
    latest: dict[int, tuple[int, int, dt.datetime]] = {}
    for progress_id, number, pk, submitted_at in EvidenceSubmission.objects.filter(
        organisation_id=organisation_id, progress_id__in=list(rows)
    ).values_list("progress_id", "number", "pk", "submitted_at"):
        if progress_id not in latest or number > latest[progress_id][0]:
            latest[progress_id] = (number, pk, submitted_at)
    waiting = [
        _in_need(rows[progress_id], since=submitted_at, submission_id=pk)
        for progress_id, (_, pk, submitted_at) in latest.items()
        if submitted_at <= submitted_before
    ]
    return sorted(waiting, key=lambda item: (item.since, item.progress_id))


def changes_not_acted_on(
    *, organisation_id: int, decided_before: dt.datetime, team_ids: Collection[int] | None = None
) -> list[StepInNeed]:
    """Steps sent back for changes before ``decided_before`` and not handed in again."""
    rows = {
        row[0]: row
        for row in _progress(
            organisation_id=organisation_id,
            statuses=[StepProgress.Status.CHANGES_REQUESTED],
            team_ids=team_ids,
        ).values_list(*_FIELDS)
    }
    if not rows:
        return []
    latest: dict[int, dt.datetime] = {}
    for progress_id, decided_at in SignOffDecision.objects.filter(
        organisation_id=organisation_id,
        submission__progress_id__in=list(rows),
        decision=SignOffDecision.Decision.CHANGES_REQUESTED,
    ).values_list("submission__progress_id", "decided_at"):
        if progress_id not in latest or decided_at > latest[progress_id]:
            latest[progress_id] = decided_at
    sent_back = [
        _in_need(rows[progress_id], since=decided_at)
        for progress_id, decided_at in latest.items()
        if decided_at <= decided_before
    ]
    return sorted(sent_back, key=lambda item: (item.since, item.progress_id))


def steps_overdue(
    *, organisation_id: int, today: dt.date, team_ids: Collection[int] | None = None
) -> list[StepInNeed]:
    """Steps still to do (or sent back) whose due date is before ``today``: one query.

    A step waiting for sign-off is not the learner's to finish, so it is left out
    here (the digest lists it as waiting).
    """
    rows = (
        _progress(
            organisation_id=organisation_id,
            statuses=list(STILL_TO_DO),
            team_ids=team_ids,
        )
        .filter(due_on__lt=today, enrolment__status__in=Enrolment.OPEN)
        .values_list(*_FIELDS, "due_on")
    )
    return sorted(
        (_in_need(row[:-1], since=row[-1]) for row in rows),
        key=lambda item: (item.since, item.progress_id),
    )


def open_step_of(*, organisation_id: int, learner_ids: Collection[int]) -> dict[int, int]:
    """For each learner, the progress id of one open step of theirs (the earliest due): one
    query. Where a manager can see how an inactive learner stands."""
    first: dict[int, int] = {}
    if not learner_ids:
        return first
    for learner_id, progress_id in (
        StepProgress.objects.filter(
            organisation_id=organisation_id,
            status__in=[StepProgress.Status.OPEN, StepProgress.Status.CHANGES_REQUESTED],
            enrolment__membership_id__in=list(learner_ids),
            enrolment__status__in=Enrolment.OPEN,
        )
        .order_by("due_on", "pk")
        .values_list("enrolment__membership_id", "pk")
    ):
        first.setdefault(learner_id, progress_id)
    return first


def submission_waits(*, organisation_id: int, submission_id: int) -> str:
    """Whether a round of evidence still waits for sign-off: "waiting", "decided" (it has a
    decision, or a later round replaced it) or "gone" (withdrawn, learner left, deleted)."""
    row = (
        EvidenceSubmission.objects.filter(organisation_id=organisation_id, pk=submission_id)
        .values_list(
            "progress_id",
            "number",
            "progress__status",
            "progress__enrolment__status",
            "progress__enrolment__membership__is_active",
        )
        .first()
    )
    if row is None:
        return "gone"
    progress_id, number, status, enrolment_status, learner_active = row
    if enrolment_status == Enrolment.Status.WITHDRAWN or not learner_active:
        return "gone"
    if status != StepProgress.Status.SUBMITTED:
        return "decided"
    decided = SignOffDecision.objects.filter(
        organisation_id=organisation_id, submission_id=submission_id
    ).exists()
    later = EvidenceSubmission.objects.filter(
        organisation_id=organisation_id, progress_id=progress_id, number__gt=number
    ).exists()
    return "decided" if decided or later else "waiting"
