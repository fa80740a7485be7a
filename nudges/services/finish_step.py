"""The finish-a-step rule: a trajectory step due within ``delay_days`` days, or overdue.

Each (member, step progress) gets a "due soon" nudge (occurrence 0) and, if the
date passes with the step still open, a separate "overdue" one (occurrence 1).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.selectors.nudges import (
    enrolment_is_open,
    step_progress_by_id,
    step_progress_is_done,
    step_progress_latest_due,
    step_progress_waits_for_learner,
    steps_due,
)
from events.models import LearningEvent
from organisations.models import Membership
from organisations.workdays import local_date

from ..learner_selectors import LOOK_BACK_DAYS
from ..models import Nudge, NudgeRule
from ..selectors import rule_audience
from .kinds import Action, absolute
from .planning import nudges_create_missing

# A step is done when its learner completes it, hands in evidence that needs no
# signer, or attends its session: each of these events means the nudge worked.
ACTED_VERBS = (
    LearningEvent.Verb.COMPLETED,
    LearningEvent.Verb.SUBMITTED,
    LearningEvent.Verb.ATTENDED,
    LearningEvent.Verb.REFLECTED,
)
SUBJECT_TYPE = "step_progress"
DUE_SOON = 0
OVERDUE = 1


def finish_step_key(progress_id: int) -> str:
    return f"finish:step:{progress_id}"


def plan(*, rule: NudgeRule, now: dt.datetime) -> int:
    """A "due soon" nudge for steps due within the rule's days, an "overdue" one after."""
    today = local_date(organisation=rule.organisation, moment=now)
    due = steps_due(
        organisation=rule.organisation,
        due_from=today - dt.timedelta(days=LOOK_BACK_DAYS),
        due_by=today + dt.timedelta(days=rule.delay_days or 0),
        memberships=rule_audience(rule=rule),
    )
    created = 0
    for occurrence in (DUE_SOON, OVERDUE):
        created += nudges_create_missing(
            rule=rule,
            now=now,
            occurrence=occurrence,
            wanted=[
                (
                    member_id,
                    finish_step_key(progress_id),
                    {
                        "subject_type": SUBJECT_TYPE,
                        "subject_id": progress_id,
                        "payload": {"due_on": due_on.isoformat()},
                    },
                )
                for member_id, progress_id, due_on in due
                if (due_on < today) == (occurrence == OVERDUE)
            ],
        )
    return created


def _progress(nudge: Nudge) -> models.Model | None:
    if not hasattr(nudge, "_progress"):
        nudge._progress = step_progress_by_id(
            organisation_id=nudge.organisation_id, progress_id=nudge.subject_id
        )
    return nudge._progress


def cancel_reason(nudge: Nudge) -> str:
    progress = _progress(nudge)
    if progress is None or progress.enrolment.membership_id != nudge.member_id:
        return Nudge.CancelReason.WITHDRAWN
    # Done, or handed in and waiting for the signer: the learner did their part.
    if step_progress_is_done(progress) or not step_progress_waits_for_learner(progress):
        return Nudge.CancelReason.FULFILLED
    if not enrolment_is_open(progress.enrolment):
        return Nudge.CancelReason.WITHDRAWN
    return ""


def _step_path(nudge: Nudge) -> str:
    slug = nudge.member.organisation.slug
    if nudge.subject_id is None:
        return reverse("courses:my_learning", kwargs={"org_slug": slug})
    return reverse("courses:step", kwargs={"org_slug": slug, "progress_id": nudge.subject_id})


def _due_on(nudge: Nudge) -> dt.date | None:
    progress = _progress(nudge)
    return progress.due_on if progress else None


def values(nudge: Nudge) -> dict[str, object]:
    progress = _progress(nudge)
    due_on = _due_on(nudge)
    return {
        "trajectory_title": progress.enrolment.version.title if progress else _("Example path"),
        "step_title": progress.step.title if progress else _("Example step"),
        "due_date": formats.date_format(due_on, "DATE_FORMAT") if due_on else "",
        "step_url": absolute(_step_path(nudge)),
    }


def action(nudge: Nudge) -> Action:
    progress = _progress(nudge)
    title = progress.step.title if progress else _("Example step")
    return Action(label=_("Open “%(title)s”") % {"title": title}, path=_step_path(nudge))


def reason(nudge: Nudge) -> str:
    if nudge.occurrence == OVERDUE:
        return _(
            "You get this reminder because a step of your learning path passed its due "
            "date and is not done yet."
        )
    days = nudge.rule.delay_days or 0
    return ngettext(
        "You get this reminder because a step of your learning path is due within %(days)s day.",
        "You get this reminder because a step of your learning path is due within %(days)s days.",
        days,
    ) % {"days": days}


def example(*, rule: NudgeRule, viewer: Membership) -> Nudge:
    progress = step_progress_latest_due(organisation_id=rule.organisation_id)
    nudge = Nudge(
        rule=rule,
        member=viewer,
        organisation_id=rule.organisation_id,
        kind=Nudge.Kind.FINISH,
        subject_type=SUBJECT_TYPE,
        subject_id=progress.pk if progress else None,
    )
    nudge._progress = progress
    return nudge
