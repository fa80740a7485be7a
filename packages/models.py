"""Content packages an author imported (SCORM now, cmi5 next) and each learner's attempts.

A package's files live in the default storage under the organisation's prefix
(``org-<id>/packages/<folder>/``), never in the database; the row keeps what the
importer read from the manifest. The launchable parts (SCOs; for cmi5, AUs) are a
list in ``launchables``, each played by one block of the unit the import made. An
attempt holds one learner's runtime data model for one block, so a new version of
the unit (new blocks) starts them afresh, as every other block kind does.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Membership, Organisation, TenantManager


def attempt_key() -> str:
    return secrets.token_urlsafe(24)


def package_folder() -> str:
    return secrets.token_hex(8)


class ContentPackage(models.Model):
    class Standard(models.TextChoices):
        SCORM_12 = "scorm12", _("SCORM 1.2")
        SCORM_2004 = "scorm2004", _("SCORM 2004")
        # CMI5 = "cmi5": the same storage and launchables; its launch goes through the LRS.

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    standard = models.CharField(_("standard"), max_length=20, choices=Standard.choices)
    # The manifest's own words: "2004 4th Edition", "1.2", "CAM 1.3".
    schema_version = models.CharField(max_length=50, blank=True)
    identifier = models.CharField(max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200)
    # [{"identifier": item id, "title": ..., "href": path in the package with its query}]
    launchables = models.JSONField(default=list)
    file_count = models.PositiveIntegerField(default=0)
    unpacked_bytes = models.BigIntegerField(default=0)
    # A fresh folder per import: never another import's files, even after a restore or
    # in a database whose ids start again (a test database, a staging copy).
    folder = models.CharField(max_length=32, default=package_folder, editable=False)
    # The microlearning unit the import made (an id: that app sits below this one and
    # owns the unit; its blocks point back here through their data).
    unit_id = models.BigIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TenantManager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("content package")
        verbose_name_plural = _("content packages")
        indexes = [models.Index(fields=["organisation", "created_at"], name="package_org_created")]

    def __str__(self) -> str:
        return self.title

    @property
    def storage_prefix(self) -> str:
        return f"org-{self.organisation_id}/packages/{self.folder}/"


class PackageAttempt(models.Model):
    """One learner's run of one SCO: the CMI data model as the SCO left it.

    ``cmi`` is every element the SCO may read back, as it set it (validated by
    ``packages.runtime``); the columns beside it are copies for reports and resuming.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    package = models.ForeignKey(ContentPackage, on_delete=models.CASCADE, related_name="attempts")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    block = models.ForeignKey("microlearning.Block", on_delete=models.CASCADE, related_name="+")
    sco = models.CharField(max_length=200)
    # Part of the signed launch token: a new key revokes every link handed out before.
    key = models.CharField(max_length=64, default=attempt_key, editable=False)
    cmi = models.JSONField(default=dict, blank=True)
    location = models.CharField(max_length=1000, blank=True)
    suspend_data = models.TextField(blank=True)
    # SCORM 1.2's lesson_status is mapped onto these two (completed/passed/failed...).
    completion_status = models.CharField(max_length=20, default="not attempted")
    success_status = models.CharField(max_length=20, default="unknown")
    score_raw = models.FloatField(null=True, blank=True)
    score_scaled = models.FloatField(null=True, blank=True)
    exit = models.CharField(max_length=20, blank=True)
    session_seconds = models.FloatField(default=0)
    total_seconds = models.FloatField(default=0)
    sessions = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "member", "block"], name="packageattempt_unique"
            )
        ]
        indexes = [models.Index(fields=["organisation", "package"], name="packageattempt_package")]

    def __str__(self) -> str:
        return f"attempt {self.pk} of {self.sco}"
