import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django_scopes import scope

from organisations.models import OrganisationHoliday
from organisations.workdays import country_known, work_days_after
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=AMSTERDAM)


@pytest.fixture
def organisation():
    organisation = OrganisationFactory(time_zone="Europe/Amsterdam", holiday_country="NL")
    with scope(organisation=organisation):
        yield organisation


def test_work_days_skip_the_weekend(organisation):
    friday = at(2026, 3, 6, 10)

    assert work_days_after(organisation=organisation, moment=friday, days=1) == dt.date(2026, 3, 9)
    assert work_days_after(organisation=organisation, moment=friday, days=5) == dt.date(2026, 3, 13)


def test_day_zero_on_a_sunday_is_monday(organisation):
    sunday = at(2026, 3, 8, 10)

    assert work_days_after(organisation=organisation, moment=sunday, days=0) == dt.date(2026, 3, 9)


def test_public_holidays_of_the_organisations_country_are_skipped(organisation):
    # King's Day 2026 is Monday 27 April in the Netherlands.
    friday = at(2026, 4, 24, 9)

    assert work_days_after(organisation=organisation, moment=friday, days=1) == dt.date(2026, 4, 28)

    organisation.holiday_country = "BE"
    assert work_days_after(organisation=organisation, moment=friday, days=1) == dt.date(2026, 4, 27)


def test_the_organisations_own_days_off_are_skipped(organisation):
    OrganisationHoliday.objects.create(organisation=organisation, date=dt.date(2026, 3, 9))

    friday = at(2026, 3, 6, 10)
    assert work_days_after(organisation=organisation, moment=friday, days=1) == dt.date(2026, 3, 10)


def test_days_are_counted_in_the_organisations_time_zone_across_daylight_saving(organisation):
    # Summer time starts on Sunday 29 March 2026: 00:30 local on Monday 30 March is
    # still Sunday 22:30 UTC. The learner enrolled on Monday, so day 0 is Monday.
    monday_night = dt.datetime(2026, 3, 29, 22, 30, tzinfo=dt.UTC)

    assert work_days_after(organisation=organisation, moment=monday_night, days=0) == dt.date(
        2026, 3, 30
    )
    # Four work days on: Tuesday to Thursday, then Good Friday and Easter Monday are off.
    assert work_days_after(organisation=organisation, moment=monday_night, days=4) == dt.date(
        2026, 4, 7
    )


def test_an_unknown_country_has_no_public_holidays(organisation):
    organisation.holiday_country = "ZZ"

    assert not country_known("ZZ") and country_known("nl")
    assert work_days_after(organisation=organisation, moment=at(2026, 4, 24, 9), days=1) == (
        dt.date(2026, 4, 27)
    )
