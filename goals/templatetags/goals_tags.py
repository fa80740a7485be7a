"""Pieces of goals shown on other apps' pages: the 70:20:10 ledger, shared achievements,
open goals. Each tag reads what it shows through goals' selectors, in a fixed number
of queries, so the page that includes it does not need to know how."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import conditional_escape

from courses.selectors.evidence import evidence_approved
from organisations.fragments import STAND_IN_ID, render_once
from organisations.permissions import managed_team_ids

from .. import selectors
from ..forms import ShareForm

register = template.Library()


@register.inclusion_tag("goals/_ledger.html")
def ledger_bar(ledger, heading: str = "", heading_id: str = "ledger-heading"):
    """The ledger as a bar with the target beneath it and a table of the same figures."""
    return {"ledger": ledger, "heading": heading, "heading_id": heading_id}


@register.inclusion_tag("goals/_ledger.html", takes_context=True)
def team_ledger(context, days: int | None = None):
    """The mix of the teams the signed-in manager leads (sub-teams included)."""
    membership = context.get("membership")
    team_ids = managed_team_ids(membership) if membership is not None else set()
    if not team_ids:
        return {"ledger": None}
    ledger = selectors.ledger_for_teams(
        organisation=membership.organisation,
        team_ids=team_ids,
        days=days or selectors.DEFAULT_LEDGER_DAYS,
        include_subteams=False,  # managed_team_ids holds the sub-teams already
    )
    return {"ledger": ledger, "heading_id": "team-ledger-heading", "team": True}


@register.inclusion_tag("goals/_recognitions.html", takes_context=True)
def team_recognitions(context):
    """What teammates shared lately, with a kudos button for each."""
    membership = context.get("membership")
    request = context.get("request")
    if membership is None:
        return {"recognitions": []}
    return {
        "recognitions": list(selectors.recognitions_for(membership=membership)),
        "membership": membership,
        "organisation": context.get("organisation"),
        "next": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("goals/_my_goals.html", takes_context=True)
def my_goals(context):
    """The learner's open goals with the next check-in, for "My learning"."""
    membership = context.get("membership")
    if membership is None:
        return {"goals": []}
    goals = list(selectors.open_goals_of(membership=membership))
    for goal in goals:
        goal.next_check_in = selectors.next_check_in_on(goal)
    return {"goals": goals, "organisation": context.get("organisation")}


@register.inclusion_tag("goals/_evidence_share.html", takes_context=True)
def evidence_share_form(context, progress):
    """On the step page: the learner may share signed-off evidence with their team."""
    membership = context.get("membership")
    if membership is None or progress.enrolment.membership_id != membership.pk:
        return {"hidden": True}
    if not evidence_approved(progress=progress):
        return {"hidden": True}
    return {
        "hidden": False,
        "organisation": context.get("organisation"),
        "progress": progress,
        "recognition": selectors.recognition_of(
            membership=membership, object_type="step", object_id=progress.step_id
        ),
        "share_form": ShareForm(),
        "csrf_token": context.get("csrf_token"),
    }


class _GoalStandIn:
    """What ``goals/_agree_forms.html`` reads of a goal, as stand-ins no goal holds."""

    pk = STAND_IN_ID
    hours_per_week = Decimal("987654.5")
    title = "goal-title-stand-in"


# As the template renders the stand-in's hours (floatformat:'-1u').
_HOURS_STAND_IN = floatformat(_GoalStandIn.hours_per_week, "-1u")


@register.simple_tag(takes_context=True)
def agree_forms(context, goal, next: str = ""):
    """``{% include "goals/_agree_forms.html" %}`` for each goal of a page: the forms read
    the same for every goal but for its id, hours and title, so they are rendered once
    a page and those put in (the template reads nothing else of the goal)."""
    return render_once(
        context,
        "goals/_agree_forms.html",
        values={"goal": _GoalStandIn, "next": next},
        fill={
            str(STAND_IN_ID): str(int(goal.pk)),
            _HOURS_STAND_IN: floatformat(goal.hours_per_week, "-1u"),
            # Last: a title is the learner's text, nothing in it is to be replaced.
            _GoalStandIn.title: conditional_escape(goal.title),
        },
    )
