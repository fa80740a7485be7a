"""The learner's trajectories on the home page ("My learning").

``{% trajectories_on_home membership as trajectories %}`` then
``{% include "courses/_home_steps.html" %}``: what is due first across the learner's
enrolments, what waits for sign-off and the buddy conversations to confirm. The home
belongs to microlearning, which sits below courses, so courses renders its own part;
the rest of the home reads ``trajectories.shown`` so that its own empty states do not
contradict the steps listed above them (and costs no query more to know).
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.utils import timezone

from organisations.models import Membership
from organisations.workdays import local_date

from ..models import StepProgress
from ..selectors import learning as selectors
from ..selectors.evidence import is_buddy_of_open_enrolment

register = template.Library()

# The home shows the first few; the rest are on "My trajectories".
HOME_STEPS = 5


@dataclass
class HomeTrajectories:
    learning: selectors.DueFirst
    buddy_steps: list[StepProgress]
    more_buddy: bool

    @property
    def shown(self) -> bool:
        """Whether the home shows a trajectory section at all (open enrolments or buddy talks)."""
        return bool(self.learning.has_open_enrolments or self.buddy_steps)


@register.simple_tag
def trajectories_on_home(membership: Membership | None) -> HomeTrajectories | None:
    if membership is None:
        return None
    learning = selectors.steps_due_first(
        membership=membership,
        today=local_date(organisation=membership.organisation, moment=timezone.now()),
        limit=HOME_STEPS,
    )
    # The header has asked already (cached on the membership): most members are nobody's buddy.
    buddy_steps = (
        list(selectors.buddy_steps_for(membership=membership)[: HOME_STEPS + 1])
        if is_buddy_of_open_enrolment(membership=membership)
        else []
    )
    return HomeTrajectories(
        learning=learning,
        buddy_steps=buddy_steps[:HOME_STEPS],
        more_buddy=len(buddy_steps) > HOME_STEPS,
    )
