"""Reads for L&D authors: the list of trajectories and what the editor shows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from organisations.models import Organisation, Skill

from ..models import Enrolment, Step, StepRequirement, StepSkill, Trajectory, TrajectoryVersion


def _enrolment_count(**filters) -> Coalesce:
    counted = (
        Enrolment.objects.filter(trajectory=OuterRef("pk"), **filters)
        .order_by()
        .values("trajectory")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def trajectories_for_authoring(
    *, organisation: Organisation, status: str | None = None
) -> QuerySet[Trajectory]:
    """Every trajectory of the organisation with its enrolment counts: one query."""
    trajectories = Trajectory.objects.filter(organisation=organisation)
    if status:
        trajectories = trajectories.filter(status=status)
    return trajectories.annotate(
        open_count=_enrolment_count(status__in=Enrolment.OPEN),
        completed_count=_enrolment_count(status=Enrolment.Status.COMPLETED),
    ).order_by("-updated_at", "-pk")


@dataclass
class EditorStep:
    step: Step
    requires: list[Step] = field(default_factory=list)
    skills: list[Skill] = field(default_factory=list)


def editing_version(*, trajectory: Trajectory) -> TrajectoryVersion:
    return trajectory.draft_version or trajectory.live_version


def editor_steps(*, version: TrajectoryVersion) -> list[EditorStep]:
    """The version's steps with what each waits for and its skills: three queries."""
    steps = list(version.steps.select_related("unit").order_by("position", "id"))
    by_id = {step.pk: EditorStep(step=step) for step in steps}
    for step_id, required_id in StepRequirement.objects.filter(step__version=version).values_list(
        "step_id", "required_step_id"
    ):
        if required_id in by_id:
            by_id[step_id].requires.append(by_id[required_id].step)
    skills_of: dict[int, list[Skill]] = defaultdict(list)
    for link in StepSkill.objects.filter(step__version=version).select_related("skill"):
        skills_of[link.step_id].append(link.skill)
    for step_id, skills in skills_of.items():
        by_id[step_id].skills = skills
    return list(by_id.values())


def stale_enrolment_count(*, trajectory: Trajectory) -> int:
    """Open enrolments that follow an older version than the live one."""
    if trajectory.live_version_id is None:
        return 0
    return (
        Enrolment.objects.filter(trajectory=trajectory, status__in=Enrolment.OPEN)
        .exclude(version_id=trajectory.live_version_id)
        .count()
    )


def version_step_choices(
    *, version: TrajectoryVersion, before: Step | None = None
) -> QuerySet[Step]:
    """Steps a step may wait for: the version's, before ``before`` when it is given."""
    steps = Step.objects.filter(version=version).order_by("position", "id")
    if before is not None and before.pk is not None:
        steps = steps.filter(Q(position__lt=before.position))
    return steps
