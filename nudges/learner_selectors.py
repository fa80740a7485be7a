"""Reads of the learner's nudge kinds that belong to the nudges app: the reflections written.

What is due (commitments, steps, check-ins) is read through the owning apps'
selectors, each from an indexed due date or status, never a scan of members.
"""

from __future__ import annotations

from organisations.models import Membership

from .models import WorkReflection

# How far back a planner looks: what fell due longer ago than this when a rule was
# switched on is history, not a reminder.
LOOK_BACK_DAYS = 28


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
