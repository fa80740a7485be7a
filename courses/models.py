"""Blended trajectories: ordered steps of every kind, enrolments and each step's progress.

A trajectory is versioned like a unit: ``live_version`` is what new enrolments
get, ``draft_version`` what the author edits; a published version is never
edited again. An enrolment keeps the version it started with, so a learner's
path does not change under them; moving them on to a newer version maps the
steps by ``Step.key``, which a step keeps from version to version.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.verbs import Category
from organisations.models import Membership, Organisation, Skill, TenantManager


class Trajectory(models.Model):
    """A blended trajectory's identity and lifecycle; its content lives in versions."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    # Allowed transitions, in one place; the same status again is a no-op.
    TRANSITIONS = {
        Status.DRAFT: {Status.PUBLISHED, Status.ARCHIVED},
        Status.PUBLISHED: {Status.ARCHIVED},
        Status.ARCHIVED: {Status.DRAFT},
    }

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="trajectories"
    )
    # Denormalised from the live version (or the draft before the first publish),
    # so lists and e-mails show it without joining versions.
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    live_version = models.ForeignKey(
        "TrajectoryVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    draft_version = models.ForeignKey(
        "TrajectoryVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")
        indexes = [models.Index(fields=["organisation", "status"], name="trajectory_org_status")]

    def __str__(self) -> str:
        return self.title


def cover_upload_to(instance: TrajectoryVersion, filename: str) -> str:
    # Under the organisation's own folder, served through a view that checks it.
    return f"org-{instance.organisation_id}/trajectories/{instance.trajectory_id}/cover/{filename}"


