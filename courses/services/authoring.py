"""Writes for L&D authors: trajectories, their versions, and the steps in them.

Versions work as units' do: a published version is never edited again. The
first change to a published trajectory starts a draft that copies the live
version's steps with their keys, so a step keeps its identity from version to
version and moving enrolments on can map what was done by key.

Steps are checked per kind in ``step_clean``: the errors come back keyed by
field, so a form or the API puts each next to its field, and nothing is saved
when one of them fails.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from microlearning.selectors.units import published_units
from organisations.models import Membership, Skill
from organisations.services import audit_log_record

from ..models import Step, StepRequirement, StepSkill, Trajectory, TrajectoryVersion

ERROR_INVALID_TRANSITION = _("A trajectory cannot go from “%(old)s” to “%(new)s”.")
ERROR_ARCHIVED_UNCHANGED = _(
    "An archived trajectory cannot be changed. Restore it to a draft first."
)
ERROR_NO_STEPS = _("Add at least one step before you publish the trajectory.")
ERROR_UNIT_REQUIRED = _("Choose the microlearning unit this step is about.")
ERROR_UNIT_NOT_PUBLISHED = _("Choose a published unit of your organisation.")
ERROR_URL_REQUIRED = _("Give the link to the online module.")
ERROR_URL_HTTPS = _("The link must start with https://.")
ERROR_SESSION_KIND_REQUIRED = _("Choose what kind of group session this is.")
ERROR_SIGN_OFF_ROLE_REQUIRED = _("Choose the role of the people who sign this step off.")
ERROR_REQUIRES_EARLIER = _("A step can only wait for steps that come before it.")
ERROR_MOVE_BREAKS_ORDER = _(
    "This step cannot move past a step it waits for (or that waits for it). "
    "Change what it waits for first."
)
ERROR_TAG_OTHER_ORGANISATION = _("That skill belongs to another organisation.")
ERROR_DUE_OFFSET_TOO_LONG = _("Keep the due date within %(max)s work days of enrolment.")
ERROR_CHECKLIST = _("A checklist has at most %(max)s items, each under 300 characters.")
ERROR_COVER_ALT_REQUIRED = _(
    "Describe the cover image for people who cannot see it (what matters in it, in a sentence)."
)

# Three years of work days: what ``organisations.workdays`` looks holidays up for.
MAX_DUE_OFFSET_DAYS = 600
CHECKLIST_MAX_ITEMS = 20

# The fields a step's form or API payload may set; the rest belong to the version.
STEP_FIELDS = (
    "kind",
    "title",
    "instructions",
    "category_override",
    "due_offset_days",
    "required",
    "unit",
    "url",
    "session_kind",
    "evidence_text",
    "evidence_files",
    "evidence_checklist",
    "sign_off",
    "sign_off_role",
)


# --- Trajectories and versions ------------------------------------------------------------


def trajectory_create(
    *,
    by: Membership,
    title: str,
    description: str = "",
    audience: str = "",
    self_enrolment: bool = False,
) -> Trajectory:
    """A new trajectory with its first draft version."""
    with transaction.atomic():
        trajectory = Trajectory(
            organisation_id=by.organisation_id, title=title.strip(), created_by=by
        )
        trajectory.full_clean(exclude=["live_version", "draft_version"])
        trajectory.save()
        version = TrajectoryVersion(
            organisation_id=by.organisation_id,
            trajectory=trajectory,
            number=1,
            title=trajectory.title,
            description=description.strip(),
            audience=audience.strip(),
            self_enrolment=self_enrolment,
            created_by=by,
        )
        version.full_clean()
        version.save()
        trajectory.draft_version = version
        trajectory.save(update_fields=["draft_version"])
        audit_log_record(actor=by, action="trajectory.created", obj=trajectory)
    return trajectory


def editing_version(*, trajectory: Trajectory) -> TrajectoryVersion:
    """What the editor shows: the draft if there is one, else the live version."""
    return trajectory.draft_version or trajectory.live_version


def trajectory_draft(*, trajectory: Trajectory, by: Membership) -> TrajectoryVersion:
    """The version the author edits: the open draft, or a new one copied from the live version."""
    # Read again: another request (or another object for the same row) may have started it.
    trajectory.refresh_from_db(fields=["status", "draft_version", "live_version"])
    if trajectory.status == Trajectory.Status.ARCHIVED:
        raise ValidationError(ERROR_ARCHIVED_UNCHANGED)
    if trajectory.draft_version_id is not None:
        return trajectory.draft_version
    with transaction.atomic():
        draft = version_copy(source=trajectory.live_version, trajectory=trajectory, by=by)
        trajectory.draft_version = draft
        trajectory.updated_at = timezone.now()
        trajectory.save(update_fields=["draft_version", "updated_at"])
        audit_log_record(
            actor=by,
            action="trajectory.draft_started",
            obj=trajectory,
            data={"version": draft.number},
        )
    return draft


def version_copy(
    *, source: TrajectoryVersion, trajectory: Trajectory, by: Membership
) -> TrajectoryVersion:
    """A new, unpublished version with the details and steps of ``source`` (keys kept)."""
    number = (trajectory.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    organisation_id = trajectory.organisation_id
    copy = TrajectoryVersion.objects.create(
        organisation_id=organisation_id,
        trajectory=trajectory,
        number=number,
        title=source.title,
        description=source.description,
        audience=source.audience,
        cover_image=source.cover_image.name,
        cover_alt=source.cover_alt,
        self_enrolment=source.self_enrolment,
        created_by=by,
    )
    old_steps = list(source.steps.all())
    new_steps = Step.objects.bulk_create(
        Step(
            organisation_id=organisation_id,
            version=copy,
            key=step.key,
            position=step.position,
            **{name: getattr(step, name) for name in STEP_FIELDS if name != "unit"},
            unit_id=step.unit_id,
        )
        for step in old_steps
    )
    new_by_old = {old.pk: new for old, new in zip(old_steps, new_steps, strict=True)}
    StepRequirement.objects.bulk_create(
        StepRequirement(
            organisation_id=organisation_id,
            step=new_by_old[step_id],
            required_step=new_by_old[required_id],
        )
        for step_id, required_id in StepRequirement.objects.filter(
            step__version=source
        ).values_list("step_id", "required_step_id")
    )
    StepSkill.objects.bulk_create(
        StepSkill(organisation_id=organisation_id, step=new_by_old[step_id], skill_id=skill_id)
        for step_id, skill_id in StepSkill.objects.filter(step__version=source).values_list(
            "step_id", "skill_id"
        )
    )
    return copy


def trajectory_details_update(
    *,
    trajectory: Trajectory,
    by: Membership,
    title: str,
    description: str = "",
    audience: str = "",
    self_enrolment: bool = False,
    cover_image: Any = None,
    cover_alt: str = "",
    remove_cover: bool = False,
) -> TrajectoryVersion:
    """Change the draft's details and cover (a published trajectory gets a new draft first).

    The cover passes the same checks as a unit's; a cover needs a description.
    """
    from microlearning.blocks import image_file_clean

    errors: dict[str, Any] = {}
    if cover_image:
        try:
            image_file_clean(cover_image)
        except ValidationError as exc:
            errors["cover_image"] = exc
    with transaction.atomic():
        draft = trajectory_draft(trajectory=trajectory, by=by)
        if cover_image and not errors:
            draft.cover_image = cover_image
        elif remove_cover:
            draft.cover_image = ""
        cover_alt = (cover_alt or "").strip()
        if (draft.cover_image or cover_image) and not cover_alt:
            errors["cover_alt"] = ERROR_COVER_ALT_REQUIRED
        if errors:
            raise ValidationError(errors)
        draft.title = title.strip()
        draft.description = description.strip()
        draft.audience = audience.strip()
        draft.self_enrolment = self_enrolment
        draft.cover_alt = cover_alt if draft.cover_image else ""
        draft.full_clean(exclude=["cover_image"])
        draft.save()
        _touch(trajectory, title=draft.title)
        audit_log_record(
            actor=by, action="trajectory.updated", obj=trajectory, data={"version": draft.number}
        )
    return draft


def _touch(trajectory: Trajectory, *, title: str | None = None) -> None:
    trajectory.updated_at = timezone.now()
    fields = ["updated_at"]
    if title is not None and trajectory.live_version_id is None:
        trajectory.title = title
        fields.append("title")
    trajectory.save(update_fields=fields)


def _check_transition(trajectory: Trajectory, new: Trajectory.Status) -> bool:
    old = Trajectory.Status(trajectory.status)
    if new == old:
        return False
    if new not in Trajectory.TRANSITIONS[old]:
        raise ValidationError(ERROR_INVALID_TRANSITION, params={"old": old.label, "new": new.label})
    return True


def trajectory_set_status(*, trajectory: Trajectory, by: Membership, status: str) -> Trajectory:
    """The one place a trajectory's status changes: same status is a no-op, a wrong move raises."""
    new = Trajectory.Status(status)
    if new == Trajectory.Status.PUBLISHED:
        return trajectory_publish(trajectory=trajectory, by=by)
    if not _check_transition(trajectory, new):
        return trajectory
    trajectory.status = new
    trajectory.updated_at = timezone.now()
    trajectory.save(update_fields=["status", "updated_at"])
    audit_log_record(actor=by, action=f"trajectory.{new.value}", obj=trajectory)
    return trajectory


