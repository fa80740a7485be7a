"""API representations of units, assignments and completions; the rules live in services."""

from __future__ import annotations

from rest_framework import serializers

from organisations.models import Membership, Team
from organisations.serializers import (
    MemberRefSerializer,
    OrganisationObjectField,
    QuerySerializer,
    TeamRefSerializer,
    TextField,
)

from ..models import Assignment, Completion, Unit


class UnitRefSerializer(serializers.ModelSerializer):
    """A unit named from elsewhere (a nudge, a trajectory step): its id and title."""

    class Meta:
        model = Unit
        fields = ["id", "title"]
        read_only_fields = fields


class UnitSummarySerializer(serializers.ModelSerializer):
    """A unit in a list: enough to choose it, without its text."""

    completed_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When the caller completed it, if they did."
    )

    class Meta:
        model = Unit
        fields = ["id", "title", "status", "published_at", "updated_at", "completed_at"]
        read_only_fields = fields


class UnitSerializer(serializers.ModelSerializer):
    author = MemberRefSerializer(read_only=True, allow_null=True)
    completed_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When the caller completed it, if they did."
    )

    class Meta:
        model = Unit
        fields = [
            "id",
            "title",
            "status",
            "author",
            "created_at",
            "updated_at",
            "published_at",
            "completed_at",
        ]
        read_only_fields = fields


class UnitWriteSerializer(serializers.Serializer):
    title = TextField(max_length=Unit._meta.get_field("title").max_length)
    body = TextField(
        required=False, help_text="Text for a first text block (Markdown); on create only."
    )


class UnitListQuerySerializer(QuerySerializer):
    status = serializers.ChoiceField(
        choices=Unit.Status.choices,
        required=False,
        help_text="Authors only: units with this status. Learners always get published units.",
    )


class AssignSerializer(serializers.Serializer):
    """Exactly one of the two; the service refuses both or neither."""

    team_id = OrganisationObjectField(
        model=Team, required=False, allow_null=True, help_text="Assign to this team."
    )
    member_id = OrganisationObjectField(
        model=Membership,
        active_only=True,
        required=False,
        allow_null=True,
        help_text="Assign to this member.",
    )


class AssignmentSerializer(serializers.ModelSerializer):
    unit_id = serializers.IntegerField(read_only=True)
    team = TeamRefSerializer(read_only=True, allow_null=True)
    member = MemberRefSerializer(read_only=True, allow_null=True)
    assigned_by = MemberRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Assignment
        fields = ["id", "unit_id", "team", "member", "assigned_by", "assigned_at"]
        read_only_fields = fields


class CompletionSerializer(serializers.ModelSerializer):
    unit_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Completion
        fields = ["unit_id", "completed_at"]
        read_only_fields = fields
