"""``steps_for_learner``: the steps a learner may link a goal's plan activity to."""

from __future__ import annotations

import pytest

from courses.models import Step, TrajectoryVersion
from courses.selectors import is_learner_step, step_for, steps_for_learner
from courses.services import authoring, enrolments
from tests.conftest import make_member
from tests.courses.factories import author_of, trajectory_with

pytestmark = pytest.mark.django_db


def _enrolled_in(organisation, learner, title: str, kinds, *, author):
    trajectory = trajectory_with(organisation, kinds, author=author)
    TrajectoryVersion.objects.filter(trajectory=trajectory).update(title=title)
    enrolment = enrolments.enrolment_create(trajectory=trajectory, membership=learner, by=author)
    return trajectory, enrolment


def test_the_learners_steps_come_by_trajectory_then_position(scoped):
    author = author_of(scoped)
    learner = make_member(scoped)
    _enrolled_in(scoped, learner, "Veilig tillen", [Step.Kind.EXTERNAL] * 2, author=author)
    _enrolled_in(scoped, learner, "Agile plannen", [Step.Kind.ASSIGNMENT] * 3, author=author)

    steps = steps_for_learner(membership=learner)

    assert [(s.version.title, s.title) for s in steps] == [
        ("Agile plannen", "On-the-job assignment step 1"),
        ("Agile plannen", "On-the-job assignment step 2"),
        ("Agile plannen", "On-the-job assignment step 3"),
        ("Veilig tillen", "External online module step 1"),
        ("Veilig tillen", "External online module step 2"),
    ]


def test_only_own_enrolments_not_withdrawn_count(scoped):
    author = author_of(scoped)
    learner, colleague = make_member(scoped), make_member(scoped)
    _mine, _ = _enrolled_in(scoped, learner, "Mine", [Step.Kind.EXTERNAL], author=author)
    _left, left = _enrolled_in(scoped, learner, "Left", [Step.Kind.EXTERNAL], author=author)
    _theirs, theirs = _enrolled_in(scoped, colleague, "Theirs", [Step.Kind.EXTERNAL], author=author)
    enrolments.enrolment_withdraw(enrolment=left, by=author)
    their_step = theirs.progress.get().step
    left_step = left.progress.get().step

    assert [s.version.title for s in steps_for_learner(membership=learner)] == ["Mine"]
    assert not is_learner_step(membership=learner, step=their_step)
    assert not is_learner_step(membership=learner, step=left_step)
    assert is_learner_step(membership=colleague, step=their_step)


def test_the_steps_are_those_of_the_version_the_enrolment_follows(scoped):
    author = author_of(scoped)
    learner = make_member(scoped)
    trajectory, enrolment = _enrolled_in(scoped, learner, "T", [Step.Kind.EXTERNAL], author=author)
    old_step = enrolment.progress.get().step
    authoring.step_add(trajectory=trajectory, by=author, kind=Step.Kind.BUDDY, title="Buddy")
    authoring.trajectory_publish(trajectory=trajectory, by=author)
    trajectory.refresh_from_db()
    new_steps = list(Step.objects.filter(version_id=trajectory.live_version_id))

    assert [s.pk for s in steps_for_learner(membership=learner)] == [old_step.pk]
    assert is_learner_step(membership=learner, step=old_step)
    assert not any(is_learner_step(membership=learner, step=s) for s in new_steps)


def test_the_steps_are_one_query_however_many_trajectories(scoped, django_assert_max_num_queries):
    author = author_of(scoped)
    learner = make_member(scoped)
    for n in range(4):
        _enrolled_in(scoped, learner, f"T{n}", [Step.Kind.EXTERNAL] * 3, author=author)

    with django_assert_max_num_queries(1):
        steps = steps_for_learner(membership=learner)
        labels = [f"{s.version.title}: {s.title}" for s in steps]

    assert len(labels) == 12


def test_a_step_is_found_only_in_its_own_organisation(scoped, other_organisation):
    trajectory = trajectory_with(scoped, [Step.Kind.EXTERNAL])
    step = Step.objects.get(version_id=trajectory.live_version_id)

    assert step_for(organisation_id=scoped.pk, step_id=step.pk) == step
    assert step_for(organisation_id=other_organisation.pk, step_id=step.pk) is None
