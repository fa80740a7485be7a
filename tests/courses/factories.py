"""Trajectories built through the services, as an author would build them."""

from __future__ import annotations

from courses.models import Step, Trajectory
from courses.services import authoring
from tests import factories
from tests.conftest import make_member

EVERY_KIND = (
    Step.Kind.UNIT,
    Step.Kind.EXTERNAL,
    Step.Kind.ASSIGNMENT,
    Step.Kind.SHADOWING,
    Step.Kind.BUDDY,
    Step.Kind.REFLECTION,
    Step.Kind.SESSION,
)


def author_of(organisation):
    return make_member(organisation, is_author=True)


def step_fields(kind, *, unit=None, **extra) -> dict:
    fields = {"kind": kind, "title": f"{Step.Kind(kind).label} step"}
    if kind == Step.Kind.UNIT:
        fields["unit"] = unit or factories.UnitFactory(organisation=extra.pop("organisation"))
    if kind == Step.Kind.EXTERNAL:
        fields["url"] = "https://learn.example.org/module"
    if kind == Step.Kind.SESSION:
        fields["session_kind"] = Step.SessionKind.INTERVISION
    extra.pop("organisation", None)
    return {**fields, **extra}


def trajectory_with(
    organisation,
    kinds=(Step.Kind.EXTERNAL,),
    *,
    author=None,
    publish=True,
    offsets=None,
    chained=False,
    self_enrolment=False,
    unit=None,
) -> Trajectory:
    """A trajectory with a step of each kind in order; ``chained``: each waits for the last."""
    author = author or author_of(organisation)
    trajectory = authoring.trajectory_create(
        by=author, title="Veilig werken", self_enrolment=self_enrolment
    )
    previous = None
    for index, kind in enumerate(kinds):
        offset = offsets[index] if offsets else None
        previous = authoring.step_add(
            trajectory=trajectory,
            by=author,
            requires=[previous] if chained and previous else [],
            **step_fields(kind, unit=unit, organisation=organisation, due_offset_days=offset),
        )
        previous.title = f"{previous.title} {index + 1}"
        previous.save(update_fields=["title"])
    if publish:
        authoring.trajectory_publish(trajectory=trajectory, by=author)
    trajectory.refresh_from_db()
    return trajectory
