"""Nudges: rules authored per organisation, and the nudges they plan (the outbox of delivery).

A ``NudgeRule`` is data: which kind of reminder, after how long (or on which
weekday), for whom, over which channels, with which words in Dutch and English.
A ``Nudge`` is one reminder for one member over one channel. Its row is the
record of what must be sent: the planner writes it, the dispatcher claims it,
a sender delivers it (see ``nudges.services.delivery``).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Membership, Organisation, Team, TenantManager, zone_named

HOLDOUT_MAX_PERCENT = 50
DEFAULT_WEEKLY_HOUR = 9


class NudgeRule(models.Model):
    """One kind of reminder as an organisation tuned it."""

    class Kind(models.TextChoices):
        APPLY = "apply", _("Did you apply it?")
        REPEAT = "repeat", _("Repeat what you learnt")
        FINISH_UNIT = "finish_unit", _("Finish an assigned unit")
        FINISH_STEP = "finish_step", _("Finish a trajectory step")
        REFLECT = "reflect", _("Reflect")
        CHECK_IN = "check_in", _("Goal check-in")
        MANAGER_SIGN_OFF = "manager_sign_off", _("Evidence waiting for sign-off")
        MANAGER_AGREE = "manager_agree", _("Goals waiting for agreement")
        TEAM_DIGEST = "team_digest", _("Weekly team digest")
        # Not authored: carries the nudges above a member's daily maximum (one a day).
        DIGEST = "digest", _("Digest of reminders above the daily maximum")

    class Audience(models.TextChoices):
        ORGANISATION = "organisation", _("The whole organisation")
        TEAMS = "teams", _("Chosen teams")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    # Kinds that follow an event (assigned, committed, signed off) wait this many days;
    # weekly kinds come on a weekday at an hour instead (nudges.rules says which is which).
    delay_days = models.PositiveSmallIntegerField(
        _("after days"), null=True, blank=True, validators=[MaxValueValidator(365)]
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), null=True, blank=True, choices=Weekday.choices
    )
    hour = models.PositiveSmallIntegerField(
        _("hour"), default=DEFAULT_WEEKLY_HOUR, validators=[MaxValueValidator(23)]
    )
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.ORGANISATION
    )
    teams = models.ManyToManyField(
        Team, verbose_name=_("teams"), through="NudgeRuleTeam", related_name="+", blank=True
    )
    send_email = models.BooleanField(_("by e-mail"), default=True)
    send_in_app = models.BooleanField(_("in the app"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    holdout_percent = models.PositiveSmallIntegerField(
        _("held-out share (%)"),
        default=10,
        validators=[MaxValueValidator(HOLDOUT_MAX_PERCENT)],
        help_text=_(
            "This share of the audience is not nudged, so the effect of the nudge can be measured."
        ),
    )
    subject_nl = models.CharField(_("subject (Dutch)"), max_length=200)
    subject_en = models.CharField(_("subject (English)"), max_length=200)
    text_nl = models.TextField(_("text (Dutch)"), max_length=4000)
    text_en = models.TextField(_("text (English)"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("nudge rule")
        verbose_name_plural = _("nudge rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(send_email=True) | models.Q(send_in_app=True),
                name="nudge_rule_some_channel",
                violation_error_message=_("Choose at least one channel."),
            ),
            models.CheckConstraint(
                condition=models.Q(holdout_percent__lte=HOLDOUT_MAX_PERCENT),
                name="nudge_rule_holdout_share",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "is_active"], name="nudge_rule_org_active")]

    def __str__(self) -> str:
        return str(self.Kind(self.kind).label) if self.kind in self.Kind.values else self.kind

    def clean(self) -> None:
        from .rules import rule_errors  # the kinds' rules live there; it imports this module

        errors = rule_errors(self)
        if errors:
            raise ValidationError(errors)

    @property
    def channels(self) -> list[str]:
        return [
            channel
            for channel, wanted in (
                (Nudge.Channel.EMAIL, self.send_email),
                (Nudge.Channel.IN_APP, self.send_in_app),
            )
            if wanted
        ]

    def subject_for(self, language: str) -> str:
        return self.subject_nl if language == "nl" else self.subject_en

    def text_for(self, language: str) -> str:
        return self.text_nl if language == "nl" else self.text_en


class NudgeRuleTeam(models.Model):
    """A team (and so its sub-teams) a rule is for, when its audience is chosen teams."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(NudgeRule, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rule", "team"], name="nudge_rule_team_unique"),
        ]


