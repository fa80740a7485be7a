from django.urls import path

from . import api

app_name = "analytics_api"

urlpatterns = [
    path("dashboard/team/", api.TeamDashboardView.as_view(), name="team_dashboard"),
    path("reports/impact/", api.ImpactReportView.as_view(), name="impact_report"),
]
