"""Learning goals agreed between a learner and their manager, with a 70:20:10 plan.

A goal is drafted by the learner, proposed to their manager (the manager of
their team or of any team above it), agreed or sent back with a comment, followed
up with check-ins and closed with an outcome. Its plan holds activities tagged
experience, social or formal; an activity linked to a unit or a trajectory step
completes by itself when that is completed. Proficiency ratings per skill are
kept over time, so analytics can compare the first with the latest.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.verbs import Category
from organisations.models import Membership, Organisation, Skill, Team, TenantManager

LOWEST_LEVEL = 1
HIGHEST_LEVEL = 5
LEVEL_VALIDATORS = [MinValueValidator(LOWEST_LEVEL), MaxValueValidator(HIGHEST_LEVEL)]
RATING_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]

# What each level means when the organisation has not described its own.
DEFAULT_LEVELS = {
    1: (_("Beginner"), _("Knows the basics; needs help to do the task.")),
    2: (_("Practising"), _("Does the task with guidance and a checklist.")),
    3: (_("Competent"), _("Does the task alone in the usual situations.")),
    4: (_("Proficient"), _("Handles unusual situations and helps colleagues.")),
    5: (_("Expert"), _("Improves how the task is done and teaches it to others.")),
}


def _level_field(label):
    return models.PositiveSmallIntegerField(label, validators=LEVEL_VALIDATORS)


class ProficiencyLevel(models.Model):
    """The organisation's own name and description of one proficiency level (1-5)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="proficiency_levels"
    )
    level = _level_field(_("level"))
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), max_length=1000, blank=True)

    objects = TenantManager()

    class Meta:
        ordering = ["level"]
        verbose_name = _("proficiency level")
        verbose_name_plural = _("proficiency levels")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "level"], name="proficiencylevel_unique_level"
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=LOWEST_LEVEL, level__lte=HIGHEST_LEVEL),
                name="proficiencylevel_level_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level}. {self.name}"


