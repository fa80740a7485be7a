"""Rollups computed from the learning events (``events``), and how far they have read."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Membership, Organisation, Team, TenantManager


class TeamDailyCount(models.Model):
    """Events per member, day, verb and detail, with the member's team: the per-team daily
    rollup. The detail is what a figure needs beyond the verb, so that no page has to go
    back to the raw events (which retention deletes): a completion's 70:20:10 category, a
    commitment report's status, "first" for a sign-off in the first round (see
    ``analytics.services.rollups.DETAILS``); empty for everything else.

    The team is the member's team when the events were rolled up; it is not part of
    the key, so a member who moves team keeps one row per day.

    Like every rollup table, no database constraints on its foreign keys and no index on
    the organisation alone (see _ObjectDailyCount).
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    # A deleted team leaves its history: the counts stay, without a team. No index on the
    # team alone: (organisation, team, day) serves its reads.
    team = models.ForeignKey(
        Team,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    member = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    day = models.DateField()
    verb = models.CharField(max_length=40)
    detail = models.CharField(max_length=20, blank=True, default="", db_default="")
    count = models.PositiveIntegerField(default=0)
    # Sum of ``context.minutes`` (a unit's estimated minutes, on ``completed``).
    minutes = models.PositiveIntegerField(default=0, db_default=0)

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "member", "day", "verb", "detail"],
                name="teamdailycount_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "team", "day"], name="teamdaily_org_team_day")
        ]


class _ObjectDailyCount(models.Model):
    """Events per object (unit, trajectory or goal), member, day and verb, with the team.

    The object is a plain id, no foreign key: the counts outlive a deleted unit or goal,
    as the events they come from do. The team is the member's team when rolled up.

    No database constraint on organisation, member and team (Django's delete still
    cascades or sets NULL): the rows are derived from events whose organisation and actor
    are checked, and the per-row checks (deferred, at commit) more than doubled the cost of
    folding a batch (measured in bench_rollups). No index on the organisation alone: the
    unique key and (organisation, day) lead with it.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    # No index on the team: every index costs each folded row, and a team's rows are read
    # through (organisation, day) or the unique key, never by team alone.
    team = models.ForeignKey(
        Team,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    member = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    day = models.DateField()
    verb = models.CharField(max_length=40)
    detail = models.CharField(max_length=20, blank=True, default="", db_default="")
    count = models.PositiveIntegerField(default=0)

    objects = TenantManager()

    class Meta:
        abstract = True


class UnitDailyCount(_ObjectDailyCount):
    """Per unit: events about the unit itself or one of its blocks (``context.unit``)."""

    unit_id = models.BigIntegerField()
    # Sum of ``context.minutes`` (the unit's estimated minutes, on ``completed``).
    minutes = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "unit_id", "member", "day", "verb", "detail"],
                name="unitdailycount_unique",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "day"], name="unitdaily_org_day")]


class TrajectoryDailyCount(_ObjectDailyCount):
    """Per trajectory: enrolments and withdrawals, and step events (``context.trajectory``)."""

    trajectory_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "trajectory_id", "member", "day", "verb", "detail"],
                name="trajectorydailycount_unique",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "day"], name="trajectorydaily_org_day")]


class GoalDailyCount(_ObjectDailyCount):
    """Per goal: proposed, agreed, check-ins, achieved (and feedback on a check-in)."""

    goal_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "goal_id", "member", "day", "verb", "detail"],
                name="goaldailycount_unique",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "day"], name="goaldaily_org_day")]


class MemberState(models.Model):
    """Per member, from every event they were the actor of: totals and their last activity.

    What the coaching view reads instead of scanning the log. Counts are all-time; the
    last activity is the latest (by when it happened) event that was something the member
    did, not something done for them (a nudge sent, an enrolment; see ``PASSIVE_VERBS``
    in analytics.services.rollups).
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    # No database constraints (see _ObjectDailyCount), and no single
    # column indexes: the unique key and (organisation, team, last activity) serve reads.
    member = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    team = models.ForeignKey(
        Team,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    events = models.PositiveIntegerField(default=0)
    units_completed = models.PositiveIntegerField(default=0)
    steps_completed = models.PositiveIntegerField(default=0)
    steps_submitted = models.PositiveIntegerField(default=0)
    steps_signed_off = models.PositiveIntegerField(default=0)
    commitments_made = models.PositiveIntegerField(default=0)
    # Reports on commitments: applied, "not yet", and final ones (applied or not relevant).
    commitments_applied = models.PositiveIntegerField(default=0)
    commitments_not_yet = models.PositiveIntegerField(default=0)
    commitments_closed = models.PositiveIntegerField(default=0)
    goals_agreed = models.PositiveIntegerField(default=0)
    goals_achieved = models.PositiveIntegerField(default=0)
    check_ins = models.PositiveIntegerField(default=0)
    nudges_sent = models.PositiveIntegerField(default=0)
    nudges_acted = models.PositiveIntegerField(default=0)  # opened or clicked
    minutes = models.PositiveIntegerField(default=0)  # sum of ``context.minutes``
    last_activity_at = models.DateTimeField(null=True)
    last_activity_verb = models.CharField(max_length=40, blank=True, default="")
    last_activity_object_type = models.CharField(max_length=40, blank=True, default="")
    last_activity_object_id = models.BigIntegerField(null=True)

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "member"], name="memberstate_unique"),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "team", "last_activity_at"], name="memberstate_org_team"
            )
        ]

    @property
    def commitments_open(self) -> int:
        """Made and not yet reported applied or not relevant ("not yet" stays open)."""
        return max(self.commitments_made - self.commitments_closed, 0)


class RollupCheckpoint(models.Model):
    """How far a rollup has read the event log: a crashed run is redone, not double counted."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=60)
    last_event_id = models.BigIntegerField(default=0)
    # ``stored_at`` of that event: the next scan starts a margin before it, so the scan
    # reads a range of (organisation, stored_at) and needs no index on the id.
    last_stored_at = models.DateTimeField(null=True)
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


class EventRetention(models.Model):
    """What the retention task deleted from an organisation's event log, so far.

    Kept so ``rebuild_rollups`` knows a rebuild from the remaining events would lose
    the history only the rollups still hold, and refuses.
    """

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")
    deleted = models.PositiveBigIntegerField(default=0)  # events, in all runs together
    deleted_through_id = models.BigIntegerField(default=0)  # the highest id deleted
    deleted_before = models.DateTimeField(null=True)  # the latest cutoff (event time)
    last_run_at = models.DateTimeField(null=True)

    objects = TenantManager()