class TrajectoryVersion(models.Model):
    """One version of a trajectory: what it says and its steps."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    audience = models.CharField(
        _("audience"),
        max_length=300,
        blank=True,
        help_text=_("Who the trajectory is for, e.g. 'new team leaders in care'."),
    )
    cover_image = models.ImageField(_("cover image"), upload_to=cover_upload_to, blank=True)
    cover_alt = models.CharField(_("cover image description"), max_length=300, blank=True)
    self_enrolment = models.BooleanField(
        _("learners may enrol themselves"),
        default=False,
    )
    created_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager()

    class Meta:
        ordering = ["trajectory", "-number"]
        verbose_name = _("trajectory version")
        verbose_name_plural = _("trajectory versions")
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory", "number"], name="trajectory_version_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"


class Step(models.Model):
    """One step of a trajectory version: what to do, when, and how it is done."""

    class Kind(models.TextChoices):
        UNIT = "unit", _("Microlearning unit")
        EXTERNAL = "external", _("External online module")
        ASSIGNMENT = "assignment", _("On-the-job assignment")
        SHADOWING = "shadowing", _("Job shadowing")
        BUDDY = "buddy", _("Buddy conversation")
        REFLECTION = "reflection", _("Reflection assignment")
        SESSION = "session", _("Group session")

    class SessionKind(models.TextChoices):
        INTERVISION = "intervision", _("Intervision")
        RETROSPECTIVE = "retrospective", _("Retrospective")
        LIVE = "live", _("Live session")

    class SignOff(models.TextChoices):
        NOBODY = "nobody", _("Nobody (done when submitted)")
        MANAGER = "manager", _("The learner's manager")
        BUDDY = "buddy", _("The learner's buddy")
        ROLE = "role", _("Someone with a role")

    class SignOffRole(models.TextChoices):
        AUTHOR = "author", _("L&D author")
        HR = "hr", _("HR analyst")
        ADMIN = "admin", _("Organisation admin")

    # Where each kind of step counts in 70:20:10 unless the author says otherwise.
    DEFAULT_CATEGORY = {
        Kind.UNIT: Category.FORMAL,
        Kind.EXTERNAL: Category.FORMAL,
        Kind.ASSIGNMENT: Category.EXPERIENCE,
        Kind.SHADOWING: Category.EXPERIENCE,
        Kind.BUDDY: Category.SOCIAL,
        Kind.REFLECTION: Category.EXPERIENCE,
        Kind.SESSION: Category.SOCIAL,
    }
    # A live session is a class in a room or online: formal; the others are peers learning.
    SESSION_CATEGORY = {
        SessionKind.INTERVISION: Category.SOCIAL,
        SessionKind.RETROSPECTIVE: Category.SOCIAL,
        SessionKind.LIVE: Category.FORMAL,
    }

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(TrajectoryVersion, on_delete=models.CASCADE, related_name="steps")
    # The same step in every version of its trajectory: progress moves with it.
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(
        _("instructions"), max_length=10000, blank=True, help_text=_("Markdown.")
    )
    category_override = models.CharField(
        _("70:20:10 category"),
        max_length=20,
        choices=Category.choices,
        blank=True,
        help_text=_("Leave empty to use the kind's usual category."),
    )
    due_offset_days = models.PositiveSmallIntegerField(
        _("due after (work days)"),
        null=True,
        blank=True,
        help_text=_("Work days after enrolment; empty for no due date."),
    )
    required = models.BooleanField(_("required"), default=True)
    # What the kinds need; the services check that a step has what its kind asks.
    unit = models.ForeignKey(
        "microlearning.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    url = models.URLField(_("link"), max_length=1000, blank=True)
    session_kind = models.CharField(
        _("session kind"), max_length=20, choices=SessionKind.choices, blank=True
    )
    # Evidence the learner hands in, and who signs it off.
    evidence_text = models.BooleanField(_("asks for a written account"), default=False)
    evidence_files = models.BooleanField(_("asks for files"), default=False)
    evidence_checklist = models.JSONField(
        _("checklist"), default=list, blank=True, help_text=_("Items the learner ticks.")
    )
    sign_off = models.CharField(
        _("signed off by"), max_length=20, choices=SignOff.choices, default=SignOff.NOBODY
    )
    sign_off_role = models.CharField(
        _("signing role"), max_length=20, choices=SignOffRole.choices, blank=True
    )
    requires = models.ManyToManyField(
        "self",
        verbose_name=_("waits for"),
        symmetrical=False,
        through="StepRequirement",
        through_fields=("step", "required_step"),
        related_name="+",
        blank=True,
    )
    skills = models.ManyToManyField(
        Skill, verbose_name=_("skills"), through="StepSkill", related_name="+", blank=True
    )

    objects = TenantManager()

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="step_unique_key"),
        ]
        indexes = [models.Index(fields=["organisation", "version"], name="step_org_version")]

    def __str__(self) -> str:
        return self.title

    @property
    def category(self) -> Category:
        if self.category_override:
            return Category(self.category_override)
        if self.kind == self.Kind.SESSION and self.session_kind:
            return self.SESSION_CATEGORY[self.SessionKind(self.session_kind)]
        return self.DEFAULT_CATEGORY[self.Kind(self.kind)]

    @property
    def needs_evidence(self) -> bool:
        return self.evidence_text or self.evidence_files or bool(self.evidence_checklist)


class StepRequirement(models.Model):
    """``step`` waits until ``required_step`` (of the same version) is done."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="requirements")
    required_step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="+")

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["step", "required_step"], name="step_requirement_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(step=models.F("required_step")),
                name="step_requirement_not_itself",
            ),
        ]


class StepSkill(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="+")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="+")

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["step", "skill"], name="step_skill_unique"),
        ]


