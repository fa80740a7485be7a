"""Writes for microlearning: authoring, assigning and completing units."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analytics.models import LearningEvent
from analytics.services import learning_event_record
from organisations.models import Membership, Team
from organisations.services import audit_log_record

from .models import Assignment, Completion, Unit

ERROR_INVALID_TRANSITION = _("A unit cannot go from “%(old)s” to “%(new)s”.")
ERROR_NOT_PUBLISHED = _("Only published units can be assigned or completed.")
ERROR_TEAM_AND_MEMBER = _("Assign to a team or to a member, not both.")
ERROR_OTHER_ORGANISATION = _("That team or member belongs to another organisation.")


def unit_create(*, by: Membership, title: str, body: str) -> Unit:
    unit = Unit(organisation_id=by.organisation_id, title=title, body=body, author=by)
    unit.full_clean()
    unit.save()
    audit_log_record(actor=by, action="unit.created", obj=unit)
    return unit


def unit_update(*, unit: Unit, by: Membership, title: str, body: str) -> Unit:
    unit.title, unit.body, unit.updated_at = title, body, timezone.now()
    unit.full_clean()
    unit.save(update_fields=["title", "body", "updated_at"])
    audit_log_record(actor=by, action="unit.updated", obj=unit)
    return unit


def unit_set_status(*, unit: Unit, by: Membership, status: str) -> Unit:
    """The one place unit status changes: same status is a no-op, a wrong move raises."""
    new = Unit.Status(status)
    old = Unit.Status(unit.status)
    if new == old:
        return unit
    if new not in Unit.TRANSITIONS[old]:
        raise ValidationError(ERROR_INVALID_TRANSITION, params={"old": old.label, "new": new.label})
    unit.status = new
    unit.updated_at = timezone.now()
    fields = ["status", "updated_at"]
    if new == Unit.Status.PUBLISHED:
        unit.published_at = unit.updated_at
        fields.append("published_at")
    unit.save(update_fields=fields)
    audit_log_record(actor=by, action=f"unit.{new.value}", obj=unit)
    return unit


def unit_publish(*, unit: Unit, by: Membership) -> Unit:
    return unit_set_status(unit=unit, by=by, status=Unit.Status.PUBLISHED)


def unit_archive(*, unit: Unit, by: Membership) -> Unit:
    return unit_set_status(unit=unit, by=by, status=Unit.Status.ARCHIVED)


def unit_assign(
    *, unit: Unit, by: Membership, team: Team | None = None, member: Membership | None = None
) -> Assignment:
    """Assign a published unit to a team or a member; assigning twice changes nothing."""
    if (team is None) == (member is None):
        raise ValidationError(ERROR_TEAM_AND_MEMBER)
    if unit.status != Unit.Status.PUBLISHED:
        raise ValidationError(ERROR_NOT_PUBLISHED)
    if (team or member).organisation_id != unit.organisation_id:
        raise ValidationError(ERROR_OTHER_ORGANISATION)
    lookup = {"team": team} if team is not None else {"member": member}
    with transaction.atomic():
        assignment, created = Assignment.objects.get_or_create(
            organisation_id=unit.organisation_id,
            unit=unit,
            **lookup,
            defaults={"assigned_by": by},
        )
        if created:
            audit_log_record(
                actor=by,
                action="unit.assigned",
                obj=unit,
                data={"team": team.pk if team else None, "member": member.pk if member else None},
            )
    return assignment


def unit_open(*, unit: Unit, member: Membership) -> None:
    """A learner opened a published unit: a ``viewed`` event feeds reach and usage figures."""
    if unit.status != Unit.Status.PUBLISHED:
        raise ValidationError(ERROR_NOT_PUBLISHED)
    learning_event_record(
        actor=member,
        verb=LearningEvent.Verb.VIEWED,
        object_type="unit",
        object_id=unit.pk,
    )


def unit_complete(*, unit: Unit, member: Membership) -> Completion:
    """Mark a unit complete for a learner and record the event; completing again is a no-op."""
    if unit.status != Unit.Status.PUBLISHED:
        raise ValidationError(ERROR_NOT_PUBLISHED)
    existing = Completion.objects.filter(unit=unit, member=member).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            completion = Completion.objects.create(
                organisation_id=unit.organisation_id, unit=unit, member=member
            )
            learning_event_record(
                actor=member,
                verb=LearningEvent.Verb.COMPLETED,
                object_type="unit",
                object_id=unit.pk,
                timestamp=completion.completed_at,
            )
    except IntegrityError:  # a double click raced us; the first one counts
        return Completion.objects.get(unit=unit, member=member)
    return completion
