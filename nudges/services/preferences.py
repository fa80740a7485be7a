"""A member's time: when they may be nudged, over which channels, and how often a day.

A member's own preferences (``NudgePreferences``) replace the organisation's
defaults (``NudgeDefaults``) whole; without either, nudges go out at any hour,
every day and without a cap, as before the organisation chose its defaults.

Working time is a work day outside the quiet hours, in the member's time zone.
A moment is turned into the member's local wall clock with ``zoneinfo``, so the
quiet hours stay at 18:00-08:00 local across daylight-saving changes; moments
are compared in UTC, never as wall clocks (Python compares two datetimes of the
same zone by their wall clock, which is wrong in the hour that repeats).

Applied twice: when a nudge becomes due (planning sets ``due_at``) and when it is
sent (the preferences may have changed since): a nudge outside working time goes
back to planned at the next working moment, one above the daily maximum is
bundled into the member's digest of the day, and one over a channel the member
switched off for its category is cancelled as unsubscribed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.db import transaction
from django.utils import timezone

from organisations.models import Membership, Organisation, zone_named
from organisations.services import audit_log_record

from ..models import DeliveryTimes, Nudge, NudgeDefaults, NudgePreferences, NudgeRule
from ..rules import DIGEST_RULE
from .transitions import nudge_transition

ALL_DAYS = frozenset(range(7))
MEMBER_IDS_PER_QUERY = 1000
DIGEST_KEY = "digest:{day}"
EVERY_CATEGORY = "all"
# The categories a member chooses channels for; the digest carries the others and
# cannot be switched off itself (switching it off would drop them silently).
CATEGORIES = [kind for kind in Nudge.Kind if kind != Nudge.Kind.DIGEST]


@dataclass(frozen=True)
class Window:
    """A member's working time, channels and daily maximum, as delivery reads them."""

    time_zone: str
    work_days: frozenset[int] = ALL_DAYS
    quiet_from: dt.time | None = None
    quiet_until: dt.time | None = None
    daily_maximum: int | None = None
    switched_off: frozenset[str] = frozenset()

    @property
    def zone(self) -> dt.tzinfo:
        return zone_named(self.time_zone) or timezone.get_default_timezone()

    def wants(self, *, category: str, channel: str) -> bool:
        return category == Nudge.Kind.DIGEST or f"{category}:{channel}" not in self.switched_off


def window_from(times: DeliveryTimes | None, *, organisation_zone: str) -> Window:
    if times is None:
        return Window(time_zone=organisation_zone)
    return Window(
        time_zone=getattr(times, "time_zone", "") or organisation_zone,
        work_days=frozenset(times.work_days),
        quiet_from=times.quiet_from,
        quiet_until=times.quiet_until,
        daily_maximum=times.daily_maximum,
        switched_off=frozenset(times.switched_off),
    )


def member_windows(*, organisation: Organisation, member_ids: Iterable[int]) -> dict[int, Window]:
    """Every given member's window, in two queries whatever their number."""
    member_ids = set(member_ids)
    defaults = window_from(
        NudgeDefaults.objects.filter(organisation=organisation).first(),
        organisation_zone=organisation.time_zone,
    )
    windows = dict.fromkeys(member_ids, defaults)
    if not member_ids:
        return windows
    own = NudgePreferences.objects.filter(organisation=organisation)
    # A planner run over a whole organisation: the few members with preferences of
    # their own are fewer rows than a list of every member's id is parameters.
    if len(member_ids) <= MEMBER_IDS_PER_QUERY:
        own = own.filter(member_id__in=member_ids)
    for row in own:
        if row.member_id in windows:
            windows[row.member_id] = window_from(row, organisation_zone=organisation.time_zone)
    return windows


