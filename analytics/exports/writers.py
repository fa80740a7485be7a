"""What every writer shares: the progress callback and the words on every export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from django.utils.translation import gettext as _

from .report import ExportReport

# Called with the rows written so far (of ``ExportReport.row_count``).
Progress = Callable[[int], None]

# Spreadsheet programs run a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Writer(Protocol):
    def __call__(self, report: ExportReport, path: Path, *, progress: Progress) -> None: ...


def suppressed_text() -> str:
    return _("hidden (fewer than 5 people)")


def no_progress(done: int) -> None:
    pass


def defused(text: str) -> str:
    """Text that a spreadsheet shows as text, never runs (CSV has no cell types)."""
    return "'" + text if text[:1] in FORMULA_STARTS else text
