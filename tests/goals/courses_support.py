"""A trajectory step to link plan activities to, made directly (courses owns the services)."""

from __future__ import annotations

from courses.models import Step, Trajectory, TrajectoryVersion


def a_step(organisation, *, kind: str = Step.Kind.ASSIGNMENT) -> Step:
    trajectory = Trajectory.objects.create(organisation=organisation, title="Onboarding")
    version = TrajectoryVersion.objects.create(
        organisation=organisation, trajectory=trajectory, number=1, title="Onboarding"
    )
    return Step.objects.create(
        organisation=organisation, version=version, kind=kind, title="Plan a week", position=1
    )