def nudges_fit_members_time(
    *, organisation: Organisation, category: str, nudges: list[Nudge]
) -> list[Nudge]:
    """The new (unsaved) nudges their members want, each due at the member's next working moment.

    A channel the member switched off for ``category`` gets no row. The members'
    preferences are read in two queries, however many members there are.
    """
    if not nudges:
        return []
    windows = member_windows(
        organisation=organisation, member_ids={nudge.member_id for nudge in nudges}
    )
    kept = []
    for nudge in nudges:
        window = windows[nudge.member_id]
        if window.wants(category=category, channel=nudge.channel):
            nudge.due_at = next_working_moment(window, nudge.due_at)
            kept.append(nudge)
    return kept


def nudge_window(nudge: Nudge) -> Window:
    """The window of the nudge's member, looked up once per nudge object."""
    if not hasattr(nudge, "_window"):
        member = nudge.member
        nudge._window = member_windows(organisation=member.organisation, member_ids=[member.pk])[
            member.pk
        ]
    return nudge._window


def members_windows_attach(nudges: list[Nudge]) -> None:
    """Give a sender's batch its members' windows at once (two queries), not per nudge."""
    if not nudges:
        return
    windows = member_windows(
        organisation=nudges[0].member.organisation,
        member_ids={nudge.member_id for nudge in nudges},
    )
    for nudge in nudges:
        nudge._window = windows[nudge.member_id]


# --- working time ---------------------------------------------------------------------------


def _free_spans(window: Window) -> list[tuple[dt.time, dt.time | None]]:
    """A work day outside the quiet hours, as (start, end) wall clocks; end None: midnight."""
    start, end = window.quiet_from, window.quiet_until
    if start is None or end is None:
        return [(dt.time(0), None)]
    if start > end:  # wraps midnight, e.g. 18:00-08:00: free from the end to the start
        return [(end, start)]
    spans = [(dt.time(0), start)] if start > dt.time(0) else []
    return [*spans, (end, None)]


def _utc(day: dt.date, clock: dt.time, zone: dt.tzinfo) -> dt.datetime:
    # A wall clock that does not exist (02:30 on the spring-forward night) reads as
    # the one an hour later, and one that exists twice as its first occurrence.
    return dt.datetime.combine(day, clock, tzinfo=zone).astimezone(dt.UTC)


def is_working_time(window: Window, moment: dt.datetime) -> bool:
    return next_working_moment(window, moment) == moment.astimezone(dt.UTC)


@lru_cache(maxsize=4096)
def next_working_moment(window: Window, moment: dt.datetime) -> dt.datetime:
    """``moment`` if the member is at work then, else the start of their next working time (UTC).

    Cached: a planner run asks for the same (window, moment) for most members.
    """
    zone = window.zone
    moment = moment.astimezone(dt.UTC)
    today = moment.astimezone(zone).date()
    for offset in range(8):  # a week and a day reach every work day
        day = today + dt.timedelta(days=offset)
        if day.weekday() not in window.work_days:
            continue
        for start, end in _free_spans(window):
            begins = _utc(day, start, zone)
            ends = _utc(day + dt.timedelta(days=1), dt.time(0), zone) if end is None else None
            ends = ends or _utc(day, end, zone)
            if begins <= moment < ends:
                return moment
            if moment < begins:
                return begins
    # No work day at all cannot be saved; should one slip in, deliver rather than never.
    return moment


def local_day_start(window: Window, moment: dt.datetime) -> dt.datetime:
    """Midnight of the member's day ``moment`` falls on, in UTC."""
    day = moment.astimezone(window.zone).date()
    return _utc(day, dt.time(0), window.zone)


# --- at send time ---------------------------------------------------------------------------


def nudge_unsubscribed(nudge: Nudge) -> bool:
    """Whether the member switched off the nudge's channel for its category."""
    return not nudge_window(nudge).wants(category=nudge.kind, channel=nudge.channel)


