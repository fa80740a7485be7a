"""Reads about evidence: a step's conversation, a signer's queue, a colleague's feedback tasks.

Each read is a fixed number of queries however many rounds, files or waiting
items there are: pages prefetch, they never ask per row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from organisations.models import Membership
from organisations.permissions import managed_team_ids, roles_held

from ..models import (
    Enrolment,
    EvidenceFile,
    EvidenceSubmission,
    FeedbackRequest,
    SignOffDecision,
    Step,
    StepProgress,
)


def progress_for_evidence(*, organisation_id: int) -> QuerySet[StepProgress]:
    """Step progress of an organisation with what evidence pages show about it."""
    return StepProgress.objects.filter(organisation_id=organisation_id).select_related(
        "step",
        "enrolment__trajectory",
        "enrolment__membership__user",
        "enrolment__buddy__user",
    )


@dataclass
class Round:
    submission: EvidenceSubmission
    files: list[EvidenceFile]
    decision: SignOffDecision | None
    feedback: list[FeedbackRequest] = field(default_factory=list)

    @property
    def number(self) -> int:
        return self.submission.number


def evidence_rounds(*, progress: StepProgress) -> list[Round]:
    """Every round of a step's evidence, oldest first, each with its files, decision and
    the colleagues' feedback: four queries, however many rounds."""
    submissions = (
        EvidenceSubmission.objects.filter(
            organisation_id=progress.organisation_id, progress_id=progress.pk
        )
        .select_related("submitted_by__user", "decision__signer__user")
        .prefetch_related(
            Prefetch("files", queryset=EvidenceFile.objects.order_by("id")),
            Prefetch(
                "feedback_requests",
                queryset=FeedbackRequest.objects.select_related("colleague__user").order_by(
                    "created_at", "id"
                ),
            ),
        )
        .order_by("number")
    )
    rounds = []
    for submission in submissions:
        try:
            decision = submission.decision
        except SignOffDecision.DoesNotExist:
            decision = None
        rounds.append(
            Round(
                submission=submission,
                files=list(submission.files.all()),
                decision=decision,
                feedback=list(submission.feedback_requests.all()),
            )
        )
    return rounds


def evidence_file_for(*, organisation_id: int, file_id: int) -> EvidenceFile | None:
    return (
        EvidenceFile.objects.filter(organisation_id=organisation_id, pk=file_id)
        .select_related(
            "submission__progress__step",
            "submission__progress__enrolment__membership",
        )
        .first()
    )


def submission_for(*, organisation_id: int, submission_id: int) -> EvidenceSubmission | None:
    return (
        EvidenceSubmission.objects.filter(organisation_id=organisation_id, pk=submission_id)
        .select_related(
            "progress__step",
            "progress__enrolment__trajectory",
            "progress__enrolment__membership__user",
        )
        .first()
    )


def is_asked_for_feedback(*, membership: Membership, progress_id: int) -> bool:
    return FeedbackRequest.objects.filter(
        organisation_id=membership.organisation_id,
        colleague=membership,
        submission__progress_id=progress_id,
    ).exists()


# --- The sign-off queue -----------------------------------------------------------------


@dataclass
class QueueItem:
    progress: StepProgress
    submission_id: int
    round: int
    waiting_since: dt.datetime
    why: str  # manager, buddy or role: in what capacity this item is the signer's

    @property
    def learner(self) -> Membership:
        return self.progress.enrolment.membership

    @property
    def step(self) -> Step:
        return self.progress.step

    @property
    def trajectory(self):
        return self.progress.enrolment.trajectory


def _waiting_for(membership: Membership) -> Q | None:
    """Which waiting steps are this member's to sign: one condition per capacity."""
    conditions = Q(step__sign_off=Step.SignOff.BUDDY, enrolment__buddy_id=membership.pk)
    teams = managed_team_ids(membership)
    if teams:
        conditions |= Q(
            step__sign_off=Step.SignOff.MANAGER, enrolment__membership__team_id__in=teams
        )
    roles = roles_held(membership)
    if roles:
        conditions |= Q(step__sign_off=Step.SignOff.ROLE, step__sign_off_role__in=roles)
    return conditions


@dataclass
class QueueEntry:
    """One round waiting for its signer, before the objects a page shows of it are read."""

    progress_id: int
    submission_id: int
    round: int
    waiting_since: dt.datetime
    why: str


