"""Reads for the manager's coaching view: each member's trajectories with their steps.

Two queries for any number of members: their enrolments, then the steps' progress.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

from ..models import Enrolment, StepProgress
from .attention import STILL_TO_DO


@dataclass(frozen=True)
class StepLine:
    progress_id: int
    title: str
    status: str
    status_label: str
    due_on: dt.date | None
    overdue: bool


@dataclass
class MemberEnrolment:
    enrolment_id: int
    trajectory_id: int
    trajectory_title: str
    status: str
    status_label: str
    due_on: dt.date | None
    steps: list[StepLine] = field(default_factory=list)

    @property
    def steps_done(self) -> int:
        return sum(1 for step in self.steps if step.status == StepProgress.Status.DONE)

    @property
    def steps_overdue(self) -> int:
        return sum(1 for step in self.steps if step.overdue)


def _overdue_first(step: StepLine) -> tuple:
    done = step.status == StepProgress.Status.DONE
    return (not step.overdue, done, step.due_on or dt.date.max, step.progress_id)


def enrolments_of_members(
    *,
    organisation_id: int,
    member_ids: Collection[int],
    today: dt.date,
    trajectory_id: int | None = None,
) -> dict[int, list[MemberEnrolment]]:
    """Member id -> their enrolments not withdrawn, open ones first, each with its steps,
    overdue steps first. A step is overdue when it is still the learner's to do (to do, or
    changes asked) after its due date, as ``attention.steps_overdue`` counts it."""
    if not member_ids:
        return {}
    enrolments = Enrolment.objects.filter(
        organisation_id=organisation_id, membership_id__in=list(member_ids)
    ).exclude(status=Enrolment.Status.WITHDRAWN)
    if trajectory_id is not None:
        enrolments = enrolments.filter(trajectory_id=trajectory_id)
    found: dict[int, MemberEnrolment] = {}
    by_member: dict[int, list[MemberEnrolment]] = {}
    for pk, member_id, trajectory, title, status, due_on in enrolments.order_by(
        "due_on", "pk"
    ).values_list("pk", "membership_id", "trajectory_id", "trajectory__title", "status", "due_on"):
        line = MemberEnrolment(
            enrolment_id=pk,
            trajectory_id=trajectory,
            trajectory_title=title,
            status=status,
            status_label=str(Enrolment.Status(status).label),
            due_on=due_on,
        )
        found[pk] = line
        by_member.setdefault(member_id, []).append(line)
    if not found:
        return {}
    for pk, enrolment_id, title, status, due_on in (
        StepProgress.objects.filter(organisation_id=organisation_id, enrolment_id__in=list(found))
        .order_by()
        .values_list("pk", "enrolment_id", "step__title", "status", "due_on")
    ):
        enrolment = found[enrolment_id]
        overdue = (
            status in STILL_TO_DO
            and due_on is not None
            and due_on < today
            and enrolment.status in Enrolment.OPEN
        )
        enrolment.steps.append(
            StepLine(
                progress_id=pk,
                title=title,
                status=status,
                status_label=str(StepProgress.Status(status).label),
                due_on=due_on,
                overdue=overdue,
            )
        )
    for lines in by_member.values():
        for line in lines:
            line.steps.sort(key=_overdue_first)
        lines.sort(key=lambda line: (line.status not in Enrolment.OPEN, -line.steps_overdue))
    return by_member
