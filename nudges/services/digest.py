"""The digest: the reminders above a member's daily maximum, in one message the next working day.

Nobody authors it and the planner plans none: a sender bundles a nudge that
would pass the member's daily maximum into the member's digest of that day
(``preferences.nudge_hold``). The digest lists each bundled reminder that still
has a purpose, each with its own tracked link; when none has one left, the
digest is cancelled as fulfilled. The bundled rows keep status "bundled" and
point to their digest, so their history says where they went.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from organisations.models import Membership

from ..models import Nudge, NudgeRule
from .kinds import Action, absolute, kind_module
from .links import tracked_url

ACTED_VERBS = ()
EMAIL_HTML = "nudges/email/digest_items.html"
EMAIL_TEXT = "nudges/email/digest_items.txt"


@dataclass(frozen=True)
class Item:
    subject: str
    label: str
    url: str


def plan(*, rule: NudgeRule, now: dt.datetime) -> int:
    return 0  # made by the sender, when a nudge passes the daily maximum


def _bundled(nudge: Nudge) -> list[Nudge]:
    if nudge.pk is None:
        return []
    if not hasattr(nudge, "_bundled"):
        rows = (
            Nudge.objects.filter(
                organisation_id=nudge.organisation_id,
                digest=nudge,
                status=Nudge.Status.BUNDLED,
            )
            .select_related("rule", "member__user", "member__organisation", "unit")
            .order_by("created_at", "pk")
        )
        nudge._bundled = [
            row
            for row in rows
            if (module := kind_module(row.rule.kind)) is not None and not module.cancel_reason(row)
        ]
    return nudge._bundled


def items(nudge: Nudge) -> list[Item]:
    """The bundled reminders that still have a purpose, as the member reads them."""
    from .delivery import nudge_words  # the sender imports this module's kind table

    result = []
    for row in _bundled(nudge):
        words = nudge_words(row)
        result.append(
            Item(
                subject=words.subject,
                label=words.action.label,
                url=tracked_url(row, words.action.path),
            )
        )
    return result


def cancel_reason(nudge: Nudge) -> str:
    return "" if _bundled(nudge) else Nudge.CancelReason.FULFILLED


def _inbox_path(nudge: Nudge) -> str:
    return reverse("nudges:inbox", kwargs={"org_slug": nudge.member.organisation.slug})


def values(nudge: Nudge) -> dict[str, object]:
    found = items(nudge)
    return {
        "count": len(found),
        "items": "\n".join(f"- {item.subject}" for item in found),
        "inbox_url": absolute(_inbox_path(nudge)),
    }


def action(nudge: Nudge) -> Action:
    return Action(label=_("Open your reminders"), path=_inbox_path(nudge))


def reason(nudge: Nudge) -> str:
    return _(
        "You get this digest because more reminders came on one day than you want to "
        "receive a day; you can change that number in your preferences."
    )


def email_context(nudge: Nudge) -> dict[str, object]:
    return {"digest_items": items(nudge)}


def example(*, rule: NudgeRule, viewer: Membership) -> Nudge:
    return Nudge(
        rule=rule, member=viewer, organisation_id=rule.organisation_id, kind=Nudge.Kind.DIGEST
    )
