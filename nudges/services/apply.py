"""The apply rule: some days after an apply-at-work commitment's date, "did you apply it?".

The e-mail carries one link per answer (applied, not yet, not relevant). Each link
is signed for its purpose, expires, and is single-use: the answer is a row unique
per nudge (``OneClickAnswer``), written in the same transaction as the report, so
a second click, a reload or a racing request records nothing more. A used or
expired link sends the member to the same question behind the login.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core import signing
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from events.models import LearningEvent
from microlearning.selectors.commitments import (
    OPEN,
    REPORT_STATUSES,
    commitment_by_id,
    commitment_latest,
    commitment_locked,
    commitments_not_yet_reported,
    commitments_open_due,
)
from microlearning.services.learning import commitment_report
from organisations.models import Membership
from organisations.services import audit_log_record
from organisations.workdays import local_date

from ..learner_selectors import LOOK_BACK_DAYS
from ..models import Nudge, NudgeRule, OneClickAnswer
from ..selectors import rule_audience
from .kinds import Action, absolute
from .links import tracked_url
from .planning import nudges_create_missing

ACTED_VERBS = (LearningEvent.Verb.APPLIED,)
SUBJECT_TYPE = "commitment"

EMAIL_HTML = "nudges/email/apply_answers.html"
EMAIL_TEXT = "nudges/email/apply_answers.txt"

# The answers a link can carry (applied, not yet, not relevant), in the e-mail's order.
ANSWERS = tuple(str(status) for status in REPORT_STATUSES)
APPLIED, NOT_YET, NOT_RELEVANT = ANSWERS
ANSWER_LABELS = {
    APPLIED: gettext_lazy("Yes, I applied it"),
    NOT_YET: gettext_lazy("Not yet"),
    NOT_RELEVANT: gettext_lazy("Not relevant for my work"),
}

# A salt of its own: a token signed for another purpose (an unsubscribe link, a
# session) never passes for an answer.
LINK_SALT = "nudges.apply.answer"
LINK_MAX_AGE = dt.timedelta(days=14)


# The first question comes ``delay_days`` after the commitment's date; who answers
# "not yet" is asked once more, a week after that answer, with the two answers left.
ASKED_FIRST = 0
ASKED_AGAIN = 1
ASK_AGAIN_AFTER = dt.timedelta(days=7)


def apply_key(commitment_id: int) -> str:
    return f"apply:commitment:{commitment_id}"


def plan(*, rule: NudgeRule, now: dt.datetime) -> int:
    """One nudge per channel for every open commitment whose date is ``delay_days`` past."""
    due_by = local_date(organisation=rule.organisation, moment=now) - dt.timedelta(
        days=rule.delay_days or 0
    )
    due = commitments_open_due(
        organisation=rule.organisation,
        due_from=due_by - dt.timedelta(days=LOOK_BACK_DAYS),
        due_by=due_by,
        memberships=rule_audience(rule=rule),
    )
    not_yet = commitments_not_yet_reported(
        organisation=rule.organisation,
        reported_from=now - ASK_AGAIN_AFTER - dt.timedelta(days=LOOK_BACK_DAYS),
        reported_by=now - ASK_AGAIN_AFTER,
        memberships=rule_audience(rule=rule),
    )
    return sum(
        nudges_create_missing(
            rule=rule,
            now=now,
            occurrence=occurrence,
            wanted=[
                (
                    member_id,
                    apply_key(commitment_id),
                    {"subject_type": SUBJECT_TYPE, "subject_id": commitment_id},
                )
                for member_id, commitment_id in commitments
            ],
        )
        for occurrence, commitments in ((ASKED_FIRST, due), (ASKED_AGAIN, not_yet))
    )


def _asked_about(nudge: Nudge) -> str:
    """The commitment's status the question is about: open, or "not yet" when asked again."""
    return NOT_YET if nudge.occurrence == ASKED_AGAIN else str(OPEN)


def answers_for(nudge: Nudge) -> tuple[str, ...]:
    """The answers the nudge offers: all three, or the two left after "not yet"."""
    if nudge.occurrence == ASKED_AGAIN:
        return tuple(answer for answer in ANSWERS if answer != NOT_YET)
    return ANSWERS


def _commitment(nudge: Nudge) -> models.Model | None:
    if not hasattr(nudge, "_commitment"):
        nudge._commitment = commitment_by_id(
            organisation_id=nudge.organisation_id, commitment_id=nudge.subject_id
        )
    return nudge._commitment


def cancel_reason(nudge: Nudge) -> str:
    commitment = _commitment(nudge)
    if commitment is None or commitment.member_id != nudge.member_id:
        return Nudge.CancelReason.WITHDRAWN
    if commitment.status != _asked_about(nudge):
        return Nudge.CancelReason.FULFILLED
    return ""


def question_path(nudge: Nudge) -> str:
    """The logged-in page where the member answers (the used or expired link leads there)."""
    if nudge.pk is None:  # a preview
        return reverse("microlearning:home", kwargs={"org_slug": nudge.member.organisation.slug})
    return reverse(
        "nudges:apply_question",
        kwargs={"org_slug": nudge.member.organisation.slug, "nudge_id": nudge.pk},
    )


def values(nudge: Nudge) -> dict[str, object]:
    commitment = _commitment(nudge)
    return {
        "unit_title": commitment.unit.title if commitment else _("Example unit"),
        "commitment": commitment.text if commitment else _("What I will apply"),
        "answer_url": absolute(question_path(nudge)),
    }


def action(nudge: Nudge) -> Action:
    return Action(label=_("Tell how it went"), path=question_path(nudge))


