"""Writes for a goal's life: drafting, proposing, agreeing, asking for changes, closing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.services import learning_event_record
from events.verbs import Verb
from organisations.models import Membership, Skill
from organisations.permissions import can_edit_goal, can_manage_goal
from organisations.services import audit_log_record

from ..models import HIGHEST_LEVEL, LOWEST_LEVEL, Goal, GoalComment, GoalTemplate, PlanActivity
from ..selectors.goals import CHECK_IN_EVERY_DAYS
from .proficiency import proficiency_rate

ERROR_INVALID_TRANSITION = _("A goal cannot go from “%(old)s” to “%(new)s”.")
ERROR_DATE_IN_PAST = _("Choose a target date of today or later.")
ERROR_LEVEL_RANGE = _("Choose a level from 1 to 5.")
ERROR_TARGET_BELOW_CURRENT = _("The target cannot be below the current level.")
ERROR_OTHER_ORGANISATION = _("That skill belongs to another organisation.")
ERROR_NOT_EDITABLE = _("Only a draft goal can be changed. Ask your manager to send it back.")
ERROR_COMMENT_REQUIRED = _("Say what should change, so the learner knows what to do.")
ERROR_OUTCOME_REQUIRED = _("Choose how the goal ended.")
ERROR_ONLY_DROPPED = _("A goal that was never agreed can only be closed as dropped.")
ERROR_NOT_YOUR_GOAL = _("Only the learner works on their own goal.")
ERROR_NOT_MANAGER = _("Only the learner's manager can do this.")

GOAL_FIELDS = ("title", "why", "skill", "current_level", "target_level", "target_date")


def _today(organisation) -> dt.date:
    return timezone.localdate(timezone=organisation.zone)


def _validate(goal: Goal, *, check_date: bool = True) -> None:
    """Field errors for everything wrong at once, before anything is written."""
    errors: dict[str, list] = {}
    try:
        goal.full_clean(exclude=["template", "agreed_by"], validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    for name in ("current_level", "target_level"):
        value = getattr(goal, name)
        if value is not None and not LOWEST_LEVEL <= value <= HIGHEST_LEVEL:
            errors[name] = [ERROR_LEVEL_RANGE]
    if (
        "current_level" not in errors
        and "target_level" not in errors
        and goal.current_level is not None
        and goal.target_level is not None
        and goal.target_level < goal.current_level
    ):
        errors["target_level"] = [ERROR_TARGET_BELOW_CURRENT]
    if (
        check_date
        and goal.target_date
        and "target_date" not in errors
        and goal.target_date < _today(goal.member.organisation)
    ):
        errors["target_date"] = [ERROR_DATE_IN_PAST]
    if goal.skill_id and goal.skill.organisation_id != goal.organisation_id:
        errors["skill"] = [ERROR_OTHER_ORGANISATION]
    if errors:
        raise ValidationError(errors)


def _event(*, actor: Membership, verb: Verb, goal: Goal, result: dict | None = None) -> None:
    learning_event_record(
        actor=actor,
        verb=verb,
        object_type="goal",
        object_id=goal.pk,
        result=result,
        context={"skill_id": goal.skill_id, "learner_id": goal.member_id},
    )


def _comment(*, goal: Goal, by: Membership, kind: str, text: str = "") -> GoalComment:
    return GoalComment.objects.create(
        organisation_id=goal.organisation_id, goal=goal, author=by, kind=kind, text=text
    )


def _check_transition(goal: Goal, new: Goal.Status) -> bool:
    """Whether ``goal`` moves to ``new``: False for the same status, raises for a wrong move."""
    old = Goal.Status(goal.status)
    if new == old:
        return False
    if new not in Goal.TRANSITIONS[old]:
        raise ValidationError(ERROR_INVALID_TRANSITION, params={"old": old.label, "new": new.label})
    return True


def _require_learner(goal: Goal, membership: Membership) -> None:
    if not can_edit_goal(membership, goal):
        raise PermissionDenied(ERROR_NOT_YOUR_GOAL)


def _require_manager(goal: Goal, membership: Membership) -> None:
    if not can_manage_goal(membership, goal):
        raise PermissionDenied(ERROR_NOT_MANAGER)


def plan_lines(text: str) -> list[tuple[str, str]]:
    """A template's suggested plan as (category, activity) pairs; untagged lines are experience."""
    from events.verbs import Category

    pairs = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        tag, sep, rest = line.partition(":")
        if sep and tag.strip().lower() in Category.values and rest.strip():
            pairs.append((tag.strip().lower(), rest.strip()[:300]))
        else:
            pairs.append((Category.EXPERIENCE.value, line[:300]))
    return pairs


