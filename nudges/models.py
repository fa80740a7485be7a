"""Nudges: reminders in the flow of work, delivered at most once per channel."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Membership, Organisation, TenantManager


class Nudge(models.Model):
    class Kind(models.TextChoices):
        FINISH = "finish", _("Finish it")

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        IN_APP = "in_app", _("In the app")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="nudges")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    # What the nudge is about and why, e.g. "finish:unit:42". With the member and
    # channel it is unique: a second planner run cannot create a second nudge.
    key = models.CharField(max_length=120)
    unit = models.ForeignKey(
        "microlearning.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    objects = TenantManager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "member", "channel", "key"], name="nudge_unique_delivery"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="nudge_org_status")]
