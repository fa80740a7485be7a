"""The export job's lifecycle: start, claim, run with a heartbeat, finish; sweep and expire.

How an export travels
    queued --(worker claims, lease)--> running --> done --(kept hours pass)--> expired
                                          |\\--> failed (the writer raised, or too many restarts)
                                          \\--(lease ran out: the worker died)--> queued

* The ``ExportJob`` row is the record and the outbox: it is created queued in the
  request's transaction and its task is published only after that commits. A
  broker that is down, or a message lost with it, costs a delay: the sweeper
  publishes queued jobs that no worker took.
* A worker claims the job (queued → running, ``attempts`` + 1) in a short
  transaction; the attempt number is its token. It reads the report in one
  transaction, then writes the file outside any, renewing its lease with each
  progress write (a statement that only matches its own attempt). When that
  matches nothing, the sweeper gave the job to another worker: this one stops.
* The sweeper (beat, every minute) puts a running job whose lease ran out back to
  queued and publishes it again: a killed worker's export is restarted from the
  beginning (the writers are not resumable; an export takes seconds). After
  ``EXPORT_MAX_ATTEMPTS`` claims it is failed, with the reason kept and shown.
* Finished files live under the organisation's prefix, ``org-<id>/exports/<job>/``,
  in the default storage; the sweeper deletes them when they expire.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import time
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify

from organisations.models import Membership, Organisation
from organisations.services import audit_log_record
from organisations.tenancy import organisation_scope

from ..models import ExportJob
from .csv_writer import write_csv
from .pdf_writer import write_pdf
from .report import ExportReport
from .source import export_parameters, export_report
from .writers import Writer
from .xlsx_writer import write_xlsx

logger = logging.getLogger(__name__)

LEASE = dt.timedelta(seconds=settings.EXPORT_LEASE_SECONDS)
MAX_ATTEMPTS = settings.EXPORT_MAX_ATTEMPTS
KEEP = dt.timedelta(hours=settings.EXPORT_KEEP_HOURS)
# A queued job younger than this may still be on its way from its own on_commit publish;
# one published this long ago that no worker took was lost with the broker.
SWEEP_AFTER = dt.timedelta(seconds=10)
REPUBLISH_AFTER = dt.timedelta(minutes=5)
# Progress (and the lease with it) is written at most this often: a few statements per
# export, not one per row.
HEARTBEAT_SECONDS = 0.5
ERROR_LENGTH = 2000

WRITERS: dict[str, Writer] = {
    ExportJob.Format.CSV: write_csv,
    ExportJob.Format.XLSX: write_xlsx,
    ExportJob.Format.PDF: write_pdf,
}
CONTENT_TYPES = {
    ExportJob.Format.CSV: "text/csv; charset=utf-8",
    ExportJob.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportJob.Format.PDF: "application/pdf",
}

ILLEGAL_TRANSITION = "An export cannot go from %(source)s to %(target)s."
TOO_MANY_ATTEMPTS = "Stopped %(attempts)s times before it finished; not restarted again."


class IllegalTransition(ValueError):
    pass


class Superseded(Exception):
    """This worker's claim is gone: the sweeper restarted the export elsewhere."""


def export_transition_allowed(*, source: str, target: str) -> bool:
    """Whether the move changes anything; the same status is a no-op, a forbidden move raises."""
    if source == target:
        return False
    if target not in ExportJob.TRANSITIONS[ExportJob.Status(source)]:
        raise IllegalTransition(ILLEGAL_TRANSITION % {"source": source, "target": target})
    return True


def export_transition(
    *,
    organisation_id: int,
    export_id: int,
    source: str,
    target: str,
    attempt: int | None = None,
    **changes,
) -> bool:
    """Move the job from ``source`` to ``target`` if it is still there (and, with ``attempt``,
    still that claim's); whether it moved. The only place a status is written."""
    if not export_transition_allowed(source=source, target=target):
        return False
    rows = ExportJob.objects.filter(organisation_id=organisation_id, pk=export_id, status=source)
    if attempt is not None:
        rows = rows.filter(attempts=attempt)
    return rows.update(status=target, **changes) == 1


def export_file_prefix(*, organisation_id: int, export_id: int) -> str:
    return f"org-{organisation_id}/exports/{export_id}/"


def export_filename(job: ExportJob, organisation: Organisation) -> str:
    weeks = export_parameters(job.parameters)["weeks"]
    day = timezone.localdate(job.created_at, organisation.zone).isoformat()
    return f"werkwijs-{slugify(organisation.slug)}-report-{weeks}w-{day}-{job.pk}.{job.format}"


