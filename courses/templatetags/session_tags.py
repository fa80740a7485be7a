"""``{% session_choices enrolment step %}``: a session step's booking, for the step page.

The step page drops it in with one line (``{% load session_tags %}`` first); it
shows the learner's seat (booked, or their place on the waiting list, with the
calendar file) or the sessions still to come to choose from, each bookable
with a plain form that comes back to the page. A done step shows the session it
was done in.
"""

from __future__ import annotations

from django import template
from django.utils import timezone

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