class Enrolment(models.Model):
    """A member following one trajectory, in the version they started with."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        OVERDUE = "overdue", _("Overdue")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # The transitions, in one place (``courses.services.enrolments`` applies them).
    TRANSITIONS = {
        Status.NOT_STARTED: {
            Status.IN_PROGRESS,
            Status.OVERDUE,
            Status.COMPLETED,
            Status.WITHDRAWN,
        },
        Status.IN_PROGRESS: {Status.OVERDUE, Status.COMPLETED, Status.WITHDRAWN},
        # Back to not started or in progress when a new version moves the due date on.
        Status.OVERDUE: {
            Status.NOT_STARTED,
            Status.IN_PROGRESS,
            Status.COMPLETED,
            Status.WITHDRAWN,
        },
        Status.COMPLETED: {Status.IN_PROGRESS},  # moved on to a version with new required steps
        Status.WITHDRAWN: {Status.NOT_STARTED, Status.IN_PROGRESS},  # enrolled again
    }
    OPEN = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.OVERDUE)

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="enrolments")
    version = models.ForeignKey(TrajectoryVersion, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="enrolments")
    buddy = models.ForeignKey(
        Membership,
        verbose_name=_("buddy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="buddy_enrolments",
    )
    enrolled_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    enrolled_at = models.DateTimeField(default=timezone.now)
    # The last required step's due date, in the organisation's local days.
    due_on = models.DateField(_("due"), null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            # Enrolling the same person again finds this row: a no-op, not a second path.
            models.UniqueConstraint(
                fields=["trajectory", "membership"], name="enrolment_unique_member"
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "membership", "status"], name="enrolment_org_member"
            ),
            models.Index(
                fields=["organisation", "trajectory", "status"], name="enrolment_org_trajectory"
            ),
            models.Index(fields=["organisation", "buddy"], name="enrolment_org_buddy"),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} in {self.trajectory_id}"


class StepProgress(models.Model):
    """Where one enrolment stands on one step of its version."""

    class Status(models.TextChoices):
        OPEN = "open", _("To do")
        SUBMITTED = "submitted", _("Waiting for sign-off")
        CHANGES_REQUESTED = "changes_requested", _("Changes asked")
        DONE = "done", _("Done")

    TRANSITIONS = {
        Status.OPEN: {Status.SUBMITTED, Status.DONE},
        Status.SUBMITTED: {Status.CHANGES_REQUESTED, Status.DONE},
        Status.CHANGES_REQUESTED: {Status.SUBMITTED, Status.DONE},
        Status.DONE: set(),
    }

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="progress")
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    # Who made it done: the learner, the signer, or the facilitator of a session.
    done_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        ordering = ["enrolment", "step__position", "id"]
        verbose_name = _("step progress")
        verbose_name_plural = _("step progress")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "step"], name="step_progress_unique"),
        ]
        indexes = [
            models.Index(fields=["organisation", "enrolment"], name="progress_org_enrolment"),
            models.Index(
                fields=["organisation", "status", "due_on"], name="progress_org_status_due"
            ),
            # Steps done lately (a reflect nudge after a sign-off), without reading them all.
            models.Index(
                fields=["organisation", "status", "done_at"], name="progress_org_status_done"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}/{self.step_id}: {self.status}"


# --- trajectories (reflections, buddy confirmations) ---


class StepReflection(models.Model):
    """A learner's answer to a reflection step: theirs alone unless they share it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    progress = models.OneToOneField(
        StepProgress, on_delete=models.CASCADE, related_name="reflection"
    )
    text = models.TextField(_("your answer"), max_length=5000)
    shared_with_manager = models.BooleanField(_("share with my manager"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        verbose_name = _("step reflection")
        verbose_name_plural = _("step reflections")

    def __str__(self) -> str:
        return f"reflection on {self.progress_id}"


class BuddyConfirmation(models.Model):
    """One side (the learner or the buddy) saying the buddy conversation took place."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    progress = models.ForeignKey(
        StepProgress, on_delete=models.CASCADE, related_name="buddy_confirmations"
    )
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    confirmed_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        verbose_name = _("buddy confirmation")
        verbose_name_plural = _("buddy confirmations")
        constraints = [
            models.UniqueConstraint(
                fields=["progress", "membership"], name="buddy_confirmation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} confirmed {self.progress_id}"


# --- evidence and sign-off ---


class EvidenceSubmission(models.Model):
    """One round of evidence for a step: what the learner handed in, kept for good.

    A round after "changes asked" is the next number; earlier rounds stay, so the
    step page shows the whole conversation.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    progress = models.ForeignKey(
        StepProgress, on_delete=models.CASCADE, related_name="evidence_rounds"
    )
    number = models.PositiveIntegerField(_("round"))
    text = models.TextField(_("what you did"), max_length=10000, blank=True)
    # Indexes of the step's checklist items the learner ticked.
    checklist_ticked = models.JSONField(default=list, blank=True)
    submitted_by = models.ForeignKey(
        Membership, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        ordering = ["progress", "number"]
        verbose_name = _("evidence round")
        verbose_name_plural = _("evidence rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["progress", "number"], name="evidence_submission_unique_round"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "progress"], name="evidence_org_progress"),
        ]

    def __str__(self) -> str:
        return f"{self.progress_id} round {self.number}"


def evidence_upload_to(instance: EvidenceFile, filename: str) -> str:
    # Under the organisation's own folder, served through a view that checks who asks;
    # a random name, so nothing about the file is guessable from its path.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"org-{instance.organisation_id}/evidence/{uuid.uuid4().hex}.{suffix}"


class EvidenceFile(models.Model):
    """A file handed in with a round of evidence, checked by its content on upload."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    submission = models.ForeignKey(
        EvidenceSubmission, on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(default=0)

    objects = TenantManager()

    class Meta:
        ordering = ["submission", "id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        indexes = [
            models.Index(fields=["organisation", "submission"], name="evidence_file_org_sub"),
        ]

    def __str__(self) -> str:
        return self.original_name


class SignOffDecision(models.Model):
    """The signer's answer to one round: approved, or changes asked with feedback."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        CHANGES_REQUESTED = "changes_requested", _("Changes asked")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    submission = models.OneToOneField(
        EvidenceSubmission, on_delete=models.CASCADE, related_name="decision"
    )
    signer = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    feedback = models.TextField(_("feedback"), max_length=5000, blank=True)
    decided_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = _("sign-off decision")
        verbose_name_plural = _("sign-off decisions")
        constraints = [
            # Asking for changes says what to change.
            models.CheckConstraint(
                condition=~models.Q(decision="changes_requested", feedback=""),
                name="sign_off_changes_have_feedback",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.decision}"


class FeedbackRequest(models.Model):
    """A learner asking a colleague what they think of a round of evidence (peer feedback)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    submission = models.ForeignKey(
        EvidenceSubmission, on_delete=models.CASCADE, related_name="feedback_requests"
    )
    asked_by = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    colleague = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="feedback_requests"
    )
    message = models.CharField(_("message"), max_length=600, blank=True)
    answer = models.TextField(_("feedback"), max_length=600, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("feedback request")
        verbose_name_plural = _("feedback requests")
        constraints = [
            # Asking the same colleague again about the same round waits for their answer.
            models.UniqueConstraint(
                fields=["submission", "colleague"],
                condition=models.Q(answered_at__isnull=True),
                name="feedback_request_one_open",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "colleague", "answered_at"], name="feedback_org_colleague"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} → {self.colleague_id}"


# --- group sessions ---


def session_uid() -> str:
    # Calendars match an invitation to its entry by UID: it never changes.
    return f"{uuid.uuid4()}@werkwijs"


class Session(models.Model):
    """One planned meeting of a session step: intervision, retrospective or live session.

    It serves the step in every version of the trajectory (``step_key`` is the
    ``Step.key``), so an enrolment in an older version books the same sessions.
    ``sequence`` goes up with every change a calendar must see (RFC 5545): the
    participant's calendar replaces its entry with the same ``uid``.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="sessions")
    step_key = models.UUIDField()
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty to use the step's title."),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), max_length=1000, blank=True)
    capacity = models.PositiveIntegerField(_("places"), default=12)
    facilitator = models.ForeignKey(
        Membership,
        verbose_name=_("facilitator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilitated_sessions",
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    uid = models.CharField(max_length=100, unique=True, default=session_uid, editable=False)
    created_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            ),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="session_capacity"),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "trajectory", "step_key", "starts_at"],
                name="session_org_step_start",
            ),
            models.Index(
                fields=["organisation", "facilitator", "starts_at"],
                name="session_org_facilitator",
            ),
        ]

    def __str__(self) -> str:
        return self.title or str(self.starts_at)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class SessionSeat(models.Model):
    """An enrolment's place on a session: booked, or waiting in line; and whether they came."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        WAITING = "waiting", _("On the waiting list")

    class Attendance(models.TextChoices):
        UNMARKED = "", _("Not marked yet")
        ATTENDED = "attended", _("Attended")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="seats")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="session_seats")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.BOOKED
    )
    # Order on the waiting list (lowest first); empty for a booked seat. Numbers may
    # have gaps: the place shown is the rank among those still waiting.
    position = models.PositiveIntegerField(null=True, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=20, choices=Attendance.choices, blank=True, default=""
    )
    marked_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(null=True, blank=True)
    booked_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TenantManager()

    class Meta:
        ordering = ["session", "status", "position", "id"]
        verbose_name = _("session seat")
        verbose_name_plural = _("session seats")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="session_seat_unique"),
            models.CheckConstraint(
                condition=models.Q(status="booked", position__isnull=True)
                | models.Q(status="waiting", position__isnull=False),
                name="session_seat_position_when_waiting",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "enrolment"], name="seat_org_enrolment"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} on {self.session_id}: {self.status}"
