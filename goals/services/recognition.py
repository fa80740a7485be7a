"""Writes for recognition: a learner shares what they achieved; teammates give kudos.

Nothing is shared unless the learner asks for it: these services are the only way a
Recognition row is made, and each is called from the learner's own choice.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.selectors.evidence import evidence_approved
from events.services import learning_event_record
from events.verbs import Verb
from organisations.models import Membership
from organisations.permissions import can_edit_goal, can_see_recognition
from organisations.services import audit_log_record

from ..models import Goal, Kudos, Recognition

ERROR_NO_TEAM = _("You are in no team yet, so there is nobody to share it with.")
ERROR_NOT_ACHIEVED = _("Share a goal once it is achieved.")
ERROR_OWN = _("Kudos are for your teammates' achievements.")
ERROR_NOT_YOURS = _("Only the learner shares their own achievements.")
ERROR_NOT_SIGNED_OFF = _("Share evidence once it is signed off.")


def recognition_share(
    *,
    membership: Membership,
    object_type: str,
    object_id: int,
    title: str,
    message: str = "",
) -> Recognition:
    """Share an achievement with the learner's team; sharing the same thing again is a no-op.

    Called on the learner's choice only (an achieved goal here; signed-off evidence
    from courses).
    """
    if membership.team_id is None:
        raise ValidationError(ERROR_NO_TEAM)
    existing = Recognition.objects.filter(
        organisation_id=membership.organisation_id,
        member=membership,
        object_type=object_type,
        object_id=object_id,
    ).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        recognition = Recognition(
            organisation_id=membership.organisation_id,
            member=membership,
            team_id=membership.team_id,
            object_type=object_type,
            object_id=object_id,
            title=title[:300],
            message=message,
            shared_at=timezone.now(),
        )
        recognition.full_clean(exclude=["member", "team"])
        recognition.save()
        learning_event_record(
            actor=membership,
            verb=Verb.SHARED,
            object_type=object_type,
            object_id=object_id,
            context={"recognition_id": recognition.pk, "team_id": membership.team_id},
        )
        audit_log_record(actor=membership, action="recognition.shared", obj=recognition)
    return recognition


def goal_share(*, goal: Goal, membership: Membership, message: str = "") -> Recognition:
    """The learner shares their achieved goal with their team."""
    if not can_edit_goal(membership, goal):
        raise PermissionDenied(ERROR_NOT_YOURS)
    if goal.status != Goal.Status.CLOSED or goal.outcome != Goal.Outcome.ACHIEVED:
        raise ValidationError(ERROR_NOT_ACHIEVED)
    return recognition_share(
        membership=membership,
        object_type="goal",
        object_id=goal.pk,
        title=goal.title,
        message=message,
    )


def evidence_share(*, progress, membership: Membership, message: str = "") -> Recognition:
    """The learner shares a step whose evidence was signed off with their team.

    ``progress`` is the learner's own (``courses.selectors.evidence.own_progress``).
    """
    if progress.enrolment.membership_id != membership.pk:
        raise PermissionDenied(ERROR_NOT_YOURS)
    if not evidence_approved(progress=progress):
        raise ValidationError(ERROR_NOT_SIGNED_OFF)
    return recognition_share(
        membership=membership,
        object_type="step",
        object_id=progress.step_id,
        title=progress.step.title,
        message=message,
    )


def kudos_give(*, recognition: Recognition, membership: Membership) -> tuple[Kudos, bool]:
    """A teammate's kudos, once each: ``(kudos, created)``; giving it again changes nothing."""
    if recognition.member_id == membership.pk:
        raise ValidationError(ERROR_OWN)
    if not can_see_recognition(membership, recognition):
        raise PermissionDenied
    existing = Kudos.objects.filter(
        organisation_id=recognition.organisation_id, recognition=recognition, giver=membership
    ).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            kudos = Kudos.objects.create(
                organisation_id=recognition.organisation_id,
                recognition=recognition,
                giver=membership,
            )
            learning_event_record(
                actor=membership,
                verb=Verb.KUDOS_GIVEN,
                object_type="recognition",
                object_id=recognition.pk,
                context={"to_member_id": recognition.member_id},
            )
            audit_log_record(actor=membership, action="recognition.kudos", obj=recognition)
    except IntegrityError:  # given at the same moment in another request
        return Kudos.objects.get(recognition=recognition, giver=membership), False
    return kudos, True
