"""Planning: each active rule of an organisation turns what is due into planned nudge rows.

Planning is idempotent by the database: a nudge's (rule, member, key, occurrence,
channel) is unique, so a second run, a second beat process or an overlapping
task creates nothing new. The planner never sends; the dispatcher does
(``nudges.services.delivery``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from organisations.models import Organisation

from ..models import Nudge, NudgeRule
from ..rules import KINDS, held_out
from .kinds import handled_kinds, kind_module
from .preferences import nudges_fit_members_time
from .rules import nudge_rule_default_ensure

CREATE_BATCH = 1000
# A held-out row goes by no channel: one row per occasion, whatever the rule sends by.
HELD_OUT_CHANNEL = ""


def nudges_create_missing(
    *,
    rule: NudgeRule,
    now: dt.datetime,
    wanted: Iterable[tuple[int, str, dict]],
    occurrence: int = 0,
    due_at: dt.datetime | None = None,
) -> int:
    """Create the rule's nudges for ``wanted`` (member id, key, extra fields) not made before.

    One row per channel of the rule. A member in the rule's holdout gets one
    ``held_out`` row instead (no channel, never sent, due when the nudge would
    have gone), so the rule's page can compare what held-out and nudged members
    did. A member's preferences decide the rest: no row for a channel they
    switched off for the rule's category, and each row due at their next working
    moment (a held-out row too: it stands for when the nudge would have gone).
    An occasion already decided stays so: a held-out row is never followed by
    nudges, nor nudges by a held-out row, if the held-out share changes later.
    Returns how many nudges to deliver this call created (held-out rows not
    counted). ``ignore_conflicts`` keeps a run racing another one from failing:
    the unique key decides, not the read before.
    """
    wanted = list(wanted)
    if not wanted:
        return 0
    existing: dict[tuple[int, str], set[str]] = {}
    for member_id, key, channel in Nudge.objects.filter(
        organisation_id=rule.organisation_id, rule=rule, occurrence=occurrence
    ).values_list("member_id", "key", "channel"):
        existing.setdefault((member_id, key), set()).add(channel)
    category = KINDS[rule.kind].category
    new: list[Nudge] = []
    for member_id, key, extra in sorted(wanted, key=lambda w: (w[0], w[1])):
        made = existing.get((member_id, key), set())
        if held_out(rule_id=rule.pk, member_id=member_id, percent=rule.holdout_percent):
            channels = [] if made else [HELD_OUT_CHANNEL]
        elif HELD_OUT_CHANNEL in made:
            channels = []
        else:
            channels = [channel for channel in rule.channels if channel not in made]
        for channel in channels:
            new.append(
                Nudge(
                    organisation_id=rule.organisation_id,
                    rule=rule,
                    member_id=member_id,
                    kind=category,
                    channel=channel,
                    key=key,
                    occurrence=occurrence,
                    due_at=due_at or now,
                    created_at=now,
                    **({"status": Nudge.Status.HELD_OUT} if channel == HELD_OUT_CHANNEL else {}),
                    **extra,
                )
            )
    new = nudges_fit_members_time(organisation=rule.organisation, category=category, nudges=new)
    deliverable = sum(nudge.status != Nudge.Status.HELD_OUT for nudge in new)
    Nudge.objects.bulk_create(new, ignore_conflicts=True, batch_size=CREATE_BATCH)
    return deliverable


def nudges_plan_due(*, organisation: Organisation, now: dt.datetime) -> int:
    """Plan every active rule of the organisation; return how many nudges are new.

    An organisation without a finish-a-unit rule gets the default one first, so a
    new organisation reminds its members as Werkwijs always did.
    """
    nudge_rule_default_ensure(organisation=organisation)
    created = 0
    for rule in NudgeRule.objects.filter(
        organisation=organisation, is_active=True, kind__in=handled_kinds()
    ).order_by("pk"):
        rule.organisation = organisation
        created += kind_module(rule.kind).plan(rule=rule, now=now)
    return created
