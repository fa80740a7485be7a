"""Skills and work processes: the named lists units are attached to."""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.utils.translation import gettext_lazy as _

from ..models import Membership, Skill, WorkProcess
from ..selectors import TAG_CHOICES_SECONDS, tag_choices_new_stamp, tag_choices_stamp_key
from .audit import audit_log_record
from .checks import name_free_check

# Errors (module constants, so tests and pages share one wording)
ERROR_IN_USE = _("This is still in use, so it cannot be deleted.")


def tag_choices_forget(*, organisation_id: int) -> None:
    """The organisation's cached skill and work process choices are stale: new stamp.

    At once, so the writing request itself (and a test, whose transaction never commits)
    reads the change, and again after commit, so a reader that cached the list between
    the write and the commit (it could not see the write yet) is not believed either.
    Called for every write by ``organisations.signals``.
    """

    def renew() -> None:
        cache.set(
            tag_choices_stamp_key(organisation_id), tag_choices_new_stamp(), TAG_CHOICES_SECONDS
        )

    renew()
    transaction.on_commit(renew)


def _named_save(obj: Skill | WorkProcess, *, by: Membership, action: str) -> None:
    name_free_check(type(obj), obj=obj, by=by, name=obj.name)
    obj.full_clean()
    obj.save()
    audit_log_record(actor=by, action=action, obj=obj, data={"name": obj.name})


def _named_delete(obj: Skill | WorkProcess, *, by: Membership, action: str) -> None:
    try:
        with transaction.atomic():
            audit_log_record(actor=by, action=action, obj=obj, data={"name": obj.name})
            obj.delete()
    except ProtectedError:
        raise ValidationError(ERROR_IN_USE) from None


def skill_create(*, by: Membership, name: str, description: str = "") -> Skill:
    skill = Skill(organisation_id=by.organisation_id, name=name, description=description)
    _named_save(skill, by=by, action="skill.created")
    return skill


def skill_update(*, skill: Skill, by: Membership, name: str, description: str) -> Skill:
    skill.name, skill.description = name, description
    _named_save(skill, by=by, action="skill.updated")
    return skill


def skill_delete(*, skill: Skill, by: Membership) -> None:
    _named_delete(skill, by=by, action="skill.deleted")


def work_process_create(*, by: Membership, name: str, description: str = "") -> WorkProcess:
    process = WorkProcess(organisation_id=by.organisation_id, name=name, description=description)
    _named_save(process, by=by, action="work_process.created")
    return process


def work_process_update(
    *, work_process: WorkProcess, by: Membership, name: str, description: str
) -> WorkProcess:
    work_process.name, work_process.description = name, description
    _named_save(work_process, by=by, action="work_process.updated")
    return work_process


def work_process_delete(*, work_process: WorkProcess, by: Membership) -> None:
    _named_delete(work_process, by=by, action="work_process.deleted")
