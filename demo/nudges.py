"""The demo's nudges: every kind's rule switched on, and the first round planned and sent.

A newcomer who runs ``make run`` should find the reminders in ``var/mail/`` and in
the app straight away, not after the beat's first quarter hour. Nobody is held out
in the demo, so each persona sees each kind their data makes due; a real
organisation keeps the default holdout to measure the effect.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from nudges.models import NudgeRule
from nudges.services import nudge_rule_default_ensure, nudges_dispatch_due, nudges_plan_due
from nudges.services.delivery import nudges_send
from organisations.models import Organisation
from organisations.tenancy import organisation_scope


def nudges_seed(*, organisation: Organisation, now: dt.datetime) -> Counter:
    """Switch the organisation's rules on once, then plan and send what is due; the outcomes."""
    with organisation_scope(organisation.pk):
        created = nudge_rule_default_ensure(organisation=organisation)
        if created:
            # Only the rules the demo itself made: a rule an author switched off stays off.
            NudgeRule.objects.filter(
                organisation=organisation, pk__in=[rule.pk for rule in created]
            ).update(is_active=True, holdout_percent=0)
        nudges_plan_due(organisation=organisation, now=now)
        ids = nudges_dispatch_due(organisation=organisation, now=now)
    return nudges_send(organisation_id=organisation.pk, nudge_ids=ids)
