"""Writes for a unit's content blocks: add, change, remove and reorder them.

Blocks are only ever changed on the draft version (``unit_draft``): a block of a
published version is never edited, so learners keep what they did. Positions
stay 1..n without gaps.
"""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Membership
from organisations.services import audit_log_record

from ..blocks import FILE_KINDS, block_clean
from ..models import Block, Unit, UnitVersion
from .units import unit_draft

ERROR_STALE_BLOCK = _(
    "This block has changed since you opened the page. Reload the editor and try again."
)
ERROR_PACKAGE_IMPORTED = _(
    "A package block comes from importing a SCORM package; it cannot be written by hand."
)
ERROR_ARCHIVED = _("An archived unit cannot be changed. Restore it to a draft first.")


def _touch(unit: Unit) -> None:
    unit.updated_at = timezone.now()
    unit.save(update_fields=["updated_at"])


def _editable_draft(*, unit: Unit, by: Membership) -> UnitVersion:
    if unit.status == Unit.Status.ARCHIVED:
        raise ValidationError(ERROR_ARCHIVED)
    return unit_draft(unit=unit, by=by)


def _draft_block(*, block: Block, by: Membership) -> Block:
    """The draft's copy of ``block``: a block of the live version opens a draft first.

    A freshly copied draft has the live blocks at the same positions; a block of an
    older version while a draft already exists is a stale page, not a guess.
    """
    unit = block.version.unit
    if unit.status == Unit.Status.ARCHIVED:
        raise ValidationError(ERROR_ARCHIVED)
    if block.version_id == unit.draft_version_id:
        return block
    if unit.draft_version_id is None and block.version_id == unit.live_version_id:
        draft = _editable_draft(unit=unit, by=by)
        return draft.blocks.get(position=block.position)
    raise ValidationError(ERROR_STALE_BLOCK)


def _resolved_file(*, kind: str, data: dict, file: Any, current: Any) -> Any:
    """The file the block will have: a new upload, or the current one unless a link replaces it."""
    if kind not in FILE_KINDS:
        return None
    if file:
        return file
    if kind == Block.Kind.VIDEO and str(data.get("embed_url") or "").strip():
        return None
    return current or None


def block_add(
    *,
    unit: Unit,
    kind: str,
    data: dict,
    file: Any = None,
    required: bool = True,
    by: Membership,
    imported: bool = False,
) -> Block:
    """A new block at the end of the unit's draft.

    A package block only comes from ``packages`` importing a package (``imported``):
    written by hand it could name a package the author never uploaded.
    """
    if kind == Block.Kind.PACKAGE and not imported:
        raise ValidationError({"kind": ERROR_PACKAGE_IMPORTED})
    file = _resolved_file(kind=kind, data=data, file=file, current=None)
    cleaned = block_clean(kind=kind, data=data, file=file)
    with transaction.atomic():
        draft = _editable_draft(unit=unit, by=by)
        last = draft.blocks.aggregate(last=Max("position"))["last"] or 0
        block = Block(
            organisation_id=unit.organisation_id,
            version=draft,
            position=last + 1,
            kind=kind,
            required=required,
            data=cleaned,
        )
        if file:
            block.file = file
        block.full_clean(exclude=["file"])
        block.save()
        _touch(unit)
        audit_log_record(
            actor=by,
            action="unit.block_added",
            obj=unit,
            data={"version": draft.number, "block": block.pk, "kind": kind},
        )
    return block


def block_update(
    *,
    block: Block,
    data: dict,
    file: Any = None,
    required: bool | None = None,
    by: Membership,
) -> Block:
    """Change a block's content (on the draft: a published unit gets a new draft first).

    Without a new ``file`` the block keeps its file; a video given a link drops it.
    The old file stays on disk: an earlier, published version may still show it.
    """
    if block.kind == Block.Kind.PACKAGE:
        raise ValidationError({"kind": ERROR_PACKAGE_IMPORTED})
    with transaction.atomic():
        block = _draft_block(block=block, by=by)
        new_file = _resolved_file(kind=block.kind, data=data, file=file, current=block.file)
        block.data = block_clean(kind=block.kind, data=data, file=new_file)
        block.file = new_file or ""
        if required is not None:
            block.required = required
        block.full_clean(exclude=["file"])
        block.save()
        unit = block.version.unit
        _touch(unit)
        audit_log_record(
            actor=by,
            action="unit.block_updated",
            obj=unit,
            data={"version": block.version.number, "block": block.pk, "kind": block.kind},
        )
    return block


def block_remove(*, block: Block, by: Membership) -> None:
    """Remove a block from the draft; the blocks after it move up."""
    with transaction.atomic():
        block = _draft_block(block=block, by=by)
        version, position = block.version, block.position
        block.delete()
        Block.objects.filter(version=version, position__gt=position).update(
            position=F("position") - 1
        )
        unit = version.unit
        _touch(unit)
        audit_log_record(
            actor=by,
            action="unit.block_removed",
            obj=unit,
            data={"version": version.number, "kind": block.kind, "position": position},
        )


def block_move(*, block: Block, direction: Literal["up", "down"], by: Membership) -> Block:
    """Swap a block with the one above or below it; at the top or bottom nothing changes."""
    if direction not in {"up", "down"}:
        raise ValidationError({"direction": _("Move a block “up” or “down”.")})
    with transaction.atomic():
        block = _draft_block(block=block, by=by)
        # Lock the version's blocks so two quick clicks cannot leave a gap or a twin.
        blocks = list(Block.objects.select_for_update().filter(version=block.version))
        by_position = {other.position: other for other in blocks}
        target = block.position - 1 if direction == "up" else block.position + 1
        neighbour = by_position.get(target)
        if neighbour is None:
            return block
        neighbour.position, block.position = block.position, target
        Block.objects.bulk_update([neighbour, block], ["position"])
        unit = block.version.unit
        _touch(unit)
        audit_log_record(
            actor=by,
            action="unit.block_moved",
            obj=unit,
            data={"version": block.version.number, "block": block.pk, "direction": direction},
        )
    return block
