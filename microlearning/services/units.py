"""Writes for microlearning: authoring, assigning and completing units."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import LearningEvent
from events.services import learning_event_record
from organisations.models import Membership, Skill, Team, WorkProcess
from organisations.services import audit_log_record

from ..models import (
    Assignment,
    Block,
    BlockProgress,
    Completion,
    Unit,
    UnitVersion,
    UnitVersionSkill,
    UnitVersionWorkProcess,
)
from .search import search_index_refresh

ERROR_INVALID_TRANSITION = _("A unit cannot go from “%(old)s” to “%(new)s”.")
ERROR_NOT_PUBLISHED = _("Only published units can be assigned or completed.")
ERROR_TEAM_AND_MEMBER = _("Assign to a team or to a member, not both.")
ERROR_OTHER_ORGANISATION = _("That team or member belongs to another organisation.")
ERROR_NO_CONTENT = _("This unit has no version to publish.")
ERROR_EMPTY_UNIT = _("Add at least one content block before you publish the unit.")


def unit_create(
    *,
    by: Membership,
    title: str,
    body: str = "",
    language: str | None = None,
    summary: str = "",
) -> Unit:
    """A new unit with its first draft version; ``body``, if given, becomes a text block."""
    with transaction.atomic():
        unit = Unit(organisation_id=by.organisation_id, title=title, author=by)
        unit.full_clean(exclude=["live_version", "draft_version"])
        unit.save()
        version = UnitVersion(
            organisation_id=unit.organisation_id,
            unit=unit,
            number=1,
            title=title,
            summary=summary,
            language=language or by.organisation.language,
            created_by=by,
        )
        version.full_clean()
        version.save()
        if body:
            Block.objects.create(
                organisation_id=unit.organisation_id,
                version=version,
                position=1,
                kind=Block.Kind.TEXT,
                data={"markdown": body},
            )
        unit.draft_version = version
        unit.save(update_fields=["draft_version"])
        audit_log_record(actor=by, action="unit.created", obj=unit)
    return unit


def unit_draft(*, unit: Unit, by: Membership) -> UnitVersion:
    """The version the author edits: the open draft, or a new one copied from the live version.

    Published versions are never edited, so what learners did stays what they did.
    """
    if unit.draft_version_id is not None:
        return unit.draft_version
    source = unit.live_version
    if source is None:  # pragma: no cover - every unit is created with a draft
        raise ValidationError(ERROR_NO_CONTENT)
    with transaction.atomic():
        draft = version_copy(source=source, unit=unit, by=by)
        unit.draft_version = draft
        unit.updated_at = timezone.now()
        unit.save(update_fields=["draft_version", "updated_at"])
        audit_log_record(
            actor=by, action="unit.draft_started", obj=unit, data={"version": draft.number}
        )
    return draft


def version_copy(*, source: UnitVersion, unit: Unit, by: Membership) -> UnitVersion:
    """A new, unpublished version of ``unit`` with the content, tags and blocks of ``source``."""
    number = (unit.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    copy = UnitVersion.objects.create(
        organisation_id=unit.organisation_id,
        unit=unit,
        number=number,
        title=source.title,
        summary=source.summary,
        language=source.language,
        estimated_minutes=source.estimated_minutes,
        category=source.category,
        cover_image=source.cover_image.name,
        cover_alt=source.cover_alt,
        pass_mark=source.pass_mark,
        created_by=by,
    )
    UnitVersionSkill.objects.bulk_create(
        UnitVersionSkill(organisation_id=unit.organisation_id, version=copy, skill_id=skill_id)
        for skill_id in UnitVersionSkill.objects.filter(version=source).values_list(
            "skill_id", flat=True
        )
    )
    UnitVersionWorkProcess.objects.bulk_create(
        UnitVersionWorkProcess(
            organisation_id=unit.organisation_id, version=copy, work_process_id=process_id
        )
        for process_id in UnitVersionWorkProcess.objects.filter(version=source).values_list(
            "work_process_id", flat=True
        )
    )
    Block.objects.bulk_create(
        Block(
            organisation_id=unit.organisation_id,
            version=copy,
            position=block.position,
            kind=block.kind,
            required=block.required,
            data=block.data,
            file=block.file.name,
        )
        for block in source.blocks.all()
    )
    return copy


def unit_update(*, unit: Unit, by: Membership, title: str, **fields) -> UnitVersion:
    """Change the draft's title and other version fields (a published unit gets a new draft)."""
    draft = unit_draft(unit=unit, by=by)
    draft.title = title
    for name, value in fields.items():
        setattr(draft, name, value)
    draft.full_clean()
    draft.save()
    unit.updated_at = timezone.now()
    update_fields = ["updated_at"]
    if unit.live_version_id is None:
        unit.title = title
        update_fields.append("title")
    unit.save(update_fields=update_fields)
    audit_log_record(actor=by, action="unit.updated", obj=unit, data={"version": draft.number})
    return draft


