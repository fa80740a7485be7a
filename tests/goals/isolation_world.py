"""One of every goals object for an organisation of the isolation walk (tests/isolation.py).

The learner (in the sub-team) has a proposed, an agreed and an achieved goal; their
manager (of the team above) agreed them, answered a check-in and gave kudos for the
achieved goal the learner shared. Text fields hold the world's canary.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from goals import services
from goals.models import GoalComment, ProficiencyLevel


def build_goals(*, organisation, members, skill, unit, text) -> dict:
    learner, manager, author = members["learner"], members["manager"], members["author"]
    target = timezone.localdate() + dt.timedelta(days=60)
    ProficiencyLevel.objects.create(
        organisation=organisation,
        level=1,
        name=text("level-name"),
        description=text("level-description"),
    )
    template = services.goal_template_create(
        by=author,
        skill=skill,
        title=text("goal-template"),
        why=text("goal-template-why"),
        suggested_plan=f"experience: {text('template-activity')}",
    )

    def goal(name: str, **extra):
        return services.goal_create(
            membership=learner,
            title=text(f"goal-{name}"),
            why=text(f"goal-{name}-why"),
            skill=skill,
            current_level=2,
            target_level=4,
            target_date=target,
            **extra,
        )

    proposed = goal("proposed", template=template)
    services.goal_propose(goal=proposed, membership=learner, comment=text("goal-proposal"))

    agreed = goal("agreed")
    activities = [
        services.activity_add(
            goal=agreed, membership=learner, category="experience", title=text("activity")
        ),
        services.activity_add(goal=agreed, membership=learner, category="formal", unit=unit),
    ]
    services.goal_propose(goal=agreed, membership=learner)
    services.goal_agree(goal=agreed, membership=manager, comment=text("goal-agreed"))
    check_in = services.check_in_create(
        goal=agreed, membership=learner, progress=3, note=text("check-in"), level=3
    )
    services.check_in_answer(
        check_in=check_in, membership=manager, rating=4, feedback=text("check-in-feedback")
    )
    GoalComment.objects.create(
        organisation=organisation, goal=agreed, author=manager, text=text("goal-comment")
    )

    achieved = goal("achieved")
    services.goal_propose(goal=achieved, membership=learner)
    services.goal_agree(goal=achieved, membership=manager)
    services.goal_close(goal=achieved, membership=learner, outcome="achieved", self_rating=4)
    recognition = services.goal_share(
        goal=achieved, membership=learner, message=text("recognition-message")
    )
    services.kudos_give(recognition=recognition, membership=manager)
    return {
        "template": template,
        "goals": [agreed, proposed, achieved],  # the first holds the activities, check-in
        "activities": activities,
        "check_ins": [check_in],
        "recognitions": [recognition],
    }
