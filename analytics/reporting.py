"""A report as plain data: what the HR pages, the CSV, the API and the exports all render.

A ``Report`` is a title, the period and filters it covers, and ``sections``; a
section has a title, ``columns`` and ``rows`` of ``cells``. Every cell carries
how many people its figure is about (``people``), which is what
``analytics.suppression.suppress`` needs to hide small groups. Render only a
suppressed report (``suppress(report)``): a suppressed cell has ``value=None``,
``suppressed=True`` and a ``reason``; ``Cell.text`` gives what a page or a file
shows ("–" for a suppressed cell, "" for no figure).

For a renderer (XLSX, PDF, CSV)::

    for section in report.sections:
        section.title, section.description
        [column.label for column in section.columns]     # the header, after the row label
        for row in section.rows:
            row.label, row.is_total, [cell.value or cell.text for cell in row.cells]
    report.notes()                                         # the explanations to print below
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .measures import Format

DASH = "\u2013"


@dataclass(frozen=True)
class Cell:
    value: int | float | str | None
    # How many people the figure is about; None: about nobody in particular (a target, a label).
    people: int | None = None
    format: Format = Format.COUNT
    suppressed: bool = False
    reason: str = ""  # SMALL_GROUP or COMPLEMENTARY (analytics.suppression)

    @property
    def text(self) -> str:
        """The cell as a page or a file shows it."""
        if self.suppressed:
            return DASH
        return format_value(self.value, self.format)

    def hidden(self, reason: str) -> Cell:
        return replace(self, value=None, suppressed=True, reason=reason)


def format_value(value, fmt: Format | str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    match Format(fmt):
        case Format.PERCENT:
            return f"{number_format(round(value * 100))}%"
        case Format.AVERAGE:
            return number_format(value, 1)
        case Format.CHANGE:
            return ("+" if value > 0 else "") + number_format(value, 1)
    return number_format(value, force_grouping=True)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    measure: str = ""  # the key of the measure it shows (analytics.measures), if any
    numeric: bool = True


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[Cell]
    key: str = ""  # a stable id (a team's, a week's date) for links and tests
    is_total: bool = False


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    columns: list[Column]
    rows: list[Row]
    description: str = ""
    # Rows other than the total split the total's people into groups (a member is in one
    # team): a total minus the other groups would give a hidden group's figure away, so
    # suppression hides more cells here (complementary suppression).
    partition: bool = False
    row_heading: str = ""  # the header of the label column ("Team", "Week")

    @property
    def total(self) -> Row | None:
        return next((row for row in self.rows if row.is_total), None)

    @property
    def groups(self) -> list[Row]:
        return [row for row in self.rows if not row.is_total]

    @property
    def has_suppressed(self) -> bool:
        return any(cell.suppressed for row in self.rows for cell in row.cells)


@dataclass(frozen=True)
class Filter:
    key: str
    label: str
    value: str


@dataclass(frozen=True)
class Report:
    title: str
    start: dt.date
    end: dt.date  # inclusive
    sections: list[Section]
    filters: list[Filter] = field(default_factory=list)
    people: int = 0  # the members the selection covers
    rollup_last_run: dt.datetime | None = None
    minimum_people: int = 0  # set by suppress(): the smallest group shown
    suppressed: bool = False  # whether suppress() ran

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)

    @property
    def has_suppressed(self) -> bool:
        return any(section.has_suppressed for section in self.sections)

    def notes(self) -> list[str]:
        """The explanations a file prints under its tables."""
        notes = []
        if self.has_suppressed:
            notes.append(
                _(
                    "%(dash)s: hidden to protect individuals: the figure is about fewer than "
                    "%(minimum)s people, or could be worked out from the figures shown beside it."
                )
                % {"dash": DASH, "minimum": self.minimum_people}
            )
        return notes


def _defused(value) -> str:
    """Spreadsheets run cells starting with these characters as formulas; defuse them."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def report_table_rows(report: Report) -> list[list[str]]:
    """The report as rows of text for a CSV (or any flat file): a block per section.

    Figures are the cells' ``text`` (so "–" where suppressed), labels defused for
    spreadsheets; the notes come last.
    """
    rows: list[list[str]] = [[_defused(report.title)]]
    rows += [[_defused(item.label), _defused(item.value)] for item in report.filters]
    for section in report.sections:
        rows.append([])
        rows.append([_defused(section.title)])
        rows.append([_defused(section.row_heading)] + [_defused(c.label) for c in section.columns])
        for row in section.rows:
            rows.append([_defused(row.label)] + [cell.text for cell in row.cells])
    notes = report.notes()
    if notes:
        rows.append([])
        rows += [[note] for note in notes]
    return rows
