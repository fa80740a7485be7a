"""Reads for a learner doing a unit, for their home, and for managers reading shared reflections.

The unit page costs the same few queries however many blocks the unit has: the
learner's progress, answers, reflections and commitments are each read once for
the whole version and matched to the blocks in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisations.models import Membership
from organisations.selectors import teams_managed_by

from ..models import (
    Block,
    BlockProgress,
    Commitment,
    Completion,
    QuestionAnswer,
    Rating,
    Reflection,
    Unit,
    UnitVersion,
)

# Blocks a learner finishes by reading or watching: the "done" button (or "Mark as
# complete" for the whole unit) is all they need. The other kinds need an action.
PASSIVE_KINDS = frozenset({Block.Kind.TEXT, Block.Kind.VIDEO, Block.Kind.IMAGE})

# Commitments still waiting for the learner: "not yet" is a report that asks for another.
OPEN_COMMITMENT_STATUSES = (Commitment.Status.OPEN, Commitment.Status.NOT_YET)


@dataclass(frozen=True)
class QuestionOption:
    """An option as the learner sees it: whether it is right is never part of it."""

    index: int
    text: str
    chosen: bool
    feedback: str  # only for an option the learner chose in their latest attempt


@dataclass(frozen=True)
class ChecklistItem:
    index: int
    text: str
    ticked: bool


@dataclass
class LearnerBlock:
    block: Block
    done: bool = False
    ticked: frozenset[int] = frozenset()
    answers: list[QuestionAnswer] = field(default_factory=list)  # oldest attempt first
    reflection: Reflection | None = None
    commitments: list[Commitment] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.block.kind

    @property
    def is_passive(self) -> bool:
        return self.block.kind in PASSIVE_KINDS

    @property
    def last_answer(self) -> QuestionAnswer | None:
        return self.answers[-1] if self.answers else None

    @property
    def attempts(self) -> int:
        return len(self.answers)

    @property
    def options(self) -> list[QuestionOption]:
        chosen = set(self.last_answer.selected) if self.last_answer else set()
        return [
            QuestionOption(
                index=i,
                text=option.get("text", ""),
                chosen=i in chosen,
                feedback=option.get("feedback", "") if i in chosen else "",
            )
            for i, option in enumerate(self.block.data.get("options", []))
        ]

    @property
    def explanation(self) -> str:
        """Shown only once the learner has answered."""
        return self.block.data.get("explanation", "") if self.answers else ""

    @property
    def items(self) -> list[ChecklistItem]:
        return [
            ChecklistItem(index=i, text=text, ticked=i in self.ticked)
            for i, text in enumerate(self.block.data.get("items", []))
        ]


@dataclass
class UnitPage:
    """A unit of one learner: its live blocks with what they did, and what is left."""

    unit: Unit
    version: UnitVersion | None
    blocks: list[LearnerBlock]
    completion: Completion | None
    rating: Rating | None
    score: float | None  # % of questions right in the latest attempts; None without questions
    missing: list[str]  # what stands between the learner and completion
    missing_actions: list[str]  # the same, without reading and watching blocks

    @property
    def first_open(self) -> LearnerBlock | None:
        """Where the learner resumes: the first block they have not done."""
        return next((b for b in self.blocks if not b.done), None)

    @property
    def done_count(self) -> int:
        return sum(1 for b in self.blocks if b.done)

    @property
    def can_mark_complete(self) -> bool:
        return self.completion is None and not self.missing_actions

    @property
    def quiz_started(self) -> bool:
        """A score means something once a question is answered ("0% right" before is noise)."""
        return any(b.last_answer is not None for b in self.blocks if b.kind == Block.Kind.QUESTION)


def _score(blocks: list[LearnerBlock]) -> float | None:
    questions = [b for b in blocks if b.kind == Block.Kind.QUESTION]
    if not questions:
        return None
    right = sum(1 for b in questions if b.last_answer is not None and b.last_answer.correct)
    return 100.0 * right / len(questions)


def _missing(blocks: list[LearnerBlock], pass_mark: int, *, passive: bool) -> list[str]:
    missing = []
    open_required = [
        b for b in blocks if b.block.required and not b.done and (passive or not b.is_passive)
    ]
    if open_required:
        count = len(open_required)
        missing.append(
            ngettext(
                "%(count)d required part still open.",
                "%(count)d required parts still open.",
                count,
            )
            % {"count": count}
        )
    score = _score(blocks)
    if score is not None and pass_mark and score < pass_mark:
        missing.append(
            _("Answer at least %(mark)d%% of the questions right.") % {"mark": pass_mark}
        )
    return missing


def _learner_blocks(*, version: UnitVersion, membership: Membership) -> list[LearnerBlock]:
    blocks = {
        b.pk: LearnerBlock(block=b)
        for b in Block.objects.filter(version=version).order_by("position", "id")
    }
    mine = {"organisation_id": membership.organisation_id, "member": membership}
    for progress in BlockProgress.objects.filter(**mine, version=version):
        item = blocks.get(progress.block_id)
        if item is not None:
            item.done = progress.done_at is not None
            item.ticked = frozenset(progress.state.get("ticked", []))
    for answer in QuestionAnswer.objects.filter(**mine, version=version).order_by("attempt"):
        if answer.block_id in blocks:
            blocks[answer.block_id].answers.append(answer)
    for reflection in Reflection.objects.filter(**mine, version=version):
        if reflection.block_id in blocks:
            blocks[reflection.block_id].reflection = reflection
    for commitment in Commitment.objects.filter(**mine, version=version).order_by("created_at"):
        if commitment.block_id in blocks:
            blocks[commitment.block_id].commitments.append(commitment)
    return list(blocks.values())


def unit_page(*, unit: Unit, membership: Membership) -> UnitPage:
    """Everything the learner's unit page shows, in a fixed number of queries."""
    version = unit.live_version
    blocks = _learner_blocks(version=version, membership=membership) if version else []
    pass_mark = version.pass_mark if version else 0
    mine = {"organisation_id": membership.organisation_id, "member": membership, "unit": unit}
    return UnitPage(
        unit=unit,
        version=version,
        blocks=blocks,
        completion=Completion.objects.filter(**mine).first(),
        rating=Rating.objects.filter(**mine).first(),
        score=_score(blocks),
        missing=_missing(blocks, pass_mark, passive=True),
        missing_actions=_missing(blocks, pass_mark, passive=False),
    )


