"""The three writers, read back: XLSX with openpyxl, PDF with pypdf, CSV with csv."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from analytics.exports.csv_writer import write_csv
from analytics.exports.pdf_writer import fonts, write_pdf
from analytics.exports.report import (
    SUPPRESSED,
    Chart,
    ExportReport,
    ExportSection,
    Series,
    SummaryItem,
)
from analytics.exports.xlsx_writer import sheet_title, write_xlsx

DUTCH = ["Financiën", "Reïntegratie", "Café Ĳsselmonde", "Coördinatie"]


def sample_report(*, rows_per_team: int = 1) -> ExportReport:
    teams = ExportSection(
        title="Completions per team",
        description="Per team and week.",
        columns=["Team", "Week 1", "Week 2", "Total"],
        rows=[
            ["Financiën", 3, 4, 7],
            ["Reïntegratie", SUPPRESSED, SUPPRESSED, SUPPRESSED],
            ["Café Ĳsselmonde", 0, 2, 2],
            ['=HYPERLINK("http://evil")', 1, 0, 1],
        ],
        row_count=4,
        numeric_columns=frozenset({1, 2, 3}),
        chart=Chart(
            kind="bar",
            categories=["Financiën", "Reïntegratie", "Café Ĳsselmonde", "x"],
            series=[Series("Completions", [7, None, 2, 1])],
        ),
    )
    weeks = ExportSection(
        title="Completions per week: Coördinatie",
        columns=["Week of", "Completions"],
        rows=[["1-9-2025", 4], ["8-9-2025", 6]],
        row_count=2,
        numeric_columns=frozenset({1}),
        chart=Chart(kind="line", categories=["1-9", "8-9"], series=[Series("All", [4, 6])]),
    )
    return ExportReport(
        title="Completions report",
        organisation_name="Gemeente Zeeën",
        generated_at=timezone.make_aware(dt.datetime(2025, 9, 10, 9, 30)),
        period="Last 2 weeks",
        summary=[SummaryItem("Completions", 10), SummaryItem("Smallest team", SUPPRESSED)],
        sections=[teams, weeks],
        notes=["Groups of fewer than 5 people are hidden."],
    )


def test_xlsx_has_a_summary_sheet_and_a_sheet_per_section_with_the_figures(tmp_path):
    path = tmp_path / "report.xlsx"
    seen = []

    write_xlsx(sample_report(), path, progress=seen.append)

    book = load_workbook(path)
    assert book.sheetnames == [
        "Summary",
        "Completions per team",
        "Completions per week Coördinati",
    ]
    summary = book["Summary"]
    assert summary["A1"].value == "Completions report"
    values = {row[0]: row[1] for row in summary.iter_rows(min_row=3, values_only=True) if row[0]}
    assert values["Organisation"] == "Gemeente Zeeën"
    assert values["Completions"] == 10
    assert values["Smallest team"] == "hidden (fewer than 5 people)"
    teams = book["Completions per team"]
    assert [c.value for c in teams[1]] == ["Team", "Week 1", "Week 2", "Total"]
    assert teams["A2"].value == "Financiën" and teams["D2"].value == 7
    assert teams["B3"].value == "hidden (fewer than 5 people)"
    assert teams["A4"].value == "Café Ĳsselmonde" and teams["C4"].value == 2
    assert seen[-1] == 6


def test_xlsx_header_row_is_frozen_and_formatted(tmp_path):
    path = tmp_path / "report.xlsx"
    write_xlsx(sample_report(), path)

    book = load_workbook(path)
    for name in book.sheetnames[1:]:
        sheet = book[name]
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet["A1"].fill.fgColor.rgb.endswith("1F4E79")


def test_xlsx_never_turns_text_into_a_formula(tmp_path):
    path = tmp_path / "report.xlsx"
    write_xlsx(sample_report(), path)

    cell = load_workbook(path)["Completions per team"]["A5"]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://evil")'


def test_sheet_titles_are_valid_and_unique():
    taken: set[str] = set()
    names = [sheet_title(t, taken) for t in ("A/B: c?", "a/b: C?", "x" * 40)]
    assert names == ["A B c", "a b C (2)", "x" * 31]


def test_pdf_has_a_page_per_section_and_the_dutch_diacritics(tmp_path):
    path = tmp_path / "report.pdf"
    write_pdf(sample_report(), path)

    reader = PdfReader(path)
    assert len(reader.pages) == 3  # the summary, then one page per section
    texts = [page.extract_text() for page in reader.pages]
    assert "Gemeente Zeeën" in texts[0]
    assert "Completions per team" in texts[1] and "Financiën" in texts[1]
    assert "Reïntegratie" in texts[1] and "hidden (fewer than 5 people)" in texts[1]
    assert "Coördinatie" in texts[2]
    # ĳ is one letter in Dutch; a font without it writes "ij", never a box.
    if ord("Ĳ") in fonts()[2]:
        assert "Café Ĳsselmonde" in texts[1]
    else:
        assert "Café IJsselmonde" in texts[1]


def test_pdf_embeds_a_font_that_covers_dutch(tmp_path):
    path = tmp_path / "report.pdf"
    write_pdf(sample_report(), path)

    covered = fonts()[2]
    assert all(ord(ch) in covered for ch in "éëïöü")
    names = {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(path).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any(fonts()[0] in name for name in names)


def test_pdf_draws_each_sections_chart(tmp_path):
    path = tmp_path / "report.pdf"
    write_pdf(sample_report(), path)

    pages = PdfReader(path).pages
    # The bar chart's category labels and the line chart's legend are drawn text.
    assert "Completions" in pages[1].extract_text()
    assert "All" in pages[2].extract_text()
    drawn = [page.get_contents().get_data() for page in pages[1:]]
    assert all(b" re" in data or b" l" in data for data in drawn)


def test_csv_has_the_summary_and_every_section(tmp_path):
    path = tmp_path / "report.csv"
    write_csv(sample_report(), path)

    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == ["Completions report"]
    assert ["Completions", "10"] in rows
    assert ["Smallest team", "hidden (fewer than 5 people)"] in rows
    header = rows.index(["Team", "Week 1", "Week 2", "Total"])
    assert rows[header - 1] == ["Completions per team"]
    assert rows[header + 1] == ["Financiën", "3", "4", "7"]
    assert rows[header + 3] == ["Café Ĳsselmonde", "0", "2", "2"]
    assert rows[header + 4][0] == '\'=HYPERLINK("http://evil")'
    assert ["8-9-2025", "6"] in rows


@pytest.mark.parametrize("writer", [write_csv, write_xlsx, write_pdf])
def test_writers_report_progress_up_to_every_row(tmp_path, writer):
    seen = []
    writer(sample_report(), tmp_path / "out", progress=seen.append)
    assert seen and seen[-1] == 6 and seen == sorted(seen)
