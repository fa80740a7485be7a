"""The one adapter from a report selector to an ``ExportReport``.

Today it reads the organisation report (completions per team per week). The HR
impact report (k-anonymity suppressed) replaces it: only ``export_report`` changes,
with the same signature; the jobs, writers and pages stay as they are.
"""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from organisations.models import Organisation

from .. import selectors
from .report import Chart, ExportReport, ExportSection, Series, SummaryItem


def export_parameters(raw: dict) -> dict:
    """The report filters an export keeps, cleaned: anything unknown falls back to a default."""
    try:
        weeks = int(raw.get("weeks", selectors.DEFAULT_REPORT_WEEKS))
    except (TypeError, ValueError):
        weeks = selectors.DEFAULT_REPORT_WEEKS
    if weeks not in selectors.REPORT_PERIODS:
        weeks = selectors.DEFAULT_REPORT_WEEKS
    return {"weeks": weeks}


def export_report(*, organisation: Organisation, parameters: dict) -> ExportReport:
    """The report an export writes, for ``parameters`` (see ``export_parameters``).

    Runs a fixed number of queries, whatever the number of teams, members or weeks.
    """
    weeks = export_parameters(parameters)["weeks"]
    today = selectors.organisation_today(organisation=organisation)
    report = selectors.completions_per_team_per_week(
        organisation=organisation, weeks=weeks, today=today
    )
    week_labels = [formats.date_format(monday, "SHORT_DATE_FORMAT") for monday in report.weeks]
    team_names = [row.team.name if row.team is not None else _("No team") for row in report.rows]
    per_team = ExportSection(
        title=_("Completions per team"),
        description=_("Units completed per team and week (Monday to Sunday)."),
        columns=[
            _("Team"),
            *[_("Week of %(monday)s") % {"monday": label} for label in week_labels],
            _("Total"),
        ],
        rows=[
            [name, *row.counts, row.total]
            for name, row in zip(team_names, report.rows, strict=True)
        ]
        + [[_("Total"), *report.week_totals, report.total]],
        row_count=len(report.rows) + 1,
        numeric_columns=frozenset(range(1, len(report.weeks) + 2)),
        chart=Chart(
            kind="bar",
            categories=team_names,
            series=[Series(name=_("Completions"), values=[row.total for row in report.rows])],
        ),
    )
    per_week = ExportSection(
        title=_("Completions per week"),
        description=_("Units completed in the whole organisation, week by week."),
        columns=[_("Week of"), _("Completions")],
        rows=[[label, total] for label, total in zip(week_labels, report.week_totals, strict=True)],
        row_count=len(report.weeks),
        numeric_columns=frozenset({1}),
        chart=Chart(
            kind="line",
            categories=week_labels,
            series=[Series(name=_("Completions"), values=report.week_totals)],
        ),
    )
    start, end = report.weeks[0], today
    last_run = report.rollup_last_run
    return ExportReport(
        title=_("Completions report"),
        organisation_name=organisation.name,
        generated_at=timezone.localtime(timezone.now(), organisation.zone),
        period=_("Last %(weeks)s weeks (%(start)s to %(end)s)")
        % {
            "weeks": weeks,
            "start": formats.date_format(start, "SHORT_DATE_FORMAT"),
            "end": formats.date_format(end, "SHORT_DATE_FORMAT"),
        },
        summary=[
            SummaryItem(_("Organisation"), organisation.name),
            SummaryItem(_("Completions"), report.total),
            SummaryItem(_("Teams"), sum(1 for row in report.rows if row.team is not None)),
            SummaryItem(
                _("Figures as of"),
                formats.date_format(
                    timezone.localtime(last_run, organisation.zone), "DATETIME_FORMAT"
                )
                if last_run
                else _("not brought up to date yet"),
            ),
        ],
        sections=[per_team, per_week],
    )
