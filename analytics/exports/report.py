"""What an export contains, as plain data: the writers know nothing else.

The HR report hands over its figures already suppressed (k-anonymity): a cell the
report hides arrives as ``SUPPRESSED`` and every writer shows it as such, never a
number. Cells are ``int``, ``float``, ``str``, ``None`` (empty) or ``SUPPRESSED``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Union


class Suppressed:
    """A figure the report may not show (too few people behind it)."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "SUPPRESSED"


SUPPRESSED = Suppressed()
Cell = Union[int, float, str, None, Suppressed]  # noqa: UP007 - a runtime alias


@dataclass(frozen=True)
class Series:
    """One line or set of bars of a chart: a name and a value per category."""

    name: str
    values: Sequence[float | int | None]


@dataclass(frozen=True)
class Chart:
    """What the PDF draws for a section: categories along the x axis, one or more series."""

    kind: Literal["bar", "line"]
    categories: Sequence[str]
    series: Sequence[Series]


@dataclass(frozen=True)
class ExportSection:
    """One breakdown: a sheet in XLSX, a block in CSV, a page in PDF."""

    title: str
    columns: Sequence[str]
    # Any iterable, so a large section can be streamed; ``row_count`` says how many.
    rows: Iterable[Sequence[Cell]]
    row_count: int
    description: str = ""
    chart: Chart | None = None
    # Columns that hold figures (right-aligned, summed nowhere): indexes into ``columns``.
    numeric_columns: frozenset[int] = frozenset()


@dataclass(frozen=True)
class SummaryItem:
    label: str
    value: Cell


@dataclass(frozen=True)
class ExportReport:
    title: str
    organisation_name: str
    generated_at: dt.datetime
    period: str  # in words, e.g. "last 12 weeks (2 Jun 2025 to 24 Aug 2025)"
    summary: Sequence[SummaryItem]
    sections: Sequence[ExportSection] = field(default_factory=list)
    # Shown on the summary: how the figures were made, what was suppressed and why.
    notes: Sequence[str] = ()

    @property
    def row_count(self) -> int:
        return sum(section.row_count for section in self.sections)


def cell_text(value: Cell, *, suppressed: str) -> str:
    """A cell as text, for CSV and PDF (``suppressed``: how a hidden figure reads)."""
    if value is SUPPRESSED:
        return suppressed
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)
