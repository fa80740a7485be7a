"""CSV: the summary, then each section under its title, separated by an empty line.

UTF-8 with a byte order mark, so spreadsheet programs read the diacritics right.
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.utils import formats
from django.utils.translation import gettext as _

from .report import ExportReport, cell_text
from .writers import Progress, defused, no_progress, suppressed_text

PROGRESS_EVERY = 1000


def write_csv(report: ExportReport, path: Path, *, progress: Progress = no_progress) -> None:
    hidden = suppressed_text()

    def text(value) -> str:
        return defused(cell_text(value, suppressed=hidden))

    done = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([text(report.title)])
        writer.writerow([_("Period"), text(report.period)])
        writer.writerow(
            [_("Generated"), formats.date_format(report.generated_at, "DATETIME_FORMAT")]
        )
        for item in report.summary:
            writer.writerow([text(item.label), text(item.value)])
        for note in report.notes:
            writer.writerow([text(note)])
        for section in report.sections:
            writer.writerow([])
            writer.writerow([text(section.title)])
            writer.writerow([text(column) for column in section.columns])
            for row in section.rows:
                writer.writerow([text(value) for value in row])
                done += 1
                if done % PROGRESS_EVERY == 0:
                    progress(done)
    progress(done)
