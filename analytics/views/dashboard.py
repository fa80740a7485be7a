"""Web views for analytics: the manager's team dashboard and the HR report."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisations.access import member_required
from organisations.permissions import Action

from .. import selectors
from ..reporting import DASH
from ..suppression import MIN_PEOPLE, suppress

# The chart's own coordinates; the SVG scales to the page, so any period fills the same width.
CHART_WIDTH = 600
CHART_HEIGHT = 120


def _choice(request, name: str, allowed: tuple[int, ...], default: int) -> int:
    """A period from the query string; anything else falls back to the default."""
    try:
        value = int(request.GET.get(name, default))
    except (TypeError, ValueError):
        return default
    return value if value in allowed else default


def _bar_chart(per_day: list[selectors.DayCount]) -> dict:
    """Geometry for a small inline SVG: one bar per day, scaled to the busiest day."""
    peak = max((day.count for day in per_day), default=0)
    step = CHART_WIDTH / max(len(per_day), 1)
    bars = []
    for i, day in enumerate(per_day):
        height = round(day.count / (peak or 1) * CHART_HEIGHT, 1)
        bars.append(
            {
                "x": round(i * step + step * 0.1, 2),
                "y": round(CHART_HEIGHT - height, 1),
                "height": height,
                "day": day.day,
                "count": day.count,
            }
        )
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "bar_width": round(step * 0.8, 2),
        "peak": peak,
    }


def _progress(row: selectors.MemberProgress) -> tuple[int, float]:
    """Share of assigned units completed; members with nothing assigned are not behind."""
    if not row.units_assigned:
        return (1, 1.0)
    return (0, row.units_completed / row.units_assigned)


# The team table sorts by any column, with links (no JavaScript): ``?sort=progress``
# puts who is behind first, ``?sort=-progress`` who is ahead.
TEAM_SORT_KEYS = {
    "name": lambda row: row.member.display_name.casefold(),
    "progress": _progress,
    "completions": lambda row: row.completions,
    "last_active": lambda row: row.last_active or dt.date.min,
    "team": lambda row: row.member.team.name.casefold() if row.member.team else "",
}
DEFAULT_TEAM_SORT = "name"


@dataclass(frozen=True)
class SortColumn:
    key: str
    label: str
    url: str  # the link on the header: this column, the other direction if sorted by it
    aria_sort: str  # "ascending", "descending" or "" (not sorted by this column)
    numeric: bool = False


def _team_sort(request) -> tuple[str, bool]:
    value = request.GET.get("sort", DEFAULT_TEAM_SORT)
    key = value.removeprefix("-")
    if key not in TEAM_SORT_KEYS:
        return DEFAULT_TEAM_SORT, False
    return key, value.startswith("-")


def _sorted_rows(rows: list, key: str, descending: bool) -> list:
    # By name first, so equal values (two members both at 0 of 3) stay alphabetical.
    by_name = sorted(rows, key=TEAM_SORT_KEYS["name"])
    return sorted(by_name, key=TEAM_SORT_KEYS[key], reverse=descending)


def _sort_columns(*, days: int, key: str, descending: bool) -> list[SortColumn]:
    labels = [
        ("name", _("Member"), False),
        ("progress", _("Assigned units completed"), False),
        (
            "completions",
            ngettext("Completions (last %(days)s day)", "Completions (last %(days)s days)", days)
            % {"days": days},
            True,
        ),
        ("last_active", _("Last activity"), False),
        ("team", _("Team"), False),
    ]
    columns = []
    for column, label, numeric in labels:
        active = column == key
        sort = f"-{column}" if active and not descending else column
        columns.append(
            SortColumn(
                key=column,
                label=label,
                url="?" + urlencode({"days": days, "sort": sort}) + "#members-heading",
                aria_sort=("descending" if descending else "ascending") if active else "",
                numeric=numeric,
            )
        )
    return columns


@member_required(Action.VIEW_TEAM_DASHBOARD)
def team_dashboard(request):
    days = _choice(request, "days", selectors.DASHBOARD_PERIODS, selectors.DEFAULT_DASHBOARD_PERIOD)
    dashboard = selectors.team_dashboard(
        membership=request.membership,
        days=days,
        today=selectors.organisation_today(organisation=request.organisation),
    )
    sort_key, descending = _team_sort(request)
    return render(
        request,
        "analytics/team_dashboard.html",
        {
            "dashboard": dashboard,
            "members": _sorted_rows(dashboard.members, sort_key, descending),
            "columns": _sort_columns(days=days, key=sort_key, descending=descending),
            "sort": f"-{sort_key}" if descending else sort_key,
            "days": days,
            "periods": selectors.DASHBOARD_PERIODS,
            "chart": _bar_chart(dashboard.per_day),
        },
    )


def _report(request) -> tuple[selectors.OrganisationReport, int]:
    weeks = _choice(request, "weeks", selectors.REPORT_PERIODS, selectors.DEFAULT_REPORT_WEEKS)
    report = selectors.completions_per_team_per_week(
        organisation=request.organisation,
        weeks=weeks,
        today=selectors.organisation_today(organisation=request.organisation),
    )
    return report, weeks


def _cell(value) -> str:
    """Spreadsheets run cells starting with these characters as formulas; defuse them."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@member_required(Action.VIEW_ORGANISATION_REPORTS)
def organisation_report(request):
    report, weeks = _report(request)
    return render(
        request,
        "analytics/organisation_report.html",
        {
            "report": report,
            "section": suppress(selectors.completions_report(report)).sections[0],
            "minimum": MIN_PEOPLE,
            "weeks": weeks,
            "periods": selectors.REPORT_PERIODS,
            "exports": selectors.recent_exports(membership=request.membership),
            "export_parameters": {"weeks": weeks},
        },
    )


@member_required(Action.VIEW_ORGANISATION_REPORTS)
def organisation_report_csv(request):
    """The table of the page, suppressed the same way: small teams show a dash."""
    report, weeks = _report(request)
    section = suppress(selectors.completions_report(report)).sections[0]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"werkwijs-{request.organisation.slug}-completions-{weeks}-weeks.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow([section.row_heading] + [column.label for column in section.columns])
    for row in section.rows:
        writer.writerow([_cell(row.label)] + [cell.text for cell in row.cells])
    if section.has_suppressed:
        writer.writerow([])
        writer.writerow(
            [
                _(
                    "%(dash)s: hidden to protect individuals (fewer than %(minimum)s people, or "
                    "it could be worked out from the other figures)."
                )
                % {"dash": DASH, "minimum": MIN_PEOPLE}
            ]
        )
    return response