def reason(nudge: Nudge) -> str:
    if nudge.occurrence == ASKED_AGAIN:
        return _(
            "You get this because you answered “not yet” a week ago about something you "
            "committed to apply at work."
        )
    days = nudge.rule.delay_days or 0
    return ngettext(
        "You get this because you committed to apply something at work, and its date "
        "passed %(days)s day ago.",
        "You get this because you committed to apply something at work, and its date "
        "passed %(days)s days ago.",
        days,
    ) % {"days": days}


def example(*, rule: NudgeRule, viewer: Membership) -> Nudge:
    commitment = commitment_latest(organisation_id=rule.organisation_id)
    nudge = Nudge(
        rule=rule,
        member=viewer,
        organisation_id=rule.organisation_id,
        kind=Nudge.Kind.APPLY,
        subject_type=SUBJECT_TYPE,
        subject_id=commitment.pk if commitment else None,
    )
    nudge._commitment = commitment
    return nudge


# --- the one-click links ---------------------------------------------------------------


def answer_token(nudge: Nudge, answer: str) -> str:
    return signing.dumps(
        {"o": nudge.organisation_id, "n": nudge.pk, "a": str(answer)}, salt=LINK_SALT
    )


def answer_path(nudge: Nudge, answer: str) -> str:
    return reverse(
        "nudges:apply_answer",
        kwargs={"org_slug": nudge.member.organisation.slug, "token": answer_token(nudge, answer)},
    )


def email_context(nudge: Nudge) -> dict[str, object]:
    if nudge.pk is None:
        return {"answers": []}
    return {
        "answers": [
            {
                "label": str(ANSWER_LABELS[answer]),
                "url": tracked_url(nudge, answer_path(nudge, answer)),
            }
            for answer in answers_for(nudge)
        ]
    }


class LinkProblem(Exception):
    """Why a one-click link records nothing; ``nudge`` when the member may answer after login."""

    TAMPERED = "tampered"
    EXPIRED = "expired"
    USED = "used"
    ALREADY_REPORTED = "already_reported"

    def __init__(self, problem: str, nudge: Nudge | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.nudge = nudge


@dataclass(frozen=True)
class LinkAnswer:
    nudge: Nudge
    commitment: models.Model
    answer: str


def _nudge_for_link(organisation_id: int, nudge_id: object) -> Nudge | None:
    if not isinstance(nudge_id, int):
        return None
    return (
        Nudge.objects.filter(
            organisation_id=organisation_id, pk=nudge_id, rule__kind=NudgeRule.Kind.APPLY
        )
        .select_related("member__user", "member__organisation", "rule")
        .first()
    )


def link_read(*, token: str, organisation_id: int) -> LinkAnswer:
    """What a link asks to record, or ``LinkProblem``. Reads only.

    A link of another organisation is tampered as far as this one knows: the
    answer says nothing about the other organisation's nudges.
    """
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
        expired = False
    except signing.SignatureExpired:
        # The signature is ours, only old: the nudge it names can be answered after login.
        data = signing.loads(token, salt=LINK_SALT)
        expired = True
    except signing.BadSignature:
        raise LinkProblem(LinkProblem.TAMPERED) from None
    if not isinstance(data, dict) or data.get("o") != organisation_id:
        raise LinkProblem(LinkProblem.TAMPERED)
    answer = data.get("a")
    nudge = _nudge_for_link(organisation_id, data.get("n"))
    if nudge is None or answer not in ANSWERS or not nudge.member.is_active:
        raise LinkProblem(LinkProblem.TAMPERED)
    if expired:
        raise LinkProblem(LinkProblem.EXPIRED, nudge)
    if OneClickAnswer.objects.filter(organisation_id=organisation_id, nudge=nudge).exists():
        raise LinkProblem(LinkProblem.USED, nudge)
    commitment = commitment_by_id(organisation_id=organisation_id, commitment_id=nudge.subject_id)
    if commitment is None or commitment.member_id != nudge.member_id:
        raise LinkProblem(LinkProblem.TAMPERED)
    if answer not in answers_for(nudge):
        raise LinkProblem(LinkProblem.TAMPERED)
    if commitment.status != _asked_about(nudge):
        raise LinkProblem(LinkProblem.ALREADY_REPORTED, nudge)
    return LinkAnswer(nudge=nudge, commitment=commitment, answer=answer)


def link_answer_record(*, token: str, organisation_id: int) -> LinkAnswer:
    """Record the link's answer once: the report and the spent link commit together.

    The commitment row is locked, so the report and a logged-in answer cannot
    cross; the unique ``OneClickAnswer`` spends every link of the nudge.
    """
    found = link_read(token=token, organisation_id=organisation_id)
    try:
        with transaction.atomic():
            commitment = commitment_locked(
                organisation_id=organisation_id, commitment_id=found.commitment.pk
            )
            if commitment is None or commitment.status != _asked_about(found.nudge):
                raise LinkProblem(LinkProblem.ALREADY_REPORTED, found.nudge)
            OneClickAnswer.objects.create(
                organisation_id=organisation_id, nudge=found.nudge, answer=found.answer
            )
            commitment_report(commitment=commitment, by=found.nudge.member, status=found.answer)
            # Written without a login: the audit says it came through the e-mail's link.
            audit_log_record(
                actor=found.nudge.member,
                action="commitment.reported_by_link",
                obj=commitment,
                data={"nudge": found.nudge.pk, "answer": found.answer},
            )
    except IntegrityError:
        raise LinkProblem(LinkProblem.USED, found.nudge) from None
    return LinkAnswer(nudge=found.nudge, commitment=commitment, answer=found.answer)