def _check_transition(unit: Unit, new: Unit.Status) -> bool:
    """Whether ``unit`` moves to ``new``: False for the same status, raises for a wrong move."""
    old = Unit.Status(unit.status)
    if new == old:
        return False
    if new not in Unit.TRANSITIONS[old]:
        raise ValidationError(ERROR_INVALID_TRANSITION, params={"old": old.label, "new": new.label})
    return True


def unit_set_status(*, unit: Unit, by: Membership, status: str) -> Unit:
    """The one place unit status changes: same status is a no-op, a wrong move raises."""
    new = Unit.Status(status)
    if new == Unit.Status.PUBLISHED:
        return unit_publish(unit=unit, by=by)
    if not _check_transition(unit, new):
        return unit
    unit.status = new
    unit.updated_at = timezone.now()
    unit.save(update_fields=["status", "updated_at"])
    audit_log_record(actor=by, action=f"unit.{new.value}", obj=unit)
    return unit


def unit_publish(*, unit: Unit, by: Membership) -> Unit:
    """Publish the draft: it replaces the live version, which learners see from now on.

    Publishing a published unit without a draft changes nothing; an archived unit
    restored to draft without changes publishes its last live version again.
    """
    moves = _check_transition(unit, Unit.Status.PUBLISHED)
    version = unit.draft_version or (unit.live_version if moves else None)
    if version is None:
        return unit
    if not version.blocks.exists():
        raise ValidationError(ERROR_EMPTY_UNIT)
    now = timezone.now()
    with transaction.atomic():
        if version.published_at is None:
            version.published_at = now
            version.save(update_fields=["published_at"])
        search_index_refresh(version_ids=[version.pk])
        unit.status = Unit.Status.PUBLISHED
        unit.live_version = version
        unit.draft_version = None
        unit.title = version.title
        unit.published_at = now
        unit.updated_at = now
        unit.save(
            update_fields=[
                "status",
                "live_version",
                "draft_version",
                "title",
                "published_at",
                "updated_at",
            ]
        )
        audit_log_record(
            actor=by, action="unit.published", obj=unit, data={"version": version.number}
        )
    return unit


def unit_archive(*, unit: Unit, by: Membership) -> Unit:
    return unit_set_status(unit=unit, by=by, status=Unit.Status.ARCHIVED)


def unit_assign(
    *, unit: Unit, by: Membership, team: Team | None = None, membership: Membership | None = None
) -> Assignment:
    """Assign a published unit to a team or a member; assigning twice changes nothing."""
    if (team is None) == (membership is None):
        raise ValidationError(ERROR_TEAM_AND_MEMBER)
    if unit.status != Unit.Status.PUBLISHED:
        raise ValidationError(ERROR_NOT_PUBLISHED)
    if (team or membership).organisation_id != unit.organisation_id:
        raise ValidationError(ERROR_OTHER_ORGANISATION)
    lookup = {"team": team} if team is not None else {"member": membership}
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
                data={
                    "team": team.pk if team else None,
                    "member": membership.pk if membership else None,
                },
            )
    return assignment


def unit_open(*, unit: Unit, membership: Membership) -> None:
    """A learner opened a published unit: a ``viewed`` event feeds reach and usage figures."""
    if unit.status != Unit.Status.PUBLISHED:
        raise ValidationError(ERROR_NOT_PUBLISHED)
    learning_event_record(
        actor=membership,
        verb=LearningEvent.Verb.VIEWED,
        object_type="unit",
        object_id=unit.pk,
        context={"version": unit.live_version_id},
    )


def unit_complete(*, unit: Unit, membership: Membership) -> Completion:
    """Mark a unit complete for a learner and record the event; completing again is a no-op.

    Refused while a required checklist, question, reflection or commitment is open or
    the quiz's pass mark is not met; reading blocks count as read when the learner says so.
    """
    from ..selectors.learning import PASSIVE_KINDS, completion_missing

    if unit.status != Unit.Status.PUBLISHED:
        raise ValidationError(ERROR_NOT_PUBLISHED)
    existing = Completion.objects.filter(unit=unit, member=membership).first()
    if existing is not None:
        return existing
    missing = completion_missing(unit=unit, membership=membership, passive=False)
    if missing:
        raise ValidationError(missing)
    try:
        with transaction.atomic():
            completion = Completion.objects.create(
                organisation_id=unit.organisation_id,
                unit=unit,
                version_id=unit.live_version_id,
                member=membership,
            )
            # Saying "complete" reads what was left to read: the progress shows it done too.
            _reading_blocks_done(
                unit=unit, membership=membership, kinds=PASSIVE_KINDS, at=completion.completed_at
            )
            learning_event_record(
                actor=membership,
                verb=LearningEvent.Verb.COMPLETED,
                object_type="unit",
                object_id=unit.pk,
                context={
                    "version": unit.live_version_id,
                    "minutes": unit.live_version.estimated_minutes,
                },
                object_category=unit.live_version.category or None,
                timestamp=completion.completed_at,
            )
    except IntegrityError:  # a double click raced us; the first one counts
        return Completion.objects.get(unit=unit, member=membership)
    return completion