def sign_off_queue_entries(*, membership: Membership, limit: int = 200) -> list[QueueEntry]:
    """Everything waiting for this member's sign-off, longest waiting first, as plain values.

    As manager of their teams (sub-teams included), as buddy, and as holder of a
    role a step names; never their own evidence. Two queries plus the team lookup,
    however long the queue: the waiting steps, then their rounds. The latest round
    is picked in Python rather than by correlated subqueries, which cost more to
    plan (under row-level security) than the whole queue costs to run. Only the
    entries a page shows become objects (``queue_items``).
    """
    waiting_steps = (
        StepProgress.objects.filter(
            organisation_id=membership.organisation_id,
            status=StepProgress.Status.SUBMITTED,
            enrolment__membership__is_active=True,
        )
        .exclude(enrolment__status=Enrolment.Status.WITHDRAWN)
        .exclude(enrolment__membership_id=membership.pk)
        .filter(_waiting_for(membership))
        # Sorted below by waiting time: the models' default orders would only add joins.
        .order_by()
        .values_list(
            "pk", "step__sign_off", "enrolment__buddy_id", "enrolment__membership__team_id"
        )
    )
    capacity = {
        pk: (sign_off, buddy_id, team_id) for pk, sign_off, buddy_id, team_id in waiting_steps
    }
    latest: dict[int, tuple[int, int, dt.datetime]] = {}
    rounds = (
        EvidenceSubmission.objects.filter(
            organisation_id=membership.organisation_id, progress_id__in=list(capacity)
        )
        .order_by()
        .values_list("progress_id", "number", "pk", "submitted_at")
    )
    for progress_id, number, pk, submitted_at in rounds:
        if progress_id not in latest or number > latest[progress_id][0]:
            latest[progress_id] = (number, pk, submitted_at)
    waiting = sorted(latest, key=lambda pk: (latest[pk][2], pk))[:limit]
    entries = []
    teams = managed_team_ids(membership)
    for pk in waiting:
        sign_off, buddy_id, team_id = capacity[pk]
        if sign_off == Step.SignOff.BUDDY and buddy_id == membership.pk:
            why = "buddy"
        elif sign_off == Step.SignOff.MANAGER and team_id in teams:
            why = "manager"
        else:
            why = "role"
        number, submission_id, submitted_at = latest[pk]
        entries.append(
            QueueEntry(
                progress_id=pk,
                submission_id=submission_id,
                round=number,
                waiting_since=submitted_at,
                why=why,
            )
        )
    return entries


def queue_items(*, membership: Membership, entries: list[QueueEntry]) -> list[QueueItem]:
    """The entries with their step, learner and trajectory: one query, in the entries' order."""
    if not entries:
        return []
    rows = StepProgress.objects.filter(
        organisation_id=membership.organisation_id, pk__in=[e.progress_id for e in entries]
    ).select_related("step", "enrolment__trajectory", "enrolment__membership__user")
    rows = rows.defer("step__instructions", "step__evidence_checklist").order_by()
    found = {row.pk: row for row in rows}
    return [
        QueueItem(
            progress=found[entry.progress_id],
            submission_id=entry.submission_id,
            round=entry.round,
            waiting_since=entry.waiting_since,
            why=entry.why,
        )
        for entry in entries
        if entry.progress_id in found
    ]


def sign_off_queue(*, membership: Membership, limit: int = 200) -> list[QueueItem]:
    """Everything waiting for this member's sign-off, longest waiting first (see the entries)."""
    return queue_items(
        membership=membership, entries=sign_off_queue_entries(membership=membership, limit=limit)
    )


def is_buddy_of_open_enrolment(*, membership: Membership) -> bool:
    cached = getattr(membership, "_is_buddy", None)
    if cached is None:
        cached = Enrolment.objects.filter(
            organisation_id=membership.organisation_id,
            buddy=membership,
            status__in=Enrolment.OPEN,
        ).exists()
        membership._is_buddy = cached
    return cached


# --- Peer feedback ----------------------------------------------------------------------


def feedback_requests_open(*, membership: Membership, limit: int = 20) -> list[FeedbackRequest]:
    """Colleagues' requests for this member's feedback that wait for an answer, oldest first.

    Asked first with a query that is quick to plan, since most members have none: the
    full one joins five tables, and planning them costs more than running them.
    """
    waiting = FeedbackRequest.objects.filter(
        organisation_id=membership.organisation_id,
        colleague=membership,
        answered_at__isnull=True,
    )
    if not waiting.exists():
        return []
    return list(
        waiting.filter(
            Exists(Membership.objects.filter(pk=OuterRef("asked_by_id"), is_active=True))
        )
        .select_related("asked_by__user", "submission__progress__step")
        .order_by("created_at", "id")[:limit]
    )


def feedback_request_for(*, membership: Membership, request_id: int) -> FeedbackRequest | None:
    """A request of this organisation by id (whose it is, the caller checks: 403, not 404)."""
    return (
        FeedbackRequest.objects.filter(organisation_id=membership.organisation_id, pk=request_id)
        .select_related(
            "asked_by__user",
            "colleague__user",
            "submission__progress__step",
            "submission__progress__enrolment__trajectory",
        )
        .first()
    )


def own_progress(*, membership: Membership, progress_id: int) -> StepProgress | None:
    """The member's own step progress with its step, or None (someone else's, another org's)."""
    return (
        StepProgress.objects.filter(
            organisation_id=membership.organisation_id,
            pk=progress_id,
            enrolment__membership=membership,
        )
        .select_related("step")
        .first()
    )


def evidence_approved(*, progress: StepProgress) -> bool:
    """Whether a signer approved a round of this step's evidence."""
    return SignOffDecision.objects.filter(
        organisation_id=progress.organisation_id,
        submission__progress_id=progress.pk,
        decision=SignOffDecision.Decision.APPROVED,
    ).exists()
