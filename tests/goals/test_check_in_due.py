"""When the next check-in on an agreed goal is due: kept on the goal for the check-in nudge."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from goals import services
from goals.selectors.goals import CHECK_IN_EVERY_DAYS, next_check_in_on
from tests.goals.factories import agreed_goal, draft_goal

pytestmark = pytest.mark.django_db

EVERY = dt.timedelta(days=CHECK_IN_EVERY_DAYS)


def test_a_goal_is_due_a_check_in_two_weeks_after_it_was_agreed(learner, manager, skill):
    assert draft_goal(learner, skill).check_in_due_at is None

    goal = agreed_goal(learner, skill, manager)

    goal.refresh_from_db()
    assert goal.check_in_due_at == goal.agreed_at + EVERY


def test_each_check_in_moves_the_next_one_two_weeks_on(learner, manager, skill):
    goal = agreed_goal(learner, skill, manager)

    check_in = services.check_in_create(goal=goal, membership=learner, progress=3)

    goal.refresh_from_db()
    assert goal.check_in_due_at == check_in.created_at + EVERY
    goal.last_check_in_at = check_in.created_at
    # The goal's page says the same day.
    assert next_check_in_on(goal) == timezone.localdate(goal.check_in_due_at)
