"""A goal waiting for the manager's agreement: a team member proposed it some days ago.

One nudge per proposal (a goal sent back and proposed again asks again), to the
nearest manager of the learner (``managers.nearest_managers``). Agreeing records
``goal_agreed`` with the manager as actor.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.models import LearningEvent
from goals.selectors import goal_for
from goals.selectors.waiting import goal_agreement_state, goals_waiting_for_agreement
from organisations.models import Membership

from ..models import Nudge, NudgeRule
from .kinds import Action, absolute
from .managers import nearest_managers
from .planning import nudges_create_missing

ACTED_VERBS = (LearningEvent.Verb.GOAL_AGREED,)
SUBJECT_TYPE = "goal"


def agree_key(goal_id: int, proposed_at: dt.datetime) -> str:
    # The proposal's moment tells a second proposal of the same goal apart.
    return f"agree:goal:{goal_id}:{int(proposed_at.timestamp())}"


def plan(*, rule: NudgeRule, now: dt.datetime) -> int:
    """One nudge per channel for each proposal waiting ``delay_days``; how many are new."""
    waiting = goals_waiting_for_agreement(
        organisation_id=rule.organisation_id,
        proposed_before=now - dt.timedelta(days=rule.delay_days or 0),
    )
    if not waiting:
        return 0
    managers = nearest_managers(
        rule=rule, learners=[(goal.learner_id, goal.learner_team_id) for goal in waiting]
    )
    wanted = []
    for goal in waiting:
        manager_id = managers.get((goal.learner_id, goal.learner_team_id))
        if manager_id is None:
            continue
        wanted.append(
            (
                manager_id,
                agree_key(goal.goal_id, goal.proposed_at),
                {
                    "subject_type": SUBJECT_TYPE,
                    "subject_id": goal.goal_id,
                    "payload": {
                        "learner_id": goal.learner_id,
                        "proposed_at": goal.proposed_at.isoformat(),
                    },
                },
            )
        )
    return nudges_create_missing(rule=rule, now=now, wanted=wanted)


def cancel_reason(nudge: Nudge) -> str:
    """Agreed, sent back or proposed again: fulfilled; closed or the learner left: withdrawn."""
    if nudge.subject_id is None:
        return Nudge.CancelReason.WITHDRAWN
    state = goal_agreement_state(
        organisation_id=nudge.organisation_id,
        goal_id=nudge.subject_id,
        proposed_at=nudge.payload.get("proposed_at", ""),
    )
    if state == "answered":
        return Nudge.CancelReason.FULFILLED
    if state == "gone":
        return Nudge.CancelReason.WITHDRAWN
    return ""


def _goal(nudge: Nudge):
    if not hasattr(nudge, "_goal"):
        nudge._goal = (
            goal_for(organisation=nudge.member.organisation, goal_id=nudge.subject_id)
            if nudge.subject_id
            else None
        )
    return nudge._goal


def _path(nudge: Nudge) -> str:
    slug = nudge.member.organisation.slug
    if nudge.subject_id:
        return reverse("goals:goal_detail", kwargs={"org_slug": slug, "goal_id": nudge.subject_id})
    return reverse("goals:team_goals", kwargs={"org_slug": slug})


def _names(nudge: Nudge) -> tuple[str, str]:
    goal = _goal(nudge)
    if goal is None:
        return _("A colleague"), _("Example goal")
    return goal.member.display_name, goal.title


def values(nudge: Nudge) -> dict[str, object]:
    learner, goal = _names(nudge)
    return {"learner_name": learner, "goal_title": goal, "goal_url": absolute(_path(nudge))}


def action(nudge: Nudge) -> Action:
    learner, _goal_title = _names(nudge)
    return Action(label=_("Answer %(name)s’s goal") % {"name": learner}, path=_path(nudge))


def reason(nudge: Nudge) -> str:
    days = nudge.rule.delay_days or 0
    return ngettext(
        "You get this because you manage %(name)s, who proposed this goal to you more than "
        "%(days)s day ago.",
        "You get this because you manage %(name)s, who proposed this goal to you more than "
        "%(days)s days ago.",
        days,
    ) % {"name": _names(nudge)[0], "days": days}


def example(*, rule: NudgeRule, viewer: Membership) -> Nudge:
    """The organisation's longest waiting proposal, if any; else a sample."""
    waiting = goals_waiting_for_agreement(
        organisation_id=rule.organisation_id, proposed_before=timezone.now()
    )
    return Nudge(
        rule=rule,
        member=viewer,
        organisation_id=rule.organisation_id,
        kind=Nudge.Kind.MANAGER,
        subject_type=SUBJECT_TYPE,
        subject_id=waiting[0].goal_id if waiting else None,
    )
