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


# --- The HR impact report: the same suppressed Report the pages and files show ----------


class ReportCellSerializer(serializers.Serializer):
    value = serializers.JSONField(
        read_only=True, allow_null=True, help_text="The figure; null when hidden or none."
    )
    text = serializers.CharField(read_only=True, help_text="As the page shows it; '–' if hidden.")
    suppressed = serializers.BooleanField(read_only=True)
    reason = serializers.CharField(
        read_only=True, help_text="Why hidden: small_group (fewer than 5 people) or complementary."
    )
    people = serializers.SerializerMethodField(
        help_text="How many people the figure is about; null where it is hidden."
    )

    def get_people(self, cell) -> int | None:
        # A hidden figure's group size is itself a small count: not given away either.
        return None if cell.suppressed else cell.people


class ReportColumnSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    measure = serializers.CharField(read_only=True)


class ReportRowSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    is_total = serializers.BooleanField(read_only=True)
    cells = ReportCellSerializer(many=True, read_only=True)


class ReportSectionSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    row_heading = serializers.CharField(read_only=True)
    columns = ReportColumnSerializer(many=True, read_only=True)
    rows = ReportRowSerializer(many=True, read_only=True)


class ReportFilterSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    value = serializers.CharField(read_only=True)


class MeasureSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    level = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    definition = serializers.CharField(read_only=True)
    source = serializers.CharField(read_only=True)


class ReportSerializer(serializers.Serializer):
    title = serializers.CharField(read_only=True)
    start = serializers.DateField(read_only=True)
    end = serializers.DateField(read_only=True)
    people = serializers.IntegerField(read_only=True)
    minimum_people = serializers.IntegerField(read_only=True)
    rollup_last_run = serializers.DateTimeField(read_only=True, allow_null=True)
    filters = ReportFilterSerializer(many=True, read_only=True)
    sections = ReportSectionSerializer(many=True, read_only=True)
    measures = serializers.SerializerMethodField()

    def get_measures(self, report) -> list[dict]:
        from .measures import MEASURES

        return MeasureSerializer(MEASURES, many=True).data


class ImpactReportQuerySerializer(QuerySerializer):
    weeks = serializers.IntegerField(required=False, help_text="4, 12, 26 or 52 (default 12).")
    end = serializers.DateField(required=False, help_text="The last day; today or earlier.")
    team = serializers.IntegerField(required=False, help_text="A team (and the teams below it).")
    trajectory = serializers.IntegerField(required=False)
    skill = serializers.IntegerField(required=False)
