"""``{% session_choices enrolment step %}``: a session step's booking, for the step page.

The step page drops it in with one line (``{% load session_tags %}`` first); it
shows the learner's seat (booked, or their place on the waiting list, with the
calendar file) or the sessions still to come to choose from, each bookable
with a plain form that comes back to the page. A done step shows the session it
was done in.

``{% sessions_to_book_for progress %}`` is what L&D or a manager sees on someone
else's session step: the sessions still to come, each a link to its page, where
they book a place for that person.
"""

from __future__ import annotations

from django import template
from django.utils import timezone

from organisations.permissions import can_book_for

from ..models import Step, StepProgress
from ..selectors import sessions as selectors
from ..selectors.progress import progress_waits_for

register = template.Library()


@register.inclusion_tag("courses/sessions/_for_step.html", takes_context=True)
def session_choices(context, enrolment, step: Step, progress: StepProgress | None = None):
    if step.kind != Step.Kind.SESSION:
        return {"hidden": True}
    request = context.get("request")
    progress = progress or selectors.progress_for_step(enrolment=enrolment, step_key=step.key)
    done = progress is not None and progress.status == StepProgress.Status.DONE
    locked = progress is not None and not done and bool(progress_waits_for(progress=progress))
    choice = selectors.step_session_choice(enrolment=enrolment, step=step, done=done)
    return {
        **choice,
        "step": step,
        "done": done,
        "locked": locked,
        "now": timezone.now(),
        "organisation": context.get("organisation"),
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path() if request is not None else "",
    }


@register.inclusion_tag("courses/sessions/_book_for_step.html", takes_context=True)
def sessions_to_book_for(context, progress: StepProgress):
    step, enrolment = progress.step, progress.enrolment
    learner = enrolment.membership
    membership = context.get("membership")
    if (
        step.kind != Step.Kind.SESSION
        or progress.status == StepProgress.Status.DONE
        or membership is None
        or membership.pk == learner.pk
        or not can_book_for(membership, learner_id=learner.pk, learner_team_id=learner.team_id)
    ):
        return {"hidden": True}
    seat = selectors.active_seat_for_step(enrolment=enrolment, step_key=step.key)
    upcoming = selectors.with_titles(
        selectors.sessions_upcoming_for_step(
            trajectory_id=enrolment.trajectory_id, step_key=step.key
        )
    )
    return {
        "step": step,
        "learner": learner,
        "seat": seat,
        "upcoming": upcoming,
        "organisation": context.get("organisation"),
    }
