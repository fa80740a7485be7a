"""Microlearning units: short, situated learning that employees complete in minutes."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# 70:20:10 is the events' vocabulary; units, trajectories and goals all use it.
from events.verbs import Category
from organisations.models import (
    LANGUAGE_CHOICES,
    Membership,
    Organisation,
    Skill,
    Team,
    TenantManager,
    WorkProcess,
)


class Unit(models.Model):
    """A microlearning unit: its identity, lifecycle and assignments.

    The content lives in versions. ``live_version`` is what learners see;
    ``draft_version`` is what the author edits. Editing a published unit makes a
    new draft; publishing it replaces the live one. Completions, answers and
    reflections point at the version the learner did, so they survive new versions.
    """

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
    # Denormalised from the live version (or the draft, before the first publish):
    # lists, e-mails and reminders show it without joining the versions.
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    live_version = models.ForeignKey(
        "UnitVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    draft_version = models.ForeignKey(
        "UnitVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
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
        indexes = [
            models.Index(fields=["organisation", "status"], name="unit_org_status"),
            # The catalogue's two orders: a page is read off the index, not sorted from all units.
            models.Index(
                fields=["organisation", "status", "-published_at", "-id"],
                name="unit_catalogue_recent",
            ),
            models.Index(
                fields=["organisation", "status", "title", "id"], name="unit_catalogue_title"
            ),
        ]

    def __str__(self) -> str:
        return self.title


def cover_upload_to(instance: UnitVersion, filename: str) -> str:
    # Files of one organisation live under its own folder; they are served through
    # a view that checks the organisation, never straight from MEDIA_ROOT.
    return f"org-{instance.organisation_id}/units/{instance.unit_id}/cover/{filename}"


def block_upload_to(instance: Block, filename: str) -> str:
    return f"org-{instance.organisation_id}/units/blocks/{instance.version_id}/{filename}"


class UnitVersion(models.Model):
    """One version of a unit's content. A published version is never edited again."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1000, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(15)],
        help_text=_("Between 2 and 15 minutes: small enough to fit in a working day."),
    )
    category = models.CharField(
        _("70:20:10 category"), max_length=20, choices=Category.choices, default=Category.FORMAL
    )
    cover_image = models.ImageField(_("cover image"), upload_to=cover_upload_to, blank=True)
    cover_alt = models.CharField(_("cover image description"), max_length=300, blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "The share of quiz questions a learner must answer right to complete the unit."
        ),
    )
    skills = models.ManyToManyField(
        Skill, through="UnitVersionSkill", related_name="unit_versions", blank=True
    )
    work_processes = models.ManyToManyField(
        WorkProcess, through="UnitVersionWorkProcess", related_name="unit_versions", blank=True
    )
    created_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)
    # Filled when the version is published (``microlearning.services.search``), in the
    # version's own language; drafts are never searched. Its GIN index and the trigram
    # index on the title are PostgreSQL-only and made in migration 0011.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = TenantManager()

    class Meta:
        ordering = ["unit", "-number"]
        verbose_name = _("unit version")
        verbose_name_plural = _("unit versions")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "unit", "number"], name="unitversion_unique_number"
            ),
            models.CheckConstraint(
                condition=models.Q(estimated_minutes__gte=2, estimated_minutes__lte=15),
                name="unitversion_minutes_2_to_15",
            ),
            models.CheckConstraint(
                condition=models.Q(pass_mark__lte=100), name="unitversion_pass_mark_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class SearchTerm(models.Model):
    """A word of a live title or summary: what a search corrects a typo to.

    Filled when a version is published (``microlearning.services.search``) and never
    pruned: a word no live unit uses any more only costs a row and an empty guess.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    term = models.CharField(max_length=100)

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "term"], name="searchterm_unique")
        ]

    def __str__(self) -> str:
        return self.term


class UnitVersionSkill(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(UnitVersion, on_delete=models.CASCADE, related_name="+")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="+")

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version", "skill"], name="unitversionskill_unique"
            )
        ]
        indexes = [models.Index(fields=["organisation", "skill"], name="unitversionskill_skill")]


class UnitVersionWorkProcess(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(UnitVersion, on_delete=models.CASCADE, related_name="+")
    work_process = models.ForeignKey(WorkProcess, on_delete=models.CASCADE, related_name="+")

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version", "work_process"],
                name="unitversionworkprocess_unique",
            )
        ]
        indexes = [models.Index(fields=["organisation", "work_process"], name="unitversionwp_wp")]


class Block(models.Model):
    """One content block of a version, in order. ``data`` holds the kind's fields,
    validated by ``microlearning.blocks`` before every save."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        VIDEO = "video", _("Video")
        IMAGE = "image", _("Image")
        CHECKLIST = "checklist", _("Checklist")
        QUESTION = "question", _("Quiz question")
        REFLECTION = "reflection", _("Reflection")
        APPLY = "apply", _("Apply at work")
        # One SCO of an uploaded content package (``packages``): added by importing
        # the package, never through the block editor.
        PACKAGE = "package", _("SCORM package")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(UnitVersion, on_delete=models.CASCADE, related_name="blocks")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    required = models.BooleanField(
        _("required"),
        default=True,
        help_text=_("Learners must do this block to complete the unit."),
    )
    data = models.JSONField(_("content"), default=dict, blank=True)
    file = models.FileField(_("file"), upload_to=block_upload_to, blank=True)

    objects = TenantManager()

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        indexes = [
            models.Index(fields=["organisation", "version", "position"], name="block_version_pos")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.position}"


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
        # The nudge planner starts from the assignments made before its cutoff.
        indexes = [
            models.Index(fields=["organisation", "assigned_at"], name="assignment_org_assigned")
        ]


class Completion(models.Model):
    """The current state: this member completed this unit (the event log keeps the history)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="completions")
    # The version the learner did: a later version does not rewrite what they learnt.
    version = models.ForeignKey(
        UnitVersion, null=True, blank=True, on_delete=models.RESTRICT, related_name="completions"
    )
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


# --- What a learner does in a unit ----------------------------------------------------
# Every row points at the block (and so the version) the learner did: a new version of
# the unit starts them afresh without rewriting what they did before.


class BlockProgress(models.Model):
    """A block this learner has done (read, watched, ticked off, answered, written)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="progress")
    version = models.ForeignKey(UnitVersion, on_delete=models.CASCADE, related_name="+")
    # Kind-specific state, e.g. the ticked checklist items; done_at is set once it counts.
    state = models.JSONField(default=dict, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "member", "block"], name="blockprogress_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["organisation", "member", "version"], name="blockprogress_member_version"
            )
        ]


