"""Learning events: what learners did, append-only and shaped like xAPI statements."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Now
from django.utils import timezone

from organisations.models import Membership, Organisation, TenantManager

from .verbs import Verb


class LearningEvent(models.Model):
    """actor, verb, object, result, context, timestamp: what a learner did. Never updated."""

    Verb = Verb

    # No single-column foreign key indexes: every index leads with the organisation, then
    # time, so the table can be partitioned by month without changing a query.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    actor = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    verb = models.CharField(max_length=40, choices=Verb.choices)
    object_type = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    result = models.JSONField(default=dict, blank=True)
    context = models.JSONField(default=dict, blank=True)
    timestamp = models.DateTimeField(default=timezone.now)  # when it happened
    # When it was stored, by the database's clock at the INSERT (statement time): what the
    # rollup's settle window and scan bound read. An event that happened offline and was
    # synced later has an old ``timestamp`` and a new ``stored_at``.
    stored_at = models.DateTimeField(db_default=Now(), editable=False)

    objects = TenantManager()

    class Meta:
        # The table (with its data and row-level security) was made by analytics,
        # where the model lived first; the model moved, the table stayed.
        db_table = "analytics_learningevent"
        # Organisation, then time, in every index (see the foreign keys above). The rollups
        # scan (organisation, stored_at, id); pages read (organisation, timestamp, ...).
        indexes = [
            models.Index(fields=["organisation", "stored_at", "id"], name="event_org_stored"),
            models.Index(fields=["organisation", "timestamp"], name="event_org_time"),
            models.Index(
                fields=["organisation", "timestamp", "actor", "verb"], name="event_org_time_actor"
            ),
        ]
