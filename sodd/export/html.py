"""The HTML export: one self-contained file for workshops, readable offline.

Inline CSS and an inline SVG map of the area inside its kommun drawn from the
polygons; no scripts, fonts or images are fetched. Every text from the data is
escaped with :func:`html.escape`.
"""

from __future__ import annotations

from html import escape

from sodd.export.html_charts import CSS as CHART_CSS
from sodd.export.html_charts import charts_html
from sodd.export.mapdraw import project_rings, svg_path
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

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:60rem;padding:0 1rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.7rem}h2{margin-top:2rem;border-bottom:2px solid #1f5f8b}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.num{text-align:right;white-space:nowrap}th{background:#e8eef3}
.demo{background:#fff3cd;border:2px solid #b8860b;padding:.6rem;font-weight:bold}
.meta{color:#444;font-size:.9rem}svg{max-width:100%;height:auto;background:#f7f9fb}
"""

MAP_WIDTH = 480.0
MAP_HEIGHT = 360.0


def render_map_svg(context: ExportContext, title: str) -> str:
    """An SVG map: the kommun in grey, the area in blue; empty when there is no geometry."""
    kommun, area = project_rings(
        [context.kommun_geometry, context.area_geometry], MAP_WIDTH, MAP_HEIGHT
    )
    if not area and not kommun:
        return ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {MAP_WIDTH:.0f} {MAP_HEIGHT:.0f}" width="{MAP_WIDTH:.0f}" '
        f'height="{MAP_HEIGHT:.0f}"><title>{escape(title)}</title>'
        f'<path d="{svg_path(kommun)}" fill="#d9d9d9" stroke="#777" '
        'stroke-width="1" fill-rule="evenodd"/>'
        f'<path d="{svg_path(area)}" fill="#1f5f8b" fill-opacity="0.75" stroke="#0b2e45" '
        'stroke-width="1.5" fill-rule="evenodd"/></svg>'
    )


def _table(rows: tuple[ProfileRow, ...], lang: str, peer_name: str | None = None) -> str:
    heads = display_headers(lang, peer_name)
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in heads)
    body = []
    for row in rows:
        cells = display_row(row, lang, peer=peer_name is not None)
        tds = f'<th scope="row">{escape(cells[0])}</th>'
        tds += "".join(f'<td class="num">{escape(c)}</td>' for c in cells[1:])
        body.append(f"<tr>{tds}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"


def render_notes_html(context: ExportContext) -> str:
    """The notes section ("Lokala iakttagelser"), every note escaped; empty without notes."""
    records = note_records(context)
    if not records:
        return ""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in note_headers(context.lang))
    cell = '<td style="white-space:pre-wrap">{}</td>'
    rows = "".join(
        "<tr>" + "".join(cell.format(escape(record[key])) for key in NOTE_KEYS) + "</tr>"
        for record in records
    )
    return (
        f'<section class="notes"><h2>{escape(notes_heading(context.lang))}</h2>'
        f"<p>{escape(notes_intro(context.lang))}</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></section>"
    )


def render_html(profile: AreaProfile, context: ExportContext) -> bytes:
    """Render the profile as one self-contained HTML page.

    Parameters
    ----------
    profile
        The profile.
    context
        Geometries, manifest entries, language and export time.

    Returns
    -------
    bytes
        UTF-8 HTML.
    """
    lang = context.lang
    title = t("exp_title", lang, name=profile.name)
    parts = [
        f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{CSS}{CHART_CSS}</style></head><body>",
    ]
    demo = f'<p class="demo">{escape(t("exp_demo", lang))}</p>' if context.demo else ""
    parts += [demo, f"<h1>{escape(title)}</h1>"]
    meta = [f"{label}: {text}" for label, text in area_lines(profile, context)]
    parts.append('<p class="meta">' + "<br>".join(escape(m) for m in meta) + "</p>")
    map_title = t("exp_map", lang, name=profile.name, kommun=profile.kommun_name or "")
    svg = render_map_svg(context, map_title)
    if svg:
        parts.append(f"<figure>{svg}<figcaption>{escape(map_title)}</figcaption></figure>")
    parts += [
        f"<h2>{escape(t('exp_summary', lang))}</h2>",
        _list(list(summary_sentences(profile, lang))),
    ]
    parts.append(f"<h2>{escape(t('exp_conditions', lang))}</h2>")
    peer_name = profile.peer.name if profile.peer else None
    for theme, rows in profile.themes:
        parts += [f"<h3>{escape(theme.name(lang))}</h3>", _table(rows, lang, peer_name)]
    if peer_name is not None:
        parts.append(f"<p>{escape(t('exp_peer_marker', lang))}</p>")
    parts.append(charts_html(profile, lang))
    parts += [
        f"<h2>{escape(t('exp_children', lang))}</h2>",
        _table(profile.children, lang, peer_name),
    ]
    unknowns = [describe_unknown(u, lang) for u in profile.unknowns] or [
        t("exp_unknowns_none", lang)
    ]
    parts += [f"<h2>{escape(t('exp_unknowns', lang))}</h2>", _list(unknowns)]
    notes = [t("exp_flag_marker", lang), flag_rule_text(lang), *legend_lines(lang)]
    if has_ckm_years(profile):
        notes.append(t("exp_ckm", lang))
    sources = [describe_source(s, lang) for s in source_lines(profile, context)]
    parts += [f"<h2>{escape(t('exp_sources', lang))}</h2>", _list(sources), _list(notes)]
    parts.append(render_notes_html(context))
    parts += [demo, "</body></html>"]
    return "\n".join(p for p in parts if p).encode("utf-8")
