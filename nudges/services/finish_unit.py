"""The finish-a-unit rule: an assigned, published unit not completed some days after it arrived."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse

from microlearning.selectors.reach import has_completed

from ..models import Nudge, NudgeRule
from ..selectors import finish_nudges_due, rule_audience, unit_still_assigned
from .planning import nudges_create_missing


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
            (member_id, finish_key(unit_id), {"unit_id": unit_id}) for member_id, unit_id in due
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


def values(nudge: Nudge) -> dict[str, object]:
    organisation = nudge.member.organisation
    return {
        "unit_title": nudge.unit.title,
        "days": nudge.rule.delay_days,
        "unit_url": settings.SITE_URL
        + reverse(
            "microlearning:unit_detail",
            kwargs={"org_slug": organisation.slug, "unit_id": nudge.unit_id},
        ),
    }
