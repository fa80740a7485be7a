"""Rollups computed from the learning events (``events``), and how far they have read."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Membership, Organisation, Team, TenantManager


class TeamDailyCount(models.Model):
    """Events per member, day and verb, with the member's team: the per-team daily rollup.

    The team is the member's team when the events were rolled up; it is not part of
    the key, so a member who moves team keeps one row per day.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    # A deleted team leaves its history: the counts stay, without a team.
    team = models.ForeignKey(Team, null=True, on_delete=models.SET_NULL, related_name="+")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    verb = models.CharField(max_length=40)
    count = models.PositiveIntegerField(default=0)

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "member", "day", "verb"], name="teamdailycount_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "team", "day"], name="teamdaily_org_team_day")
        ]


class RollupCheckpoint(models.Model):
    """How far a rollup has read the event log: a crashed run is redone, not double counted."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=60)
    last_event_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="rollupcheckpoint_unique"
            ),
        ]


class ExportJob(models.Model):
    """One HR export (CSV, XLSX or PDF) and how far it got: the database is the record.

    The row is the job's outbox: created queued in the request's transaction, its
    task published after that commits. A worker claims it (queued → running) with
    a lease it renews as it writes; the sweeper puts a running job whose lease ran
    out back to queued and publishes it again, so a killed worker costs a restart,
    never the export. ``TRANSITIONS`` is the only place moves are allowed.
    """

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"
        PDF = "pdf", "PDF"

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        EXPIRED = "expired", _("expired")

    TRANSITIONS = {
        Status.QUEUED: {Status.RUNNING, Status.FAILED},
        # Back to queued: the lease ran out (a worker died); the sweeper restarts it.
        Status.RUNNING: {Status.DONE, Status.FAILED, Status.QUEUED},
        Status.DONE: {Status.EXPIRED},
        Status.FAILED: set(),
        Status.EXPIRED: set(),
    }

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    format = models.CharField(max_length=8, choices=Format.choices)
    parameters = models.JSONField(default=dict, blank=True)  # the report's filters
    language = models.CharField(max_length=8, default="nl")  # the page's, when requested
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    # Relative to the default storage, under the organisation's prefix (org-<id>/exports/).
    file_path = models.CharField(max_length=300, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)
    # Each claim counts one; the attempt number is the running worker's token.
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager()

    class Meta:
        indexes = [
            models.Index(
                fields=["organisation", "status", "created_at"], name="exportjob_org_status"
            ),
            models.Index(
                fields=["organisation", "requested_by", "-created_at"], name="exportjob_org_member"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress_done__lte=models.F("progress_total"))
                | models.Q(progress_total=0),
                name="exportjob_progress_within_total",
            ),
        ]

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
