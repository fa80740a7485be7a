"""k-anonymity for reports: no figure about fewer than ``MIN_PEOPLE`` people is shown.

One function, ``suppress``, over a ``Report`` (analytics.reporting), used by every
place that shows a breakdown: the HR pages, the CSV, the API and the exports.

1. Primary suppression: a cell whose figure is about 1 to ``MIN_PEOPLE - 1`` people
   is hidden. A cell about nobody (an empty team: 0 people) reveals nobody and stays.
2. Complementary suppression, in a section whose rows split its total (a team per
   row): the total minus the shown groups gives the hidden groups' sum, so as long
   as the hidden groups of a column together cover fewer than ``MIN_PEOPLE`` people,
   the shown group with the fewest people is hidden too, and when no group is left
   to hide, the total is. "Exactly one group hidden" is the common case of this rule.
"""

from __future__ import annotations

from dataclasses import replace

from .reporting import Cell, Report, Row, Section

MIN_PEOPLE = 5
SMALL_GROUP = "small_group"
COMPLEMENTARY = "complementary"


def is_small(cell: Cell, minimum: int = MIN_PEOPLE) -> bool:
    return cell.people is not None and 0 < cell.people < minimum


def _primary(row: Row, minimum: int) -> Row:
    return replace(
        row,
        cells=[cell.hidden(SMALL_GROUP) if is_small(cell, minimum) else cell for cell in row.cells],
    )


def _complementary(section: Section, minimum: int) -> Section:
    rows = list(section.rows)
    total_index = next((i for i, row in enumerate(rows) if row.is_total), None)
    if total_index is None:
        return section
    group_indexes = [i for i, row in enumerate(rows) if not row.is_total]
    cells = [list(row.cells) for row in rows]
    for column in range(len(section.columns)):
        total = cells[total_index][column]
        if total.people is None:  # not a figure about people: nothing to protect
            continue
        while not cells[total_index][column].suppressed:
            hidden = [cells[i][column] for i in group_indexes if cells[i][column].suppressed]
            covered = sum(cell.people or 0 for cell in hidden)
            if not hidden or covered >= minimum:
                break
            shown = [
                i
                for i in group_indexes
                if not cells[i][column].suppressed and (cells[i][column].people or 0) > 0
            ]
            if shown:
                pick = min(shown, key=lambda i: (cells[i][column].people, i))
                cells[pick][column] = cells[pick][column].hidden(COMPLEMENTARY)
            else:
                cells[total_index][column] = cells[total_index][column].hidden(COMPLEMENTARY)
    return replace(section, rows=[replace(row, cells=cells[i]) for i, row in enumerate(rows)])


def suppress_section(section: Section, *, minimum: int = MIN_PEOPLE) -> Section:
    section = replace(section, rows=[_primary(row, minimum) for row in section.rows])
    if section.partition:
        section = _complementary(section, minimum)
    return section


def suppress(report: Report, *, minimum: int = MIN_PEOPLE) -> Report:
    """The report with every figure about too few people hidden (a new report; idempotent)."""
    return replace(
        report,
        sections=[suppress_section(section, minimum=minimum) for section in report.sections],
        minimum_people=minimum,
        suppressed=True,
    )
