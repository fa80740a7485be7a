"""The demo's nudges: every kind's rule switched on, and the first round planned and sent.

A newcomer who runs ``make run`` should find the reminders in ``var/mail/`` and in
the app straight away, not after the beat's first quarter hour. Nobody is held out
in the demo, so each persona sees each kind their data makes due; a real
organisation keeps the default holdout to measure the effect.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.utils import timezone

from nudges.models import NudgeRule
from nudges.services import nudge_rule_default_ensure, nudges_dispatch_due, nudges_plan_due
from nudges.services.delivery import nudges_send
from organisations.models import Organisation
from organisations.tenancy import organisation_scope

MANAGER_KINDS = (NudgeRule.Kind.MANAGER_SIGN_OFF, NudgeRule.Kind.MANAGER_AGREE)


def nudges_seed(*, organisation: Organisation, now: dt.datetime) -> Counter:
    """Switch the organisation's rules on once, then plan and send what is due; the outcomes."""
    with organisation_scope(organisation.pk):
        created = nudge_rule_default_ensure(organisation=organisation)
        if created:
            # Only the rules the demo itself made: a rule an author switched off stays off.
            mine = NudgeRule.objects.filter(
                organisation=organisation, pk__in=[rule.pk for rule in created]
            )
            mine.update(is_active=True, holdout_percent=0)
            # The manager persona's reminders at once: what waits for them now, and the
            # weekly digest on the day the demo is loaded rather than next Monday.
            mine.filter(kind__in=MANAGER_KINDS).update(delay_days=0)
            mine.filter(kind=NudgeRule.Kind.TEAM_DIGEST).update(
                weekday=timezone.localtime(now, organisation.zone).weekday(), hour=0
            )
        # The clock now, not the demo's "now": rows the seed wrote through services (evidence
        # handed in, goals proposed) are stamped a moment after it.
        planned_at = timezone.now()
        nudges_plan_due(organisation=organisation, now=planned_at)
        ids = nudges_dispatch_due(organisation=organisation, now=planned_at)
    return nudges_send(organisation_id=organisation.pk, nudge_ids=ids)
