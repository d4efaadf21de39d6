"""The follow-up report of the goals as PDF, DOCX and XLSX, styled like the profile exports.

The PDF reuses the profile PDF's embedded fonts and styles; the demo label is on every
page (PDF page top, DOCX page header) and under the title.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from sodd.export.docx import new_document
from sodd.export.goals_report import (
    goal_heading,
    goal_lines,
    source_texts,
    stored_status,
    stored_value,
    value_headers,
    value_rows,
)
from sodd.export.pdf import _escape, _register_fonts, _styles, build_pdf
from sodd.export.tidy import ExportContext, status_symbol
from sodd.export.xlsx import number_format
from sodd.formatting import format_timestamp
from sodd.goals_text import rule_text
from sodd.goals_view import GoalView
from sodd.i18n import t


def _values_table(view: GoalView, lang: str) -> Table:
    styles = _styles()
    data = [[Paragraph(_escape(h), styles["head"]) for h in value_headers(lang)]]
    data += [[Paragraph(_escape(c), styles["cell"]) for c in row] for row in value_rows(view, lang)]
    table = Table(data, colWidths=[30 * mm, 50 * mm, 25 * mm], repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#BBBBBB")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF3")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def render_goals_pdf(views: list[GoalView], context: ExportContext) -> bytes:
    """Render the follow-up report as a PDF.

    Parameters
    ----------
    views
        The goals with their series and status (:func:`sodd.goals_view.build_goal_views`).
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
    title = t("gr_title", lang)
    demo_text = t("exp_demo", lang) if context.demo else None

    exported = format_timestamp(context.exported_at, lang)
    story: list[Flowable] = [Paragraph(_escape(title), styles["title"]), Spacer(1, 4)]
    if demo_text:
        story.append(Paragraph(_escape(demo_text), styles["demo"]))
    story.append(Paragraph(_escape(f"{t('exp_exported', lang)}: {exported}"), styles["body"]))
    for view in views:
        block: list[Flowable] = [Paragraph(_escape(goal_heading(view, lang)), styles["h1"])]
        for label, text in goal_lines(view, lang):
            block.append(Paragraph(_escape(f"{label}: {text}"), styles["body"]))
        if view.summary:
            block.append(Paragraph(_escape(view.summary), styles["body"]))
        block += [Spacer(1, 3), _values_table(view, lang)]
        story.append(KeepTogether(block))
    story.append(Paragraph(_escape(t("gr_rule_heading", lang)), styles["h1"]))
    story.append(Paragraph(_escape(rule_text(lang)), styles["body"]))
    story.append(Paragraph(_escape(t("exp_not_published", lang)), styles["body"]))
    story.append(Paragraph(_escape(t("exp_sources", lang)), styles["h1"]))
    for text in source_texts(views, context):
        story.append(Paragraph("• " + _escape(text), styles["body"]))

    return build_pdf(story, title=title, footer=title, lang=lang, demo_text=demo_text)


def render_goals_docx(views: list[GoalView], context: ExportContext) -> bytes:
    """Render the follow-up report as an editable Word document.

    Parameters
    ----------
    views
        The goals with their series and status.
    context
        Manifest entries (sources, demo flag), language and export time.

    Returns
    -------
    bytes
        The ``.docx`` file.
    """
    lang = context.lang
    document = new_document(t("gr_title", lang), context)
    exported = format_timestamp(context.exported_at, lang)
    document.add_paragraph(f"{t('exp_exported', lang)}: {exported}")
    for view in views:
        document.add_heading(goal_heading(view, lang), level=1)
        for label, text in goal_lines(view, lang):
            document.add_paragraph(f"{label}: {text}")
        if view.summary:
            document.add_paragraph(view.summary)
        table = document.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, value_headers(lang), strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in value_rows(view, lang):
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = text
    document.add_heading(t("gr_rule_heading", lang), level=1)
    document.add_paragraph(rule_text(lang))
    document.add_paragraph(t("exp_not_published", lang))
    document.add_heading(t("exp_sources", lang), level=1)
    for text in source_texts(views, context):
        document.add_paragraph(text, style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_goals_xlsx(views: list[GoalView], context: ExportContext) -> bytes:
    """Workbook: sheet "Mål" (one row per goal), "Värden" (as stored) and "Metadata"."""
    lang = context.lang
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = t("gr_goals_sheet", lang)
    if context.demo:
        sheet.append([t("exp_demo", lang)])
        sheet.cell(row=1, column=1).font = Font(bold=True, color="9C0006")
    keys = ("indicator", "area", "target", "date", "baseline", "responsible", "note", "status")
    head = [t("gr_goal_id", lang), "indicator_id", "region_code"]
    head += [t(f"gr_{key}", lang) for key in keys]
    head += ["direction", "target_value", t("gr_latest_period", lang), t("gr_latest", lang)]
    _bold_row(sheet, head)
    for view in views:
        texts = dict(goal_lines(view, lang))
        goal = view.goal
        row: list[Any] = [goal.goal_id, goal.indicator_id, goal.region_code]
        row += [texts.get(t(f"gr_{key}", lang), "") for key in keys]
        row += [goal.direction, goal.target_value]
        row += [view.judged.latest_period or "", view.judged.latest_value]
        sheet.append(row)

    values = book.create_sheet(t("gr_values_sheet", lang))
    _bold_row(values, [t("gr_goal_id", lang), "indicator_id", "region_code", "period", "value"])
    values.cell(row=1, column=6, value="status").font = Font(bold=True)
    for view in views:
        decimals = view.indicator.decimals if view.indicator else 2
        for record in view.series.to_dict("records"):
            status = stored_status(record.get("status"))
            value = stored_value(record.get("value"))
            cell = None if status else value
            shown: Any = cell if cell is not None else (status_symbol(status) or "..")
            goal = view.goal
            values.append(
                [goal.goal_id, goal.indicator_id, goal.region_code, record["period"], shown, status]
            )
            if cell is not None:
                values.cell(row=values.max_row, column=5).number_format = number_format(decimals)

    meta = book.create_sheet("Metadata")
    if context.demo:
        meta.append([t("exp_demo_label", lang), t("exp_demo", lang)])
    meta.append([t("exp_exported", lang), format_timestamp(context.exported_at, lang)])
    meta.append([t("gr_rule_heading", lang), rule_text(lang)])
    for text in source_texts(views, context):
        meta.append([t("exp_source", lang), text])
    meta.append([t("exp_legend", lang), t("exp_not_published", lang)])
    meta.column_dimensions["A"].width = 24
    meta.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _bold_row(sheet: Any, cells: list[str]) -> None:
    sheet.append(cells)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
