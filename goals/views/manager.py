"""The manager's page of their teams' goals: agree or ask for changes in place."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from organisations.access import member_required
from organisations.permissions import Action

from .. import selectors
from ..models import Goal

PAGE_SIZE = 20


@member_required(Action.VIEW_TEAM_DASHBOARD)
def team_goals(request):
    statuses = selectors.team_goal_statuses(membership=request.membership)
    # A page of agree forms stays quick to render and to read; the rest are a page on
    # (and only counted: the goals shown are the only ones read as objects).
    proposed = Paginator(
        [pk for pk, status in statuses if status == Goal.Status.PROPOSED], PAGE_SIZE
    )
    page = proposed.get_page(request.GET.get("page"))
    agreed = [pk for pk, status in statuses if status == Goal.Status.AGREED]
    goals = selectors.team_goals(
        membership=request.membership, goal_ids=[*page.object_list, *agreed]
    )
    for goal in goals:
        goal.next_check_in = selectors.next_check_in_on(goal)
    return render(
        request,
        "goals/team_goals.html",
        {
            "proposed": [g for g in goals if g.status == Goal.Status.PROPOSED],
            "page": page,
            "agreed": [g for g in goals if g.status == Goal.Status.AGREED],
            # Reversed once: per-goal reversals were a large share of the page's render time.
            "goals_url": reverse(
                "goals:goal_detail", args=[request.organisation.slug, 0]
            ).removesuffix("0/"),
        },
    )
