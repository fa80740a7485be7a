"""Learning events (append-only, xAPI-shaped) and the rollups computed from them."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Membership, Organisation, Team, TenantManager


class LearningEvent(models.Model):
    """actor, verb, object, result, context, timestamp: what a learner did. Never updated."""

    class Verb(models.TextChoices):
        VIEWED = "viewed", _("viewed")
        COMPLETED = "completed", _("completed")
        ANSWERED = "answered", _("answered")
        REFLECTED = "reflected", _("reflected")
        COMMITTED = "committed", _("committed to apply")
        APPLIED = "applied", _("applied")
        RATED = "rated", _("rated")
        ASSIGNED = "assigned", _("assigned")
        NUDGE_SENT = "nudge_sent", _("nudge sent")
        NUDGE_OPENED = "nudge_opened", _("nudge opened")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    verb = models.CharField(max_length=40, choices=Verb.choices)
    object_type = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    result = models.JSONField(default=dict, blank=True)
    context = models.JSONField(default=dict, blank=True)
    timestamp = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "id"], name="event_org_id"),
            models.Index(fields=["organisation", "timestamp"], name="event_org_time"),
            models.Index(fields=["organisation", "actor", "verb"], name="event_org_actor_verb"),
        ]


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
