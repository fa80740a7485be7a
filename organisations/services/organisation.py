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


ERROR_TARGET_MIX = _("The three shares must add up to 100%.")


def organisation_target_mix_set(
    *, organisation: Organisation, by: Membership, experience: int, social: int, formal: int
) -> Organisation:
    """The 70:20:10 mix the organisation aims for: whole percentages adding up to 100."""
    if experience + social + formal != 100:
        raise ValidationError(
            {name: [ERROR_TARGET_MIX] for name in ("experience", "social", "formal")}
        )
    before = [
        organisation.target_experience,
        organisation.target_social,
        organisation.target_formal,
    ]
    organisation.target_experience = experience
    organisation.target_social = social
    organisation.target_formal = formal
    organisation.save(update_fields=["target_experience", "target_social", "target_formal"])
    audit_log_record(
        actor=by,
        action="organisation.target_mix_set",
        obj=organisation,
        data={"before": before, "after": [experience, social, formal]},
    )
    return organisation


def organisation_event_retention_set(
    *, organisation: Organisation, by: Membership, months: int | None
) -> Organisation:
    """How many months raw learning events are kept (None: forever).

    Shortening it deletes nothing at once: the analytics retention task deletes old
    events on its next run, and only those every rollup has already counted.
    """
    before = organisation.event_retention_months
    organisation.event_retention_months = months
    organisation.full_clean()
    organisation.save(update_fields=["event_retention_months"])
    audit_log_record(
        actor=by,
        action="organisation.event_retention_set",
        obj=organisation,
        data={"before": before, "after": months},
    )
    return organisation
