"""Writes for proficiency: a member's rating of a skill, and what each level means."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from organisations.models import Membership, Organisation, Skill
from organisations.services import audit_log_record

from ..models import HIGHEST_LEVEL, LOWEST_LEVEL, CheckIn, Goal, ProficiencyLevel, ProficiencyRating


def proficiency_rate(
    *,
    membership: Membership,
    skill: Skill,
    level: int,
    by: Membership,
    goal: Goal | None = None,
    check_in: CheckIn | None = None,
) -> ProficiencyRating:
    """Record how proficient ``membership`` is in ``skill`` now: by themselves or their manager."""
    rating = ProficiencyRating(
        organisation_id=membership.organisation_id,
        member=membership,
        skill=skill,
        level=level,
        rated_by=(
            ProficiencyRating.RatedBy.SELF
            if by.pk == membership.pk
            else ProficiencyRating.RatedBy.MANAGER
        ),
        rater=by,
        goal=goal,
        check_in=check_in,
        rated_at=timezone.now(),
    )
    rating.full_clean(exclude=["member", "skill", "rater", "goal", "check_in"])
    rating.save()
    return rating


def proficiency_levels_save(
    *, organisation: Organisation, by: Membership, levels: dict[int, tuple[str, str]]
) -> list[ProficiencyLevel]:
    """The organisation's names and descriptions of levels 1-5 (replacing the defaults)."""
    saved = []
    with transaction.atomic():
        for level, (name, description) in sorted(levels.items()):
            if not LOWEST_LEVEL <= level <= HIGHEST_LEVEL:
                raise ValidationError({"level": [f"{level}"]})
            row, _created = ProficiencyLevel.objects.update_or_create(
                organisation=organisation,
                level=level,
                defaults={"name": name, "description": description},
            )
            saved.append(row)
        audit_log_record(actor=by, action="goals.proficiency_levels_saved")
    return saved
