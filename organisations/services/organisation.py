"""Organisation settings: name, language, time zone and when nudges start."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import Membership, Organisation, zone_named
from .audit import audit_log_record

# Errors (module constants, so tests and pages share one wording)
ERROR_TIME_ZONE = _("“%(value)s” is not a known time zone, such as Europe/Amsterdam.")


def organisation_update(
    *,
    organisation: Organisation,
    by: Membership,
    name: str,
    language: str,
    time_zone: str,
    nudge_after_days: int,
) -> Organisation:
    if zone_named(time_zone) is None:
        raise ValidationError(
            {"time_zone": ValidationError(ERROR_TIME_ZONE, params={"value": time_zone})}
        )
    before = {
        "name": organisation.name,
        "language": organisation.language,
        "time_zone": organisation.time_zone,
        "nudge_after_days": organisation.nudge_after_days,
    }
    organisation.name, organisation.language = name, language
    organisation.time_zone, organisation.nudge_after_days = time_zone, nudge_after_days
    organisation.full_clean()
    organisation.save(update_fields=["name", "language", "time_zone", "nudge_after_days"])
    after = {k: getattr(organisation, k) for k in before}
    audit_log_record(
        actor=by,
        action="organisation.updated",
        obj=organisation,
        data={"before": before, "after": after},
    )
    return organisation
