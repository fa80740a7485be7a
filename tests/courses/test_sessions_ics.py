"""The session as an ICS file, parsed back with icalendar: the right UTC instants, UID, SEQUENCE."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django_scopes import scope
from icalendar import Calendar

from courses.ics import Method, session_ics
from courses.services import sessions as services
from tests.conftest import make_member
from tests.courses.session_factories import make_session, session_trajectory

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def trajectory(organisation):
    with scope(organisation=organisation):
        yield session_trajectory(organisation)


def parsed(body: bytes):
    calendar = Calendar.from_ical(body)
    [event] = calendar.walk("VEVENT")
    return calendar, event


def utc(event, name):
    return event.decoded(name).astimezone(dt.UTC)


# The last Sundays of March and October 2027: clocks go forward at 02:00, back at 03:00.
DST_DAYS = [
    # 01:30 local is still winter time (UTC+1); 03:30 is summer time (UTC+2).
    (
        dt.datetime(2027, 3, 28, 1, 30, tzinfo=AMSTERDAM),
        dt.datetime(2027, 3, 28, 3, 30, tzinfo=AMSTERDAM),
        dt.datetime(2027, 3, 28, 0, 30, tzinfo=dt.UTC),
        dt.datetime(2027, 3, 28, 1, 30, tzinfo=dt.UTC),
    ),
    # 10:00 local on the day summer time ends is winter time: 09:00 UTC (a day before: 08:00).
    (
        dt.datetime(2027, 10, 31, 10, 0, tzinfo=AMSTERDAM),
        dt.datetime(2027, 10, 31, 12, 0, tzinfo=AMSTERDAM),
        dt.datetime(2027, 10, 31, 9, 0, tzinfo=dt.UTC),
        dt.datetime(2027, 10, 31, 11, 0, tzinfo=dt.UTC),
    ),
]


@pytest.mark.parametrize("zone", [None, AMSTERDAM], ids=["utc", "tzid"])
@pytest.mark.parametrize("starts,ends,utc_start,utc_end", DST_DAYS, ids=["march", "october"])
def test_times_parse_back_to_the_right_utc_instants_across_daylight_saving(
    trajectory, zone, starts, ends, utc_start, utc_end
):
    session = make_session(trajectory, starts_at=starts, hours=2)
    session.ends_at = ends

    calendar, event = parsed(session_ics(session=session, summary="Intervision", zone=zone))

    assert (utc(event, "dtstart"), utc(event, "dtend")) == (utc_start, utc_end)
    if zone is None:
        assert event["dtstart"].to_ical().endswith(b"Z")
    else:
        assert event["dtstart"].params["TZID"] == "Europe/Amsterdam"
        assert calendar.walk("VTIMEZONE")


def test_the_event_says_what_where_and_who(trajectory):
    facilitator = make_member(trajectory.organisation, user__email="lotte@example.test")
    session = make_session(
        trajectory, facilitator=facilitator, online_url="https://meet.example.test/abc"
    )

    _, event = parsed(
        session_ics(session=session, summary="Intervision", description="Bring a case")
    )

    assert str(event["summary"]) == "Intervision"
    assert str(event["location"]) == "Room 2.14"
    assert str(event["url"]) == "https://meet.example.test/abc"
    assert str(event["description"]) == "Bring a case"
    assert str(event["organizer"]) == "mailto:lotte@example.test"
    assert event["organizer"].params["CN"] == facilitator.display_name
    assert str(event["status"]) == "CONFIRMED"


def test_a_move_keeps_the_uid_and_raises_the_sequence_and_cancel_says_cancelled(trajectory):
    author = make_member(trajectory.organisation, is_author=True)
    session = make_session(trajectory)
    _, before = parsed(session_ics(session=session, summary="x"))

    session = services.session_update(
        session=session,
        by=author,
        starts_at=session.starts_at + dt.timedelta(hours=1),
        ends_at=session.ends_at + dt.timedelta(hours=1),
    )
    _, moved = parsed(session_ics(session=session, summary="x"))
    session = services.session_cancel(session=session, by=author)
    calendar, cancelled = parsed(session_ics(session=session, summary="x", method=Method.CANCEL))

    assert str(before["uid"]) == str(moved["uid"]) == str(cancelled["uid"]) == session.uid
    assert session.uid.endswith("@werkwijs")
    assert (before["sequence"], moved["sequence"], cancelled["sequence"]) == (0, 1, 2)
    assert utc(moved, "dtstart") - utc(before, "dtstart") == dt.timedelta(hours=1)
    assert str(cancelled["status"]) == "CANCELLED"
    assert str(calendar["method"]) == "CANCEL"