class QuestionAnswer(models.Model):
    """One attempt at a quiz question, scored on the server. Retries add attempts."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="answers")
    version = models.ForeignKey(UnitVersion, on_delete=models.CASCADE, related_name="+")
    attempt = models.PositiveSmallIntegerField(default=1)
    selected = models.JSONField(default=list)  # indexes of the chosen options
    correct = models.BooleanField()
    answered_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        ordering = ["-answered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "member", "block", "attempt"],
                name="questionanswer_unique_attempt",
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "member", "version"], name="answer_member_version")
        ]


class Reflection(models.Model):
    """A learner's answer to a reflection prompt: private unless they share it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="reflections")
    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="reflections")
    version = models.ForeignKey(UnitVersion, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("reflection"), max_length=5000)
    shared_with_manager = models.BooleanField(_("share with my manager"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "member", "block"], name="reflection_unique"
            )
        ]


class Commitment(models.Model):
    """ "What will I apply, and by when?": the application signal nudges and analytics use."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        APPLIED = "applied", _("Applied")
        NOT_YET = "not_yet", _("Not yet")
        NOT_RELEVANT = "not_relevant", _("Not relevant")

    # A report can be changed (not yet -> applied); open is only the starting point.
    TRANSITIONS = {
        Status.OPEN: {Status.APPLIED, Status.NOT_YET, Status.NOT_RELEVANT},
        Status.NOT_YET: {Status.APPLIED, Status.NOT_RELEVANT},
        Status.APPLIED: set(),
        Status.NOT_RELEVANT: set(),
    }

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="commitments")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="commitments")
    version = models.ForeignKey(UnitVersion, on_delete=models.CASCADE, related_name="+")
    block = models.ForeignKey(
        Block, null=True, blank=True, on_delete=models.SET_NULL, related_name="commitments"
    )
    text = models.TextField(_("what I will apply"), max_length=2000)
    due_on = models.DateField(_("by when"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    reported_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(
                fields=["organisation", "member", "status"], name="commitment_member_status"
            ),
            models.Index(fields=["organisation", "status", "due_on"], name="commitment_status_due"),
        ]


class Rating(models.Model):
    """ "Was this useful?" 1 to 5, with an optional comment; rating again replaces it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="ratings")
    version = models.ForeignKey(UnitVersion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "member", "unit"], name="rating_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "unit"], name="rating_unit")]


class ReviewCard(models.Model):
    """When this member should see this quiz question again: its FSRS memory state.

    One card per member and question (the block they answered, so the version they
    learnt). The columns are the ``fsrs.Card`` fields, kept as columns rather than a
    serialised blob so the planner and the home page can ask "what is due?" of an
    index (``microlearning.services.repetition`` turns a row into a card and back).
    """

    class State(models.IntegerChoices):
        # fsrs.State's values: a new card starts learning, then it is in review, and a
        # forgotten one relearns.
        LEARNING = 1, _("Learning")
        REVIEW = 2, _("Review")
        RELEARNING = 3, _("Relearning")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="+")
    state = models.PositiveSmallIntegerField(choices=State.choices, default=State.LEARNING)
    # The learning or relearning step the card is at; None once it is in review.
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()
    last_review = models.DateTimeField(null=True, blank=True)
    reps = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        ordering = ["due", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "member", "block"], name="reviewcard_unique"
            ),
        ]
        indexes = [
            # The planner: which members have a question due, without reading the members.
            models.Index(fields=["organisation", "due"], name="reviewcard_org_due"),
            # The home page's count and the refresher: this member's due questions.
            models.Index(fields=["organisation", "member", "due"], name="reviewcard_member_due"),
        ]

    def __str__(self) -> str:
        return f"card {self.member_id}/{self.block_id} due {self.due:%Y-%m-%d %H:%M}"
