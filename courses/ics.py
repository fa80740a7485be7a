"""A session as an iCalendar invitation (RFC 5545), written with the ``icalendar`` package.

One VEVENT per session. Its UID never changes and its SEQUENCE goes up with
every change, so a calendar that has the invitation replaces its entry instead
of adding a second one; a cancelled session says STATUS:CANCELLED (and the
cancellation mail sends it with METHOD:CANCEL). Times are written in UTC by
default, or with the organisation's TZID and a VTIMEZONE for calendars that
show the zone's name.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Session

PRODID = "-//Werkwijs//Group sessions//EN"


class Method(StrEnum):
    PUBLISH = "PUBLISH"  # a download: just the entry
    REQUEST = "REQUEST"  # an invitation or its update, sent by mail
    CANCEL = "CANCEL"  # the session will not take place


def session_ics(
    *,
    session: Session,
    summary: str,
    description: str = "",
    method: Method = Method.PUBLISH,
    zone: dt.tzinfo | None = None,
    now: dt.datetime | None = None,
) -> bytes:
    """The calendar file of one session. ``zone`` writes local times with TZID instead of UTC.

    ``session.facilitator`` (with its user) becomes the ORGANIZER when there is one.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", str(method))
    event = Event()
    event.add("uid", session.uid)
    event.add("sequence", session.sequence)
    event.add("dtstamp", (now or timezone.now()).astimezone(dt.UTC))
    target = zone or dt.UTC
    event.add("dtstart", session.starts_at.astimezone(target))
    event.add("dtend", session.ends_at.astimezone(target))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    if session.place:
        event.add("location", session.place)
    elif session.online_url:
        event.add("location", session.online_url)
    if session.online_url:
        event.add("url", session.online_url)
    facilitator = session.facilitator
    if facilitator is not None:
        organizer = vCalAddress(f"mailto:{facilitator.user.email}")
        organizer.params["cn"] = vText(facilitator.display_name)
        event.add("organizer", organizer)
    cancelled = session.is_cancelled or method == Method.CANCEL
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    if zone is not None:
        calendar.add_missing_timezones()
    return calendar.to_ical()


def ics_filename(session: Session) -> str:
    return f"session-{session.pk}.ics"
