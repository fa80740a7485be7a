"""API shapes for goals. Choices are plain strings in the schema (documented in help
texts), so the OpenAPI enums of other areas (a unit's status, say) do not collide."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from events.verbs import Category
from organisations.serializers import FlagField, QuerySerializer, TextField

from .models import CheckIn, Goal, GoalComment, GoalTemplate, PlanActivity, Recognition


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = TextField(source="display_name")


class PlanActivitySerializer(serializers.ModelSerializer):
    category = TextField(help_text="`experience`, `social` or `formal`.")
    status = TextField(help_text="`planned`, `doing` or `done`.")
    unit_id = serializers.IntegerField(allow_null=True)
    step_id = serializers.IntegerField(allow_null=True)
    label = TextField(help_text="The title, or the linked unit's or step's.")

    class Meta:
        model = PlanActivity
        fields = [
            "id",
            "category",
            "title",
            "label",
            "unit_id",
            "step_id",
            "status",
            "position",
            "done_at",
        ]
        read_only_fields = fields


class CheckInSerializer(serializers.ModelSerializer):
    manager = PersonSerializer(allow_null=True)

    class Meta:
        model = CheckIn
        fields = [
            "id",
            "progress",
            "note",
            "level",
            "created_at",
            "manager",
            "manager_rating",
            "manager_feedback",
            "answered_at",
        ]
        read_only_fields = fields


class CommentSerializer(serializers.ModelSerializer):
    author = PersonSerializer(allow_null=True)
    kind = TextField(help_text="`comment`, `proposed`, `agreed` or `changes_asked`.")

    class Meta:
        model = GoalComment
        fields = ["id", "author", "kind", "text", "created_at"]
        read_only_fields = fields


class GoalSummarySerializer(serializers.ModelSerializer):
    learner = PersonSerializer(source="member")
    skill_id = serializers.IntegerField()
    skill = TextField(source="skill.name")
    status = TextField(help_text="`draft`, `proposed`, `agreed` or `closed`.")
    outcome = TextField(help_text="`achieved`, `partly`, `dropped`; empty while open.")
    hours_per_week = serializers.FloatField()
    activity_count = serializers.IntegerField()
    activities_done = serializers.IntegerField()

    class Meta:
        model = Goal
        fields = [
            "id",
            "learner",
            "title",
            "why",
            "skill_id",
            "skill",
            "current_level",
            "target_level",
            "target_date",
            "hours_per_week",
            "status",
            "outcome",
            "final_self_rating",
            "final_manager_rating",
            "activity_count",
            "activities_done",
            "created_at",
            "proposed_at",
            "agreed_at",
            "closed_at",
        ]
        read_only_fields = fields


class GoalSerializer(GoalSummarySerializer):
    agreed_by = PersonSerializer(allow_null=True)
    next_check_in = serializers.DateField(allow_null=True)
    activities = PlanActivitySerializer(many=True, source="page_activities")
    check_ins = CheckInSerializer(many=True, source="page_check_ins")
    comments = CommentSerializer(many=True, source="page_comments")

    class Meta(GoalSummarySerializer.Meta):
        fields = [
            *GoalSummarySerializer.Meta.fields,
            "agreed_by",
            "next_check_in",
            "activities",
            "check_ins",
            "comments",
        ]
        read_only_fields = fields


class GoalWriteSerializer(serializers.Serializer):
    """Levels and dates are checked by the service: its field errors come back as 400."""

    title = TextField(max_length=200)
    why = TextField(max_length=2000, required=False, allow_blank=True, default="")
    skill_id = serializers.IntegerField()
    current_level = serializers.IntegerField(help_text="1-5.")
    target_level = serializers.IntegerField(help_text="1-5, not below the current level.")
    target_date = serializers.DateField(help_text="Today or later.")
    hours_per_week = serializers.DecimalField(
        max_digits=3, decimal_places=1, min_value=0, max_value=40, required=False, default=1
    )
    template_id = serializers.IntegerField(
        required=False, allow_null=True, help_text="Start from this goal template (on create)."
    )


class CommentWriteSerializer(serializers.Serializer):
    comment = TextField(max_length=4000, required=False, allow_blank=True, default="")


class AskChangesSerializer(serializers.Serializer):
    comment = TextField(max_length=4000, help_text="What should change.")


class AgreeSerializer(serializers.Serializer):
    comment = TextField(max_length=4000, required=False, allow_blank=True, default="")
    hours_per_week = serializers.DecimalField(
        max_digits=3,
        decimal_places=1,
        min_value=0,
        max_value=40,
        required=False,
        allow_null=True,
        default=None,
        help_text="The hours per week the manager makes for it; omit to keep the proposal's.",
    )


class CloseSerializer(serializers.Serializer):
    outcome = TextField(help_text="`achieved`, `partly` or `dropped`.")
    rating = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Final proficiency 1-5: the learner's own, or the manager's when they close it.",
    )


class ShareSerializer(serializers.Serializer):
    message = TextField(max_length=2000, required=False, allow_blank=True, default="")


class ActivityWriteSerializer(serializers.Serializer):
    category = TextField(help_text="`experience`, `social` or `formal`.")
    title = TextField(max_length=300, required=False, allow_blank=True, default="")
    unit_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    step_id = serializers.IntegerField(required=False, allow_null=True, default=None)

    def validate_category(self, value: str) -> str:
        if value not in Category.values:
            raise serializers.ValidationError(_("Choose experience, social or formal."))
        return value


class ActivityStatusSerializer(serializers.Serializer):
    status = TextField(help_text="`planned`, `doing` or `done`.")

    def validate_status(self, value: str) -> str:
        if value not in PlanActivity.Status.values:
            raise serializers.ValidationError(_("Choose planned, doing or done."))
        return value


class CheckInWriteSerializer(serializers.Serializer):
    progress = serializers.IntegerField(help_text="1-5.")
    note = TextField(max_length=4000, required=False, allow_blank=True, default="")
    level = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Proficiency now, 1-5."
    )


class CheckInAnswerSerializer(serializers.Serializer):
    rating = serializers.IntegerField(help_text="1-5.")
    feedback = TextField(max_length=4000, required=False, allow_blank=True, default="")
    level = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Proficiency now, 1-5."
    )


class GoalTemplateSerializer(serializers.ModelSerializer):
    skill_id = serializers.IntegerField()
    skill = TextField(source="skill.name", read_only=True)
    hours_per_week = serializers.DecimalField(
        max_digits=3, decimal_places=1, min_value=0, max_value=40, required=False, default=1
    )

    class Meta:
        model = GoalTemplate
        fields = [
            "id",
            "skill_id",
            "skill",
            "title",
            "why",
            "target_level",
            "hours_per_week",
            "suggested_plan",
            "is_active",
        ]
        read_only_fields = ["id", "skill"]
        extra_kwargs = {"target_level": {"validators": []}}


class LedgerPartSerializer(serializers.Serializer):
    category = TextField(help_text="`experience`, `social` or `formal`.")
    count = serializers.IntegerField(help_text="Completed learning activities.")
    share = serializers.IntegerField(help_text="% of the activities (the three add up to 100).")
    minutes = serializers.IntegerField(help_text="Minutes, where the activity said how long.")
    minutes_share = serializers.IntegerField(help_text="% of the known minutes.")
    target = serializers.IntegerField(help_text="The organisation's target %.")


class LedgerSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField(help_text="Inclusive.")
    count = serializers.IntegerField()
    minutes = serializers.IntegerField()
    parts = LedgerPartSerializer(many=True)


class LedgerQuerySerializer(QuerySerializer):
    days = serializers.ChoiceField(
        choices=[(30, "30"), (90, "90"), (365, "365")],
        required=False,
        default=90,
        help_text="The period: 30, 90 or 365 days up to today.",
        error_messages={"invalid_choice": _("Choose 30, 90 or 365 days.")},
    )


class RecognitionSerializer(serializers.ModelSerializer):
    learner = PersonSerializer(source="member")
    object_type = TextField(help_text="`goal`, or what courses share (`evidence`).")
    kudos_count = serializers.IntegerField()
    kudos_given = FlagField(help_text="Whether the caller gave kudos.")

    class Meta:
        model = Recognition
        fields = [
            "id",
            "learner",
            "object_type",
            "object_id",
            "title",
            "message",
            "shared_at",
            "kudos_count",
            "kudos_given",
        ]
        read_only_fields = fields


class KudosSerializer(serializers.Serializer):
    recognition_id = serializers.IntegerField()
    given_at = serializers.DateTimeField()
    created = FlagField(help_text="False when the caller had given it already.")


class ProficiencyRatingSerializer(serializers.Serializer):
    skill_id = serializers.IntegerField()
    skill = TextField(source="skill.name")
    level = serializers.IntegerField()
    rated_by = TextField(help_text="`self` or `manager`.")
    goal_id = serializers.IntegerField(allow_null=True)
    check_in_id = serializers.IntegerField(allow_null=True)
    rated_at = serializers.DateTimeField()