def goal_create(
    *,
    membership: Membership,
    title: str,
    skill: Skill | None,
    current_level: int | None,
    target_level: int | None,
    target_date: dt.date | None,
    why: str = "",
    hours_per_week: Decimal | float | int = 1,
    template: GoalTemplate | None = None,
) -> Goal:
    """A learner's draft goal; from a template, its suggested activities become the plan.

    The learner's current level is also their first self-rating of the skill.
    """
    goal = Goal(
        organisation_id=membership.organisation_id,
        member=membership,
        template=template,
        title=title,
        why=why,
        skill=skill,
        current_level=current_level,
        target_level=target_level,
        target_date=target_date,
        hours_per_week=Decimal(str(hours_per_week)),
    )
    _validate(goal)
    with transaction.atomic():
        goal.save()
        if template is not None:
            PlanActivity.objects.bulk_create(
                PlanActivity(
                    organisation_id=goal.organisation_id,
                    goal=goal,
                    category=category,
                    title=activity,
                    position=position,
                )
                for position, (category, activity) in enumerate(
                    plan_lines(template.suggested_plan), start=1
                )
            )
        proficiency_rate(
            membership=membership,
            skill=goal.skill,
            level=goal.current_level,
            by=membership,
            goal=goal,
        )
        audit_log_record(actor=membership, action="goal.created", obj=goal)
    return goal


def goal_update(*, goal: Goal, membership: Membership, **fields) -> Goal:
    """Change a draft goal's fields (only ``GOAL_FIELDS`` and ``hours_per_week``)."""
    _require_learner(goal, membership)
    if not goal.is_editable:
        raise ValidationError(ERROR_NOT_EDITABLE)
    for name, value in fields.items():
        if name not in (*GOAL_FIELDS, "hours_per_week"):
            raise TypeError(f"goal_update() got an unexpected field {name!r}")
        if name == "hours_per_week":
            value = Decimal(str(value))
        setattr(goal, name, value)
    _validate(goal)
    goal.updated_at = timezone.now()
    with transaction.atomic():
        goal.save()
        audit_log_record(actor=membership, action="goal.updated", obj=goal)
    return goal


def goal_delete(*, goal: Goal, membership: Membership) -> None:
    """A draft that was never proposed can be thrown away; anything later is closed instead."""
    _require_learner(goal, membership)
    if not goal.is_editable or goal.proposed_at is not None:
        raise ValidationError(ERROR_NOT_EDITABLE)
    with transaction.atomic():
        audit_log_record(actor=membership, action="goal.deleted", obj=goal)
        goal.delete()


def goal_propose(*, goal: Goal, membership: Membership, comment: str = "") -> Goal:
    """The learner asks their manager to agree; the date must still be ahead."""
    _require_learner(goal, membership)
    if not _check_transition(goal, Goal.Status.PROPOSED):
        return goal
    _validate(goal)
    now = timezone.now()
    with transaction.atomic():
        goal.status = Goal.Status.PROPOSED
        goal.proposed_at = now
        goal.updated_at = now
        goal.save(update_fields=["status", "proposed_at", "updated_at"])
        _comment(goal=goal, by=membership, kind=GoalComment.Kind.PROPOSED, text=comment)
        _event(actor=membership, verb=Verb.GOAL_PROPOSED, goal=goal)
        audit_log_record(actor=membership, action="goal.proposed", obj=goal)
    return goal


def goal_agree(
    *,
    goal: Goal,
    membership: Membership,
    comment: str = "",
    hours_per_week: Decimal | float | int | None = None,
) -> Goal:
    """The manager agrees, with the hours per week they make for it (they may change them)."""
    _require_manager(goal, membership)
    if not _check_transition(goal, Goal.Status.AGREED):
        return goal
    update = ["status", "agreed_by", "agreed_at", "check_in_due_at", "updated_at"]
    if hours_per_week is not None:
        goal.hours_per_week = Decimal(str(hours_per_week))
        goal.clean_fields(exclude=[f.name for f in Goal._meta.fields if f.name != "hours_per_week"])
        update.append("hours_per_week")
    now = timezone.now()
    with transaction.atomic():
        goal.status = Goal.Status.AGREED
        goal.agreed_by = membership
        goal.agreed_at = now
        goal.check_in_due_at = now + dt.timedelta(days=CHECK_IN_EVERY_DAYS)
        goal.updated_at = now
        goal.save(update_fields=update)
        _comment(goal=goal, by=membership, kind=GoalComment.Kind.AGREED, text=comment)
        _event(
            actor=membership,
            verb=Verb.GOAL_AGREED,
            goal=goal,
            result={"hours_per_week": float(goal.hours_per_week)},
        )
        audit_log_record(actor=membership, action="goal.agreed", obj=goal)
    return goal


