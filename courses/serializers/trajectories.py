"""API shapes for trajectories, their steps, enrolments and the learner's rows.

Serializers only read the request into Python and write models out; the checks
per kind of step are the services' (``courses.services.authoring.step_clean``).
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.verbs import Category
from microlearning.selectors.units import published_units
from organisations.models import Membership, Skill, Team
from organisations.serializers import (
    FlagField,
    MemberRefSerializer,
    OrganisationObjectField,
    QuerySerializer,
    TextField,
)

from ..models import Enrolment, Step, StepProgress, Trajectory, TrajectoryVersion


def _inline_choices(name: str, choices, *, blank: bool = False):
    """A choice field kept inline in the schema (wrapped, so it is not lifted into a named
    component): shared names such as "StatusEnum" would collide with other apps' choices."""
    values = [value for value, _label in choices] + ([""] if blank else [])

    def __init__(self, **kwargs):
        if blank:
            kwargs.setdefault("allow_blank", True)
        serializers.ChoiceField.__init__(self, choices=choices, **kwargs)

    field = type(name, (serializers.ChoiceField,), {"__init__": __init__})
    return extend_schema_field({"allOf": [{"type": "string", "enum": values}]})(field)


EnrolmentStatusField = _inline_choices("EnrolmentStatusField", Enrolment.Status.choices)
ProgressStatusField = _inline_choices("ProgressStatusField", StepProgress.Status.choices)
CategoryField = _inline_choices("StepCategoryField", Category.choices, blank=True)
SessionKindField = _inline_choices("SessionKindField", Step.SessionKind.choices, blank=True)
SignOffField = _inline_choices("SignOffField", Step.SignOff.choices)
SignOffRoleField = _inline_choices("SignOffRoleField", Step.SignOffRole.choices, blank=True)


@extend_schema_field(OpenApiTypes.INT)
class PublishedUnitField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {"does_not_exist": "Not a published unit of this organisation."}

    def get_queryset(self):
        return published_units(organisation=self.context["request"].organisation)


@extend_schema_field(OpenApiTypes.INT)
class VersionStepField(serializers.PrimaryKeyRelatedField):
    """A step of the same trajectory (any version: matched by key to the draft)."""

    def get_queryset(self):
        return Step.objects.filter(
            organisation=self.context["request"].organisation,
            version__trajectory=self.context["trajectory"],
        )


@extend_schema_field({"allOf": [{"type": "string", "enum": list(Step.Kind.values)}]})
class StepKindField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Step.Kind.choices, **kwargs)


class StepSerializer(serializers.ModelSerializer):
    kind = StepKindField(read_only=True)
    category = CategoryField(read_only=True)
    category_override = CategoryField(read_only=True)
    session_kind = SessionKindField(read_only=True)
    sign_off = SignOffField(read_only=True)
    sign_off_role = SignOffRoleField(read_only=True)
    unit_id = serializers.IntegerField(read_only=True, allow_null=True)
    requires = serializers.SerializerMethodField()
    skills = serializers.SerializerMethodField()

    class Meta:
        model = Step
        fields = [
            "id",
            "key",
            "position",
            "kind",
            "title",
            "instructions",
            "category",
            "category_override",
            "due_offset_days",
            "required",
            "unit_id",
            "url",
            "session_kind",
            "evidence_text",
            "evidence_files",
            "evidence_checklist",
            "sign_off",
            "sign_off_role",
            "requires",
            "skills",
        ]
        read_only_fields = fields

    def get_requires(self, step: Step) -> list[int]:
        return [s.pk for s in getattr(step, "requires_list", [])]

    def get_skills(self, step: Step) -> list[int]:
        return [s.pk for s in getattr(step, "skills_list", [])]


class StepWriteSerializer(serializers.Serializer):
    kind = StepKindField(required=True)
    title = TextField(max_length=200)
    instructions = TextField(max_length=10000, required=False, allow_blank=True)
    category_override = CategoryField(required=False)
    due_offset_days = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    required = FlagField(required=False, default=True)
    unit_id = PublishedUnitField(required=False, allow_null=True, source="unit")
    url = TextField(max_length=1000, required=False, allow_blank=True)
    session_kind = SessionKindField(required=False)
    evidence_text = FlagField(required=False, default=False)
    evidence_files = FlagField(required=False, default=False)
    evidence_checklist = serializers.ListField(
        child=TextField(max_length=300), required=False, max_length=20
    )
    sign_off = SignOffField(required=False, default=Step.SignOff.NOBODY)
    sign_off_role = SignOffRoleField(required=False)
    requires = serializers.ListField(child=VersionStepField(), required=False)
    skills = serializers.ListField(child=OrganisationObjectField(model=Skill), required=False)


