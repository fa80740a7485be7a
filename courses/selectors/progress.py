"""Reads about where enrolments stand: which steps wait for which, in as few queries as the page."""

from __future__ import annotations

from collections import defaultdict

from ..models import Step, StepProgress, StepRequirement


def version_requirements(*, version_id: int) -> dict[int, list[int]]:
    """For each step of a version that waits for others: the ids of the steps it waits for."""
    waits: dict[int, list[int]] = defaultdict(list)
    rows = StepRequirement.objects.filter(step__version_id=version_id).values_list(
        "step_id", "required_step_id"
    )
    for step_id, required_id in rows:
        waits[step_id].append(required_id)
    return dict(waits)


def step_locks(
    *, requirements: dict[int, list[int]], done_step_ids: set[int]
) -> dict[int, list[int]]:
    """Step id → the ids of the steps it still waits for, for every locked step.

    Pure: the caller brings the version's requirements (``version_requirements``)
    and what its enrolment has done, so a page of twenty steps locks them in no
    further queries.
    """
    return {
        step_id: [required for required in required_ids if required not in done_step_ids]
        for step_id, required_ids in requirements.items()
        if any(required not in done_step_ids for required in required_ids)
    }


def progress_waits_for(*, progress: StepProgress) -> list[Step]:
    """The steps that must be done before this one can be, in trajectory order; empty when open."""
    return list(
        Step.objects.filter(
            organisation_id=progress.organisation_id,
            id__in=StepRequirement.objects.filter(step_id=progress.step_id).values(
                "required_step_id"
            ),
        )
        .exclude(
            id__in=StepProgress.objects.filter(
                enrolment_id=progress.enrolment_id, status=StepProgress.Status.DONE
            ).values("step_id")
        )
        .order_by("position", "id")
    )
