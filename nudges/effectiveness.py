"""Reads for "is it working?": what a rule's nudges led to, and the uplift over its holdout.

A selector module (reads only). Every figure is a set-based count, a fixed number
of queries however many nudges a rule has:

- planned: every nudge the rule made (held-out rows are no nudges);
- sent; opened (a ``nudge_opened`` event: opened or marked read in the app,
  one by one); clicked (a ``nudge_clicked`` event, from a signed e-mail link);
- acted: sent, and the member did what the kind asks (a verb of the kind
  module's ``ACTED_VERBS``) within 72 hours after it was sent.

The holdout comparison counts occasions (a member, a key, an occurrence: one
reminder, whatever the channels): for nudged members from the first sending,
for held-out members from when the nudge would have gone (``due_at``). Both over
the same period, and only occasions whose 72 hours have passed, so a nudge sent
an hour ago does not count as "not acted".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, TruncWeek
from django.utils import timezone

from events.models import LearningEvent

from .models import Nudge, NudgeRule
from .services.kinds import kind_module
from .stats import Interval, newcombe_difference

ACT_WITHIN = dt.timedelta(hours=72)
TREND_WEEKS = 12
# Fewer people than this in either group: a rate would say more about chance than
# about the nudge, and could point at a person.
MIN_GROUP_PEOPLE = 5


@dataclass(frozen=True)
class Funnel:
    planned: int = 0
    sent: int = 0
    opened: int = 0
    clicked: int = 0
    acted: int = 0

    @property
    def acted_share(self) -> float | None:
        return self.acted / self.sent if self.sent else None


@dataclass(frozen=True)
class Week:
    start: dt.date
    funnel: Funnel


@dataclass(frozen=True)
class Group:
    people: int
    occasions: int
    acted: int

    @property
    def rate(self) -> float | None:
        return self.acted / self.occasions if self.occasions else None


@dataclass(frozen=True)
class HoldoutComparison:
    since: dt.datetime
    until: dt.datetime
    nudged: Group
    held_out: Group
    # Nudged minus held-out action rate, with its 95 % interval; None for small groups.
    uplift: float | None
    interval: Interval | None

    @property
    def enough(self) -> bool:
        return self.uplift is not None


@dataclass(frozen=True)
class RuleEffectiveness:
    rule: NudgeRule
    measures_action: bool
    total: Funnel
    weeks: list[Week]
    holdout: HoldoutComparison

    @property
    def busiest_week(self) -> int:
        return max((week.funnel.sent for week in self.weeks), default=0)


def acted_verbs(rule: NudgeRule) -> tuple[str, ...]:
    return tuple(getattr(kind_module(rule.kind), "ACTED_VERBS", ()))


def _acted_after(rule: NudgeRule, verbs: tuple[str, ...], *moment: str) -> Exists:
    """Whether the nudge's member did what it asks within 72 hours after ``moment``.

    ``moment`` names the nudge's field(s), the first one set counts (sent, else due).
    """
    start = OuterRef(moment[0]) if len(moment) == 1 else Coalesce(*map(OuterRef, moment))
    events = LearningEvent.objects.filter(organisation_id=rule.organisation_id)
    member = Q(actor_id=OuterRef("member_id"))
    if getattr(kind_module(rule.kind), "ACTS_FOR_OTHERS", False):
        # A manager's sign-off is the learner's event; the manager is its context's "by".
        events = events.annotate(by=Cast(KeyTextTransform("by", "context"), IntegerField()))
        member |= Q(by=OuterRef("member_id"))
    return Exists(
        events.filter(
            member,
            verb__in=verbs,
            timestamp__gte=start,
            timestamp__lt=ExpressionWrapper(start + ACT_WITHIN, output_field=DateTimeField()),
        )
    )


def _nudge_events(rule: NudgeRule, verb: str) -> QuerySet:
    # Uncorrelated, so the database hashes it once instead of probing per nudge.
    return LearningEvent.objects.filter(
        organisation_id=rule.organisation_id, verb=verb, object_type="nudge"
    ).values("object_id")


def _funnel_counts(rule: NudgeRule, verbs: tuple[str, ...]) -> dict:
    sent = Q(status=Nudge.Status.SENT)
    return {
        "planned": Count("pk"),
        "sent": Count("pk", filter=sent),
        "opened": Count(
            "pk", filter=sent & Q(pk__in=_nudge_events(rule, LearningEvent.Verb.NUDGE_OPENED))
        ),
        "clicked": Count(
            "pk", filter=sent & Q(pk__in=_nudge_events(rule, LearningEvent.Verb.NUDGE_CLICKED))
        ),
    } | (
        {"acted": Count("pk", filter=sent & Q(_acted_after(rule, verbs, "sent_at")))}
        if verbs
        else {}
    )


def _rule_nudges(rule: NudgeRule) -> QuerySet[Nudge]:
    return Nudge.objects.filter(organisation_id=rule.organisation_id, rule=rule).exclude(
        status=Nudge.Status.HELD_OUT
    )


def _funnel(row: dict) -> Funnel:
    return Funnel(**{name: row.get(name) or 0 for name in Funnel.__dataclass_fields__})


def rule_weeks(*, rule: NudgeRule, verbs: tuple[str, ...], now: dt.datetime) -> list[Week]:
    """The figures per week (by when each nudge went, or was due), the last 12 weeks, one query.

    Weeks without nudges are there too, with zeros, so the trend has no gaps.
    """
    this_week = _week_start(timezone.localdate(now))
    first_week = this_week - dt.timedelta(weeks=TREND_WEEKS - 1)
    since = timezone.make_aware(dt.datetime.combine(first_week, dt.time()))
    rows = (
        _rule_nudges(rule)
        .annotate(moment=Coalesce("sent_at", "due_at"))
        .filter(moment__gte=since)
        .annotate(week=TruncWeek("moment"))
        .values("week")
        .annotate(**_funnel_counts(rule, verbs))
        .order_by("week")
    )
    by_week = {timezone.localdate(row["week"]): _funnel(row) for row in rows}
    return [
        Week(start=start, funnel=by_week.get(start, Funnel()))
        for start in (first_week + dt.timedelta(weeks=n) for n in range(TREND_WEEKS))
    ]


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def rule_holdout_comparison(
    *, rule: NudgeRule, verbs: tuple[str, ...], now: dt.datetime
) -> HoldoutComparison:
    """Action rates of nudged and held-out members over the same period, in one query."""
    until = now - ACT_WITHIN
    since = until - dt.timedelta(weeks=TREND_WEEKS)
    # A reminder sent by e-mail and in the app is one occasion: its first sending counts.
    earlier_sibling = Nudge.objects.filter(
        organisation_id=rule.organisation_id,
        rule_id=OuterRef("rule_id"),
        member_id=OuterRef("member_id"),
        key=OuterRef("key"),
        occurrence=OuterRef("occurrence"),
        status=Nudge.Status.SENT,
    ).filter(
        Q(sent_at__lt=OuterRef("sent_at")) | Q(sent_at=OuterRef("sent_at"), pk__lt=OuterRef("pk"))
    )
    held = Q(status=Nudge.Status.HELD_OUT)
    nudged = Q(status=Nudge.Status.SENT)
    occasions = Nudge.objects.filter(organisation_id=rule.organisation_id, rule=rule).filter(
        (held & Q(due_at__gte=since, due_at__lt=until))
        | (nudged & Q(sent_at__gte=since, sent_at__lt=until) & ~Exists(earlier_sibling))
    )
    counts = {
        "held_people": Count("member_id", distinct=True, filter=held),
        "held_occasions": Count("pk", filter=held),
        "nudged_people": Count("member_id", distinct=True, filter=nudged),
        "nudged_occasions": Count("pk", filter=nudged),
    }
    if verbs:
        acted = Q(_acted_after(rule, verbs, "sent_at", "due_at"))
        counts["held_acted"] = Count("pk", filter=held & acted)
        counts["nudged_acted"] = Count("pk", filter=nudged & acted)
    row = occasions.aggregate(**counts)
    nudged_group = Group(row["nudged_people"], row["nudged_occasions"], row.get("nudged_acted", 0))
    held_group = Group(row["held_people"], row["held_occasions"], row.get("held_acted", 0))
    uplift = interval = None
    if verbs and min(nudged_group.people, held_group.people) >= MIN_GROUP_PEOPLE:
        uplift, interval = newcombe_difference(
            nudged_group.acted, nudged_group.occasions, held_group.acted, held_group.occasions
        )
    return HoldoutComparison(
        since=since,
        until=until,
        nudged=nudged_group,
        held_out=held_group,
        uplift=uplift,
        interval=interval,
    )


def rule_effectiveness(*, rule: NudgeRule, now: dt.datetime | None = None) -> RuleEffectiveness:
    """Everything the rule's page shows under "Is it working?": two queries.

    The totals are the trend's weeks added up: every figure on the page covers the
    same recent weeks, and the acted check (a probe per nudge) runs once, not twice.
    """
    now = now or timezone.now()
    verbs = acted_verbs(rule)
    weeks = rule_weeks(rule=rule, verbs=verbs, now=now)
    return RuleEffectiveness(
        rule=rule,
        measures_action=bool(verbs),
        total=Funnel(
            **{
                name: sum(getattr(week.funnel, name) for week in weeks)
                for name in Funnel.__dataclass_fields__
            }
        ),
        weeks=weeks,
        holdout=rule_holdout_comparison(rule=rule, verbs=verbs, now=now),
    )