class Nudge(models.Model):
    class Kind(models.TextChoices):
        # The category a member sees (and, later, unsubscribes from); rules map onto it.
        FINISH = "finish", _("Finish it")
        APPLY = "apply", _("Apply it")
        REPEAT = "repeat", _("Repeat it")
        REFLECT = "reflect", _("Reflect")
        CHECK_IN = "check_in", _("Check in")
        MANAGER = "manager", _("For managers")
        # The day's reminders above the member's daily maximum, in one message.
        DIGEST = "digest", _("Digest")

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        IN_APP = "in_app", _("In the app")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")
        FAILED = "failed", _("Failed")
        # In the rule's holdout: recorded (once, without a channel) and never sent, so
        # what held-out members did can be compared with what nudged members did.
        HELD_OUT = "held_out", _("Held out")
        # Above the member's daily maximum: delivered inside the digest it points to.
        BUNDLED = "bundled", _("Bundled into a digest")

    class CancelReason(models.TextChoices):
        FULFILLED = "fulfilled", _("Done before the nudge was sent")
        WITHDRAWN = "withdrawn", _("No longer asked of the member")
        MEMBER_INACTIVE = "member_inactive", _("The member is no longer active")
        RULE_OFF = "rule_off", _("The rule was switched off")
        UNSUBSCRIBED = "unsubscribed", _("The member switched this channel off")

    # Every move a nudge may make, in one place (nudges.services.delivery.nudge_transition
    # applies them). Sending goes back to planned for a retry or when its lease expired.
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.PLANNED: frozenset({Status.SENDING, Status.CANCELLED}),
        Status.SENDING: frozenset(
            {Status.SENT, Status.FAILED, Status.CANCELLED, Status.PLANNED, Status.BUNDLED}
        ),
        Status.SENT: frozenset(),
        Status.FAILED: frozenset(),
        Status.CANCELLED: frozenset(),
        Status.HELD_OUT: frozenset(),
        Status.BUNDLED: frozenset(),
    }

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(NudgeRule, on_delete=models.CASCADE, related_name="nudges")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="nudges")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    # What the nudge is about, e.g. "finish:unit:42"; ``occurrence`` tells apart the
    # rounds of a recurring rule (the week of a digest). With the rule, member and
    # channel they are unique: a second planner run cannot create a second nudge.
    key = models.CharField(max_length=120)
    occurrence = models.PositiveIntegerField(default=0)
    unit = models.ForeignKey(
        "microlearning.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The thing the nudge asks about, for kinds whose subject is not a unit: a
    # commitment, a step progress, a goal, a team... (its kind module reads it).
    subject_type = models.CharField(max_length=30, blank=True)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    # Facts the planner knew (a digest's counts, a refresher's questions).
    payload = models.JSONField(default=dict, blank=True)
    # The words and the link as sent, in the member's language: the notification
    # centre and the history show what the member read, whatever the rule says later.
    title = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    action_url = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    # When the dispatcher may hand it to a sender: planned time, or the next retry.
    due_at = models.DateTimeField(default=timezone.now)
    # While sending: the sender's time to finish; after it the sweeper plans it again.
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    cancel_reason = models.CharField(max_length=20, choices=CancelReason.choices, blank=True)
    # A bundled nudge's digest (nudges.services.preferences.nudge_bundle).
    digest = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="bundled"
    )
    # The first click on one of its links (nudges.services.links); later clicks add nothing.
    clicked_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "rule", "member", "key", "occurrence", "channel"],
                name="nudge_unique_delivery",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sending") | models.Q(lease_until__isnull=False),
                name="nudge_sending_has_lease",
            ),
            # One held-out row per occasion, whatever channels the rule has or gets later.
            models.CheckConstraint(
                condition=~models.Q(status="held_out") | models.Q(channel=""),
                name="nudge_held_out_has_no_channel",
            ),
            # One digest per member, day and channel, whichever sender bundles first.
            models.UniqueConstraint(
                fields=["organisation", "member", "key", "channel"],
                condition=models.Q(kind="digest"),
                name="nudge_one_digest_a_day",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "due_at"], name="nudge_org_status_due"),
            # The unread count in every member page's header: a few rows per member at most.
            models.Index(
                fields=["organisation", "member"],
                condition=models.Q(channel="in_app", status="sent", read_at__isnull=True),
                name="nudge_inapp_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.channel} #{self.pk} ({self.status})"


class OneClickAnswer(models.Model):
    """The answer given through a nudge's one-click e-mail link: at most one per nudge.

    The unique nudge is what makes every link of a nudge single-use: a second
    click (or a second worker, or a reloaded page) cannot record a second answer,
    whatever a process remembers.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    nudge = models.OneToOneField(Nudge, on_delete=models.CASCADE, related_name="one_click_answer")
    answer = models.CharField(max_length=30)
    answered_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    def __str__(self) -> str:
        return f"{self.nudge_id}: {self.answer}"


class WorkReflection(models.Model):
    """What a member learnt at work, written in answer to a reflect nudge.

    About a signed-off on-the-job step or a week of working on an agreed goal
    (``subject_type``/``subject_id`` as on the nudge, ``occurrence`` its week).
    Private to the member unless they share it with their manager.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="work_reflections"
    )
    nudge = models.ForeignKey(
        Nudge, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_type = models.CharField(max_length=30)
    subject_id = models.PositiveBigIntegerField()
    occurrence = models.PositiveIntegerField(default=0)
    text = models.TextField(_("what you learnt"), max_length=5000)
    shared_with_manager = models.BooleanField(_("share with my manager"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        constraints = [
            # Writing again about the same step (or week) rewrites it.
            models.UniqueConstraint(
                fields=["organisation", "member", "subject_type", "subject_id", "occurrence"],
                name="work_reflection_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} on {self.subject_type} {self.subject_id}"


NO_WORK_DAY = _("Choose at least one work day.")
UNKNOWN_WORK_DAY = _("Choose work days from the week.")
QUIET_WHOLE_DAY = _("Quiet hours cannot cover the whole day: the start and the end must differ.")
QUIET_BOTH_ENDS = _("Give both the start and the end of the quiet hours, or neither.")
DAILY_MAXIMUM_TOO_LOW = _("Allow at least one reminder a day.")
UNKNOWN_TIME_ZONE = _("Unknown time zone. Choose one from the list, like Europe/Amsterdam.")
UNKNOWN_SWITCH = _("Unknown category or channel.")


def default_work_days() -> list[int]:
    return [0, 1, 2, 3, 4]


class DeliveryTimes(models.Model):
    """When and how a member may be nudged: the organisation's defaults, or a member's own.

    Quiet hours run from ``quiet_from`` to ``quiet_until`` in the member's time zone
    and may wrap midnight (18:00 to 08:00); both empty means no quiet hours.
    ``switched_off`` holds "category:channel" pairs (``Nudge.Kind``, ``Nudge.Channel``)
    the member does not want, e.g. "repeat:email".
    """

    work_days = models.JSONField(_("work days"), default=default_work_days)
    quiet_from = models.TimeField(_("quiet from"), null=True, blank=True, default=dt.time(18))
    quiet_until = models.TimeField(_("quiet until"), null=True, blank=True, default=dt.time(8))
    daily_maximum = models.PositiveSmallIntegerField(
        _("daily maximum"),
        default=5,
        validators=[MaxValueValidator(50)],
        help_text=_("Reminders above this number on one day come together in one digest."),
    )
    switched_off = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def clean(self) -> None:
        errors: dict[str, list] = {}
        days = self.work_days if isinstance(self.work_days, list) else []
        if not days:
            errors["work_days"] = [NO_WORK_DAY]
        elif any(not isinstance(day, int) or not 0 <= day <= 6 for day in days):
            errors["work_days"] = [UNKNOWN_WORK_DAY]
        if (self.quiet_from is None) != (self.quiet_until is None):
            errors["quiet_until" if self.quiet_until is None else "quiet_from"] = [QUIET_BOTH_ENDS]
        elif self.quiet_from is not None and self.quiet_from == self.quiet_until:
            errors["quiet_until"] = [QUIET_WHOLE_DAY]
        if self.daily_maximum is not None and self.daily_maximum < 1:
            errors["daily_maximum"] = [DAILY_MAXIMUM_TOO_LOW]
        known = {
            f"{kind}:{channel}" for kind in Nudge.Kind.values for channel in Nudge.Channel.values
        }
        if any(entry not in known for entry in self.switched_off or []):
            errors["switched_off"] = [UNKNOWN_SWITCH]
        time_zone = getattr(self, "time_zone", "")
        if time_zone and zone_named(time_zone) is None:
            errors["time_zone"] = [UNKNOWN_TIME_ZONE]
        if errors:
            raise ValidationError(errors)


class NudgeDefaults(DeliveryTimes):
    """The organisation's delivery times; a member without preferences of their own gets these.

    Their time zone is the organisation's own (``Organisation.time_zone``).
    """

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")

    objects = TenantManager()

    class Meta:
        verbose_name = _("nudge defaults")
        verbose_name_plural = _("nudge defaults")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(daily_maximum__gte=1), name="nudge_defaults_daily_maximum"
            ),
        ]


class NudgePreferences(DeliveryTimes):
    """One member's own delivery times and channels, replacing the organisation's defaults."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="nudge_preferences"
    )
    # Empty: the organisation's time zone.
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("nudge preferences")
        verbose_name_plural = _("nudge preferences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(daily_maximum__gte=1), name="nudge_preferences_daily_maximum"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "member"], name="nudge_prefs_org_member")]
