"""The learner's trajectories on the home page ("My learning"), dropped in with one line.

``{% trajectory_steps_due membership %}``: what is due first across the learner's
enrolments, what waits for sign-off and the buddy conversations to confirm. The home
belongs to microlearning, which sits below courses, so courses renders its own part.
"""

from __future__ import annotations

from django import template
from django.utils import timezone

from organisations.workdays import local_date

from ..selectors import learning as selectors

register = template.Library()

# The home shows the first few; the rest are on "My trajectories".
HOME_STEPS = 5


@register.inclusion_tag("courses/_home_steps.html")
def trajectory_steps_due(membership):
    if membership is None:
        return {"learning": None}
    organisation = membership.organisation
    learning = selectors.steps_due_first(
        membership=membership,
        today=local_date(organisation=organisation, moment=timezone.now()),
        limit=HOME_STEPS,
    )
    buddy_steps = list(selectors.buddy_steps_for(membership=membership)[: HOME_STEPS + 1])
    return {
        "organisation": organisation,
        "learning": learning,
        "buddy_steps": buddy_steps[:HOME_STEPS],
        "more_buddy": len(buddy_steps) > HOME_STEPS,
    }