def nudge_hold(*, nudge: Nudge, now: dt.datetime, pending: int = 0) -> bool:
    """Hold back a claimed nudge that may not go out now; True when it was held.

    Outside working time it is planned again at the member's next working moment.
    Above the daily maximum it is bundled into the member's digest of the day
    (never dropped: the digest lists it, and its history says "bundled").
    ``pending``: the member's nudges over this channel a sender's batch lets through
    before this one, not sent yet, that count towards the maximum too.
    """
    window = nudge_window(nudge)
    later = next_working_moment(window, now)
    if later != now.astimezone(dt.UTC):
        nudge_transition(nudge=nudge, target=Nudge.Status.PLANNED, due_at=later, lease_until=None)
        return True
    if nudge.kind == Nudge.Kind.DIGEST or window.daily_maximum is None:
        return False
    # Two senders with nudges for the same member count one after the other (the lock
    # lasts until the sender commits), so together they cannot pass the maximum.
    Membership.objects.select_for_update().filter(
        organisation_id=nudge.organisation_id, pk=nudge.member_id
    ).values_list("pk", flat=True).first()
    sent_today = (
        Nudge.objects.filter(
            organisation_id=nudge.organisation_id,
            member_id=nudge.member_id,
            channel=nudge.channel,
            status=Nudge.Status.SENT,
            sent_at__gte=local_day_start(window, now),
        )
        .exclude(kind=Nudge.Kind.DIGEST)
        .count()
    )
    if sent_today + pending < window.daily_maximum:
        return False
    digest = _digest_of_the_day(nudge=nudge, window=window, now=now)
    if digest is None:
        return False
    nudge_transition(nudge=nudge, target=Nudge.Status.BUNDLED, digest=digest, lease_until=None)
    return True


def _digest_rule(organisation: Organisation) -> NudgeRule:
    """The organisation's digest rule, made the first time; the organisation row is locked
    so two senders cannot both make one."""

    def existing() -> NudgeRule | None:
        return (
            NudgeRule.objects.filter(organisation=organisation, kind=NudgeRule.Kind.DIGEST)
            .order_by("pk")
            .first()
        )

    rule = existing()
    if rule is None:
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        rule = existing() or NudgeRule.objects.create(
            organisation=organisation, kind=NudgeRule.Kind.DIGEST, **DIGEST_RULE
        )
    return rule


def _digest_of_the_day(*, nudge: Nudge, window: Window, now: dt.datetime) -> Nudge | None:
    """The member's digest for today on the nudge's channel, made if need be.

    It comes at the start of the member's next working day, so the day's reminders
    above the maximum arrive together instead of one by one. None when today's
    digest went out already: the nudge is then sent on its own rather than lost.
    """
    local_today = now.astimezone(window.zone).date()
    tomorrow = _utc(local_today + dt.timedelta(days=1), dt.time(0), window.zone)
    fields = {
        "organisation_id": nudge.organisation_id,
        "member_id": nudge.member_id,
        "kind": Nudge.Kind.DIGEST,
        "channel": nudge.channel,
        "key": DIGEST_KEY.format(day=local_today.isoformat()),
    }
    digest = Nudge.objects.filter(**fields).first()
    if digest is None:
        rule = _digest_rule(nudge.member.organisation)
        # Two senders bundling at once: the partial unique constraint keeps one row.
        Nudge.objects.bulk_create(
            [
                Nudge(
                    rule=rule,
                    due_at=next_working_moment(window, tomorrow),
                    created_at=now,
                    subject_type="digest",
                    payload={"day": local_today.isoformat()},
                    **fields,
                )
            ],
            ignore_conflicts=True,
        )
        digest = Nudge.objects.filter(**fields).first()
    return digest if digest is not None and digest.status == Nudge.Status.PLANNED else None


# --- the member's choices -------------------------------------------------------------------

TIMES_FIELDS = ("work_days", "quiet_from", "quiet_until", "daily_maximum", "switched_off")


