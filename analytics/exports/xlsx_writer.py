"""XLSX with openpyxl in write-only mode: rows stream to disk, memory stays flat.

A summary sheet first, then one sheet per section: formatted header cells, the
header row frozen, columns sized from the header (write-only mode cannot measure
the rows it has already written, and reading them twice would cost the memory
it saves).
"""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import formats
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .report import SUPPRESSED, ExportReport
from .writers import FORMULA_STARTS, Progress, no_progress, suppressed_text

PROGRESS_EVERY = 1000
SHEET_TITLE_LENGTH = 31  # Excel's limit
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_BORDER = Border(bottom=Side(style="thin", color="000000"))
TITLE_FONT = Font(bold=True, size=14)
LABEL_FONT = Font(bold=True)
HIDDEN_FONT = Font(italic=True, color="595959")


def sheet_title(title: str, taken: set[str]) -> str:
    """A valid, unique sheet name: no forbidden characters, at most 31 characters."""
    base = " ".join(_SHEET_FORBIDDEN.sub(" ", title).split())[:SHEET_TITLE_LENGTH] or "Sheet"
    name, n = base, 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name = base[: SHEET_TITLE_LENGTH - len(suffix)] + suffix
        n += 1
    taken.add(name.casefold())
    return name


def write_xlsx(report: ExportReport, path: Path, *, progress: Progress = no_progress) -> None:
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    hidden = suppressed_text()

    def styled(sheet, value, font=None, **style):
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
        if font is not None:
            cell.font = font
        for name, setting in style.items():
            setattr(cell, name, setting)
        return cell

    summary = workbook.create_sheet(sheet_title(_("Summary"), taken))
    summary.column_dimensions["A"].width = 28
    summary.column_dimensions["B"].width = 60
    summary.append([styled(summary, report.title, TITLE_FONT)])
    summary.append([])
    rows = [
        (_("Organisation"), report.organisation_name),
        (_("Period"), report.period),
        (_("Generated"), formats.date_format(report.generated_at, "DATETIME_FORMAT")),
        *(
            (item.label, hidden if item.value is SUPPRESSED else item.value)
            for item in report.summary
        ),
    ]
    for label, value in rows:
        summary.append([styled(summary, label, LABEL_FONT), styled(summary, value)])
    if report.sections:
        summary.append([])
        summary.append([styled(summary, _("Sheets"), LABEL_FONT)])
    section_sheets = [sheet_title(section.title, taken) for section in report.sections]
    for name, section in zip(section_sheets, report.sections, strict=True):
        summary.append([styled(summary, name), styled(summary, section.description)])
    for note in report.notes:
        summary.append([styled(summary, note)])

    done = 0
    for name, section in zip(section_sheets, report.sections, strict=True):
        sheet = workbook.create_sheet(name)
        sheet.freeze_panes = "A2"
        for index, column in enumerate(section.columns, start=1):
            width = max(10, min(len(column) + 4, 40))
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.append(
            [
                styled(
                    sheet,
                    column,
                    HEADER_FONT,
                    fill=HEADER_FILL,
                    border=HEADER_BORDER,
                    alignment=Alignment(
                        horizontal="right" if i in section.numeric_columns else "left",
                        vertical="center",
                        wrap_text=True,
                    ),
                )
                for i, column in enumerate(section.columns)
            ]
        )
        for row in section.rows:
            sheet.append(
                [
                    styled(sheet, hidden, HIDDEN_FONT)
                    if value is SUPPRESSED
                    else styled(sheet, value)
                    if isinstance(value, str) and value[:1] in FORMULA_STARTS
                    else value
                    for value in row
                ]
            )
            done += 1
            if done % PROGRESS_EVERY == 0:
                progress(done)
    workbook.save(path)
    progress(done)
