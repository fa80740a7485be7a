"""Work days in an organisation: due dates, reminders and nudges count these.

A work day is a weekday that is neither a public holiday of the organisation's
country (the ``holidays`` package) nor one of the organisation's own days off.
Days are the organisation's local days: a moment is turned into a date in its
time zone first, so an enrolment at 23:30 on Sunday in Amsterdam starts on
Sunday, whatever UTC says, across daylight-saving changes alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

import holidays

from .models import Organisation, OrganisationHoliday

# More work days than any due offset an author may set, so one holiday lookup
# covers every date a calculation can reach.
MAX_SPAN_YEARS = 3


@lru_cache(maxsize=64)
def _public_holidays(country: str, first_year: int, last_year: int) -> frozenset[dt.date]:
    if not country:
        return frozenset()
    try:
        days = holidays.country_holidays(country, years=range(first_year, last_year + 1))
    except NotImplementedError:
        # A country the package does not know: no public holidays, not an error
        # page on every due date (the settings form refuses such codes).
        return frozenset()
    return frozenset(days)


def country_known(country: str) -> bool:
    return country.upper() in holidays.list_supported_countries()


class WorkCalendar:
    """The days off of one organisation over a span of years, looked up once."""

    def __init__(self, organisation: Organisation, *, start: dt.date, extra: Iterable[dt.date]):
        last_year = start.year + MAX_SPAN_YEARS
        self.days_off = _public_holidays(
            (organisation.holiday_country or "").upper(), start.year, last_year
        ) | frozenset(extra)

    def is_work_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.days_off

    def add(self, start: dt.date, days: int) -> dt.date:
        """The date ``days`` work days after ``start`` (``start`` itself when 0).

        Day 0 on a weekend or holiday is the next work day: a step due "the day
        you start" is not due on a Sunday.
        """
        day = start
        while not self.is_work_day(day):
            day += dt.timedelta(days=1)
        for _ in range(days):
            day += dt.timedelta(days=1)
            while not self.is_work_day(day):
                day += dt.timedelta(days=1)
        return day


def work_calendar(*, organisation: Organisation, start: dt.date) -> WorkCalendar:
    extra = OrganisationHoliday.objects.filter(
        organisation=organisation,
        date__gte=start,
        date__lte=dt.date(start.year + MAX_SPAN_YEARS, 12, 31),
    ).values_list("date", flat=True)
    return WorkCalendar(organisation, start=start, extra=extra)


def local_date(*, organisation: Organisation, moment: dt.datetime) -> dt.date:
    return moment.astimezone(organisation.zone).date()


def work_days_after(*, organisation: Organisation, moment: dt.datetime, days: int) -> dt.date:
    """The organisation's local date ``days`` work days after ``moment``."""
    start = local_date(organisation=organisation, moment=moment)
    return work_calendar(organisation=organisation, start=start).add(start, days)