class GoalTemplate(models.Model):
    """A goal L&D offers for a skill: a learner starts their own goal from it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="goal_templates"
    )
    skill = models.ForeignKey(
        Skill, verbose_name=_("skill"), on_delete=models.PROTECT, related_name="goal_templates"
    )
    title = models.CharField(_("title"), max_length=200)
    why = models.TextField(_("why it matters"), max_length=2000, blank=True)
    target_level = _level_field(_("target proficiency"))
    hours_per_week = models.DecimalField(
        _("suggested hours per week"),
        max_digits=3,
        decimal_places=1,
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(40)],
    )
    # Suggested plan: one activity per line, "experience: …", "social: …" or "formal: …".
    suggested_plan = models.TextField(
        _("suggested activities"),
        max_length=4000,
        blank=True,
        help_text=_(
            "One activity per line, starting with experience:, social: or formal:, "
            "for example “experience: lead the Monday stand-up for four weeks”."
        ),
    )
    is_active = models.BooleanField(_("offered to learners"), default=True)
    created_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TenantManager()

    class Meta:
        ordering = ["skill__name", "title"]
        verbose_name = _("goal template")
        verbose_name_plural = _("goal templates")
        indexes = [models.Index(fields=["organisation", "skill"], name="goaltemplate_org_skill")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_level__gte=LOWEST_LEVEL, target_level__lte=HIGHEST_LEVEL),
                name="goaltemplate_level_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Goal(models.Model):
    """One learner's learning goal and where it stands."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("goal", "Draft")
        PROPOSED = "proposed", pgettext_lazy("goal", "Proposed")
        AGREED = "agreed", pgettext_lazy("goal", "Agreed")
        CLOSED = "closed", pgettext_lazy("goal", "Closed")

    class Outcome(models.TextChoices):
        ACHIEVED = "achieved", _("Achieved")
        PARTLY = "partly", _("Partly achieved")
        DROPPED = "dropped", _("Dropped")

    # Allowed transitions live here, in one place; same status is a no-op.
    # Asking for changes sends a proposed goal back to draft; any open goal can be
    # closed (a draft or a proposal only as dropped, see goal_close).
    TRANSITIONS = {
        Status.DRAFT: {Status.PROPOSED, Status.CLOSED},
        Status.PROPOSED: {Status.AGREED, Status.DRAFT, Status.CLOSED},
        Status.AGREED: {Status.CLOSED},
        Status.CLOSED: set(),
    }
    # Who may make each move: the learner, or their manager.
    BY_LEARNER = {Status.PROPOSED, Status.CLOSED}
    BY_MANAGER = {Status.AGREED, Status.DRAFT}

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="goals")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="goals")
    template = models.ForeignKey(
        GoalTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="goals"
    )
    title = models.CharField(_("title"), max_length=200)
    why = models.TextField(_("why it matters"), max_length=2000, blank=True)
    skill = models.ForeignKey(
        Skill, verbose_name=_("skill"), on_delete=models.PROTECT, related_name="goals"
    )
    current_level = _level_field(_("current proficiency"))
    target_level = _level_field(_("target proficiency"))
    target_date = models.DateField(_("target date"))
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=3,
        decimal_places=1,
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(40)],
        help_text=_("The time in working hours your manager agrees to make for this goal."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    final_self_rating = models.PositiveSmallIntegerField(
        _("final self rating"), null=True, blank=True, validators=LEVEL_VALIDATORS
    )
    final_manager_rating = models.PositiveSmallIntegerField(
        _("final manager rating"), null=True, blank=True, validators=LEVEL_VALIDATORS
    )
    agreed_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    proposed_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    # When the next check-in on an agreed goal is due (CHECK_IN_EVERY_DAYS after agreeing
    # or the last check-in): kept by the services, indexed for the check-in nudge.
    check_in_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager()

    class Meta:
        ordering = ["target_date", "pk"]
        verbose_name = _("learning goal")
        verbose_name_plural = _("learning goals")
        indexes = [
            models.Index(
                fields=["organisation", "member", "status"], name="goal_org_member_status"
            ),
            models.Index(fields=["organisation", "status"], name="goal_org_status"),
            models.Index(
                fields=["organisation", "status", "check_in_due_at"], name="goal_org_check_in_due"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    current_level__gte=LOWEST_LEVEL,
                    current_level__lte=HIGHEST_LEVEL,
                    target_level__gte=LOWEST_LEVEL,
                    target_level__lte=HIGHEST_LEVEL,
                ),
                name="goal_levels_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(target_level__gte=models.F("current_level")),
                name="goal_target_not_below_current",
            ),
            models.CheckConstraint(
                condition=models.Q(status="closed", outcome__in=["achieved", "partly", "dropped"])
                | (~models.Q(status="closed") & models.Q(outcome="")),
                name="goal_outcome_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class GoalComment(models.Model):
    """One turn of the conversation about a goal: a comment, a request for changes, agreement."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        CHANGES_ASKED = "changes_asked", _("Asked for changes")
        AGREED = "agreed", _("Agreed")
        PROPOSED = "proposed", _("Proposed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        Membership, null=True, on_delete=models.SET_NULL, related_name="goal_comments"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COMMENT)
    text = models.TextField(_("comment"), max_length=4000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TenantManager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["organisation", "goal", "created_at"], name="goalcomment_org_goal")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.text[:40]}"


class PlanActivity(models.Model):
    """One activity of a goal's development plan, tagged 70:20:10.

    Linked to a unit or a trajectory step it completes by itself when the learner
    completes that (see ``goals.services.plan``); free-form ones the learner marks.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DOING = "doing", _("Doing")
        DONE = "done", _("Done")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="activities")
    category = models.CharField(_("70:20:10 category"), max_length=20, choices=Category.choices)
    title = models.CharField(_("activity"), max_length=300, blank=True)
    unit = models.ForeignKey(
        "microlearning.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    step = models.ForeignKey(
        "courses.Step",
        verbose_name=_("trajectory step"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    done_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager()

    class Meta:
        ordering = ["goal", "position", "pk"]
        verbose_name = _("plan activity")
        verbose_name_plural = _("plan activities")
        indexes = [
            models.Index(fields=["organisation", "goal"], name="planactivity_org_goal"),
            # The receiver's question: which open activities wait for this unit or step.
            models.Index(
                fields=["organisation", "unit"],
                name="planactivity_org_unit_open",
                condition=models.Q(unit__isnull=False) & ~models.Q(status="done"),
            ),
            models.Index(
                fields=["organisation", "step"],
                name="planactivity_org_step_open",
                condition=models.Q(step__isnull=False) & ~models.Q(status="done"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=True) | models.Q(step__isnull=True),
                name="planactivity_one_link",
            ),
        ]

    def __str__(self) -> str:
        return self.title or str(self.unit or self.step or "")

    @property
    def label(self) -> str:
        if self.title:
            return self.title
        if self.unit_id is not None:
            return self.unit.title
        if self.step_id is not None:
            return str(self.step)
        return ""


class CheckIn(models.Model):
    """The learner's rating of their progress and what happened; the manager's answer."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="check_ins")
    progress = models.PositiveSmallIntegerField(_("progress (1-5)"), validators=RATING_VALIDATORS)
    note = models.TextField(_("what happened"), max_length=4000, blank=True)
    level = models.PositiveSmallIntegerField(
        _("proficiency now"), null=True, blank=True, validators=LEVEL_VALIDATORS
    )
    manager = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    manager_rating = models.PositiveSmallIntegerField(
        _("manager's rating (1-5)"), null=True, blank=True, validators=RATING_VALIDATORS
    )
    manager_feedback = models.TextField(_("feedback"), max_length=4000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager()

    class Meta:
        ordering = ["goal", "created_at", "pk"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        indexes = [models.Index(fields=["organisation", "goal"], name="checkin_org_goal")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=1, progress__lte=5), name="checkin_progress_1_to_5"
            ),
        ]


class ProficiencyRating(models.Model):
    """How proficient a member was in a skill then, in their own or their manager's view."""

    class RatedBy(models.TextChoices):
        SELF = "self", _("Self")
        MANAGER = "manager", _("Manager")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="proficiency_ratings"
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="+")
    level = _level_field(_("level"))
    rated_by = models.CharField(max_length=10, choices=RatedBy.choices)
    rater = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="ratings"
    )
    check_in = models.ForeignKey(
        CheckIn, null=True, blank=True, on_delete=models.SET_NULL, related_name="ratings"
    )
    rated_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        ordering = ["member", "skill", "rated_at", "pk"]
        indexes = [
            models.Index(
                fields=["organisation", "member", "skill", "rated_at"],
                name="proficiency_org_member_skill",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=LOWEST_LEVEL, level__lte=HIGHEST_LEVEL),
                name="proficiencyrating_level_1_to_5",
            ),
        ]


class Recognition(models.Model):
    """Something a learner chose to share with their team: an achieved goal, signed-off evidence."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="recognitions")
    # The team it was shared with, as it was when shared.
    team = models.ForeignKey(Team, null=True, on_delete=models.SET_NULL, related_name="+")
    object_type = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    title = models.CharField(_("title"), max_length=300)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    shared_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        ordering = ["-shared_at", "-pk"]
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        indexes = [
            models.Index(
                fields=["organisation", "team", "-shared_at"], name="recognition_org_team"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "member", "object_type", "object_id"],
                name="recognition_unique_object",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Kudos(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    recognition = models.ForeignKey(Recognition, on_delete=models.CASCADE, related_name="kudos")
    giver = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    given_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        verbose_name = _("kudos")
        verbose_name_plural = _("kudos")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "recognition", "giver"], name="kudos_once_per_giver"
            ),
        ]
