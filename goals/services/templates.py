"""Writes for goal templates: L&D offers a goal per skill that learners start from."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from organisations.models import Membership, Skill
from organisations.services import audit_log_record

from ..models import GoalTemplate

ERROR_OTHER_ORGANISATION = _("That skill belongs to another organisation.")


def _save(template: GoalTemplate) -> None:
    template.full_clean(exclude=["created_by"])
    if template.skill.organisation_id != template.organisation_id:
        raise ValidationError({"skill": [ERROR_OTHER_ORGANISATION]})
    template.save()


def goal_template_create(
    *,
    by: Membership,
    skill: Skill,
    title: str,
    why: str = "",
    target_level: int = 3,
    hours_per_week: Decimal | float | int = 1,
    suggested_plan: str = "",
    is_active: bool = True,
) -> GoalTemplate:
    template = GoalTemplate(
        organisation_id=by.organisation_id,
        skill=skill,
        title=title,
        why=why,
        target_level=target_level,
        hours_per_week=Decimal(str(hours_per_week)),
        suggested_plan=suggested_plan,
        is_active=is_active,
        created_by=by,
    )
    with transaction.atomic():
        _save(template)
        audit_log_record(actor=by, action="goal_template.created", obj=template)
    return template


def goal_template_update(*, template: GoalTemplate, by: Membership, **fields) -> GoalTemplate:
    allowed = {"skill", "title", "why", "target_level", "hours_per_week", "suggested_plan"}
    for name, value in fields.items():
        if name not in allowed | {"is_active"}:
            raise TypeError(f"goal_template_update() got an unexpected field {name!r}")
        if name == "hours_per_week":
            value = Decimal(str(value))
        setattr(template, name, value)
    with transaction.atomic():
        _save(template)
        audit_log_record(actor=by, action="goal_template.updated", obj=template)
    return template
