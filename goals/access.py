"""Loading goals and what hangs off them through the organisation, with the permission check.

Another organisation's ids are not found (404); an own-organisation goal the member
may not see is refused (403), as everywhere else.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from courses.selectors import step_for
from organisations.permissions import can_view_goal

from . import selectors
from .models import CheckIn, Goal, PlanActivity


def visible_goal(request, goal_id: int) -> Goal:
    goal = selectors.goal_for(organisation=request.organisation, goal_id=goal_id)
    if goal is None:
        raise Http404
    if not can_view_goal(request.membership, goal):
        raise PermissionDenied
    return goal


def goal_activity(request, goal_id: int, activity_id: int) -> PlanActivity:
    goal = visible_goal(request, goal_id)
    activity = PlanActivity.objects.filter(
        organisation=request.organisation, goal=goal, pk=activity_id
    ).first()
    if activity is None:
        raise Http404
    activity.goal = goal
    return activity


def goal_check_in(request, goal_id: int, check_in_id: int) -> CheckIn:
    goal = visible_goal(request, goal_id)
    check_in = CheckIn.objects.filter(
        organisation=request.organisation, goal=goal, pk=check_in_id
    ).first()
    if check_in is None:
        raise Http404
    check_in.goal = goal
    return check_in


def organisation_step(request, step_id: int):
    """A trajectory step of the organisation to link a plan activity to (another's: 404).

    Whether it is the learner's own step is the service's rule (a field error).
    """
    step = step_for(organisation_id=request.organisation.pk, step_id=step_id)
    if step is None:
        raise Http404
    return step
