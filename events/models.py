"""Learning events: what learners did, append-only and shaped like xAPI statements."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from organisations.models import Membership, Organisation, TenantManager

from .verbs import Verb


class LearningEvent(models.Model):
    """actor, verb, object, result, context, timestamp: what a learner did. Never updated."""

    Verb = Verb

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
        # The table (with its data and row-level security) was made by analytics,
        # where the model lived first; the model moved, the table stayed.
        db_table = "analytics_learningevent"
        indexes = [
            models.Index(fields=["organisation", "id"], name="event_org_id"),
            models.Index(fields=["organisation", "timestamp"], name="event_org_time"),
            models.Index(fields=["organisation", "actor", "verb"], name="event_org_actor_verb"),
        ]
