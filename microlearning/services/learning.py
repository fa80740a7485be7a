"""Writes for a learner doing a unit: progress, answers, reflections, commitments, ratings.

Every write is for a block of the unit's live version: the caller loads the block
through the organisation and the live version, and the services check it again,
so nothing a learner does is ever tied to a draft or to someone else's content.
Each action appends an xAPI-shaped learning event with the version in its context.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import LearningEvent
from events.services import learning_event_record
from organisations.models import Membership

from ..models import (
    Block,
    BlockProgress,
    Commitment,
    Completion,
    QuestionAnswer,
    Rating,
    Reflection,
    Unit,
)
from ..selectors.learning import PASSIVE_KINDS, completion_missing
from .repetition import review_card_start
from .units import unit_complete

ERROR_NOT_LIVE = _("This block is not part of the unit learners see now.")
ERROR_WRONG_KIND = _("This block cannot be done that way.")
ERROR_NO_OPTION = _("Choose an answer.")
ERROR_ONE_OPTION = _("Choose one answer.")
ERROR_UNKNOWN_OPTION = _("That answer is not one of the options.")
ERROR_UNKNOWN_ITEM = _("That step is not on the checklist.")
ERROR_EMPTY_TEXT = _("Write something first.")
ERROR_DUE_IN_PAST = _("Choose a date from today on.")
ERROR_COMMITMENT_TRANSITION = _("A commitment cannot go from “%(old)s” to “%(new)s”.")
ERROR_NOT_YOURS = _("Only the learner who made this commitment can report on it.")


def _live_block(block: Block, membership: Membership) -> Unit:
    """The published unit whose live version holds ``block``; raises otherwise."""
    unit = Unit.objects.filter(
        organisation_id=membership.organisation_id,
        live_version_id=block.version_id,
        status=Unit.Status.PUBLISHED,
    ).first()
    if unit is None or block.organisation_id != membership.organisation_id:
        raise ValidationError(ERROR_NOT_LIVE)
    return unit


def _check_kind(block: Block, *kinds: str) -> None:
    if block.kind not in kinds:
        raise ValidationError(ERROR_WRONG_KIND)


def _record(
    *,
    membership: Membership,
    verb: str,
    block: Block | None,
    unit: Unit,
    result: dict | None = None,
    object_type: str = "block",
    object_id: int | None = None,
) -> None:
    context = {"version": unit.live_version_id, "unit": unit.pk}
    if block is not None:
        context["block"] = block.pk
    learning_event_record(
        actor=membership,
        verb=verb,
        object_type=object_type,
        object_id=object_id if object_id is not None else block.pk,
        result=result,
        context=context,
    )


def _mark_done(*, block: Block, membership: Membership, state: dict | None = None) -> BlockProgress:
    now = timezone.now()
    progress, created = BlockProgress.objects.get_or_create(
        organisation_id=membership.organisation_id,
        member=membership,
        block=block,
        defaults={"version_id": block.version_id, "state": state or {}, "done_at": now},
    )
    if not created:
        fields = ["updated_at"]
        if state is not None:
            progress.state = state
            fields.append("state")
        if progress.done_at is None:
            progress.done_at = now
            fields.append("done_at")
        progress.updated_at = now
        progress.save(update_fields=fields)
    return progress


def _complete_if_ready(*, unit: Unit, membership: Membership) -> Completion | None:
    if Completion.objects.filter(
        organisation_id=membership.organisation_id, unit=unit, member=membership
    ).exists():
        return None
    if completion_missing(unit=unit, membership=membership):
        return None
    return unit_complete(unit=unit, membership=membership)


def block_done(*, block: Block, membership: Membership) -> BlockProgress:
    """The learner read or watched a text, video or image block."""
    unit = _live_block(block, membership)
    _check_kind(block, *PASSIVE_KINDS)
    with transaction.atomic():
        progress = _mark_done(block=block, membership=membership)
        _complete_if_ready(unit=unit, membership=membership)
    return progress


def package_block_done(*, block: Block, membership: Membership, result: dict) -> BlockProgress:
    """The package's SCO reported it is completed (or passed): the block counts as done.

    Called by ``packages`` once the runtime's data model says so; ``result`` (status,
    score) is kept with the progress. No event of its own: a "completed" event on a
    block would count as a completion in the dashboards; the unit's completion event
    (``unit_complete``) is the one that counts, and trajectory steps follow from it.
    """
    unit = _live_block(block, membership)
    _check_kind(block, Block.Kind.PACKAGE)
    with transaction.atomic():
        progress = _mark_done(block=block, membership=membership, state={"result": result})
        _complete_if_ready(unit=unit, membership=membership)
    return progress


def checklist_tick(
    *, block: Block, membership: Membership, item: int, ticked: bool
) -> BlockProgress:
    """Tick (or untick) one step; the checklist is done once every step is ticked."""
    unit = _live_block(block, membership)
    _check_kind(block, Block.Kind.CHECKLIST)
    items = block.data.get("items", [])
    if not 0 <= item < len(items):
        raise ValidationError(ERROR_UNKNOWN_ITEM)
    now = timezone.now()
    with transaction.atomic():
        progress, _created = BlockProgress.objects.select_for_update().get_or_create(
            organisation_id=membership.organisation_id,
            member=membership,
            block=block,
            defaults={"version_id": block.version_id, "state": {"ticked": []}},
        )
        current = set(progress.state.get("ticked", []))
        if ticked:
            current.add(item)
        else:
            current.discard(item)
        progress.state = {"ticked": sorted(current)}
        # Once done stays done: unticking a step later does not undo the unit.
        if progress.done_at is None and current >= set(range(len(items))):
            progress.done_at = now
        progress.updated_at = now
        progress.save(update_fields=["state", "done_at", "updated_at"])
        _complete_if_ready(unit=unit, membership=membership)
    return progress


def question_score(*, block: Block, selected: list[int]) -> tuple[list[int], bool]:
    """The chosen options (sorted, once each) and whether they are exactly the right ones.

    Raises a ``ValidationError`` on ``selected`` for no choice, an option the
    question does not have, or several choices where one is asked.
    """
    options = block.data.get("options", [])
    chosen = sorted(set(selected))
    if not chosen:
        raise ValidationError({"selected": ERROR_NO_OPTION})
    if any(not 0 <= index < len(options) for index in chosen):
        raise ValidationError({"selected": ERROR_UNKNOWN_OPTION})
    if not block.data.get("multiple") and len(chosen) > 1:
        raise ValidationError({"selected": ERROR_ONE_OPTION})
    right = {i for i, option in enumerate(options) if option.get("correct")}
    return chosen, set(chosen) == right


def question_answer(*, block: Block, membership: Membership, selected: list[int]) -> QuestionAnswer:
    """Score an attempt on the server; every retry is kept as a new attempt."""
    unit = _live_block(block, membership)
    _check_kind(block, Block.Kind.QUESTION)
    chosen, correct = question_score(block=block, selected=selected)
    for _try in range(3):  # two quick submissions may race for the same attempt number
        try:
            with transaction.atomic():
                last = QuestionAnswer.objects.filter(
                    organisation_id=membership.organisation_id, member=membership, block=block
                ).aggregate(n=Max("attempt"))["n"]
                answer = QuestionAnswer.objects.create(
                    organisation_id=membership.organisation_id,
                    member=membership,
                    block=block,
                    version_id=block.version_id,
                    attempt=(last or 0) + 1,
                    selected=chosen,
                    correct=correct,
                )
                _mark_done(block=block, membership=membership)
                review_card_start(answer=answer, block=block)
                _record(
                    membership=membership,
                    verb=LearningEvent.Verb.ANSWERED,
                    block=block,
                    unit=unit,
                    result={"correct": correct, "attempt": answer.attempt, "selected": chosen},
                )
                _complete_if_ready(unit=unit, membership=membership)
            return answer
        except IntegrityError:
            continue
    raise ValidationError(ERROR_NO_OPTION)  # pragma: no cover - three races in a row


def reflection_save(*, block: Block, membership: Membership, text: str, shared: bool) -> Reflection:
    """Write (or rewrite) a reflection; it stays private unless ``shared`` with the manager."""
    unit = _live_block(block, membership)
    _check_kind(block, Block.Kind.REFLECTION)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": ERROR_EMPTY_TEXT})
    now = timezone.now()
    with transaction.atomic():
        reflection = Reflection.objects.filter(
            organisation_id=membership.organisation_id, member=membership, block=block
        ).first() or Reflection(
            organisation_id=membership.organisation_id,
            member=membership,
            block=block,
            version_id=block.version_id,
            created_at=now,
        )
        reflection.text = text
        reflection.shared_with_manager = shared
        reflection.updated_at = now
        reflection.full_clean()
        reflection.save()
        _mark_done(block=block, membership=membership)
        _record(
            membership=membership,
            verb=LearningEvent.Verb.REFLECTED,
            block=block,
            unit=unit,
            result={"shared": shared},
        )
        _complete_if_ready(unit=unit, membership=membership)
    return reflection


def commitment_create(
    *, block: Block, membership: Membership, text: str, due_on: dt.date
) -> Commitment:
    """ "What will you apply, and by when?": an open commitment shown on the learner's home."""
    unit = _live_block(block, membership)
    _check_kind(block, Block.Kind.APPLY)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": ERROR_EMPTY_TEXT})
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": ERROR_DUE_IN_PAST})
    with transaction.atomic():
        commitment = Commitment(
            organisation_id=membership.organisation_id,
            member=membership,
            unit=unit,
            version_id=block.version_id,
            block=block,
            text=text,
            due_on=due_on,
        )
        commitment.full_clean()
        commitment.save()
        _mark_done(block=block, membership=membership)
        _record(
            membership=membership,
            verb=LearningEvent.Verb.COMMITTED,
            block=block,
            unit=unit,
            object_type="commitment",
            object_id=commitment.pk,
            result={"due_on": due_on.isoformat()},
        )
        _complete_if_ready(unit=unit, membership=membership)
    return commitment


