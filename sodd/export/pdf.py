"""The PDF export, drawn with ReportLab's own primitives (no browser, no network).

Fonts: Bitstream Vera, which ships inside the ReportLab wheel, is embedded so å, ä,
ö, the en dash and the typographic minus render in every viewer (the PDF base-14
fonts cover Latin-1 only). Every page has a page number and, for synthetic data,
the demo label; the area map is a vector drawing of the area in its kommun.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

import reportlab
from reportlab.graphics.shapes import Drawing
from reportlab.graphics.shapes import Path as PathShape
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import BaseDocTemplate

from sodd.export.mapdraw import Ring, project_rings
from sodd.export.notes_section import note_records, notes_heading, notes_intro
from sodd.export.pdf_charts import chart_flowables
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

FONT = "SoddVera"
FONT_BOLD = "SoddVera-Bold"
# Page margin of every PDF sodd writes.
MARGIN = 18 * mm
RED = colors.HexColor("#9C0006")
BLUE = colors.HexColor("#1F5F8B")
# Indicator name gets the room; the figures, the year and the change share the rest.
# Sized with 3 pt cell padding so "Kommunen", "2024" and "minskat 2019–2024" fit a line.
COLUMN_WIDTHS = (54 * mm, 20 * mm, 22 * mm, 18 * mm, 18 * mm, 12 * mm, 30 * mm)
# With a peer area: one more figure column, the others a little narrower.
PEER_COLUMN_WIDTHS = (39 * mm, 17 * mm, 22 * mm, 15 * mm, 15 * mm, 23 * mm, 11 * mm, 32 * mm)


@functools.cache
def _register_fonts() -> None:
    folder = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "VeraBd.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12)
    return {
        "body": base,
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10),
        "head": ParagraphStyle("head", parent=base, fontName=FONT_BOLD, fontSize=8, leading=10),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=18, leading=22),
        "h1": ParagraphStyle(
            "h1", parent=base, fontName=FONT_BOLD, fontSize=13, leading=17, spaceBefore=8
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=FONT_BOLD, fontSize=10.5, leading=14, spaceBefore=6
        ),
        "demo": ParagraphStyle("demo", parent=base, fontName=FONT_BOLD, textColor=RED),
    }


def _escape(text: str) -> str:
    # Paragraph parses a small XML markup: escape the three characters it reacts to.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _path(rings: list[Ring], height: float, fill: colors.Color, stroke: colors.Color) -> PathShape:
    shape = PathShape(fillColor=fill, strokeColor=stroke, strokeWidth=0.6, fillMode=0)
    for ring in rings:
        if not ring:
            continue
        # Drawings have y pointing up; the projected rings have it pointing down.
        shape.moveTo(ring[0][0], height - ring[0][1])
        for x, y in ring[1:]:
            shape.lineTo(x, height - y)
        shape.closePath()
    return shape


def render_map_drawing(context: ExportContext, width: float, height: float) -> Drawing | None:
    """The area (blue) inside its kommun (grey), or ``None`` without geometry."""
    kommun, area = project_rings([context.kommun_geometry, context.area_geometry], width, height)
    if not kommun and not area:
        return None
    drawing = Drawing(width, height)
    drawing.add(_path(kommun, height, colors.HexColor("#D9D9D9"), colors.HexColor("#777777")))
    drawing.add(_path(area, height, BLUE, colors.HexColor("#0B2E45")))
    return drawing


def _table(
    rows: tuple[ProfileRow, ...],
    lang: str,
    styles: dict[str, ParagraphStyle],
    peer_name: str | None = None,
) -> Table:
    # "Jämförelseområde:" is wider than its column: break the compound the Swedish way.
    heads = [
        _escape(h).replace("Jämförelseområde:", "Jämförelse-<br/>område:")
        for h in display_headers(lang, peer_name)
    ]
    data = [[Paragraph(h, styles["head"]) for h in heads]]
    for row in rows:
        # No arrows: the embedded Vera font has no ↑/↓ glyphs.
        cells = display_row(row, lang, peer=peer_name is not None, arrows=False)
        data.append([Paragraph(_escape(c), styles["cell"]) for c in cells])
    widths = COLUMN_WIDTHS if peer_name is None else PEER_COLUMN_WIDTHS
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#BBBBBB")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF3")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def notes_story(context: ExportContext, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The "Lokala iakttagelser (inte statistik)" section; empty without notes.

    Notes are user text: escaped before ReportLab reads its paragraph markup.
    """
    records = note_records(context)
    if not records:
        return []
    lang = context.lang
    story: list[Flowable] = [
        Paragraph(_escape(notes_heading(lang)), styles["h1"]),
        Paragraph(_escape(notes_intro(lang)), styles["body"]),
    ]
    for record in records:
        label = f"{record['date']} · {record['category']}"
        if record["signature"]:
            label += f" · {record['signature']}"
        text = _escape(record["text"]).replace("\n", "<br/>")
        story += [Paragraph(_escape(label), styles["head"]), Paragraph(text, styles["body"])]
    return story


