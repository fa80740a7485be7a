"""The one adapter from a report selector to an ``ExportReport``: the HR impact report.

An export writes what the HR impact page shows for the same filters: the report of
``analytics.selectors.report.hr_report``, k-anonymity suppressed (``suppress``) before
anything leaves this module, so a hidden figure arrives at the writers as ``SUPPRESSED``.
"""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from organisations.models import Organisation

from ..measures import Format
from ..reporting import Cell, Report, Section
from ..selectors import organisation_today
from ..selectors.report import DEFAULT_HR_WEEKS, FILTER_NAMES, hr_report, report_filters_parse
from ..suppression import suppress
from .report import SUPPRESSED, Chart, ExportReport, ExportSection, Series, SummaryItem
from .report import Cell as ExportCell

# The weekly trend is drawn as lines, the team breakdown as bars; other sections have none.
TREND_SECTION = "trend"
TEAM_SECTION = "teams"


def export_parameters(raw) -> dict:
    """The HR report filters an export keeps, as strings: unknown keys and empty values go.

    Checking them is the report's job (``report_filters_parse``, when the export runs).
    """
    parameters = {}
    for name in FILTER_NAMES:
        value = raw.get(name)
        if value is None:
            continue
        value = str(value).strip()
        if value:
            parameters[name] = value
    parameters.setdefault("weeks", str(DEFAULT_HR_WEEKS))
    return parameters


def _percent_columns(section: Section) -> set[int]:
    return {
        i
        for row in section.rows
        for i, cell in enumerate(row.cells)
        if cell.format == Format.PERCENT and not isinstance(cell.value, str)
    }


def _value(cell: Cell, percent: bool) -> ExportCell:
    if cell.suppressed:
        return SUPPRESSED
    if percent and isinstance(cell.value, int | float):
        return round(cell.value * 100, 1)
    return cell.value


def _number(value: ExportCell) -> float | int | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _chart(section: Section, rows: list[list[ExportCell]], columns: list[str]) -> Chart | None:
    """Lines for the weekly trend, bars of the first figure per team; totals left out."""
    groups = [values for row, values in zip(section.rows, rows, strict=True) if not row.is_total]
    numeric = [i for i, column in enumerate(section.columns) if column.numeric]
    if not groups or not numeric:
        return None
    categories = [str(values[0]) for values in groups]
    if section.key == TREND_SECTION:
        return Chart(
            kind="line",
            categories=categories,
            series=[
                Series(name=columns[i + 1], values=[_number(values[i + 1]) for values in groups])
                for i in numeric
            ],
        )
    if section.key == TEAM_SECTION:
        first = numeric[0]
        return Chart(
            kind="bar",
            categories=categories,
            series=[
                Series(
                    name=columns[first + 1],
                    values=[_number(values[first + 1]) for values in groups],
                )
            ],
        )
    return None


def export_section(section: Section) -> ExportSection:
    """One section of a suppressed report as the writers take it."""
    percent = _percent_columns(section)
    columns = [section.row_heading or section.title] + [
        f"{column.label} (%)" if i in percent else column.label
        for i, column in enumerate(section.columns)
    ]
    rows = [
        [row.label, *[_value(cell, i in percent) for i, cell in enumerate(row.cells)]]
        for row in section.rows
    ]
    return ExportSection(
        title=section.title,
        description=section.description,
        columns=columns,
        rows=rows,
        row_count=len(rows),
        numeric_columns=frozenset(
            i + 1 for i, column in enumerate(section.columns) if column.numeric
        ),
        chart=_chart(section, rows, columns),
    )


def _summary(organisation: Organisation, report: Report) -> list[SummaryItem]:
    last_run = report.rollup_last_run
    return [
        # The writers print the organisation and the period themselves.
        *[SummaryItem(item.label, item.value) for item in report.filters if item.key != "period"],
        SummaryItem(_("People"), report.people),
        SummaryItem(
            _("Figures as of"),
            formats.date_format(timezone.localtime(last_run, organisation.zone), "DATETIME_FORMAT")
            if last_run
            else _("not brought up to date yet"),
        ),
    ]


def export_report(*, organisation: Organisation, parameters: dict) -> ExportReport:
    """The impact report an export writes, for ``parameters`` (see ``export_parameters``).

    Raises ``ValueError`` with the report's messages when the filters are wrong (a team
    deleted since the export was started, say): the job then fails with that reason.
    Runs a fixed number of queries, whatever the number of teams, members or weeks.
    """
    filters, errors = report_filters_parse(
        organisation=organisation,
        params=export_parameters(parameters),
        today=organisation_today(organisation=organisation),
    )
    if filters is None:
        raise ValueError(" ".join(errors))
    report = suppress(hr_report(organisation=organisation, filters=filters, impact=True))
    return ExportReport(
        title=report.title,
        organisation_name=organisation.name,
        generated_at=timezone.localtime(timezone.now(), organisation.zone),
        period=_("Last %(weeks)s weeks (%(start)s to %(end)s)")
        % {
            "weeks": filters.weeks,
            "start": formats.date_format(report.start, "SHORT_DATE_FORMAT"),
            "end": formats.date_format(report.end, "SHORT_DATE_FORMAT"),
        },
        summary=_summary(organisation, report),
        sections=[export_section(section) for section in report.sections],
        notes=report.notes(),
    )
