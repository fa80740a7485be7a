"""The weekly team digest: once a week, each manager hears who in their teams is stuck,
overdue or inactive, with one link per person to act.

One digest per manager, covering every team they see (sub-teams included), not
one per team: a head of department with four sub-teams would otherwise get five
mails the same morning, and the people are listed by team inside it anyway.

It comes on the rule's weekday from the rule's hour (the organisation's time)
until that day ends; ``occurrence`` is the ISO week (year * 100 + week), so the
planner's later runs that day, or a second beat process, plan nothing new. A
planner that was down for the whole day skips that week's digest rather than
sending a stale one days late. The people are read when the digest is planned
and kept in the nudge's payload: the e-mail shows them as they were, the digest
page (``nudges:team_digest``) as they are now. A manager with nobody to mention
gets no digest.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import LearningEvent
from organisations.models import Membership
from organisations.permissions import is_manager

from ..digest import Digest, act_label, team_digests, thresholds
from ..models import Nudge, NudgeRule
from ..rules import held_out
from .kinds import Action, absolute
from .links import tracked_url
from .managers import managers_in_audience
from .planning import nudges_create_missing

# What a manager's acting on the digest records: a sign-off (the learner is the actor,
# the signer in the context), an agreed goal, an enrolment.
# The learner is the actor of a sign-off's event; the manager acted as its "by".
ACTS_FOR_OTHERS = True
ACTED_VERBS = (
    LearningEvent.Verb.APPROVED,
    LearningEvent.Verb.ASKED_CHANGES,
    LearningEvent.Verb.GOAL_AGREED,
    LearningEvent.Verb.ENROLLED,
)
SUBJECT_TYPE = "manager"
EMAIL_HTML = "nudges/email/team_digest.html"
EMAIL_TEXT = "nudges/email/team_digest.txt"
EXAMPLE_MANAGERS = 5


def digest_key(manager_id: int) -> str:
    return f"digest:manager:{manager_id}"


def digest_week(*, rule: NudgeRule, now: dt.datetime) -> int | None:
    """The ISO week (year * 100 + week) whose digest is due at ``now``, or None."""
    if rule.weekday is None:
        return None
    local = now.astimezone(rule.organisation.zone)
    if local.weekday() != rule.weekday or local.hour < rule.hour:
        return None
    year, week, _day = local.isocalendar()
    return year * 100 + week


def plan(*, rule: NudgeRule, now: dt.datetime) -> int:
    """This week's digest for each manager in the audience with someone to mention."""
    week = digest_week(rule=rule, now=now)
    if week is None:
        return 0
    planned = set(
        Nudge.objects.filter(
            organisation_id=rule.organisation_id, rule=rule, occurrence=week
        ).values_list("member_id", flat=True)
    )
    # Only managers still without this week's digest (and not held out) are read for,
    # so the planner's later runs that day cost a few queries.
    managers = {
        manager_id: teams
        for manager_id, teams in managers_in_audience(rule=rule).items()
        if manager_id not in planned
        and not held_out(rule_id=rule.pk, member_id=manager_id, percent=rule.holdout_percent)
    }
    if not managers:
        return 0
    digests = team_digests(
        organisation=rule.organisation,
        managers=managers,
        now=now,
        **thresholds(delay_days=rule.delay_days),
    )
    return nudges_create_missing(
        rule=rule,
        now=now,
        occurrence=week,
        wanted=[
            (
                manager_id,
                digest_key(manager_id),
                {
                    "subject_type": SUBJECT_TYPE,
                    "subject_id": manager_id,
                    "payload": digest.as_payload(),
                },
            )
            for manager_id, digest in sorted(digests.items())
        ],
    )


def cancel_reason(nudge: Nudge) -> str:
    """A member who manages no team any more has no team to hear about."""
    return "" if is_manager(nudge.member) else Nudge.CancelReason.WITHDRAWN


def _path(nudge: Nudge) -> str:
    return reverse("nudges:team_digest", kwargs={"org_slug": nudge.member.organisation.slug})


def _team_name(nudge: Nudge) -> str:
    names = nudge.payload.get("team_names") or []
    return ", ".join(names) if names else _("your team")


def values(nudge: Nudge) -> dict[str, object]:
    payload = nudge.payload
    return {
        "team_name": _team_name(nudge),
        "stuck_count": payload.get("stuck_count", 0),
        "overdue_count": payload.get("overdue_count", 0),
        "inactive_count": payload.get("inactive_count", 0),
        "digest_url": absolute(_path(nudge)),
    }


def action(nudge: Nudge) -> Action:
    return Action(label=_("Open your team digest"), path=_path(nudge))


def reason(nudge: Nudge) -> str:
    return _("You get this digest every week because you manage %(team)s in %(organisation)s.") % {
        "team": _team_name(nudge),
        "organisation": nudge.member.organisation.name,
    }


def email_context(nudge: Nudge) -> dict[str, object]:
    """The people as the planner found them, each with their one link, in the manager's
    language (the sender calls this inside it)."""
    digest = Digest.from_payload(nudge.payload)
    people = [
        {
            **person,
            "act_url": tracked_url(nudge, person["act_path"]),
            "act_label": act_label(person),
        }
        for person in digest.people
    ]
    total = nudge.payload.get("people_total", len(people))
    return {
        "digest_people": people,
        "digest_more": max(total - len(people), 0),
        "digest_url": tracked_url(nudge, _path(nudge)),
    }


def example(*, rule: NudgeRule, viewer: Membership) -> Nudge:
    """The viewer's own digest as it would be now if they manage a team; else the digest of
    one manager in the rule's audience, so L&D previews with real names."""
    managers = managers_in_audience(rule=rule)
    digests = {}
    # A few managers at most: a preview must stay quick in a big organisation.
    for manager_id in sorted(managers, key=lambda m: (m != viewer.pk, m))[:EXAMPLE_MANAGERS]:
        digests = team_digests(
            organisation=rule.organisation,
            managers={manager_id: managers[manager_id]},
            now=timezone.now(),
            **thresholds(delay_days=rule.delay_days),
        )
        if digests or manager_id == viewer.pk:
            break
    digest = next(iter(digests.values()), Digest())
    return Nudge(
        rule=rule,
        member=viewer,
        organisation_id=rule.organisation_id,
        kind=Nudge.Kind.MANAGER,
        subject_type=SUBJECT_TYPE,
        subject_id=viewer.pk,
        payload=digest.as_payload(),
    )
