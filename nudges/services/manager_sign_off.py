"""Evidence waiting for the manager's sign-off: a learner handed in an on-the-job step some
days ago and their manager has not decided yet.

One nudge per round of evidence (a round handed in again after changes is a new
question), to the nearest manager of the learner (``managers.nearest_managers``).
Only steps the learner's manager signs off: a buddy's or a role's sign-off is
not a manager's to give.

The learning event a decision records has the *learner* as actor and the signer
in ``context["by"]`` (courses.services.evidence.sign_off_decide): whoever
measures "acted" for this kind matches the signer there.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.selectors.attention import evidence_waiting, submission_waits
from courses.selectors.evidence import submission_for
from events.models import LearningEvent
from organisations.models import Membership

from ..models import Nudge, NudgeRule
from .kinds import Action, absolute
from .managers import nearest_managers
from .planning import nudges_create_missing

# The learner is the actor of a sign-off's event; the manager acted as its "by".
ACTS_FOR_OTHERS = True
ACTED_VERBS = (LearningEvent.Verb.APPROVED, LearningEvent.Verb.ASKED_CHANGES)
SUBJECT_TYPE = "evidence_submission"


def sign_off_key(submission_id: int) -> str:
    return f"sign_off:submission:{submission_id}"


def plan(*, rule: NudgeRule, now: dt.datetime) -> int:
    """One nudge per channel for each round waiting ``delay_days``; how many are new."""
    waiting = evidence_waiting(
        organisation_id=rule.organisation_id,
        submitted_before=now - dt.timedelta(days=rule.delay_days or 0),
        manager_sign_off_only=True,
    )
    if not waiting:
        return 0
    managers = nearest_managers(
        rule=rule, learners=[(item.learner_id, item.learner_team_id) for item in waiting]
    )
    wanted = []
    for item in waiting:
        manager_id = managers.get((item.learner_id, item.learner_team_id))
        if manager_id is None:
            continue
        wanted.append(
            (
                manager_id,
                sign_off_key(item.submission_id),
                {
                    "subject_type": SUBJECT_TYPE,
                    "subject_id": item.submission_id,
                    "payload": {"progress_id": item.progress_id, "learner_id": item.learner_id},
                },
            )
        )
    return nudges_create_missing(rule=rule, now=now, wanted=wanted)


def cancel_reason(nudge: Nudge) -> str:
    """Decided (approved or sent back, or handed in again): fulfilled; withdrawn otherwise."""
    if nudge.subject_id is None:
        return Nudge.CancelReason.WITHDRAWN
    state = submission_waits(organisation_id=nudge.organisation_id, submission_id=nudge.subject_id)
    if state == "decided":
        return Nudge.CancelReason.FULFILLED
    if state == "gone":
        return Nudge.CancelReason.WITHDRAWN
    return ""


def _submission(nudge: Nudge):
    """The round the nudge is about, read once per nudge (values, action and reason ask)."""
    if not hasattr(nudge, "_submission"):
        nudge._submission = (
            submission_for(organisation_id=nudge.organisation_id, submission_id=nudge.subject_id)
            if nudge.subject_id
            else None
        )
    return nudge._submission


def _path(nudge: Nudge) -> str:
    slug = nudge.member.organisation.slug
    if nudge.subject_id:
        return reverse(
            "courses_evidence:submission",
            kwargs={"org_slug": slug, "submission_id": nudge.subject_id},
        )
    return reverse("courses_evidence:queue", kwargs={"org_slug": slug})


def _names(nudge: Nudge) -> tuple[str, str]:
    submission = _submission(nudge)
    if submission is None:
        return _("A colleague"), _("Example step")
    progress = submission.progress
    return progress.enrolment.membership.display_name, progress.step.title


def values(nudge: Nudge) -> dict[str, object]:
    learner, step = _names(nudge)
    return {"learner_name": learner, "step_title": step, "sign_off_url": absolute(_path(nudge))}


def action(nudge: Nudge) -> Action:
    learner, _step = _names(nudge)
    return Action(label=_("Sign off %(name)s’s evidence") % {"name": learner}, path=_path(nudge))


def reason(nudge: Nudge) -> str:
    days = nudge.rule.delay_days or 0
    return ngettext(
        "You get this because you manage %(name)s, whose evidence has waited for your "
        "sign-off for more than %(days)s day.",
        "You get this because you manage %(name)s, whose evidence has waited for your "
        "sign-off for more than %(days)s days.",
        days,
    ) % {"name": _names(nudge)[0], "days": days}


def example(*, rule: NudgeRule, viewer: Membership) -> Nudge:
    """The organisation's longest waiting round for a manager, if any; else a sample."""
    items = evidence_waiting(
        organisation_id=rule.organisation_id,
        submitted_before=timezone.now(),
        manager_sign_off_only=True,
    )
    return Nudge(
        rule=rule,
        member=viewer,
        organisation_id=rule.organisation_id,
        kind=Nudge.Kind.MANAGER,
        subject_type=SUBJECT_TYPE,
        subject_id=items[0].submission_id if items else None,
    )
