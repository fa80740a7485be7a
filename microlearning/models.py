"""Microlearning units: short, situated learning that employees complete in minutes."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Membership, Organisation, Team, TenantManager


class Unit(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    # Allowed transitions live here, in one place; same status is a no-op.
    TRANSITIONS = {
        Status.DRAFT: {Status.PUBLISHED, Status.ARCHIVED},
        Status.PUBLISHED: {Status.ARCHIVED},
        Status.ARCHIVED: {Status.DRAFT},
    }

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    author = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        indexes = [models.Index(fields=["organisation", "status"], name="unit_org_status")]

    def __str__(self) -> str:
        return self.title


class Assignment(models.Model):
    """A unit assigned to a team (everyone in it, now and later) or to one member."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="assignments")
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    member = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        Membership, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        ordering = ["-assigned_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(team__isnull=False, member__isnull=True)
                | models.Q(team__isnull=True, member__isnull=False),
                name="assignment_team_xor_member",
            ),
            models.UniqueConstraint(
                fields=["organisation", "unit", "team"],
                condition=models.Q(team__isnull=False),
                name="assignment_unique_team",
            ),
            models.UniqueConstraint(
                fields=["organisation", "unit", "member"],
                condition=models.Q(member__isnull=False),
                name="assignment_unique_member",
            ),
        ]


class Completion(models.Model):
    """The current state: this member completed this unit (the event log keeps the history)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="completions")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        ordering = ["-completed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "unit", "member"], name="completion_unique"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "member"], name="completion_org_member")]