def _reading_blocks_done(*, unit: Unit, membership: Membership, kinds, at) -> None:
    done = BlockProgress.objects.filter(
        member=membership, version_id=unit.live_version_id, done_at__isnull=False
    ).values_list("block_id", flat=True)
    for block in Block.objects.filter(version_id=unit.live_version_id, kind__in=kinds).exclude(
        id__in=list(done)
    ):
        BlockProgress.objects.update_or_create(
            organisation_id=unit.organisation_id,
            member=membership,
            block=block,
            defaults={"version_id": unit.live_version_id, "done_at": at, "updated_at": at},
        )


ERROR_COVER_ALT_REQUIRED = _(
    "Describe the cover image for people who cannot see it (what matters in it, in a sentence)."
)
ERROR_TAG_OTHER_ORGANISATION = _("That skill or work process belongs to another organisation.")
ERROR_ARCHIVED_UNCHANGED = _("An archived unit cannot be changed. Restore it to a draft first.")
COPY_SUFFIX = _("(copy)")


def version_details_update(
    *,
    unit: Unit,
    by: Membership,
    title: str,
    summary: str = "",
    language: str,
    estimated_minutes: int,
    category: str,
    pass_mark: int = 0,
    cover_image: Any = None,
    cover_alt: str = "",
    remove_cover: bool = False,
    skills: Iterable[Skill] = (),
    work_processes: Iterable[WorkProcess] = (),
) -> UnitVersion:
    """Change the draft's details, tags and cover (a published unit gets a new draft first).

    Without a new ``cover_image`` the draft keeps its cover unless ``remove_cover``;
    a cover needs a description. The old file stays: a published version may show it.
    """
    from ..blocks import image_file_clean

    if unit.status == Unit.Status.ARCHIVED:
        raise ValidationError(ERROR_ARCHIVED_UNCHANGED)
    skills, work_processes = list(skills), list(work_processes)
    if any(tag.organisation_id != unit.organisation_id for tag in [*skills, *work_processes]):
        raise ValidationError(ERROR_TAG_OTHER_ORGANISATION)
    errors: dict[str, Any] = {}
    if cover_image:
        try:
            image_file_clean(cover_image)
        except ValidationError as exc:
            errors["cover_image"] = exc
    with transaction.atomic():
        draft = unit_draft(unit=unit, by=by)
        if cover_image:
            draft.cover_image = cover_image
        elif remove_cover:
            draft.cover_image = ""
        cover_alt = (cover_alt or "").strip()
        if draft.cover_image and not cover_alt:
            errors["cover_alt"] = ERROR_COVER_ALT_REQUIRED
        if errors:
            raise ValidationError(errors)
        draft.title = title.strip()
        draft.summary = summary.strip()
        draft.language = language
        draft.estimated_minutes = estimated_minutes
        draft.category = category
        draft.pass_mark = pass_mark
        draft.cover_alt = cover_alt if draft.cover_image else ""
        draft.full_clean(exclude=["cover_image"])
        draft.save()
        UnitVersionSkill.objects.filter(version=draft).exclude(skill__in=skills).delete()
        have = set(
            UnitVersionSkill.objects.filter(version=draft).values_list("skill_id", flat=True)
        )
        UnitVersionSkill.objects.bulk_create(
            UnitVersionSkill(organisation_id=unit.organisation_id, version=draft, skill=skill)
            for skill in skills
            if skill.pk not in have
        )
        UnitVersionWorkProcess.objects.filter(version=draft).exclude(
            work_process__in=work_processes
        ).delete()
        have = set(
            UnitVersionWorkProcess.objects.filter(version=draft).values_list(
                "work_process_id", flat=True
            )
        )
        UnitVersionWorkProcess.objects.bulk_create(
            UnitVersionWorkProcess(
                organisation_id=unit.organisation_id, version=draft, work_process=process
            )
            for process in work_processes
            if process.pk not in have
        )
        unit.updated_at = timezone.now()
        update_fields = ["updated_at"]
        if unit.live_version_id is None:
            unit.title = draft.title
            update_fields.append("title")
        unit.save(update_fields=update_fields)
        audit_log_record(actor=by, action="unit.updated", obj=unit, data={"version": draft.number})
    return draft


def unit_duplicate(*, unit: Unit, by: Membership) -> Unit:
    """A new draft unit with the content of ``unit``'s draft (or its live version), titled “(copy)”.

    Assignments, completions and ratings stay with the original.
    """
    source = unit.draft_version or unit.live_version
    if source is None:  # pragma: no cover - every unit is created with a draft
        raise ValidationError(ERROR_NO_CONTENT)
    title = f"{source.title} {COPY_SUFFIX}"[: Unit._meta.get_field("title").max_length]
    with transaction.atomic():
        copy = Unit(organisation_id=unit.organisation_id, title=title, author=by)
        copy.full_clean(exclude=["live_version", "draft_version"])
        copy.save()
        version = version_copy(source=source, unit=copy, by=by)
        version.title = title
        version.save(update_fields=["title"])
        copy.draft_version = version
        copy.save(update_fields=["draft_version"])
        audit_log_record(actor=by, action="unit.created", obj=copy, data={"copied_from": unit.pk})
        audit_log_record(actor=by, action="unit.duplicated", obj=unit, data={"copy": copy.pk})
    return copy
