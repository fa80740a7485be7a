import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from courses.models import Enrolment, Step, StepProgress, StepRequirement, Trajectory
from courses.services.progress import step_progress_done
from events.models import LearningEvent
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def scoped(organisation):
    with scope(organisation=organisation):
        yield organisation


def enrol(organisation, *kinds, due_on=None):
    """An enrolment in a published one-version trajectory with a step of each kind, in order."""
    learner = make_member(organisation)
    trajectory = Trajectory.objects.create(
        organisation=organisation, title="Veilig tillen", status=Trajectory.Status.PUBLISHED
    )
    version = trajectory.versions.create(organisation=organisation, number=1, title="Veilig tillen")
    trajectory.live_version = version
    trajectory.save()
    steps = [
        Step.objects.create(
            organisation=organisation, version=version, position=i, kind=kind, title=f"{kind} {i}"
        )
        for i, kind in enumerate(kinds)
    ]
    enrolment = Enrolment.objects.create(
        organisation=organisation,
        trajectory=trajectory,
        version=version,
        membership=learner,
        due_on=due_on,
    )
    progress = [
        StepProgress.objects.create(organisation=organisation, enrolment=enrolment, step=step)
        for step in steps
    ]
    return enrolment, steps, progress


def test_a_step_waiting_for_an_earlier_one_cannot_be_done(scoped):
    enrolment, steps, progress = enrol(scoped, Step.Kind.UNIT, Step.Kind.ASSIGNMENT)
    StepRequirement.objects.create(organisation=scoped, step=steps[1], required_step=steps[0])

    with pytest.raises(ValidationError, match="waits for: unit 0"):
        step_progress_done(progress=progress[1], by=enrolment.membership)

    step_progress_done(progress=progress[0], by=enrolment.membership)
    step_progress_done(progress=progress[1], by=enrolment.membership)
    assert StepProgress.objects.filter(status=StepProgress.Status.DONE).count() == 2


def test_steps_done_move_the_enrolment_to_in_progress_then_completed(scoped):
    enrolment, steps, progress = enrol(scoped, Step.Kind.EXTERNAL, Step.Kind.BUDDY)

    step_progress_done(progress=progress[0], by=enrolment.membership)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.IN_PROGRESS

    step_progress_done(progress=progress[1], by=enrolment.membership)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED and enrolment.completed_at


def test_optional_steps_do_not_hold_up_completion(scoped):
    enrolment, steps, progress = enrol(scoped, Step.Kind.EXTERNAL, Step.Kind.REFLECTION)
    Step.objects.filter(pk=steps[1].pk).update(required=False)

    step_progress_done(progress=progress[0], by=enrolment.membership)

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED


def test_an_open_enrolment_past_its_due_date_is_overdue(scoped):
    enrolment, steps, progress = enrol(
        scoped, Step.Kind.EXTERNAL, Step.Kind.ASSIGNMENT, due_on=dt.date(2020, 1, 6)
    )

    step_progress_done(progress=progress[0], by=enrolment.membership)

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.OVERDUE


def test_done_twice_records_one_completed_event_in_the_steps_category(scoped):
    enrolment, steps, progress = enrol(scoped, Step.Kind.SHADOWING, Step.Kind.UNIT)
    signer = make_member(scoped)

    step_progress_done(progress=progress[0], by=signer)
    step_progress_done(progress=progress[0], by=signer)

    events = LearningEvent.objects.filter(verb="completed", object_type="step")
    assert [(e.actor_id, e.object_id, e.context["category"], e.context["by"]) for e in events] == [
        (enrolment.membership_id, steps[0].pk, "experience", signer.pk)
    ]


def test_a_withdrawn_enrolment_takes_no_more_steps(scoped):
    enrolment, steps, progress = enrol(scoped, Step.Kind.EXTERNAL)
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.WITHDRAWN)

    with pytest.raises(ValidationError, match="withdrawn"):
        step_progress_done(progress=progress[0], by=enrolment.membership)