def build_pdf(
    story: list[Flowable], *, title: str, footer: str, lang: str, demo_text: str | None
) -> bytes:
    """Lay out ``story`` on A4 pages with sodd's footer, page numbers and demo label.

    Shared by every PDF sodd writes (profile, social report, follow-up report), so they
    all carry the demo label on every page when the data is synthetic.
    """

    def decorate(canvas: Canvas, document: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawString(MARGIN, 10 * mm, footer)
        page = t("exp_page", lang, page=canvas.getPageNumber())
        canvas.drawRightString(A4[0] - MARGIN, 10 * mm, page)
        if demo_text:
            canvas.setFont(FONT_BOLD, 9)
            canvas.setFillColor(RED)
            canvas.drawCentredString(A4[0] / 2, A4[1] - 10 * mm, demo_text)
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=title,
        author="sodd",
        lang=lang,
    )
    document.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def render_pdf(profile: AreaProfile, context: ExportContext) -> bytes:
    """Render the profile as a PDF.

    Parameters
    ----------
    profile
        The profile.
    context
        Geometries, manifest entries, language and export time.

    Returns
    -------
    bytes
        The ``.pdf`` file.
    """
    _register_fonts()
    lang = context.lang
    styles = _styles()
    title = t("exp_title", lang, name=profile.name)
    demo_text = t("exp_demo", lang) if context.demo else None

    story: list[Flowable] = [Paragraph(_escape(title), styles["title"]), Spacer(1, 4)]
    if demo_text:
        story.append(Paragraph(_escape(demo_text), styles["demo"]))
    for label, text in area_lines(profile, context):
        story.append(Paragraph(_escape(f"{label}: {text}"), styles["body"]))
    drawing = render_map_drawing(context, 120 * mm, 80 * mm)
    if drawing is not None:
        caption = t("exp_map", lang, name=profile.name, kommun=profile.kommun_name or "")
        story += [Spacer(1, 6), drawing, Paragraph(_escape(caption), styles["cell"])]

    def heading(key: str) -> None:
        story.append(Paragraph(_escape(t(key, lang)), styles["h1"]))

    def bullets(items: list[str]) -> None:
        story.extend(Paragraph("• " + _escape(item), styles["body"]) for item in items)

    heading("exp_summary")
    bullets(list(summary_sentences(profile, lang)))
    heading("exp_conditions")
    peer_name = profile.peer.name if profile.peer else None
    for theme, rows in profile.themes:
        story.append(
            KeepTogether(
                [
                    Paragraph(_escape(theme.name(lang)), styles["h2"]),
                    _table(rows, lang, styles, peer_name),
                ]
            )
        )
    story.append(Paragraph(_escape(t("exp_flag_marker", lang)), styles["cell"]))
    if peer_name is not None:
        story.append(Paragraph(_escape(t("exp_peer_marker", lang)), styles["cell"]))
    story += chart_flowables(profile, lang, FONT, styles, _escape)
    heading("exp_children")
    story.append(_table(profile.children, lang, styles, peer_name))
    heading("exp_unknowns")
    bullets([describe_unknown(u, lang) for u in profile.unknowns] or [t("exp_unknowns_none", lang)])
    heading("exp_sources")
    bullets([describe_source(s, lang) for s in source_lines(profile, context)])
    notes = [flag_rule_text(lang), *legend_lines(lang)]
    if has_ckm_years(profile):
        notes.append(t("exp_ckm", lang))
    story.extend(Paragraph(_escape(n), styles["body"]) for n in notes)
    story += notes_story(context, styles)

    return build_pdf(
        story,
        title=title,
        footer=f"{profile.name} ({profile.region_code})",
        lang=lang,
        demo_text=demo_text,
    )