def goal_ask_changes(*, goal: Goal, membership: Membership, comment: str) -> Goal:
    """The manager sends a proposal back to draft; the comment stays in the conversation."""
    _require_manager(goal, membership)
    if not comment.strip():
        raise ValidationError({"comment": [ERROR_COMMENT_REQUIRED]})
    if goal.status != Goal.Status.PROPOSED:
        _check_transition(goal, Goal.Status.DRAFT)  # raises for anything but a proposal
        raise ValidationError(
            ERROR_INVALID_TRANSITION,
            params={"old": goal.get_status_display(), "new": Goal.Status.DRAFT.label},
        )
    with transaction.atomic():
        goal.status = Goal.Status.DRAFT
        goal.updated_at = timezone.now()
        goal.save(update_fields=["status", "updated_at"])
        _comment(goal=goal, by=membership, kind=GoalComment.Kind.CHANGES_ASKED, text=comment)
        _event(actor=membership, verb=Verb.ASKED_CHANGES, goal=goal)
        audit_log_record(actor=membership, action="goal.changes_asked", obj=goal)
    return goal


def goal_comment(*, goal: Goal, membership: Membership, text: str) -> GoalComment:
    """A turn in the conversation by the learner or their manager."""
    if not (can_edit_goal(membership, goal) or can_manage_goal(membership, goal)):
        raise PermissionDenied(ERROR_NOT_YOUR_GOAL)
    if not text.strip():
        raise ValidationError({"text": [_("Write a comment first.")]})
    with transaction.atomic():
        comment = _comment(goal=goal, by=membership, kind=GoalComment.Kind.COMMENT, text=text)
        audit_log_record(actor=membership, action="goal.commented", obj=goal)
    return comment


def goal_close(
    *,
    goal: Goal,
    membership: Membership,
    outcome: str,
    self_rating: int | None = None,
    manager_rating: int | None = None,
) -> Goal:
    """Close a goal as achieved, partly achieved or dropped, with the final ratings.

    The learner closes their goal with their own rating; the manager may close it as
    well and give theirs. Both final ratings are proficiency ratings of the skill too.
    """
    is_learner = can_edit_goal(membership, goal)
    is_manager = can_manage_goal(membership, goal)
    if not (is_learner or is_manager):
        raise PermissionDenied(ERROR_NOT_YOUR_GOAL)
    if goal.status == Goal.Status.CLOSED:
        return goal
    errors: dict[str, list] = {}
    if outcome not in Goal.Outcome.values:
        errors["outcome"] = [ERROR_OUTCOME_REQUIRED]
    elif outcome != Goal.Outcome.DROPPED and goal.status != Goal.Status.AGREED:
        errors["outcome"] = [ERROR_ONLY_DROPPED]
    for name, value in (("self_rating", self_rating), ("manager_rating", manager_rating)):
        if value is not None and not LOWEST_LEVEL <= value <= HIGHEST_LEVEL:
            errors[name] = [ERROR_LEVEL_RANGE]
    if manager_rating is not None and not is_manager:
        manager_rating = None  # only the manager gives the manager's rating
    if self_rating is not None and not is_learner:
        self_rating = None
    if errors:
        raise ValidationError(errors)
    _check_transition(goal, Goal.Status.CLOSED)
    now = timezone.now()
    with transaction.atomic():
        goal.status = Goal.Status.CLOSED
        goal.outcome = outcome
        goal.closed_at = now
        goal.updated_at = now
        update = ["status", "outcome", "closed_at", "updated_at"]
        if self_rating is not None:
            goal.final_self_rating = self_rating
            update.append("final_self_rating")
        if manager_rating is not None:
            goal.final_manager_rating = manager_rating
            update.append("final_manager_rating")
        goal.save(update_fields=update)
        # Only one of the two is given: each caller rates as who they are.
        for level in (self_rating, manager_rating):
            if level is not None:
                proficiency_rate(
                    membership=goal.member, skill=goal.skill, level=level, by=membership, goal=goal
                )
        verb = Verb.GOAL_ACHIEVED if outcome == Goal.Outcome.ACHIEVED else Verb.GOAL_CLOSED
        _event(
            actor=goal.member if is_learner else membership,
            verb=verb,
            goal=goal,
            result={
                "outcome": outcome,
                "self_rating": goal.final_self_rating,
                "manager_rating": goal.final_manager_rating,
            },
        )
        audit_log_record(
            actor=membership, action="goal.closed", obj=goal, data={"outcome": outcome}
        )
    return goal


def goal_rate_final(*, goal: Goal, membership: Membership, rating: int) -> Goal:
    """The manager's final rating of a goal the learner closed (or the learner's, late)."""
    if not LOWEST_LEVEL <= rating <= HIGHEST_LEVEL:
        raise ValidationError({"rating": [ERROR_LEVEL_RANGE]})
    is_manager = can_manage_goal(membership, goal)
    if not (is_manager or can_edit_goal(membership, goal)):
        raise PermissionDenied(ERROR_NOT_YOUR_GOAL)
    field = "final_manager_rating" if is_manager else "final_self_rating"
    with transaction.atomic():
        setattr(goal, field, rating)
        goal.updated_at = timezone.now()
        goal.save(update_fields=[field, "updated_at"])
        proficiency_rate(
            membership=goal.member, skill=goal.skill, level=rating, by=membership, goal=goal
        )
        audit_log_record(actor=membership, action="goal.rated", obj=goal, data={field: rating})
    return goal