# --- starting -----------------------------------------------------------------------------


def export_start(
    *, membership: Membership, format: str, parameters: dict, language: str
) -> ExportJob:
    """A queued export of the report with ``parameters``; its task is published on commit."""
    job = ExportJob(
        organisation=membership.organisation,
        requested_by=membership,
        format=format,
        parameters=export_parameters(parameters),
        language=language,
    )
    job.full_clean()
    job.save()
    # HR taking the organisation's figures out of the platform is worth a line in the trail.
    audit_log_record(
        actor=membership,
        action="analytics.export_started",
        obj=job,
        data={"format": job.format, "parameters": job.parameters},
    )
    transaction.on_commit(
        partial(export_publish, organisation_id=job.organisation_id, export_id=job.pk),
        robust=True,
    )
    return job


def export_publish(*, organisation_id: int, export_id: int) -> bool:
    """Hand the job to the broker and note when; never raises (the sweeper tries again)."""
    from ..tasks import export_run

    try:
        export_run.apply_async(args=[organisation_id, export_id], retry=False)
    except Exception as exc:  # the broker's errors are many (socket, kombu, redis)
        logger.warning("export %s not published, left for the sweeper: %r", export_id, exc)
        return False
    with organisation_scope(organisation_id):
        ExportJob.objects.filter(
            organisation_id=organisation_id, pk=export_id, status=ExportJob.Status.QUEUED
        ).update(enqueued_at=timezone.now())
    return True


# --- running ------------------------------------------------------------------------------


def _claim(*, organisation_id: int, export_id: int, now: dt.datetime) -> ExportJob | None:
    with organisation_scope(organisation_id):
        job = (
            ExportJob.objects.filter(
                organisation_id=organisation_id, pk=export_id, status=ExportJob.Status.QUEUED
            )
            .select_for_update(skip_locked=True)
            .first()
        )
        if job is None:
            return None
        if job.attempts >= MAX_ATTEMPTS:
            export_transition(
                organisation_id=organisation_id,
                export_id=export_id,
                source=ExportJob.Status.QUEUED,
                target=ExportJob.Status.FAILED,
                error=TOO_MANY_ATTEMPTS % {"attempts": job.attempts},
                finished_at=now,
                lease_until=None,
            )
            logger.error("export %s failed: %s attempts", export_id, job.attempts)
            return None
        job.attempts += 1
        export_transition(
            organisation_id=organisation_id,
            export_id=export_id,
            source=ExportJob.Status.QUEUED,
            target=ExportJob.Status.RUNNING,
            attempts=job.attempts,
            started_at=now,
            lease_until=now + LEASE,
            progress_done=0,
            progress_total=0,
            error="",
        )
        job.status = ExportJob.Status.RUNNING
        return job