def trajectory_publish(*, trajectory: Trajectory, by: Membership) -> Trajectory:
    """Publish the draft: new enrolments get it; enrolments in progress keep their version.

    Publishing a published trajectory without a draft changes nothing.
    """
    moves = _check_transition(trajectory, Trajectory.Status.PUBLISHED)
    version = trajectory.draft_version or (trajectory.live_version if moves else None)
    if version is None:
        return trajectory
    if not version.steps.exists():
        raise ValidationError(ERROR_NO_STEPS)
    now = timezone.now()
    with transaction.atomic():
        if version.published_at is None:
            version.published_at = now
            version.save(update_fields=["published_at"])
        trajectory.status = Trajectory.Status.PUBLISHED
        trajectory.live_version = version
        trajectory.draft_version = None
        trajectory.title = version.title
        trajectory.published_at = now
        trajectory.updated_at = now
        trajectory.save(
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
            actor=by,
            action="trajectory.published",
            obj=trajectory,
            data={"version": version.number},
        )
    return trajectory


def trajectory_archive(*, trajectory: Trajectory, by: Membership) -> Trajectory:
    return trajectory_set_status(trajectory=trajectory, by=by, status=Trajectory.Status.ARCHIVED)


def trajectory_restore(*, trajectory: Trajectory, by: Membership) -> Trajectory:
    return trajectory_set_status(trajectory=trajectory, by=by, status=Trajectory.Status.DRAFT)


