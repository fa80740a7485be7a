"""HR's pages: the organisation-wide view and the impact report, and the impact report as CSV.

Thin: parse the filters (a wrong one gives messages, never figures), build the
report, suppress small groups, render. Every output shows the suppressed report.
"""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from courses.selectors.reporting import trajectories_of
from organisations.access import member_required
from organisations.models import Skill, Team
from organisations.permissions import Action

from .. import measures
from ..reporting import Report, Section, report_table_rows
from ..selectors import organisation_today, recent_exports
from ..selectors.dashboard import REPORT_PERIODS
from ..selectors.report import DEFAULT_HR_WEEKS, hr_report, report_filters_parse
from ..suppression import MIN_PEOPLE, suppress

CHART_WIDTH = 600
CHART_HEIGHT = 120
CHART_COLUMNS = ("completions", "reach")


def _week_chart(section: Section, column_key: str) -> dict | None:
    """Bars for one column of the weekly trend; None when a week's figure is hidden."""
    index = next(i for i, column in enumerate(section.columns) if column.key == column_key)
    weeks = [(row, row.cells[index]) for row in section.groups]
    if not weeks or any(cell.suppressed for _row, cell in weeks):
        return None
    peak = max((cell.value or 0 for _row, cell in weeks), default=0)
    step = CHART_WIDTH / len(weeks)
    bars = []
    for i, (row, cell) in enumerate(weeks):
        height = round((cell.value or 0) / (peak or 1) * CHART_HEIGHT, 1)
        bars.append(
            {
                "x": round(i * step + step * 0.1, 2),
                "y": round(CHART_HEIGHT - height, 1),
                "height": height,
                "label": row.label,
                "text": cell.text,
            }
        )
    return {
        "key": column_key,
        "title": section.columns[index].label,
        "bars": bars,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "bar_width": round(step * 0.8, 2),
        "peak": peak,
        "first": weeks[0][0].label,
        "last": weeks[-1][0].label,
    }


def _choices(organisation, impact: bool) -> dict:
    choices = {
        "teams": list(Team.objects.filter(organisation=organisation).order_by("name")),
        "periods": REPORT_PERIODS,
    }
    if impact:
        choices["trajectories"] = list(trajectories_of(organisation=organisation))
        choices["skills"] = list(Skill.objects.filter(organisation=organisation).order_by("name"))
    return choices


def _build(request, *, impact: bool) -> tuple[Report | None, list[str], dict]:
    filters, errors = report_filters_parse(
        organisation=request.organisation,
        params=request.GET,
        today=organisation_today(organisation=request.organisation),
    )
    if not impact and filters is not None and (filters.trajectory or filters.skill):
        filters, errors = None, [_("Filter by trajectory or skill in the impact report.")]
    if filters is None:
        return None, errors, {}
    report = suppress(hr_report(organisation=request.organisation, filters=filters, impact=impact))
    return report, [], filters.query()


def _page(request, *, impact: bool):
    report, errors, query = _build(request, impact=impact)
    context = {
        "report": report,
        "errors": errors,
        "impact": impact,
        "query": query,
        "selected": {key: request.GET.get(key, "") for key in ("team", "trajectory", "skill")},
        "weeks": query.get("weeks") or str(DEFAULT_HR_WEEKS),
        "end": query.get("end", ""),
        "minimum": MIN_PEOPLE,
        "today": organisation_today(organisation=request.organisation),
        "definitions": measures.MEASURES,
        "levels": list(measures.Level),
        **_choices(request.organisation, impact),
    }
    if impact:
        context["exports"] = recent_exports(membership=request.membership)
    if report is not None:
        trend = report.section("trend")
        context["level_sections"] = [report.section(level.value) for level in measures.Level]
        context["levels_suppressed"] = any(
            section.has_suppressed for section in context["level_sections"]
        )
        context["charts"] = [_week_chart(trend, key) for key in CHART_COLUMNS]
        context["too_few"] = 0 < report.people < MIN_PEOPLE
        context["csv_query"] = urlencode(query)
    return render(request, "analytics/hr_report.html", context, status=400 if errors else 200)


@member_required(Action.VIEW_ORGANISATION_REPORTS)
def hr_overview(request):
    return _page(request, impact=False)


@member_required(Action.VIEW_ORGANISATION_REPORTS)
def hr_impact(request):
    return _page(request, impact=True)


@member_required(Action.VIEW_ORGANISATION_REPORTS)
def hr_impact_csv(request):
    report, errors, query = _build(request, impact=True)
    if report is None:
        response = HttpResponse("\n".join(errors), status=400, content_type="text/plain")
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"werkwijs-{request.organisation.slug}-impact-{report.start}-{report.end}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    csv.writer(response).writerows(report_table_rows(report))
    return response
