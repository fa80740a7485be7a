"""The organisation's work days: whose public holidays count, and its own days off."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from ..models import Membership, Organisation, OrganisationHoliday
from ..workdays import country_known
from .audit import audit_log_record

ERROR_COUNTRY = _("“%(value)s” is not a country whose public holidays we know.")
ERROR_DAY_OFF_TAKEN = _("%(date)s is already a day off.")


def work_days_update(
    *, organisation: Organisation, by: Membership, holiday_country: str
) -> Organisation:
    """Set whose public holidays are no work days; empty for none."""
    country = holiday_country.strip().upper()
    if country and not country_known(country):
        raise ValidationError(
            {"holiday_country": ValidationError(ERROR_COUNTRY, params={"value": country})}
        )
    before = organisation.holiday_country
    organisation.holiday_country = country
    organisation.save(update_fields=["holiday_country"])
    audit_log_record(
        actor=by,
        action="organisation.work_days_updated",
        obj=organisation,
        data={"before": before, "after": country},
    )
    return organisation


def day_off_add(
    *, organisation: Organisation, by: Membership, date: dt.date, name: str = ""
) -> OrganisationHoliday:
    try:
        with transaction.atomic():
            day_off = OrganisationHoliday.objects.create(
                organisation=organisation, date=date, name=name.strip()
            )
    except IntegrityError:
        raise ValidationError(
            {"date": ValidationError(ERROR_DAY_OFF_TAKEN, params={"date": date.isoformat()})}
        ) from None
    audit_log_record(
        actor=by,
        action="organisation.day_off_added",
        obj=day_off,
        data={"date": date.isoformat(), "name": day_off.name},
    )
    return day_off


def day_off_remove(*, day_off: OrganisationHoliday, by: Membership) -> None:
    audit_log_record(
        actor=by,
        action="organisation.day_off_removed",
        obj=day_off,
        data={"date": day_off.date.isoformat(), "name": day_off.name},
    )
    day_off.delete()