def commitment_report(
    *, commitment: Commitment, by: Membership, status: str, note: str = ""
) -> Commitment:
    """The learner reports how applying went: same status is a no-op, a wrong move raises.

    The event's verb is always ``applied``; ``result.success`` says whether it was.
    """
    if commitment.member_id != by.pk:
        raise ValidationError(ERROR_NOT_YOURS)
    old = Commitment.Status(commitment.status)
    new = Commitment.Status(status)
    if new == old:
        return commitment
    if new not in Commitment.TRANSITIONS[old]:
        raise ValidationError(
            ERROR_COMMITMENT_TRANSITION, params={"old": old.label, "new": new.label}
        )
    with transaction.atomic():
        commitment.status = new
        commitment.note = (note or "").strip()
        commitment.reported_at = timezone.now()
        commitment.full_clean()
        commitment.save(update_fields=["status", "note", "reported_at"])
        learning_event_record(
            actor=by,
            verb=LearningEvent.Verb.APPLIED,
            object_type="commitment",
            object_id=commitment.pk,
            result={"status": new.value, "success": new == Commitment.Status.APPLIED},
            context={
                "version": commitment.version_id,
                "unit": commitment.unit_id,
                "block": commitment.block_id,
            },
        )
    return commitment


def rating_save(*, unit: Unit, membership: Membership, score: int, comment: str = "") -> Rating:
    """ "Was this useful?": rating again replaces the earlier rating."""
    if unit.status != Unit.Status.PUBLISHED or unit.organisation_id != membership.organisation_id:
        raise ValidationError(ERROR_NOT_LIVE)
    with transaction.atomic():
        rating = Rating.objects.filter(
            organisation_id=membership.organisation_id, member=membership, unit=unit
        ).first() or Rating(
            organisation_id=membership.organisation_id, member=membership, unit=unit
        )
        rating.version_id = unit.live_version_id
        rating.score = score
        rating.comment = (comment or "").strip()
        rating.created_at = timezone.now()
        rating.full_clean()
        rating.save()
        _record(
            membership=membership,
            verb=LearningEvent.Verb.RATED,
            block=None,
            unit=unit,
            object_type="unit",
            object_id=unit.pk,
            result={"score": score, "comment": bool(rating.comment)},
        )
    return rating
