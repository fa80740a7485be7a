"""Evidence pieces other pages drop in with one line.

- ``{% evidence_conversation progress %}``: the step page's evidence section (rounds,
  decisions, peer feedback, the learner's form and the signer's decision form);
- ``{% feedback_requests_for membership %}``: colleagues asking for feedback, on home;
- ``{% sign_off_nav_item membership %}``: the header's link to the sign-off queue;
- ``{% queue_decision_form submission_id form %}``: a queue item's decision form.
"""

from __future__ import annotations

from django import template

from organisations.fragments import STAND_IN_ID, render_once
from organisations.permissions import may_open_sign_off_queue

from ..selectors.evidence import feedback_requests_open, is_buddy_of_open_enrolment

register = template.Library()


@register.inclusion_tag("courses/evidence/_evidence.html", takes_context=True)
def evidence_conversation(context, progress):
    from ..views.evidence import evidence_context

    request = context["request"]
    evidence = evidence_context(request, progress)
    # The step page is open to the learner's followers (buddy, managers, L&D); the
    # evidence only to the learner and whoever may sign it off.
    if not (evidence["is_learner"] or evidence["may_sign"]):
        return {"hidden": True}
    return {
        **evidence,
        "organisation": request.organisation,
        "membership": request.membership,
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }


@register.inclusion_tag("courses/evidence/_feedback_requests.html", takes_context=True)
def feedback_requests_for(context, membership):
    if membership is None:
        return {"feedback_requests": []}
    return {
        "feedback_requests": feedback_requests_open(membership=membership),
        "organisation": membership.organisation,
    }


@register.inclusion_tag("courses/evidence/_nav_item.html")
def sign_off_nav_item(membership, current=""):
    shown = membership is not None and (
        may_open_sign_off_queue(membership, is_buddy=False)
        or may_open_sign_off_queue(
            membership, is_buddy=is_buddy_of_open_enrolment(membership=membership)
        )
    )
    return {
        "shown": shown,
        "organisation": getattr(membership, "organisation", None),
        "current": current == "sign_off",
    }


@register.simple_tag(takes_context=True)
def queue_decision_form(context, submission_id: int, form):
    """The queue's decision form for one round: an unbound form reads the same for every
    round but its id, so it is rendered once a page (a form with errors: use the include)."""
    return render_once(
        context,
        "courses/evidence/_decision_form.html",
        values={"submission_id": STAND_IN_ID, "form": form, "next": "queue"},
        fill={str(STAND_IN_ID): str(int(submission_id))},
    )
