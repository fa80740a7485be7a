"""The finish-a-unit rule: an assigned, published unit not completed some days after it arrived."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.models import LearningEvent
from microlearning.selectors.reach import has_completed, units_completed, units_reaching
from microlearning.selectors.units import published_units
from organisations.models import Membership

from ..models import Nudge, NudgeRule
from ..selectors import finish_nudges_due, rule_audience, unit_still_assigned
from .kinds import Action
from .links import tracked_url
from .planning import nudges_create_missing

ACTED_VERBS = (LearningEvent.Verb.COMPLETED,)


def finish_key(unit_id: int) -> str:
    return f"finish:unit:{unit_id}"


def plan(*, rule: NudgeRule, now: dt.datetime) -> int:
    """Plan one nudge per channel for every (member, unit) due; how many are new."""
    due = finish_nudges_due(
        organisation=rule.organisation,
        cutoff=now - dt.timedelta(days=rule.delay_days or 0),
        memberships=rule_audience(rule=rule),
    )
    return nudges_create_missing(
        rule=rule,
        now=now,
        wanted=[
            (
                member_id,
                finish_key(unit_id),
                {"unit_id": unit_id, "subject_type": "unit", "subject_id": unit_id},
            )
            for member_id, unit_id in due
        ],
    )


def cancel_reason(nudge: Nudge) -> str:
    """Why the nudge has no purpose any more, or "" while it still has one."""
    member, unit_id = nudge.member, nudge.unit_id
    if unit_id is None:
        return Nudge.CancelReason.WITHDRAWN
    if has_completed(membership=member, unit_id=unit_id):
        return Nudge.CancelReason.FULFILLED
    if not unit_still_assigned(membership=member, unit_id=unit_id):
        return Nudge.CancelReason.WITHDRAWN
    return ""


def cancel_reasons(nudges: list[Nudge]) -> dict[int, str]:
    """``cancel_reason`` for a sender's batch at once: two queries, however many nudges."""
    reasons: dict[int, str] = {}
    pending = []
    for nudge in nudges:
        if nudge.unit_id is None:
            reasons[nudge.pk] = Nudge.CancelReason.WITHDRAWN
        else:
            pending.append(nudge)
    if not pending:
        return reasons
    organisation = pending[0].member.organisation
    members = list({nudge.member_id: nudge.member for nudge in pending}.values())
    completed = units_completed(
        organisation=organisation,
        unit_ids={nudge.unit_id for nudge in pending},
        membership_ids=[member.pk for member in members],
    )
    reaching = units_reaching(organisation=organisation, memberships=members)
    for nudge in pending:
        if nudge.unit_id in completed.get(nudge.member_id, ()):
            reasons[nudge.pk] = Nudge.CancelReason.FULFILLED
        elif nudge.unit_id not in reaching.get(nudge.member_id, {}):
            reasons[nudge.pk] = Nudge.CancelReason.WITHDRAWN
    return reasons


def _unit_path(nudge: Nudge) -> str:
    return reverse(
        "microlearning:unit_detail",
        kwargs={"org_slug": nudge.member.organisation.slug, "unit_id": nudge.unit_id},
    )


def values(nudge: Nudge) -> dict[str, object]:
    return {
        "unit_title": nudge.unit.title if nudge.unit else _("Example unit"),
        "days": nudge.rule.delay_days,
        "unit_url": tracked_url(nudge, _unit_path(nudge)) if nudge.unit_id else "",
    }


def action(nudge: Nudge) -> Action:
    title = nudge.unit.title if nudge.unit else _("Example unit")
    return Action(label=_("Open “%(title)s”") % {"title": title}, path=_unit_path(nudge))


def reason(nudge: Nudge) -> str:
    days = nudge.rule.delay_days or 0
    return ngettext(
        "You get this reminder because %(organisation)s assigned this unit to you more than "
        "%(days)s day ago and you have not completed it yet.",
        "You get this reminder because %(organisation)s assigned this unit to you more than "
        "%(days)s days ago and you have not completed it yet.",
        days,
    ) % {"organisation": nudge.member.organisation.name, "days": days}


def example(*, rule: NudgeRule, viewer: Membership) -> Nudge:
    unit = published_units(organisation=viewer.organisation).order_by("-pk").first()
    return Nudge(
        rule=rule, member=viewer, organisation_id=rule.organisation_id, unit=unit, kind="finish"
    )
