"""Analytics pages, one module per page or concern."""

from .dashboard import organisation_report, organisation_report_csv, team_dashboard

__all__ = ["organisation_report", "organisation_report_csv", "team_dashboard"]
