"""Writes for content packages: importing one as a unit, and a learner's attempts at it.

Importing checks the whole zip first (``packages.inspection``), then stores its files
under the organisation's prefix in the default storage and makes a draft unit with
one package block per SCO, through microlearning's own services. If anything fails
after the first file is written, the files written so far are removed again.

An attempt is one learner's run of one SCO. The runtime in the browser commits the
elements the SCO set; ``attempt_commit`` checks each against the data model again,
keeps them, and once the SCO reports completed or passed marks the block done
through microlearning's completion service (so the unit, its learning event and the
trajectory step that holds it follow).
"""

from __future__ import annotations

import zipfile
import zlib
from typing import IO

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from microlearning.services import blocks as block_services
from microlearning.services import learning as learning_services
from microlearning.services import units as unit_services
from organisations.models import Membership
from organisations.services import audit_log_record

from . import runtime
from .inspection import ERROR_BROKEN_ZIP, package_inspect, safe_name
from .models import ContentPackage, PackageAttempt

TOKEN_SALT = "packages.attempt"
# A launch link lasts a working day; the unit page makes a fresh one at every visit.
TOKEN_MAX_AGE = 12 * 3600

ERROR_STORAGE = _("The package could not be stored. Try again, or ask your administrator.")
ERROR_BAD_COMMIT = _("The package sent a value the SCORM data model does not allow.")


class BadToken(Exception):
    """A launch token that is not ours, expired, or names an attempt that is gone."""


# --- import ---------------------------------------------------------------------------------


def _store_files(*, package: ContentPackage, archive, members) -> list[str]:
    """Stream each member into storage; zipfile stops at its declared size and checks its CRC."""
    stored: list[str] = []
    try:
        for info in members:
            target = package.storage_prefix + safe_name(info.filename)
            try:
                with archive.open(info) as handle:
                    content = File(handle)
                    # Said here: Django would otherwise take a file of the member's
                    # name on this machine's disk for its size.
                    content.size = info.file_size
                    saved = default_storage.save(target, content)
            except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
                # The storage may have kept what it wrote before the CRC check failed;
                # the folder is this import's own, so the name is nobody else's file.
                default_storage.delete(target)
                raise ValidationError(ERROR_BROKEN_ZIP) from exc
            stored.append(saved)
            if saved != target:  # a storage that renames would break the package's links
                raise ValidationError(ERROR_STORAGE)
    except Exception:
        for name in stored:
            default_storage.delete(name)
        raise
    return stored


def package_import(
    *, by: Membership, upload: IO[bytes], size: int | None, title: str = ""
) -> ContentPackage:
    """Check the zip, store its files, and make a draft unit that plays each SCO in a block."""
    archive, inspected = package_inspect(upload, size=size)
    title = (title or inspected.title).strip()[:200] or "SCORM"
    stored: list[str] = []
    try:
        with transaction.atomic():
            package = ContentPackage.objects.create(
                organisation_id=by.organisation_id,
                standard=inspected.standard,
                schema_version=inspected.schema_version,
                identifier=inspected.identifier,
                title=title,
                launchables=[
                    {"identifier": sco.identifier, "title": sco.title, "href": sco.href}
                    for sco in inspected.launchables
                ],
                file_count=len(inspected.members),
                unpacked_bytes=inspected.unpacked_bytes,
                uploaded_by=by,
            )
            stored = _store_files(package=package, archive=archive, members=inspected.members)
            unit = unit_services.unit_create(by=by, title=title)
            for sco in inspected.launchables:
                block_services.block_add(
                    unit=unit,
                    kind="package",
                    data={
                        "package": package.pk,
                        "standard": package.standard,
                        "sco": sco.identifier,
                        "title": sco.title,
                    },
                    by=by,
                    imported=True,
                )
            package.unit_id = unit.pk
            package.save(update_fields=["unit_id"])
            audit_log_record(
                actor=by,
                action="package.imported",
                obj=package,
                data={"unit": unit.pk, "standard": package.standard, "files": package.file_count},
            )
    except Exception:
        for name in stored:
            default_storage.delete(name)
        raise
    return package


# --- attempts -------------------------------------------------------------------------------


def attempt_token(attempt: PackageAttempt) -> str:
    """The signed, unguessable part of the launch URL: organisation, attempt and its key."""
    return signing.dumps([attempt.organisation_id, attempt.pk, attempt.key], salt=TOKEN_SALT)


def token_read(token: str) -> tuple[int, int, str]:
    """(organisation id, attempt id, key) from a launch token; ``BadToken`` otherwise."""
    try:
        organisation_id, attempt_id, key = signing.loads(
            token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE
        )
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise BadToken from exc
    if not isinstance(organisation_id, int) or not isinstance(attempt_id, int):
        raise BadToken
    return organisation_id, attempt_id, str(key)


