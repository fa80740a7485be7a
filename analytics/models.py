"""Rollups computed from the learning events (``events``), and how far they have read."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

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
