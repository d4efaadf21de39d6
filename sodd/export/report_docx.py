"""The social report as an editable Word document, styled like the profile's DOCX.

The demo label is in the page header (so on every page) and under the title; the
last heading, "Egna iakttagelser", leaves room for the social services' own notes.
"""

from __future__ import annotations

import io

from docx.document import Document as DocumentObject

from sodd.export.docx import OWN_NOTE_LINES, new_document
from sodd.export.report_parts import (
    Block,
    header_lines,
    intro_text,
    report_notes,
    report_sources,
)
from sodd.export.report_sections import report_sections
from sodd.export.tidy import ExportContext, describe_source
from sodd.i18n import t
from sodd.report import KommunReport


def _block(document: DocumentObject, block: Block) -> None:
    if block.kind == "table" and block.table is not None:
        table = document.add_table(rows=1, cols=len(block.table.headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, block.table.headers, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in block.table.rows:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = text
        return
    for text in block.texts:
        if block.kind == "h2":
            document.add_heading(text, level=2)
        elif block.kind == "bullets":
            document.add_paragraph(text, style="List Bullet")
        else:
            paragraph = document.add_paragraph(text)
            if block.kind == "note":
                for run in paragraph.runs:
                    run.italic = True


def render_report_docx(report: KommunReport, context: ExportContext) -> bytes:
    """Render the social report of a kommun as an editable Word document.

    Parameters
    ----------
    report
        The report from :func:`sodd.report.build_kommun_report`.
    context
        Manifest entries (sources, demo flag), language and export time.

    Returns
    -------
    bytes
        The ``.docx`` file.
    """
    lang = context.lang
    document = new_document(t("rep_title", lang, kommun=report.kommun_name), context)
    for label, text in header_lines(report, context):
        document.add_paragraph(f"{label}: {text}")
    document.add_paragraph(intro_text(report, lang))
    for section in report_sections(report, lang):
        document.add_heading(section.title, level=1)
        for block in section.blocks:
            _block(document, block)
    document.add_heading(t("exp_sources", lang), level=1)
    for line in report_sources(report, context):
        document.add_paragraph(describe_source(line, lang), style="List Bullet")
    for note in report_notes(report, lang):
        document.add_paragraph(note)
    document.add_heading(t("exp_own", lang), level=1)
    document.add_paragraph(t("exp_own_hint", lang)).runs[0].italic = True
    for _ in range(OWN_NOTE_LINES):
        document.add_paragraph("")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
