"""A printable PDF with ReportLab: a summary page, then a page per section with its chart.

Fonts: Dutch needs é, ë, ï and the ligature ĳ; the base-14 fonts (WinAnsi) have no
ĳ. DejaVu Sans (Debian's fonts-dejavu-core, on every machine with Chromium) covers
all of them; without it, ReportLab's own Bitstream Vera (Latin-1) is used, and a
character it lacks is written as its compatibility form (ĳ as "ij"), never as a box.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    KeepTogether,
    LongTable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)

from .report import Chart, ExportReport, ExportSection, cell_text
from .writers import Progress, no_progress, suppressed_text

FONT_CANDIDATES = (
    (
        "DejaVuSans",
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ),
    (
        "Vera",
        Path(reportlab.__file__).parent / "fonts" / "Vera.ttf",
        Path(reportlab.__file__).parent / "fonts" / "VeraBd.ttf",
    ),
)
PAGE = landscape(A4)
MARGIN = 15 * mm
CHART_HEIGHT = 60 * mm
# A chart with more bars than this shows the largest ones; the table has them all.
CHART_MAX_CATEGORIES = 30
PALETTE = [colors.HexColor(c) for c in ("#1F4E79", "#C55A11", "#548235", "#7030A0")]
PROGRESS_EVERY = 200


@functools.cache
def fonts() -> tuple[str, str, frozenset[int]]:
    """The regular and bold font names, registered once, and the code points they cover."""
    for name, regular, bold in FONT_CANDIDATES:
        if regular.exists() and bold.exists():
            font = TTFont(name, str(regular))
            pdfmetrics.registerFont(font)
            pdfmetrics.registerFont(TTFont(f"{name}-Bold", str(bold)))
            pdfmetrics.registerFontFamily(name, normal=name, bold=f"{name}-Bold")
            return name, f"{name}-Bold", frozenset(font.face.charToGlyph)
    return "Helvetica", "Helvetica-Bold", frozenset(range(32, 256))


def printable(text: str) -> str:
    """``text`` with every character the font lacks in its compatibility form (ĳ → ij)."""
    covered = fonts()[2]
    if all(ord(ch) in covered for ch in text):
        return text
    out = []
    for ch in text:
        if ord(ch) in covered or ch in "\n\t":
            out.append(ch)
            continue
        plain = unicodedata.normalize("NFKC", ch)
        if all(ord(c) in covered for c in plain):
            out.append(plain)
        else:
            plain = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
            out.append(plain or "?")
    return "".join(out)


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold, _covered = fonts()
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=18, leading=22, spaceAfter=6),
        "h2": ParagraphStyle("h2", fontName=bold, fontSize=14, leading=18, spaceAfter=4),
        "body": ParagraphStyle("body", fontName=regular, fontSize=10, leading=13),
        "muted": ParagraphStyle(
            "muted", fontName=regular, fontSize=9, leading=12, textColor=colors.HexColor("#555555")
        ),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(printable(text)), style)


def _chart(chart: Chart, width: float) -> Drawing:
    regular = fonts()[0]
    categories = [printable(c) for c in chart.categories]
    series = [[v or 0 for v in s.values] for s in chart.series]
    if chart.kind == "bar" and len(categories) > CHART_MAX_CATEGORIES:
        order = sorted(range(len(categories)), key=lambda i: -sum(s[i] for s in series))
        keep = sorted(order[:CHART_MAX_CATEGORIES])
        categories = [categories[i] for i in keep]
        series = [[s[i] for i in keep] for s in series]
    drawing = Drawing(width, CHART_HEIGHT)
    plot = VerticalBarChart() if chart.kind == "bar" else HorizontalLineChart()
    plot.x, plot.y = 40, 40
    plot.width, plot.height = width - 60, CHART_HEIGHT - 55
    plot.data = series or [[0]]
    plot.categoryAxis.categoryNames = [c[:18] for c in categories] or [""]
    plot.categoryAxis.labels.fontName = regular
    plot.categoryAxis.labels.fontSize = 7
    plot.categoryAxis.labels.angle = 30 if len(categories) > 6 else 0
    plot.categoryAxis.labels.boxAnchor = "ne" if len(categories) > 6 else "n"
    plot.valueAxis.labels.fontName = regular
    plot.valueAxis.labels.fontSize = 7
    plot.valueAxis.valueMin = 0
    peak = max((max(s, default=0) for s in series), default=0)
    if peak == 0:
        plot.valueAxis.valueMax = 1
    for i in range(len(series)):
        if chart.kind == "bar":
            plot.bars[i].fillColor = PALETTE[i % len(PALETTE)]
        else:
            plot.lines[i].strokeColor = PALETTE[i % len(PALETTE)]
            plot.lines[i].strokeWidth = 2
    drawing.add(plot)
    legend = ", ".join(printable(s.name) for s in chart.series)
    drawing.add(String(40, CHART_HEIGHT - 10, legend, fontName=regular, fontSize=8))
    return drawing


def _table(section: ExportSection, width: float, rows: Sequence[Sequence[str]]) -> LongTable:
    regular, bold, _covered = fonts()
    size = max(5, min(9, int(200 / max(len(section.columns), 1))))
    header_style = ParagraphStyle("th", fontName=bold, fontSize=size, leading=size + 2)
    cell_style = ParagraphStyle("td", fontName=regular, fontSize=size, leading=size + 2)
    numeric = section.numeric_columns
    right = {
        header_style.name: ParagraphStyle("thr", parent=header_style, alignment=TA_RIGHT),
        cell_style.name: ParagraphStyle("tdr", parent=cell_style, alignment=TA_RIGHT),
    }

    def cell(text: str, column: int, style: ParagraphStyle) -> Paragraph:
        return Paragraph(escape(printable(text)), right[style.name] if column in numeric else style)

    data = [[cell(c, i, header_style) for i, c in enumerate(section.columns)]]
    data += [[cell(c, i, cell_style) for i, c in enumerate(row)] for row in rows]
    first = min(width * 0.25, 55 * mm) if len(section.columns) > 2 else width / 2
    rest = (width - first) / max(len(section.columns) - 1, 1)
    table = LongTable(data, colWidths=[first] + [rest] * (len(section.columns) - 1), repeatRows=1)
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE6F0")),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F4F6F8")]),
    ]
    table.setStyle(TableStyle(style))
    return table


def write_pdf(report: ExportReport, path: Path, *, progress: Progress = no_progress) -> None:
    styles = _styles()
    hidden = suppressed_text()
    width = PAGE[0] - 2 * MARGIN
    regular = fonts()[0]

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(regular, 8)
        canvas.drawString(
            MARGIN,
            8 * mm,
            printable(f"{report.organisation_name} · {report.title} · {report.period}"),
        )
        canvas.drawRightString(PAGE[0] - MARGIN, 8 * mm, str(doc.page))
        canvas.restoreState()

    story: list = [
        _p(report.title, styles["title"]),
        _p(report.organisation_name, styles["h2"]),
        _p(report.period, styles["body"]),
        _p(
            _("Generated %(when)s")
            % {"when": formats.date_format(report.generated_at, "DATETIME_FORMAT")},
            styles["muted"],
        ),
        Spacer(1, 6 * mm),
    ]
    summary = [
        [cell_text(item.label, suppressed=hidden), cell_text(item.value, suppressed=hidden)]
        for item in report.summary
    ]
    if summary:
        summary_section = ExportSection(
            title=_("Summary"), columns=[_("Summary"), ""], rows=[], row_count=0
        )
        story.append(_table(summary_section, width / 2, summary))
    for note in report.notes:
        story += [Spacer(1, 3 * mm), _p(note, styles["muted"])]

    done = 0
    for section in report.sections:
        rows = []
        for row in section.rows:
            rows.append([cell_text(value, suppressed=hidden) for value in row])
            done += 1
            if done % PROGRESS_EVERY == 0:
                progress(done)
        head = [_p(section.title, styles["h2"])]
        if section.description:
            head.append(_p(section.description, styles["muted"]))
        if section.chart is not None:
            head += [Spacer(1, 2 * mm), _chart(section.chart, width)]
        story += [PageBreak(), KeepTogether(head), Spacer(1, 4 * mm), _table(section, width, rows)]

    document = SimpleDocTemplate(
        str(path),
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=printable(report.title),
        author=printable(report.organisation_name),
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    progress(done)
