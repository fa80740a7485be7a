"""Goals test data: made through the services, as a learner and manager would."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from goals import services
from goals.models import Goal


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def draft_goal(membership, skill, **fields) -> Goal:
    values = {
        "title": "Run the weekly planning meeting",
        "why": "The team waits for me to learn it.",
        "skill": skill,
        "current_level": 2,
        "target_level": 4,
        "target_date": in_days(60),
        "hours_per_week": 2,
    }
    values.update(fields)
    return services.goal_create(membership=membership, **values)


def agreed_goal(membership, skill, manager, **fields) -> Goal:
    goal = draft_goal(membership, skill, **fields)
    services.goal_propose(goal=goal, membership=membership)
    services.goal_agree(goal=goal, membership=manager)
    return goal
