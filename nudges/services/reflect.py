"""The reflect rule: "what did you learn?", answered in place, on the nudge's own page.

Two moments, one rule (its words and audience):

* ``delay_days`` after a signer approved an on-the-job step (an assignment or job
  shadowing): one nudge per step, about that step.
* Every week while the member has an agreed goal, from ``WEEKLY_WEEKDAY`` (or the
  rule's weekday, when an author set one) at the rule's hour on: one nudge per
  member and ISO week (``occurrence`` = year * 100 + week), about their goal with
  the soonest target.

The answer is a ``WorkReflection``; writing it records the ``reflected`` event.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from courses.selectors.nudges import step_progress_by_id, steps_signed_off
from events.models import LearningEvent
from events.services import learning_event_record
from goals.selectors.nudges import (
    agreed_goal_per_member,
    goal_agreed_latest,
    goal_by_id,
    goal_is_agreed,
)
from organisations.models import Membership

from ..learner_selectors import LOOK_BACK_DAYS, work_reflection_of
from ..models import Nudge, NudgeRule, WorkReflection
from ..selectors import rule_audience
from .kinds import Action, absolute
from .planning import nudges_create_missing

ACTED_VERBS = (LearningEvent.Verb.REFLECTED,)
STEP = "step_progress"
GOAL = "goal"
WEEKLY_WEEKDAY = NudgeRule.Weekday.FRIDAY

ERROR_EMPTY = gettext_lazy("Write what you learnt.")
ERROR_NOT_YOURS = gettext_lazy("Only the member this reminder is for can answer it.")
ERROR_GONE = gettext_lazy("What this reminder asked about no longer exists.")


def iso_week(day: dt.date) -> int:
    year, week, _weekday = day.isocalendar()
    return year * 100 + week


def reflect_step_key(progress_id: int) -> str:
    return f"reflect:step:{progress_id}"


WEEK_KEY = "reflect:week"


def plan(*, rule: NudgeRule, now: dt.datetime) -> int:
    audience = rule_audience(rule=rule)
    delay = dt.timedelta(days=rule.delay_days or 0)
    signed_off = steps_signed_off(
        organisation=rule.organisation,
        done_from=now - delay - dt.timedelta(days=LOOK_BACK_DAYS),
        done_by=now - delay,
        memberships=audience,
    )
    created = nudges_create_missing(
        rule=rule,
        now=now,
        wanted=[
            (
                member_id,
                reflect_step_key(progress_id),
                {"subject_type": STEP, "subject_id": progress_id},
            )
            for member_id, progress_id in signed_off
        ],
    )
    local = timezone.localtime(now, rule.organisation.zone)
    weekday = WEEKLY_WEEKDAY if rule.weekday is None else rule.weekday
    if (local.weekday(), local.hour) >= (weekday, rule.hour):
        week = iso_week(local.date())
        # Members nudged this week already are left out in the query: the planner runs
        # all weekend long, and reads only who is still waiting for this week's nudge.
        nudged = Nudge.objects.filter(
            organisation_id=rule.organisation_id, rule=rule, key=WEEK_KEY, occurrence=week
        ).values("member_id")
        goals = agreed_goal_per_member(
            organisation=rule.organisation, memberships=audience.exclude(pk__in=nudged)
        )
        created += nudges_create_missing(
            rule=rule,
            now=now,
            occurrence=week,
            wanted=[
                (member_id, WEEK_KEY, {"subject_type": GOAL, "subject_id": goal_id})
                for member_id, goal_id in goals.items()
            ],
        )
    return created


def _subject(nudge: Nudge) -> models.Model | None:
    """The signed-off step's progress, or the goal of a weekly reflection."""
    if not hasattr(nudge, "_subject"):
        if nudge.subject_type == STEP:
            nudge._subject = step_progress_by_id(
                organisation_id=nudge.organisation_id, progress_id=nudge.subject_id
            )
        else:
            nudge._subject = goal_by_id(
                organisation_id=nudge.organisation_id, goal_id=nudge.subject_id
            )
    return nudge._subject


def _is_step(nudge: Nudge) -> bool:
    return nudge.subject_type == STEP


def goal_subject(nudge: Nudge) -> models.Model | None:
    """The goal a weekly reflection is about (None for a step's)."""
    return None if _is_step(nudge) else _subject(nudge)


def _owner_id(nudge: Nudge, subject: models.Model) -> int:
    return subject.enrolment.membership_id if _is_step(nudge) else subject.member_id