def completion_missing(*, unit: Unit, membership: Membership, passive: bool = True) -> list[str]:
    """What the learner still has to do before the unit counts as complete (empty: nothing).

    With ``passive=False`` reading and watching blocks are not asked for: "Mark as
    complete" is the learner saying they read it.
    """
    if unit.live_version is None:
        return []
    blocks = _learner_blocks(version=unit.live_version, membership=membership)
    return _missing(blocks, unit.live_version.pass_mark, passive=passive)


def live_blocks(*, unit: Unit) -> QuerySet[Block]:
    """Blocks a learner may act on: those of the unit's live version (others: 404)."""
    return Block.objects.filter(
        organisation_id=unit.organisation_id, version_id=unit.live_version_id
    )


def next_open_block(*, block: Block, membership: Membership) -> Block | None:
    """The first block after ``block`` in its version the learner has not done yet."""
    done = BlockProgress.objects.filter(
        organisation_id=membership.organisation_id,
        member=membership,
        version_id=block.version_id,
        done_at__isnull=False,
    ).values("block_id")
    return (
        Block.objects.filter(version_id=block.version_id, position__gt=block.position)
        .exclude(pk__in=done)
        .order_by("position", "id")
        .first()
    )


def open_commitments(*, membership: Membership) -> QuerySet[Commitment]:
    """The learner's commitments still to report on, soonest due first."""
    return (
        Commitment.objects.filter(
            organisation_id=membership.organisation_id,
            member=membership,
            status__in=OPEN_COMMITMENT_STATUSES,
        )
        .select_related("unit")
        .order_by("due_on", "id")
    )


def learner_commitments(*, membership: Membership) -> QuerySet[Commitment]:
    return Commitment.objects.filter(
        organisation_id=membership.organisation_id, member=membership
    ).select_related("unit")


def shared_reflections(*, manager: Membership) -> QuerySet[Reflection]:
    """Reflections members of the manager's teams chose to share with them; never private ones."""
    team_ids = teams_managed_by(membership=manager).values("id")
    return (
        Reflection.objects.filter(
            organisation_id=manager.organisation_id,
            shared_with_manager=True,
            member__team_id__in=team_ids,
            member__is_active=True,
        )
        .exclude(member=manager)
        .select_related("member__user", "member__team", "block__version")
        .order_by("-updated_at", "-id")
    )