class _Heartbeat:
    """Writes the progress and renews the lease, at most every ``HEARTBEAT_SECONDS``."""

    def __init__(self, job: ExportJob, total: int):
        self.job = job
        self.total = total
        self.last = 0.0

    def beat(self, done: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < HEARTBEAT_SECONDS:
            return
        self.last = now
        with organisation_scope(self.job.organisation_id):
            moved = ExportJob.objects.filter(
                organisation_id=self.job.organisation_id,
                pk=self.job.pk,
                status=ExportJob.Status.RUNNING,
                attempts=self.job.attempts,
            ).update(
                progress_done=min(done, self.total),
                progress_total=self.total,
                lease_until=timezone.now() + LEASE,
            )
        if not moved:
            raise Superseded(self.job.pk)


def _build(job: ExportJob) -> tuple[Organisation, ExportReport]:
    with organisation_scope(job.organisation_id), translation.override(job.language):
        organisation = Organisation.objects.get(pk=job.organisation_id)
        return organisation, export_report(organisation=organisation, parameters=job.parameters)


def export_run(*, organisation_id: int, export_id: int) -> str:
    """Claim and write one export; what happened, in a word. Safe to call twice."""
    if not Organisation.objects.filter(pk=organisation_id).exists():
        return "missing"
    job = _claim(organisation_id=organisation_id, export_id=export_id, now=timezone.now())
    if job is None:
        return "not queued"
    stored = ""
    try:
        organisation, report = _build(job)
        heartbeat = _Heartbeat(job, report.row_count)
        heartbeat.beat(0, force=True)
        prefix = export_file_prefix(organisation_id=organisation_id, export_id=export_id)
        _delete_files(prefix)  # what an earlier, interrupted attempt left
        with tempfile.TemporaryDirectory(prefix="werkwijs-export-") as folder:
            path = Path(folder) / export_filename(job, organisation)
            with translation.override(job.language):
                WRITERS[job.format](report, path, progress=heartbeat.beat)
            heartbeat.beat(report.row_count, force=True)
            with open(path, "rb") as handle:
                stored = default_storage.save(prefix + path.name, File(handle))
            size = path.stat().st_size
        now = timezone.now()
        with organisation_scope(organisation_id):
            finished = export_transition(
                organisation_id=organisation_id,
                export_id=export_id,
                source=ExportJob.Status.RUNNING,
                target=ExportJob.Status.DONE,
                attempt=job.attempts,
                file_path=stored,
                file_size=size,
                progress_done=report.row_count,
                progress_total=report.row_count,
                finished_at=now,
                expires_at=now + KEEP,
                lease_until=None,
            )
        if not finished:
            raise Superseded(export_id)
        return "done"
    except Superseded:
        logger.warning("export %s attempt %s was taken over; stopping", export_id, job.attempts)
        if stored:
            default_storage.delete(stored)
        return "superseded"
    except Exception as exc:
        logger.exception("export %s failed", export_id)
        if stored:
            default_storage.delete(stored)
        with organisation_scope(organisation_id):
            export_transition(
                organisation_id=organisation_id,
                export_id=export_id,
                source=ExportJob.Status.RUNNING,
                target=ExportJob.Status.FAILED,
                attempt=job.attempts,
                error=repr(exc)[:ERROR_LENGTH],
                finished_at=timezone.now(),
                lease_until=None,
            )
        return "failed"


# --- the sweeper --------------------------------------------------------------------------


def _delete_files(prefix: str) -> None:
    try:
        _folders, files = default_storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in files:
        default_storage.delete(prefix + name)


def exports_sweep(*, organisation: Organisation, now: dt.datetime) -> dict[str, int]:
    """Restart exports whose worker vanished, publish those no worker took, expire old files.

    Run inside the organisation's scope; publishing happens after the commit.
    """
    counts = {"restarted": 0, "republished": 0, "failed": 0, "expired": 0}
    to_publish: list[int] = []
    lost = list(
        ExportJob.objects.filter(
            organisation=organisation, status=ExportJob.Status.RUNNING, lease_until__lte=now
        )
        .select_for_update(skip_locked=True)
        .values_list("pk", "attempts")
    )
    for export_id, attempts in lost:
        if attempts >= MAX_ATTEMPTS:
            export_transition(
                organisation_id=organisation.pk,
                export_id=export_id,
                source=ExportJob.Status.RUNNING,
                target=ExportJob.Status.FAILED,
                error=TOO_MANY_ATTEMPTS % {"attempts": attempts},
                finished_at=now,
                lease_until=None,
            )
            counts["failed"] += 1
            continue
        if export_transition(
            organisation_id=organisation.pk,
            export_id=export_id,
            source=ExportJob.Status.RUNNING,
            target=ExportJob.Status.QUEUED,
            lease_until=None,
            enqueued_at=None,
        ):
            counts["restarted"] += 1
            to_publish.append(export_id)
    if counts["restarted"] or counts["failed"]:
        logger.warning(
            "organisation %s: exports whose worker vanished: %s restarted, %s failed",
            organisation.pk,
            counts["restarted"],
            counts["failed"],
        )

    waiting = list(
        ExportJob.objects.filter(
            organisation=organisation,
            status=ExportJob.Status.QUEUED,
            created_at__lte=now - SWEEP_AFTER,
        )
        .exclude(enqueued_at__gt=now - REPUBLISH_AFTER)
        .exclude(pk__in=to_publish)
        .values_list("pk", flat=True)
    )
    counts["republished"] = len(waiting)
    to_publish += waiting

    for export_id in ExportJob.objects.filter(
        organisation=organisation, status=ExportJob.Status.DONE, expires_at__lte=now
    ).values_list("pk", flat=True):
        if export_transition(
            organisation_id=organisation.pk,
            export_id=export_id,
            source=ExportJob.Status.DONE,
            target=ExportJob.Status.EXPIRED,
            file_path="",
        ):
            # After the commit: a rolled-back sweep must not leave a done job without its file.
            prefix = export_file_prefix(organisation_id=organisation.pk, export_id=export_id)
            transaction.on_commit(partial(_delete_files, prefix), robust=True)
            counts["expired"] += 1

    for export_id in to_publish:
        transaction.on_commit(
            partial(export_publish, organisation_id=organisation.pk, export_id=export_id),
            robust=True,
        )
    return counts