class StepUpdateSerializer(StepWriteSerializer):
    kind = None  # a step keeps its kind


class StepMoveSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=[("up", "up"), ("down", "down")])


class TrajectoryVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrajectoryVersion
        fields = [
            "id",
            "number",
            "title",
            "description",
            "audience",
            "self_enrolment",
            "published_at",
        ]
        read_only_fields = fields


class TrajectorySerializer(serializers.ModelSerializer):
    live_version = TrajectoryVersionSerializer(read_only=True, allow_null=True)
    draft_version = TrajectoryVersionSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Trajectory
        fields = [
            "id",
            "title",
            "status",
            "live_version",
            "draft_version",
            "created_at",
            "updated_at",
            "published_at",
        ]
        read_only_fields = fields


class TrajectoryWriteSerializer(serializers.Serializer):
    title = TextField(max_length=200)
    description = TextField(max_length=5000, required=False, allow_blank=True)
    audience = TextField(max_length=300, required=False, allow_blank=True)
    self_enrolment = FlagField(required=False, default=False)


class MoveOnSerializer(serializers.Serializer):
    moved = serializers.IntegerField(help_text="How many enrolments now follow the live version.")


class EnrolmentSerializer(serializers.ModelSerializer):
    member = MemberRefSerializer(source="membership", read_only=True)
    buddy = MemberRefSerializer(read_only=True, allow_null=True)
    trajectory = serializers.IntegerField(source="trajectory_id", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    status = EnrolmentStatusField(read_only=True)
    step_count = serializers.IntegerField(read_only=True, required=False)
    done_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "trajectory",
            "version",
            "member",
            "buddy",
            "status",
            "enrolled_at",
            "due_on",
            "completed_at",
            "withdrawn_at",
            "step_count",
            "done_count",
        ]
        read_only_fields = fields


class EnrolSerializer(serializers.Serializer):
    trajectory_id = serializers.IntegerField()
    member_id = OrganisationObjectField(model=Membership, active_only=True, required=False)
    team_id = OrganisationObjectField(model=Team, required=False)
    buddy_id = OrganisationObjectField(
        model=Membership, active_only=True, required=False, allow_null=True
    )

    def validate(self, data):
        if ("member_id" in data) == ("team_id" in data):
            raise serializers.ValidationError("Give exactly one of member_id and team_id.")
        return data


class EnrolResultSerializer(serializers.Serializer):
    created = serializers.ListField(child=serializers.IntegerField())
    reopened = serializers.ListField(child=serializers.IntegerField())
    existing = serializers.ListField(child=serializers.IntegerField())


class EnrolmentQuerySerializer(QuerySerializer):
    trajectory = serializers.IntegerField(required=False)
    team = serializers.IntegerField(required=False)
    status = EnrolmentStatusField(required=False)
    overdue = FlagField(required=False, default=False)


class StepRowSerializer(serializers.Serializer):
    progress_id = serializers.IntegerField(source="progress.pk")
    enrolment_id = serializers.IntegerField(source="enrolment.pk")
    trajectory = TextField(source="enrolment.trajectory.title")
    step_id = serializers.IntegerField(source="step.pk")
    title = TextField(source="step.title")
    kind = StepKindField(source="step.kind")
    status = ProgressStatusField()
    due_on = serializers.DateField(allow_null=True)
    is_overdue = FlagField()
    is_locked = FlagField()
    waits_for = serializers.SerializerMethodField()

    def get_waits_for(self, row) -> list[str]:
        return [step.title for step in row.waits_for]


class EnrolmentSummarySerializer(serializers.Serializer):
    enrolment_id = serializers.IntegerField(source="enrolment.pk")
    trajectory_id = serializers.IntegerField(source="enrolment.trajectory_id")
    title = TextField(source="enrolment.trajectory.title")
    status = EnrolmentStatusField(source="enrolment.status")
    due_on = serializers.DateField(source="enrolment.due_on", allow_null=True)
    percent = serializers.IntegerField()
    steps = StepRowSerializer(source="rows", many=True)


class MyLearningSerializer(serializers.Serializer):
    due = StepRowSerializer(many=True, help_text="Open steps, what is due first on top.")
    waiting = StepRowSerializer(many=True, help_text="Steps waiting for sign-off.")
    enrolments = EnrolmentSummarySerializer(many=True)
    completed = EnrolmentSummarySerializer(many=True)


class StepProgressSerializer(serializers.ModelSerializer):
    status = ProgressStatusField(read_only=True)

    class Meta:
        model = StepProgress
        fields = ["id", "step", "status", "due_on", "done_at"]
        read_only_fields = fields


class StepReflectionWriteSerializer(serializers.Serializer):
    text = TextField(max_length=5000)
    shared_with_manager = FlagField(required=False, default=False)
