"""Analytics pages, one module per page or concern."""

from .coaching import coaching, coaching_member
from .dashboard import organisation_report, organisation_report_csv, team_dashboard

__all__ = [
    "coaching",
    "coaching_member",
    "organisation_report",
    "organisation_report_csv",
    "team_dashboard",
]
