"""The Word export: an editable document laid out for an SKA/BKA inventory.

Headings follow the inventory step of a social impact assessment: a summary,
"Områdets sociala förutsättningar" with one sub-heading and table per theme,
"Barnperspektiv (BKA)", "Det vet vi inte", "Källor" and "Egna iakttagelser" with
empty lines for the planner's own notes. Tables use Word's built-in "Table Grid"
style so they paste into a municipality's own template without clean-up. For
synthetic data the demo label is in the page header and under the title.
"""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocumentObject
from docx.shared import Pt, RGBColor

from sodd.export.notes_section import (
    NOTE_KEYS,
    note_headers,
    note_records,
    notes_heading,
    notes_intro,
)
from sodd.export.tidy import (
    ExportContext,
    area_lines,
    describe_source,
    display_headers,
    display_row,
    has_ckm_years,
    legend_lines,
    source_lines,
)
from sodd.i18n import t
from sodd.profile import AreaProfile, ProfileRow
from sodd.profile_sections import describe_unknown, flag_rule_text, summary_sentences

OWN_NOTE_LINES = 8


def _table(
    document: DocumentObject,
    rows: tuple[ProfileRow, ...],
    lang: str,
    peer_name: str | None = None,
) -> None:
    header = display_headers(lang, peer_name)
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        texts = display_row(row, lang, peer=peer_name is not None)
        for cell, text in zip(cells, texts, strict=True):
            cell.text = text


def _bullets(document: DocumentObject, items: list[str]) -> None:
    for item in items:
        document.add_paragraph(item, style="List Bullet")


def add_notes(document: DocumentObject, context: ExportContext) -> None:
    """Add the "Lokala iakttagelser (inte statistik)" section (nothing without notes).

    python-docx stores text as text (never as markup), so notes need no escaping here.
    """
    records = note_records(context)
    if not records:
        return
    document.add_heading(notes_heading(context.lang), level=1)
    document.add_paragraph(notes_intro(context.lang)).runs[0].italic = True
    header = note_headers(context.lang)
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for record in records:
        for cell, key in zip(table.add_row().cells, NOTE_KEYS, strict=True):
            cell.text = record[key]


def new_document(title: str, context: ExportContext) -> DocumentObject:
    """A Word document with sodd's body text size, title and demo label.

    Shared by every DOCX sodd writes (profile, social report, follow-up report): with
    synthetic data the label is in the page header and under the title.
    """
    document = Document()
    document.styles["Normal"].font.size = Pt(10)
    if context.demo:
        run = document.sections[0].header.paragraphs[0].add_run(t("exp_demo", context.lang))
        run.bold = True
        run.font.color.rgb = RGBColor(0x9C, 0x00, 0x06)
    document.add_heading(title, level=0)
    if context.demo:
        document.add_paragraph().add_run(t("exp_demo", context.lang)).bold = True
    return document


def render_docx(profile: AreaProfile, context: ExportContext) -> bytes:
    """Render the profile as an editable Word document.

    Parameters
    ----------
    profile
        The profile.
    context
        Manifest entries, language and export time.

    Returns
    -------
    bytes
        The ``.docx`` file.
    """
    lang = context.lang
    document = new_document(t("exp_title", lang, name=profile.name), context)
    for label, text in area_lines(profile, context):
        document.add_paragraph(f"{label}: {text}")

    document.add_heading(t("exp_summary", lang), level=1)
    _bullets(document, list(summary_sentences(profile, lang)))

    document.add_heading(t("exp_conditions", lang), level=1)
    peer_name = profile.peer.name if profile.peer else None
    for theme, rows in profile.themes:
        document.add_heading(theme.name(lang), level=2)
        _table(document, rows, lang, peer_name)
    document.add_paragraph(t("exp_flag_marker", lang))
    if peer_name is not None:
        document.add_paragraph(t("exp_peer_marker", lang))

    document.add_heading(t("exp_children", lang), level=1)
    _table(document, profile.children, lang, peer_name)

    document.add_heading(t("exp_unknowns", lang), level=1)
    unknowns = [describe_unknown(u, lang) for u in profile.unknowns]
    _bullets(document, unknowns or [t("exp_unknowns_none", lang)])

    document.add_heading(t("exp_sources", lang), level=1)
    _bullets(document, [describe_source(s, lang) for s in source_lines(profile, context)])
    document.add_paragraph(flag_rule_text(lang))
    for line in legend_lines(lang):
        document.add_paragraph(line)
    if has_ckm_years(profile):
        document.add_paragraph(t("exp_ckm", lang))

    add_notes(document, context)
    document.add_heading(t("exp_own", lang), level=1)
    document.add_paragraph(t("exp_own_hint", lang)).runs[0].italic = True
    for _ in range(OWN_NOTE_LINES):
        document.add_paragraph("")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
