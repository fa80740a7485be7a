"""Writes for check-ins: the learner rates their progress, the manager answers."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.services import learning_event_record
from events.verbs import Verb
from organisations.models import Membership
from organisations.permissions import can_edit_goal, can_manage_goal
from organisations.services import audit_log_record

from ..models import CheckIn, Goal
from ..selectors.goals import CHECK_IN_EVERY_DAYS
from .proficiency import proficiency_rate

ERROR_NOT_AGREED = _("Check in on a goal once your manager has agreed it.")
ERROR_RATING = _("Choose a rating from 1 to 5.")
ERROR_NOT_YOUR_GOAL = _("Only the learner checks in on their own goal.")
ERROR_NOT_MANAGER = _("Only the learner's manager answers a check-in.")


def _rating_errors(**ratings) -> dict[str, list]:
    return {
        name: [ERROR_RATING]
        for name, value in ratings.items()
        if value is not None and not (isinstance(value, int) and 1 <= value <= 5)
    }


def check_in_create(
    *, goal: Goal, membership: Membership, progress: int, note: str = "", level: int | None = None
) -> CheckIn:
    """The learner's check-in on an agreed goal; ``level`` is also a self-rating of the skill."""
    if not can_edit_goal(membership, goal):
        raise PermissionDenied(ERROR_NOT_YOUR_GOAL)
    errors = _rating_errors(progress=progress, level=level)
    if progress is None:
        errors["progress"] = [ERROR_RATING]
    if errors:
        raise ValidationError(errors)
    if goal.status != Goal.Status.AGREED:
        raise ValidationError(ERROR_NOT_AGREED)
    with transaction.atomic():
        check_in = CheckIn(
            organisation_id=goal.organisation_id,
            goal=goal,
            progress=progress,
            note=note,
            level=level,
        )
        check_in.full_clean(exclude=["goal", "manager"])
        check_in.save()
        goal.check_in_due_at = check_in.created_at + dt.timedelta(days=CHECK_IN_EVERY_DAYS)
        goal.save(update_fields=["check_in_due_at"])
        if level is not None:
            proficiency_rate(
                membership=membership,
                skill=goal.skill,
                level=level,
                by=membership,
                goal=goal,
                check_in=check_in,
            )
        learning_event_record(
            actor=membership,
            verb=Verb.CHECKED_IN,
            object_type="goal",
            object_id=goal.pk,
            result={"progress": progress, "level": level},
            context={"check_in_id": check_in.pk, "skill_id": goal.skill_id},
        )
        audit_log_record(actor=membership, action="goal.checked_in", obj=check_in)
    return check_in


def check_in_answer(
    *,
    check_in: CheckIn,
    membership: Membership,
    rating: int,
    feedback: str = "",
    level: int | None = None,
) -> CheckIn:
    """The manager's rating of the progress and their feedback; ``level`` rates the skill."""
    goal = check_in.goal
    if not can_manage_goal(membership, goal):
        raise PermissionDenied(ERROR_NOT_MANAGER)
    errors = _rating_errors(rating=rating, level=level)
    if rating is None:
        errors["rating"] = [ERROR_RATING]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        check_in.manager = membership
        check_in.manager_rating = rating
        check_in.manager_feedback = feedback
        check_in.answered_at = timezone.now()
        check_in.full_clean(exclude=["goal", "manager"])
        check_in.save(
            update_fields=["manager", "manager_rating", "manager_feedback", "answered_at"]
        )
        if level is not None:
            proficiency_rate(
                membership=goal.member,
                skill=goal.skill,
                level=level,
                by=membership,
                goal=goal,
                check_in=check_in,
            )
        learning_event_record(
            actor=membership,
            verb=Verb.FEEDBACK_GIVEN,
            object_type="check_in",
            object_id=check_in.pk,
            result={"rating": rating},
            context={"goal_id": goal.pk, "learner_id": goal.member_id},
        )
        audit_log_record(actor=membership, action="goal.check_in_answered", obj=check_in)
    return check_in
