"""Reads for analytics, one module per page or concern; the public names are re-exported here."""

from .dashboard import (
    DASHBOARD_PERIODS,
    DEFAULT_DASHBOARD_PERIOD,
    DEFAULT_REPORT_WEEKS,
    REPORT_PERIODS,
    TEAM_DAILY_ROLLUP,
    DayCount,
    MemberProgress,
    OrganisationReport,
    TeamDashboard,
    TeamWeeks,
    completions_per_team_per_week,
    completions_report,
    organisation_today,
    rollup_last_run,
    team_dashboard,
)
from .exports import exports_visible_to, recent_exports

__all__ = [
    "DASHBOARD_PERIODS",
    "DEFAULT_DASHBOARD_PERIOD",
    "DEFAULT_REPORT_WEEKS",
    "REPORT_PERIODS",
    "TEAM_DAILY_ROLLUP",
    "DayCount",
    "MemberProgress",
    "OrganisationReport",
    "TeamDashboard",
    "TeamWeeks",
    "completions_per_team_per_week",
    "completions_report",
    "exports_visible_to",
    "organisation_today",
    "recent_exports",
    "rollup_last_run",
    "team_dashboard",
]
