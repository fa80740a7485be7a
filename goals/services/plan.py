"""Writes for a goal's development plan: activities tagged 70:20:10 and their status.

An activity linked to a unit or a trajectory step is done when the learner completes
that: at once if they already did, or later through ``activities_complete_linked``,
which the ``learning_event_recorded`` receiver calls for every ``completed`` event.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.selectors import is_learner_step
from events.models import LearningEvent
from events.services import learning_event_record
from events.verbs import Category, Verb
from organisations.models import Membership
from organisations.permissions import can_edit_goal
from organisations.services import audit_log_record

from ..models import Goal, PlanActivity

ERROR_NOT_YOUR_GOAL = _("Only the learner works on their own plan.")
ERROR_GOAL_CLOSED = _("This goal is closed; its plan no longer changes.")
ERROR_CATEGORY = _("Choose experience, social or formal.")
ERROR_WHAT = _("Describe the activity, or link a unit or a trajectory step.")
ERROR_ONE_LINK = _("Link a unit or a step, not both.")
ERROR_OTHER_ORGANISATION = _("That unit or step belongs to another organisation.")
ERROR_NOT_YOUR_STEP = _("Choose a step of one of your own trajectories.")
ERROR_LINKED_DONE = _(
    "This activity is done when its unit or step is completed; it cannot be marked by hand."
)

# Object types of the completion events that complete a linked activity.
LINKED_OBJECT_TYPES = {"unit": "unit_id", "step": "step_id"}


def _require_open_plan(goal: Goal, membership: Membership) -> None:
    if not can_edit_goal(membership, goal):
        raise PermissionDenied(ERROR_NOT_YOUR_GOAL)
    if not goal.is_open:
        raise ValidationError(ERROR_GOAL_CLOSED)


def _already_completed(*, membership: Membership, unit=None, step=None) -> bool:
    if unit is not None:
        from microlearning.selectors.reach import has_completed

        return has_completed(membership=membership, unit_id=unit.pk)
    if step is not None:
        # The same step in any version of its trajectory (a step's key stays the same).
        same_step = (
            _step_model()
            .objects.filter(organisation_id=step.organisation_id, key=step.key)
            .values("pk")
        )
        return LearningEvent.objects.filter(
            organisation_id=membership.organisation_id,
            actor=membership,
            verb=Verb.COMPLETED,
            object_type="step",
            object_id__in=same_step,
        ).exists()
    return False


def _step_model():
    """courses' Step, reached through the plan's foreign key (goals read courses, never the
    other way round, and the architecture keeps models modules to their own app)."""
    return PlanActivity._meta.get_field("step").related_model


def _record_done(activity: PlanActivity, membership: Membership) -> None:
    """The completion of a plan activity as a learning event.

    A linked activity is the learner's unit or step, whose own completion event
    already counts in the 70:20:10 mix: its event says so (``counted_as``) and the
    ledger leaves it out, so nothing is counted twice.
    """
    context = {"goal_id": activity.goal_id}
    if activity.unit_id is not None:
        context["counted_as"] = f"unit:{activity.unit_id}"
    elif activity.step_id is not None:
        context["counted_as"] = f"step:{activity.step_id}"
    learning_event_record(
        actor=membership,
        verb=Verb.COMPLETED,
        object_type="plan_activity",
        object_id=activity.pk,
        context=context,
        object_category=activity.category,
    )


def activity_add(
    *,
    goal: Goal,
    membership: Membership,
    category: str,
    title: str = "",
    unit=None,
    step=None,
) -> PlanActivity:
    """Add an activity to the plan; one linked to something already completed starts done."""
    _require_open_plan(goal, membership)
    errors: dict[str, list] = {}
    if category not in Category.values:
        errors["category"] = [ERROR_CATEGORY]
    if unit is not None and step is not None:
        errors["step"] = [ERROR_ONE_LINK]
    if not title.strip() and unit is None and step is None:
        errors["title"] = [ERROR_WHAT]
    for name, linked in (("unit", unit), ("step", step)):
        if linked is not None and linked.organisation_id != goal.organisation_id:
            errors[name] = [ERROR_OTHER_ORGANISATION]
    # The one rule for web and API alike: a step of the learner's own enrolments
    # (``membership`` is the goal's learner: ``_require_open_plan`` saw to that).
    linked_step = step is not None and "step" not in errors
    if linked_step and not is_learner_step(membership=membership, step=step):
        errors["step"] = [ERROR_NOT_YOUR_STEP]
    if len(title) > 300:
        errors["title"] = [_("Keep it under 300 characters.")]
    if errors:
        raise ValidationError(errors)
    done = _already_completed(membership=membership, unit=unit, step=step)
    with transaction.atomic():
        last = goal.activities.aggregate(last=Max("position"))["last"] or 0
        activity = PlanActivity.objects.create(
            organisation_id=goal.organisation_id,
            goal=goal,
            category=category,
            title=title.strip(),
            unit=unit,
            step=step,
            position=last + 1,
            status=PlanActivity.Status.DONE if done else PlanActivity.Status.PLANNED,
            done_at=timezone.now() if done else None,
        )
        audit_log_record(actor=membership, action="goal.activity_added", obj=activity)
    return activity


def activity_set_status(
    *, activity: PlanActivity, membership: Membership, status: str
) -> PlanActivity:
    """Planned, doing or done; same status is a no-op. Linked activities finish by themselves."""
    goal = activity.goal
    _require_open_plan(goal, membership)
    new = PlanActivity.Status(status)
    if new == activity.status:
        return activity
    linked = activity.unit_id is not None or activity.step_id is not None
    if linked and (new == PlanActivity.Status.DONE or activity.status == PlanActivity.Status.DONE):
        raise ValidationError({"status": [ERROR_LINKED_DONE]})
    with transaction.atomic():
        activity.status = new
        activity.done_at = timezone.now() if new == PlanActivity.Status.DONE else None
        activity.save(update_fields=["status", "done_at"])
        if new == PlanActivity.Status.DONE:
            _record_done(activity, membership)
        audit_log_record(
            actor=membership, action="goal.activity_status", obj=activity, data={"status": new}
        )
    return activity


def activity_remove(*, activity: PlanActivity, membership: Membership) -> None:
    _require_open_plan(activity.goal, membership)
    with transaction.atomic():
        audit_log_record(actor=membership, action="goal.activity_removed", obj=activity)
        activity.delete()


def activities_complete_linked(*, event: LearningEvent) -> list[PlanActivity]:
    """Mark done the open plan activities that wait for what this ``completed`` event completed.

    Only the event's own actor's activities, only in goals still open. Runs inside the
    transaction that records the event, so both are kept or neither.
    """
    field = LINKED_OBJECT_TYPES.get(event.object_type)
    if event.verb != Verb.COMPLETED or field is None:
        return []
    if event.object_type == "step":
        # Linked to this step in the version the learner did, or in another version of it.
        key = _step_model().objects.filter(pk=event.object_id).values("key")[:1]
        linked = Q(step_id=event.object_id) | Q(step__key__in=key)
    else:
        linked = Q(**{field: event.object_id})
    activities = list(
        PlanActivity.objects.filter(
            linked,
            organisation_id=event.organisation_id,
            goal__member_id=event.actor_id,
        )
        .exclude(status=PlanActivity.Status.DONE)
        .exclude(goal__status=Goal.Status.CLOSED)
        .select_related("goal")
    )
    if not activities:
        return []
    now = event.timestamp or timezone.now()
    for activity in activities:
        activity.status = PlanActivity.Status.DONE
        activity.done_at = now
    PlanActivity.objects.bulk_update(activities, ["status", "done_at"])
    for activity in activities:
        _record_done(activity, event.actor)
    return activities
