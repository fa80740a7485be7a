"""The check-in rule: an agreed goal's check-in is due (``delay_days`` after it fell due).

A check-in falls due ``CHECK_IN_EVERY_DAYS`` after the last one, or after the
goal was agreed. Each round is its own occurrence (the day it fell due), so the
next round is a new nudge and a second run of the planner is not.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from events.models import LearningEvent
from goals.selectors.goals import CHECK_IN_EVERY_DAYS
from goals.selectors.nudges import (
    check_ins_due,
    goal_agreed_latest,
    goal_by_id,
    goal_is_agreed,
    goal_last_check_in_at,
)
from organisations.models import Membership

from ..models import Nudge, NudgeRule
from ..selectors import rule_audience
from .kinds import Action, absolute
from .planning import nudges_create_missing

ACTED_VERBS = (LearningEvent.Verb.CHECKED_IN,)
SUBJECT_TYPE = "goal"


def check_in_key(goal_id: int) -> str:
    return f"check_in:goal:{goal_id}"


def plan(*, rule: NudgeRule, now: dt.datetime) -> int:
    """One nudge per channel for each agreed goal whose check-in is due; how many are new."""
    due = check_ins_due(
        organisation=rule.organisation,
        due_by=now - dt.timedelta(days=rule.delay_days or 0),
        memberships=rule_audience(rule=rule),
    )
    by_round: dict[int, list] = {}
    for member_id, goal_id, since in due:
        due_on = timezone.localdate(since, rule.organisation.zone) + dt.timedelta(
            days=CHECK_IN_EVERY_DAYS
        )
        by_round.setdefault(due_on.toordinal(), []).append(
            (
                member_id,
                check_in_key(goal_id),
                {
                    "subject_type": SUBJECT_TYPE,
                    "subject_id": goal_id,
                    "payload": {"since": since.isoformat(), "due_on": due_on.isoformat()},
                },
            )
        )
    return sum(
        nudges_create_missing(rule=rule, now=now, wanted=wanted, occurrence=occurrence)
        for occurrence, wanted in sorted(by_round.items())
    )


def _goal(nudge: Nudge) -> models.Model | None:
    if not hasattr(nudge, "_goal"):
        nudge._goal = goal_by_id(organisation_id=nudge.organisation_id, goal_id=nudge.subject_id)
    return nudge._goal


def cancel_reason(nudge: Nudge) -> str:
    goal = _goal(nudge)
    if goal is None or goal.member_id != nudge.member_id or not goal_is_agreed(goal):
        return Nudge.CancelReason.WITHDRAWN
    since = nudge.payload.get("since")
    last = goal_last_check_in_at(goal=goal)
    if since and last is not None and last > dt.datetime.fromisoformat(since):
        return Nudge.CancelReason.FULFILLED
    return ""


def _check_in_path(nudge: Nudge) -> str:
    slug = nudge.member.organisation.slug
    if nudge.subject_id is None:
        return reverse("goals:goal_list", kwargs={"org_slug": slug})
    path = reverse("goals:goal_detail", kwargs={"org_slug": slug, "goal_id": nudge.subject_id})
    return path + "#check-ins"


def values(nudge: Nudge) -> dict[str, object]:
    goal = _goal(nudge)
    due_on = nudge.payload.get("due_on")
    return {
        "goal_title": goal.title if goal else _("Example goal"),
        "due_date": formats.date_format(dt.date.fromisoformat(due_on), "DATE_FORMAT")
        if due_on
        else "",
        "check_in_url": absolute(_check_in_path(nudge)),
    }


def action(nudge: Nudge) -> Action:
    return Action(label=_("Check in"), path=_check_in_path(nudge))


def reason(nudge: Nudge) -> str:
    return _(
        "You get this because you and your manager follow up an agreed goal every "
        "%(days)s days, and a check-in is due."
    ) % {"days": CHECK_IN_EVERY_DAYS}


def example(*, rule: NudgeRule, viewer: Membership) -> Nudge:
    goal = goal_agreed_latest(organisation_id=rule.organisation_id)
    nudge = Nudge(
        rule=rule,
        member=viewer,
        organisation_id=rule.organisation_id,
        kind=Nudge.Kind.CHECK_IN,
        subject_type=SUBJECT_TYPE,
        subject_id=goal.pk if goal else None,
        payload={"due_on": timezone.localdate().isoformat()},
    )
    nudge._goal = goal
    return nudge
