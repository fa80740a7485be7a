"""The manager's page of their teams' goals: agree or ask for changes in place."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse

from organisations.access import member_required
from organisations.permissions import Action

from .. import selectors
from ..forms import AgreeForm, CommentForm


@member_required(Action.VIEW_TEAM_DASHBOARD)
def team_goals(request):
    goals = list(selectors.team_goals(membership=request.membership))
    for goal in goals:
        goal.next_check_in = selectors.next_check_in_on(goal)
    return render(
        request,
        "goals/team_goals.html",
        {
            "proposed": [g for g in goals if g.status == g.Status.PROPOSED],
            "agreed": [g for g in goals if g.status == g.Status.AGREED],
            "agree_form": AgreeForm(),
            "comment_form": CommentForm(),
            "levels": selectors.proficiency_levels(organisation=request.organisation),
            # Reversed once: per-goal reversals were a large share of the page's render time.
            "goals_url": reverse(
                "goals:goal_detail", args=[request.organisation.slug, 0]
            ).removesuffix("0/"),
        },
    )
