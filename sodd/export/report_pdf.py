"""The social report as a PDF, with the profile PDF's fonts, styles and page decoration.

Every page carries the page number and, for synthetic data, the demo label; the
body is the shared sections of :mod:`sodd.export.report_sections`.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from sodd.export.pdf import MARGIN, _escape, _register_fonts, _styles, build_pdf
from sodd.export.report_parts import (
    Block,
    header_lines,
    intro_text,
    report_notes,
    report_sources,
)
from sodd.export.report_parts import Table as ReportTable
from sodd.export.report_sections import report_sections
from sodd.export.tidy import ExportContext, describe_source
from sodd.i18n import t
from sodd.report import KommunReport

TEXT_WIDTH = A4[0] - 2 * MARGIN


def _table(table: ReportTable, styles: dict[str, ParagraphStyle]) -> Table:
    data = [[Paragraph(_escape(h), styles["head"]) for h in table.headers]]
    data += [[Paragraph(_escape(c), styles["cell"]) for c in row] for row in table.rows]
    widths = [share * TEXT_WIDTH for share in table.widths]
    flowable = Table(data, colWidths=widths, repeatRows=1)
    flowable.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#BBBBBB")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF3")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return flowable


def _block(block: Block, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    if block.kind == "table" and block.table is not None:
        return [Spacer(1, 3), _table(block.table, styles), Spacer(1, 3)]
    style = {"h2": "h2", "note": "cell"}.get(block.kind, "body")
    prefix = "• " if block.kind == "bullets" else ""
    return [Paragraph(prefix + _escape(text), styles[style]) for text in block.texts]


def render_report_pdf(report: KommunReport, context: ExportContext) -> bytes:
    """Render the social report of a kommun as a PDF.

    Parameters
    ----------
    report
        The report from :func:`sodd.report.build_kommun_report`.
    context
        Manifest entries (sources, demo flag), language and export time.

    Returns
    -------
    bytes
        The ``.pdf`` file.
    """
    _register_fonts()
    lang = context.lang
    styles = _styles()
    title = t("rep_title", lang, kommun=report.kommun_name)
    demo_text = t("exp_demo", lang) if context.demo else None

    story: list[Flowable] = [Paragraph(_escape(title), styles["title"]), Spacer(1, 4)]
    if demo_text:
        story.append(Paragraph(_escape(demo_text), styles["demo"]))
    for label, text in header_lines(report, context):
        story.append(Paragraph(_escape(f"{label}: {text}"), styles["body"]))
    story.append(Paragraph(_escape(intro_text(report, lang)), styles["body"]))
    for section in report_sections(report, lang):
        story.append(Paragraph(_escape(section.title), styles["h1"]))
        for block in section.blocks:
            story += _block(block, styles)
    story.append(Paragraph(_escape(t("exp_sources", lang)), styles["h1"]))
    for line in report_sources(report, context):
        story.append(Paragraph("• " + _escape(describe_source(line, lang)), styles["body"]))
    story += [Paragraph(_escape(note), styles["body"]) for note in report_notes(report, lang)]

    return build_pdf(
        story, title=title, footer=f"{title} ({report.kommun_code})", lang=lang, demo_text=demo_text
    )