# --- Steps ----------------------------------------------------------------------------------


def _https(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "https" and bool(parts.netloc)


def step_clean(
    *,
    version: TrajectoryVersion,
    step: Step,
    requires: Iterable[Step],
    skills: Iterable[Skill],
) -> None:
    """Check ``step`` for its kind; raise one ``ValidationError`` keyed by field."""
    errors: dict[str, list] = {}

    def add(name: str, message, **params) -> None:
        errors.setdefault(name, []).append(ValidationError(message, params=params or None))

    kind = step.kind
    if kind == Step.Kind.UNIT:
        if step.unit_id is None:
            add("unit", ERROR_UNIT_REQUIRED)
        elif (
            not published_units(organisation=version.organisation).filter(pk=step.unit_id).exists()
        ):
            add("unit", ERROR_UNIT_NOT_PUBLISHED)
    else:
        step.unit = None
    if kind == Step.Kind.EXTERNAL:
        step.url = (step.url or "").strip()
        if not step.url:
            add("url", ERROR_URL_REQUIRED)
        elif not _https(step.url):
            add("url", ERROR_URL_HTTPS)
    else:
        step.url = ""
    if kind == Step.Kind.SESSION:
        if not step.session_kind:
            add("session_kind", ERROR_SESSION_KIND_REQUIRED)
    else:
        step.session_kind = ""
    if step.sign_off == Step.SignOff.ROLE:
        if not step.sign_off_role:
            add("sign_off_role", ERROR_SIGN_OFF_ROLE_REQUIRED)
    else:
        step.sign_off_role = ""
    if step.due_offset_days is not None and step.due_offset_days > MAX_DUE_OFFSET_DAYS:
        add("due_offset_days", ERROR_DUE_OFFSET_TOO_LONG, max=MAX_DUE_OFFSET_DAYS)
    checklist = [str(item).strip() for item in (step.evidence_checklist or []) if str(item).strip()]
    if len(checklist) > CHECKLIST_MAX_ITEMS or any(len(item) > 300 for item in checklist):
        add("evidence_checklist", ERROR_CHECKLIST, max=CHECKLIST_MAX_ITEMS)
    step.evidence_checklist = checklist
    for required in requires:
        if required.version_id != version.pk or (
            step.pk is not None and required.position >= step.position
        ):
            add("requires", ERROR_REQUIRES_EARLIER)
            break
    if any(skill.organisation_id != version.organisation_id for skill in skills):
        add("skills", ERROR_TAG_OTHER_ORGANISATION)
    try:
        step.full_clean(exclude=["version", "unit"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _draft_step(*, step: Step, by: Membership) -> tuple[TrajectoryVersion, Step]:
    """The draft's copy of ``step`` (a published trajectory gets a draft first, keys kept)."""
    trajectory = step.version.trajectory
    draft = trajectory_draft(trajectory=trajectory, by=by)
    if step.version_id == draft.pk:
        return draft, step
    return draft, Step.objects.select_related("version").get(version=draft, key=step.key)


def _in_version(steps: Iterable[Step], version: TrajectoryVersion) -> list[Step]:
    """The steps of ``version`` that match ``steps`` by key (the author saw another version)."""
    keys = {s.key for s in steps}
    return list(Step.objects.filter(version=version, key__in=keys)) if keys else []


def _step_relations(step: Step, *, requires: Iterable[Step], skills: Iterable[Skill]) -> None:
    organisation_id = step.organisation_id
    StepRequirement.objects.filter(step=step).delete()
    StepRequirement.objects.bulk_create(
        StepRequirement(organisation_id=organisation_id, step=step, required_step=required)
        for required in requires
    )
    StepSkill.objects.filter(step=step).delete()
    StepSkill.objects.bulk_create(
        StepSkill(organisation_id=organisation_id, step=step, skill=skill) for skill in skills
    )


def step_add(
    *,
    trajectory: Trajectory,
    by: Membership,
    requires: Iterable[Step] = (),
    skills: Iterable[Skill] = (),
    **fields: Any,
) -> Step:
    """Add a step at the end of the draft; checked for its kind, nothing saved on an error."""
    with transaction.atomic():
        draft = trajectory_draft(trajectory=trajectory, by=by)
        requires = _in_version(list(requires), draft)
        skills = list(skills)
        top = draft.steps.aggregate(top=Max("position"))["top"] or 0
        step = Step(organisation_id=trajectory.organisation_id, version=draft, position=top + 1)
        for name, value in fields.items():
            if name in STEP_FIELDS:
                setattr(step, name, value)
        step_clean(version=draft, step=step, requires=requires, skills=skills)
        step.save()
        _step_relations(step, requires=requires, skills=skills)
        _touch(trajectory)
        audit_log_record(
            actor=by,
            action="trajectory.step_added",
            obj=trajectory,
            data={"step": str(step.key), "kind": step.kind},
        )
    return step


def step_update(
    *,
    step: Step,
    by: Membership,
    requires: Iterable[Step] | None = None,
    skills: Iterable[Skill] | None = None,
    **fields: Any,
) -> Step:
    """Change a step (of the draft; a live step's draft copy). ``None``: relations unchanged."""
    with transaction.atomic():
        draft, step = _draft_step(step=step, by=by)
        requires = (
            list(step.requirements.values_list("required_step", flat=True))
            if requires is None
            else requires
        )
        if requires and not isinstance(next(iter(requires)), Step):
            requires = list(Step.objects.filter(pk__in=requires))
        requires = _in_version(list(requires), draft)
        skills = list(
            Skill.objects.filter(pk__in=StepSkill.objects.filter(step=step).values("skill_id"))
            if skills is None
            else skills
        )
        for name, value in fields.items():
            if name in STEP_FIELDS:
                setattr(step, name, value)
        step_clean(version=draft, step=step, requires=requires, skills=skills)
        step.save()
        _step_relations(step, requires=requires, skills=skills)
        _touch(step.version.trajectory)
        audit_log_record(
            actor=by,
            action="trajectory.step_updated",
            obj=step.version.trajectory,
            data={"step": str(step.key)},
        )
    return step


def step_move(*, step: Step, by: Membership, direction: str) -> Step:
    """Swap a step with its neighbour ("up" or "down"); refused past a step it waits for."""
    with transaction.atomic():
        draft, step = _draft_step(step=step, by=by)
        steps = list(draft.steps.order_by("position", "id"))
        index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
        other_index = index - 1 if direction == "up" else index + 1
        if not 0 <= other_index < len(steps):
            return step
        other = steps[other_index]
        first, second = (other, step) if direction == "up" else (step, other)
        # ``second`` comes before ``first`` afterwards: it must not wait for ``first``.
        if StepRequirement.objects.filter(step=second, required_step=first).exists():
            raise ValidationError(ERROR_MOVE_BREAKS_ORDER)
        steps[index], steps[other_index] = steps[other_index], steps[index]
        for position, s in enumerate(steps, start=1):
            s.position = position
        Step.objects.bulk_update(steps, ["position"])
        _touch(draft.trajectory)
        audit_log_record(
            actor=by,
            action="trajectory.step_moved",
            obj=draft.trajectory,
            data={"step": str(step.key), "direction": direction},
        )
    step.refresh_from_db()
    return step


def step_remove(*, step: Step, by: Membership) -> None:
    """Remove a step from the draft; steps that waited for it no longer do."""
    with transaction.atomic():
        draft, step = _draft_step(step=step, by=by)
        key = step.key
        step.delete()
        for position, s in enumerate(draft.steps.order_by("position", "id"), start=1):
            if s.position != position:
                s.position = position
                s.save(update_fields=["position"])
        _touch(draft.trajectory)
        audit_log_record(
            actor=by,
            action="trajectory.step_removed",
            obj=draft.trajectory,
            data={"step": str(key)},
        )
