"""API representations of the manager's team dashboard. Shapes only: figures come from selectors."""

from __future__ import annotations

from rest_framework import serializers

from organisations.serializers import MemberRefSerializer, QuerySerializer, TeamRefSerializer

from .selectors import DEFAULT_DASHBOARD_PERIOD

MAX_DASHBOARD_DAYS = 366


class TeamDashboardQuerySerializer(QuerySerializer):
    days = serializers.IntegerField(
        min_value=1,
        max_value=MAX_DASHBOARD_DAYS,
        default=DEFAULT_DASHBOARD_PERIOD,
        help_text="How many days back, today included.",
    )


class MemberProgressSerializer(serializers.Serializer):
    member = MemberRefSerializer(read_only=True)
    team = TeamRefSerializer(source="member.team", read_only=True, allow_null=True)
    completions = serializers.IntegerField(
        read_only=True, help_text="Units completed in the period, from the rollup."
    )
    units_assigned = serializers.IntegerField(read_only=True)
    units_completed = serializers.IntegerField(
        read_only=True, help_text="How many of the assigned units the member completed."
    )
    last_active = serializers.DateField(read_only=True, allow_null=True)


class DayCountSerializer(serializers.Serializer):
    day = serializers.DateField(read_only=True)
    count = serializers.IntegerField(read_only=True)


class TeamDashboardSerializer(serializers.Serializer):
    start = serializers.DateField(read_only=True)
    end = serializers.DateField(read_only=True)
    total_completions = serializers.IntegerField(read_only=True)
    rollup_last_run = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="Figures include events up to this moment."
    )
    teams = TeamRefSerializer(many=True, read_only=True)
    members = MemberProgressSerializer(many=True, read_only=True)
    per_day = DayCountSerializer(many=True, read_only=True)
