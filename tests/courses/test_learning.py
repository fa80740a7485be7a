"""The learner's reads: the home's "due first" agrees with "My trajectories"."""

import datetime as dt

import pytest
from django_scopes import scope

from courses.models import Step, StepProgress
from courses.selectors.learning import my_learning, my_trajectories, steps_due_first
from courses.services import enrolments
from tests.conftest import make_member
from tests.courses.factories import trajectory_with

pytestmark = pytest.mark.django_db


def test_home_shows_the_first_steps_of_my_trajectories_in_the_same_order(organisation):
    learner = make_member(organisation)
    today = dt.date(2026, 12, 3)
    with scope(organisation=organisation):
        for offsets in ([3, 9, 12], [1, 2, 20], [5, 5, 5]):
            trajectory = trajectory_with(
                organisation, [Step.Kind.EXTERNAL] * 3, offsets=offsets, chained=True
            )
            enrolments.enrolment_create(
                trajectory=trajectory, membership=learner, by=trajectory.created_by
            )
        first = StepProgress.objects.filter(enrolment__membership=learner).order_by("id").first()
        StepProgress.objects.filter(pk=first.pk).update(status=StepProgress.Status.SUBMITTED)

        full = my_learning(membership=learner, today=today)
        home = steps_due_first(membership=learner, today=today, limit=4)

    assert [r.progress.pk for r in home.due] == [r.progress.pk for r in full.due[:4]]
    assert home.due_count == len(full.due) == 8 and home.more_due == 4
    assert [r.progress.pk for r in home.waiting] == [r.progress.pk for r in full.waiting]
    assert [r.is_locked for r in home.due] == [r.is_locked for r in full.due[:4]]
    # Locked rows say what they wait for, as on "My trajectories".
    assert [r.lock_reason for r in home.due] == [r.lock_reason for r in full.due[:4]]


def test_home_has_nothing_due_without_open_enrolments(organisation):
    learner = make_member(organisation)
    with scope(organisation=organisation):
        home = steps_due_first(membership=learner, today=dt.date(2026, 12, 3), limit=5)
    assert home.due == [] and home.waiting == [] and not home.has_open_enrolments


def test_my_trajectories_lists_what_my_learning_orders_with_only_the_first_rows_read(
    organisation, django_assert_max_num_queries
):
    learner = make_member(organisation)
    today = dt.date(2026, 12, 3)
    with scope(organisation=organisation):
        for offsets in ([3, 9, 12], [1, 2, 20], [5, 5, 5]):
            trajectory = trajectory_with(
                organisation, [Step.Kind.EXTERNAL] * 3, offsets=offsets, chained=True
            )
            enrolments.enrolment_create(
                trajectory=trajectory, membership=learner, by=trajectory.created_by
            )
        rows = StepProgress.objects.filter(enrolment__membership=learner).order_by("-id")
        for row in rows[:2]:  # the last trajectory's last steps: waiting, and done
            row.status = StepProgress.Status.SUBMITTED
            row.save(update_fields=["status"])
        StepProgress.objects.filter(pk=rows[2].pk).update(status=StepProgress.Status.DONE)

        full = my_learning(membership=learner, today=today)
        with django_assert_max_num_queries(4):  # enrolments, step values, requirements, rows
            page = my_trajectories(membership=learner, today=today, limit=4)

    assert [r.progress.pk for r in page.due] == [r.progress.pk for r in full.due[:4]]
    assert page.due_count == len(full.due)
    assert [r.lock_reason for r in page.due] == [r.lock_reason for r in full.due[:4]]
    assert [r.progress.pk for r in page.waiting] == [r.progress.pk for r in full.waiting]
    assert [(c.enrolment.pk, c.done_count, c.step_count, c.percent) for c in page.enrolments] == [
        (s.enrolment.pk, s.done_count, len(s.rows), s.percent) for s in full.enrolments
    ]
