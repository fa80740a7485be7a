"""API representations of sessions and seats; the rules live in the services."""

from __future__ import annotations

from rest_framework import serializers

from organisations.models import Membership
from organisations.serializers import MemberRefSerializer, OrganisationObjectField, TextField

from ..models import Enrolment, Session, SessionSeat


class SessionSerializer(serializers.ModelSerializer):
    display_title = TextField(read_only=True, help_text="The session's own title, else its step's.")
    facilitator = MemberRefSerializer(read_only=True, allow_null=True)
    booked_count = serializers.IntegerField(read_only=True)
    waiting_count = serializers.IntegerField(read_only=True)
    seats_left = serializers.IntegerField(read_only=True)
    trajectory_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "trajectory_id",
            "step_key",
            "title",
            "display_title",
            "starts_at",
            "ends_at",
            "place",
            "online_url",
            "capacity",
            "facilitator",
            "cancelled_at",
            "sequence",
            "uid",
            "booked_count",
            "waiting_count",
            "seats_left",
        ]
        read_only_fields = fields


class SessionWriteSerializer(serializers.Serializer):
    """Times are ISO 8601; one without an offset is read in the organisation's time zone."""

    step_key = serializers.UUIDField(
        help_text="The `key` of a group session step of the trajectory."
    )
    title = TextField(max_length=200, required=False, allow_blank=True, default="")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = TextField(max_length=300, required=False, allow_blank=True, default="")
    online_url = serializers.URLField(max_length=1000, required=False, allow_blank=True, default="")
    capacity = serializers.IntegerField(min_value=1, max_value=1000, default=12)
    facilitator_id = OrganisationObjectField(
        model=Membership,
        active_only=True,
        required=False,
        allow_null=True,
        source="facilitator",
        help_text="The member who runs the session and marks attendance.",
    )


class SessionUpdateSerializer(SessionWriteSerializer):
    """Any of the fields, used with ``partial=True`` (defaults then do not apply)."""

    step_key = None


class SeatSerializer(serializers.ModelSerializer):
    session_id = serializers.IntegerField(read_only=True)
    enrolment_id = serializers.IntegerField(read_only=True)
    member = MemberRefSerializer(source="enrolment.membership", read_only=True)
    waiting_position = serializers.IntegerField(
        source="waiting_rank",
        read_only=True,
        allow_null=True,
        help_text="Place on the waiting list (1 is next); null for a booked seat.",
    )
    marked_by = MemberRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = SessionSeat
        fields = [
            "id",
            "session_id",
            "enrolment_id",
            "member",
            "status",
            "waiting_position",
            "attendance",
            "marked_by",
            "marked_at",
        ]
        read_only_fields = fields


class BookSerializer(serializers.Serializer):
    enrolment_id = OrganisationObjectField(
        model=Enrolment,
        required=False,
        allow_null=True,
        source="enrolment",
        help_text="Book for this enrolment (L&D, or the learner's manager). "
        "Leave out to book for yourself.",
    )


class MarkSerializer(serializers.Serializer):
    seat_id = serializers.IntegerField()
    attendance = serializers.ChoiceField(
        choices=[c for c in SessionSeat.Attendance.choices if c[0]]
    )


class AttendanceSerializer(serializers.Serializer):
    marks = MarkSerializer(many=True, allow_empty=False)
