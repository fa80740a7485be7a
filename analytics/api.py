"""API for the manager's team dashboard (from the per-team daily rollup) and HR's impact report."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from organisations.api_errors import error_responses
from organisations.permissions import Action

from . import selectors
from .selectors.report import hr_report, report_filters_parse
from .serializers import (
    ImpactReportQuerySerializer,
    ReportSerializer,
    TeamDashboardQuerySerializer,
    TeamDashboardSerializer,
)
from .suppression import suppress

DASHBOARD_TAG = "dashboard"

DASHBOARD_EXAMPLE = {
    "start": "2025-03-01",
    "end": "2025-03-07",
    "total_completions": 3,
    "rollup_last_run": "2025-03-07T10:15:00+01:00",
    "teams": [{"id": 3, "name": "Customer service"}],
    "members": [
        {
            "member": {"id": 12, "name": "Daan Bakker"},
            "team": {"id": 3, "name": "Customer service"},
            "completions": 3,
            "units_assigned": 4,
            "units_completed": 3,
            "last_active": "2025-03-06",
        }
    ],
    "per_day": [{"day": "2025-03-06", "count": 3}],
}


class TeamDashboardView(APIView):
    """Not paginated: one row per member of the teams the caller leads, as on the web page."""

    required_action = Action.VIEW_TEAM_DASHBOARD

    @extend_schema(
        tags=[DASHBOARD_TAG],
        summary="Completions per member of my teams (managers)",
        description=(
            "The teams the caller manages and every team below them, member by member. "
            "Completions come from the daily rollup, so they lag the events by at most "
            "one rollup run (see `rollup_last_run`)."
        ),
        parameters=[TeamDashboardQuerySerializer],
        responses={200: TeamDashboardSerializer, **error_responses(400, 401, 403, 404)},
        examples=[OpenApiExample("A week", response_only=True, value=DASHBOARD_EXAMPLE)],
    )
    def get(self, request, org_slug: str):
        query = TeamDashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        dashboard = selectors.team_dashboard(
            membership=request.membership,
            days=query.validated_data["days"],
            today=selectors.organisation_today(organisation=request.organisation),
        )
        return Response(TeamDashboardSerializer(dashboard).data)


class ImpactReportView(APIView):
    """HR's impact report: the same suppressed figures as the web page and its files."""

    required_action = Action.VIEW_ORGANISATION_REPORTS

    @extend_schema(
        tags=[DASHBOARD_TAG],
        summary="Impact report: usage, application and impact (HR)",
        description=(
            "Sections of rows of cells, every figure one of the measures listed under "
            "`measures`. Any figure about fewer than 5 people is hidden (`suppressed`, "
            "`value` null), and so is one that could be worked out by subtracting shown "
            "figures (a total minus the other teams). Unknown filters, a period ending in "
            "the future or another organisation's team give 400 with a message."
        ),
        parameters=[ImpactReportQuerySerializer],
        responses={200: ReportSerializer, **error_responses(400, 401, 403, 404)},
    )
    def get(self, request, org_slug: str):
        filters, errors = report_filters_parse(
            organisation=request.organisation,
            params=request.query_params,
            today=selectors.organisation_today(organisation=request.organisation),
        )
        if filters is None:
            raise ValidationError({"non_field_errors": errors})
        report = suppress(hr_report(organisation=request.organisation, filters=filters))
        return Response(ReportSerializer(report).data)
