"""The repeat rule: a refresher of the quiz questions a member answered, once they are due.

FSRS (``microlearning.services.repetition``) decides when each question is due;
this rule turns "something is due" into at most one nudge per member per day
(the day is the nudge's occurrence), holding the questions it found in its
payload. The refresher itself shows whatever is due when it is opened.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import LearningEvent
from microlearning.selectors.repetition import (
    due_card_count,
    members_with_due_cards,
    preview_cards,
)
from organisations.models import Membership

from ..models import Nudge, NudgeRule
from ..selectors import rule_audience
from .kinds import Action, absolute
from .planning import nudges_create_missing

ACTED_VERBS = (LearningEvent.Verb.ANSWERED,)

REPEAT_KEY = "repeat:questions"


def plan(*, rule: NudgeRule, now: dt.datetime) -> int:
    """One nudge per channel today for every member with questions due; how many are new.

    The rule's delay lets questions wait that many days past due before a nudge
    (the home page shows them from the moment they are due).
    """
    due = members_with_due_cards(
        organisation=rule.organisation,
        due_by=now - dt.timedelta(days=rule.delay_days or 0),
        memberships=rule_audience(rule=rule),
    )
    return nudges_create_missing(
        rule=rule,
        now=now,
        occurrence=timezone.localdate(now).toordinal(),
        wanted=[
            (member_id, REPEAT_KEY, {"payload": {"question_ids": question_ids}})
            for member_id, question_ids in due.items()
        ],
    )


def cancel_reason(nudge: Nudge) -> str:
    """Fulfilled once nothing is due any more: the member repeated the questions already."""
    if due_card_count(membership=nudge.member, now=timezone.now()) == 0:
        return Nudge.CancelReason.FULFILLED
    return ""


def _refresher_path(nudge: Nudge) -> str:
    return reverse("microlearning:refresher", kwargs={"org_slug": nudge.member.organisation.slug})


def values(nudge: Nudge) -> dict[str, object]:
    return {
        "question_count": len(nudge.payload.get("question_ids", [])),
        "refresher_url": absolute(_refresher_path(nudge)),
    }


def action(nudge: Nudge) -> Action:
    return Action(label=_("Repeat the questions"), path=_refresher_path(nudge))


def reason(nudge: Nudge) -> str:
    return _(
        "You get this because you answered these questions in a unit of %(organisation)s, "
        "and answering them again just before you would forget them makes them stick."
    ) % {"organisation": nudge.member.organisation.name}


def example(*, rule: NudgeRule, viewer: Membership) -> Nudge:
    """A member's real questions (the viewer's own when due), to preview the words with."""
    member, cards = preview_cards(viewer=viewer, now=timezone.now())
    return Nudge(
        rule=rule,
        member=member,
        organisation_id=rule.organisation_id,
        kind=Nudge.Kind.REPEAT,
        key=REPEAT_KEY,
        payload={"question_ids": [card.block_id for card in cards]},
    )