def attempt_open(*, package: ContentPackage, block, membership: Membership) -> PackageAttempt:
    """This learner's attempt at the block's SCO: the one they left, or a new one."""
    mine = {"organisation_id": membership.organisation_id, "member": membership, "block": block}
    attempt = PackageAttempt.objects.filter(**mine).first()
    if attempt is not None:
        return attempt
    try:
        with transaction.atomic():
            return PackageAttempt.objects.create(
                **mine, package=package, sco=str(block.data.get("sco", ""))
            )
    except IntegrityError:  # two tabs opened it at once; the first one counts
        return PackageAttempt.objects.get(**mine)


def launch_values(*, attempt: PackageAttempt, membership: Membership) -> dict[str, str]:
    """Every element the SCO may read when it starts, stored ones and the LMS's own."""
    standard = attempt.package.standard
    stored = dict(attempt.cmi)
    resumed = attempt.sessions > 0 and attempt.exit == "suspend"
    name = str(membership.user)
    total = runtime.duration_text(standard, attempt.total_seconds)
    if standard == "scorm12":
        own = {
            "cmi.core.student_id": str(membership.pk),
            "cmi.core.student_name": name,
            "cmi.core.credit": "credit",
            "cmi.core.lesson_mode": "normal",
            "cmi.core.entry": "resume" if resumed else ("" if attempt.sessions else "ab-initio"),
            "cmi.core.total_time": total,
            "cmi.core.lesson_status": "not attempted",
            "cmi.core.lesson_location": "",
            "cmi.core.score.raw": "",
            "cmi.core.score.min": "",
            "cmi.core.score.max": "",
            "cmi.suspend_data": "",
            "cmi.launch_data": "",
            "cmi.comments": "",
            "cmi.comments_from_lms": "",
        }
    else:
        own = {
            "cmi.learner_id": str(membership.pk),
            "cmi.learner_name": name,
            "cmi.credit": "credit",
            "cmi.mode": "normal",
            "cmi.entry": "resume" if resumed else ("" if attempt.sessions else "ab-initio"),
            "cmi.total_time": total,
            "cmi.completion_status": "unknown",
            "cmi.success_status": "unknown",
            "cmi.location": "",
            "cmi.suspend_data": "",
            "cmi.launch_data": "",
        }
    return {**own, **runtime.CHILDREN[standard], **stored}


def attempt_commit(
    *, attempt: PackageAttempt, values: object, finish: bool, membership: Membership
) -> PackageAttempt:
    """Keep what the SCO set; a session that ends adds its time to the total.

    Every element is checked against the data model in order, against the values
    before it, exactly as the browser's runtime did; one bad value refuses the whole
    commit (nothing half-stored).
    """
    if not isinstance(values, dict) or len(values) > 5000:
        raise ValidationError(ERROR_BAD_COMMIT)
    standard = attempt.package.standard
    with transaction.atomic():
        attempt = PackageAttempt.objects.select_for_update().get(pk=attempt.pk)
        cmi = dict(attempt.cmi)
        session: dict[str, str] = {}
        for name, value in values.items():
            if runtime.set_error(standard, name, value, cmi) != "0":
                raise ValidationError(ERROR_BAD_COMMIT)
            if name in runtime.SESSION_ONLY:
                session[name.rsplit(".", 1)[-1]] = value
            else:
                cmi[name] = value
        now = timezone.now()
        attempt.cmi = cmi
        completion, success = runtime.statuses(standard, cmi)
        attempt.completion_status, attempt.success_status = completion, success
        prefix = "cmi.core." if standard == "scorm12" else "cmi."
        attempt.location = cmi.get(
            prefix + ("lesson_location" if standard == "scorm12" else "location"), ""
        )[:1000]
        attempt.suspend_data = cmi.get("cmi.suspend_data", "")
        attempt.score_raw = _number(cmi.get(prefix + "score.raw"))
        attempt.score_scaled = _number(cmi.get("cmi.score.scaled"))
        if "session_time" in session:
            attempt.session_seconds = runtime.duration_seconds(standard, session["session_time"])
        if "exit" in session:
            attempt.exit = session["exit"]
        if finish:
            attempt.total_seconds += attempt.session_seconds
            attempt.session_seconds = 0
            attempt.sessions += 1
        attempt.updated_at = now
        newly_done = runtime.counts_as_done(completion, success) and attempt.completed_at is None
        if newly_done:
            attempt.completed_at = now
        attempt.save()
        if newly_done:
            result = {"completion": completion, "success": success}
            if attempt.score_raw is not None:
                result["score"] = attempt.score_raw
            try:
                with transaction.atomic():
                    learning_services.package_block_done(
                        block=attempt.block, membership=membership, result=result
                    )
            except ValidationError:
                # The unit has a newer version (or was archived) since the learner
                # started: their data is kept, the old block no longer counts.
                pass
    return attempt


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None