def member_preferences(*, member: Membership) -> NudgePreferences | None:
    return NudgePreferences.objects.filter(
        organisation_id=member.organisation_id, member=member
    ).first()


def organisation_defaults(*, organisation: Organisation) -> NudgeDefaults | None:
    return NudgeDefaults.objects.filter(organisation=organisation).first()


def _copy_times(source: DeliveryTimes | None, target: DeliveryTimes) -> None:
    if source is not None:
        for field in TIMES_FIELDS:
            setattr(target, field, getattr(source, field))


def _member_row(member: Membership) -> NudgePreferences:
    """The member's preferences row, locked; a new one starts from the organisation's defaults."""
    own = (
        NudgePreferences.objects.select_for_update()
        .filter(organisation_id=member.organisation_id, member=member)
        .first()
    )
    if own is None:
        own = NudgePreferences(organisation_id=member.organisation_id, member=member)
        defaults = organisation_defaults(organisation=member.organisation)
        if defaults is None:
            # Nothing chosen anywhere: keep delivering as before, any day and hour.
            own.work_days, own.quiet_from, own.quiet_until = sorted(ALL_DAYS), None, None
        _copy_times(defaults, own)
    return own


@transaction.atomic
def nudge_preferences_save(*, member: Membership, **fields) -> NudgePreferences:
    """The member's own delivery times and channels, validated (``ValidationError`` by field)."""
    unknown = set(fields) - {*TIMES_FIELDS, "time_zone"}
    if unknown:
        raise TypeError(f"not preference fields: {sorted(unknown)}")
    own = _member_row(member)
    for field, value in fields.items():
        setattr(own, field, value)
    own.updated_at = timezone.now()
    own.full_clean(exclude=["organisation", "member"])
    own.save()
    audit_log_record(
        actor=member, action="nudge_preferences.saved", obj=own, data={"fields": sorted(fields)}
    )
    return own


@transaction.atomic
def nudge_defaults_save(
    *, organisation: Organisation, by: Membership | None, **fields
) -> NudgeDefaults:
    """The organisation's delivery defaults, validated; members without their own get these."""
    unknown = set(fields) - set(TIMES_FIELDS)
    if unknown:
        raise TypeError(f"not default fields: {sorted(unknown)}")
    defaults = NudgeDefaults.objects.select_for_update().filter(
        organisation=organisation
    ).first() or NudgeDefaults(organisation=organisation)
    for field, value in fields.items():
        setattr(defaults, field, value)
    defaults.updated_at = timezone.now()
    defaults.full_clean(exclude=["organisation"])
    defaults.save()
    audit_log_record(
        actor=by,
        action="nudge_defaults.saved",
        obj=defaults,
        data={"fields": sorted(fields)},
        organisation_id=organisation.pk,
    )
    return defaults


@transaction.atomic
def nudge_category_unsubscribe(
    *, member: Membership, category: str, channel: str = Nudge.Channel.EMAIL
) -> bool:
    """Switch a channel off for one category (the unsubscribe link); False if it was off already.

    ``EVERY_CATEGORY`` (a digest's link) switches it off for all of them.

    The member's other categories keep arriving. Planned nudges are not touched:
    the sender cancels them as unsubscribed, and switching the channel on again
    before then lets them go out after all.
    """
    categories = CATEGORIES if category == EVERY_CATEGORY else [category]
    if any(c not in CATEGORIES for c in categories) or channel not in Nudge.Channel.values:
        raise ValueError(f"unknown category or channel: {category}:{channel}")
    own = _member_row(member)
    entries = {f"{c}:{channel}" for c in categories}
    if entries <= set(own.switched_off):
        return False
    own.switched_off = sorted({*own.switched_off, *entries})
    own.updated_at = timezone.now()
    own.save()
    audit_log_record(
        actor=member,
        action="nudge_preferences.unsubscribed",
        obj=own,
        data={"category": category, "channel": channel},
    )
    return True
