"""Analytics pages, one module per page or concern."""

from .coaching import coaching, coaching_member
from .dashboard import organisation_report, organisation_report_csv, team_dashboard
from .exports import export_detail, export_download, export_start, export_status
from .report import hr_impact, hr_impact_csv, hr_overview

__all__ = [
    "coaching",
    "coaching_member",
    "export_detail",
    "export_download",
    "export_start",
    "export_status",
    "hr_impact",
    "hr_impact_csv",
    "hr_overview",
    "organisation_report",
    "organisation_report_csv",
    "team_dashboard",
]
