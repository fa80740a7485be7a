"""Tenants and the people in them.

An Organisation is the tenant. Everything an organisation owns carries an
``organisation`` foreign key, uses ``TenantManager`` (an unscoped query raises)
and gets a row-level security policy in its migration (see ``organisations.rls``).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

LANGUAGE_CHOICES = [("nl", _("Dutch")), ("en", _("English"))]


def zone_named(name: str) -> ZoneInfo | None:
    """The time zone of that IANA name, or None for a name the zone database does not know."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def TenantManager():  # noqa: N802 - reads like a class at the use site
    return ScopedManager(organisation="organisation_id")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person. E-mail is the login; the same person may belong to several organisations."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=LANGUAGE_CHOICES,
        blank=True,
        help_text=_("Leave empty to use the organisation's language."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    def __str__(self) -> str:
        return self.get_full_name() or self.email


# The shortest retention of raw learning events. Every figure of a period older than a year
# comes from the rollups; within the last year a few owning-app pages still read the raw
# events (the 70:20:10 ledger of up to 365 days, the nudges' last 12 weeks), so a year and
# a month of events always stays.
EVENT_RETENTION_MIN_MONTHS = 13


class Organisation(models.Model):
    slug = models.SlugField(
        _("slug"),
        max_length=60,
        unique=True,
        validators=[
            RegexValidator(r"^[a-z0-9][a-z0-9-]*$", _("Use lowercase letters, digits and dashes."))
        ],
    )
    name = models.CharField(_("name"), max_length=200)
    language = models.CharField(
        _("default language"), max_length=8, choices=LANGUAGE_CHOICES, default="nl"
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Amsterdam")
    nudge_after_days = models.PositiveSmallIntegerField(
        _("nudge after days"),
        default=3,
        help_text=_(
            "Remind members of an assigned unit they have not completed after this many days."
        ),
    )
    # Where public holidays come from (the `holidays` package's ISO country code);
    # due dates count work days, skipping weekends, these and the organisation's own days.
    holiday_country = models.CharField(
        _("public holidays of"),
        max_length=2,
        default="NL",
        db_default="NL",
        blank=True,
        help_text=_("Country code (e.g. NL, BE, DE) whose public holidays are no work days."),
    )
    # The mix of where learning happens that the organisation aims for (70:20:10).
    target_experience = models.PositiveSmallIntegerField(
        _("target share experience (%)"), default=70, db_default=70
    )
    target_social = models.PositiveSmallIntegerField(
        _("target share social (%)"), default=20, db_default=20
    )
    target_formal = models.PositiveSmallIntegerField(
        _("target share formal (%)"), default=10, db_default=10
    )
    # Raw learning events older than this are deleted once every rollup has read them;
    # the pages read the rollups, so their figures stay. Empty: keep them forever.
    event_retention_months = models.PositiveSmallIntegerField(
        _("keep learning events (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(EVENT_RETENTION_MIN_MONTHS)],
        help_text=_(
            "Raw learning events older than this many months are deleted once they are "
            "counted in the reports. Leave empty to keep them forever."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    target_experience=100 - models.F("target_social") - models.F("target_formal")
                ),
                name="organisation_target_mix_whole",
            ),
            models.CheckConstraint(
                condition=models.Q(event_retention_months__isnull=True)
                | models.Q(event_retention_months__gte=EVENT_RETENTION_MIN_MONTHS),
                name="organisation_event_retention_a_year",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> dt.tzinfo:
        """Where the organisation's days begin and end: pages, rollups and nudges use it.

        A name the zone database does not know (saved before it was checked, or
        dropped from tzdata since) reads as the installation's time zone.
        """
        return zone_named(self.time_zone) or timezone.get_default_timezone()


class Team(models.Model):
    """A team in the organisation's tree; its manager sees it and every team below it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    manager = models.ForeignKey(
        "Membership",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_teams",
    )

    objects = TenantManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name"),
        ]
        indexes = [models.Index(fields=["organisation", "parent"], name="team_org_parent")]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user in one organisation. Every member is a learner; roles add to that."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    is_author = models.BooleanField(_("L&D author"), default=False)
    is_hr = models.BooleanField(_("HR analyst"), default=False)
    is_admin = models.BooleanField(_("organisation admin"), default=False)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_(
            "Deactivated members cannot sign in to this organisation; their history stays."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TenantManager()

    class Meta:
        ordering = ["user__email"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique_user"),
        ]
        indexes = [models.Index(fields=["organisation", "team"], name="membership_org_team")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation_id}"

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() or self.user.email

    @property
    def language(self) -> str:
        return self.user.language or self.organisation.language


class Invitation(models.Model):
    """An invitation to join an organisation; the link carries a signed, expiring token."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL
    )
    is_author = models.BooleanField(_("L&D author"), default=False)
    is_hr = models.BooleanField(_("HR analyst"), default=False)
    is_admin = models.BooleanField(_("organisation admin"), default=False)
    invited_by = models.ForeignKey(
        Membership, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TenantManager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            # One open invitation per address; accepted ones stay as history.
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(accepted_at__isnull=True),
                name="invitation_unique_open_email",
            ),
        ]

    def __str__(self) -> str:
        return self.email


class OrganisationHoliday(models.Model):
    """A day the organisation does not work, besides weekends and public holidays."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="holidays"
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200, blank=True)

    objects = TenantManager()

    class Meta:
        ordering = ["date"]
        verbose_name = _("day off")
        verbose_name_plural = _("days off")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "date"], name="holiday_unique_date")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}".strip()


class Skill(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    objects = TenantManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="skill_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class WorkProcess(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="work_processes"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    objects = TenantManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("work process")
        verbose_name_plural = _("work processes")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="workprocess_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    """A personal API token: belongs to one membership, so to one organisation. Stored hashed."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_tokens"
    )
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AuditLog(models.Model):
    """Who did what to which object: written by every meaningful service."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="audit_log"
    )
    actor = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.BigIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TenantManager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="auditlog_org_created")
        ]

    def __str__(self) -> str:
        return self.action


class OutboxMessage(models.Model):
    """A task to run after a commit, written in the same transaction as the change it follows.

    The row is the promise; the broker message is only a delivery attempt. If the
    broker cannot be reached when the transaction commits, the row stays pending and
    the sweeper publishes it later (see ``organisations.services.outbox``).
    """

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("outbox", "pending")  # not handed to the broker yet
        SENT = "sent", pgettext_lazy("outbox", "sent")  # handed to the broker, not run yet
        DONE = "done", pgettext_lazy("outbox", "done")  # claimed by the worker that ran it

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    task = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager()

    class Meta:
        indexes = [
            # The sweeper's question: what of this organisation is still waiting, oldest first.
            models.Index(
                fields=["organisation", "created_at"],
                name="outbox_org_waiting",
                condition=models.Q(state__in=["pending", "sent"]),
            ),
            models.Index(fields=["organisation", "done_at"], name="outbox_org_done"),
        ]

    def __str__(self) -> str:
        return f"{self.task} ({self.state})"