def cancel_reason(nudge: Nudge) -> str:
    subject = _subject(nudge)
    if subject is None or _owner_id(nudge, subject) != nudge.member_id:
        return Nudge.CancelReason.WITHDRAWN
    if not _is_step(nudge) and not goal_is_agreed(subject):
        return Nudge.CancelReason.WITHDRAWN
    if work_reflection_of(
        membership=nudge.member,
        subject_type=nudge.subject_type,
        subject_id=nudge.subject_id,
        occurrence=nudge.occurrence,
    ):
        return Nudge.CancelReason.FULFILLED
    return ""


def reflect_path(nudge: Nudge) -> str:
    slug = nudge.member.organisation.slug
    if nudge.pk is None:  # a preview
        return reverse("microlearning:home", kwargs={"org_slug": slug})
    return reverse("nudges:reflect", kwargs={"org_slug": slug, "nudge_id": nudge.pk})


def prompt(nudge: Nudge) -> str:
    """The question the page asks, in the active language."""
    subject = _subject(nudge)
    if _is_step(nudge) and subject is not None:
        return _("What did you learn from “%(step)s”?") % {"step": subject.step.title}
    return _("What did you learn this week?")


def values(nudge: Nudge) -> dict[str, object]:
    subject = _subject(nudge)
    return {
        "question": prompt(nudge),
        "step_title": subject.step.title if _is_step(nudge) and subject else "",
        "goal_title": subject.title if not _is_step(nudge) and subject else "",
        "reflect_url": absolute(reflect_path(nudge)),
    }


def action(nudge: Nudge) -> Action:
    return Action(label=_("Write what you learnt"), path=reflect_path(nudge))


def reason(nudge: Nudge) -> str:
    if nudge.subject_type == STEP:
        days = nudge.rule.delay_days or 0
        return ngettext(
            "You get this because an on-the-job step of yours was signed off %(days)s day ago: "
            "writing down what you learnt helps it stick.",
            "You get this because an on-the-job step of yours was signed off %(days)s days ago: "
            "writing down what you learnt helps it stick.",
            days,
        ) % {"days": days}
    return _(
        "You get this every week while you work on an agreed goal: a few lines about what "
        "you learnt help it stick."
    )


def example(*, rule: NudgeRule, viewer: Membership) -> Nudge:
    goal = goal_agreed_latest(organisation_id=rule.organisation_id)
    nudge = Nudge(
        rule=rule,
        member=viewer,
        organisation_id=rule.organisation_id,
        kind=Nudge.Kind.REFLECT,
        subject_type=GOAL,
        subject_id=goal.pk if goal else None,
    )
    nudge._subject = goal
    return nudge


# --- the answer --------------------------------------------------------------------------


def work_reflection_for(*, nudge: Nudge) -> WorkReflection | None:
    return work_reflection_of(
        membership=nudge.member,
        subject_type=nudge.subject_type,
        subject_id=nudge.subject_id,
        occurrence=nudge.occurrence,
    )


def work_reflection_save(
    *, nudge: Nudge, membership: Membership, text: str, shared_with_manager: bool = False
) -> WorkReflection:
    """Save (or rewrite) the member's answer to a reflect nudge; the first one is ``reflected``."""
    if nudge.member_id != membership.pk or nudge.organisation_id != membership.organisation_id:
        raise PermissionDenied(ERROR_NOT_YOURS)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [ERROR_EMPTY]})
    subject = _subject(nudge)
    if subject is None:
        raise ValidationError(ERROR_GONE)
    now = timezone.now()
    with transaction.atomic():
        reflection, created = WorkReflection.objects.update_or_create(
            organisation_id=membership.organisation_id,
            member=membership,
            subject_type=nudge.subject_type,
            subject_id=nudge.subject_id,
            occurrence=nudge.occurrence,
            defaults={
                "text": text,
                "shared_with_manager": shared_with_manager,
                "updated_at": now,
            },
            create_defaults={
                "text": text,
                "shared_with_manager": shared_with_manager,
                "updated_at": now,
                "created_at": now,
                "nudge": nudge,
            },
        )
        reflection.full_clean()
        if created:
            learning_event_record(
                actor=membership,
                verb=LearningEvent.Verb.REFLECTED,
                object_type="step" if nudge.subject_type == STEP else "goal",
                object_id=subject.step_id if _is_step(nudge) else nudge.subject_id,
                context={
                    "nudge": nudge.pk,
                    "occurrence": nudge.occurrence,
                    "shared": shared_with_manager,
                },
                timestamp=now,
            )
    return reflection
