"""Trend charts for the HTML export: inline SVG, no scripts, every text escaped.

The same rows as the PDF's charts (:func:`sodd.export.chart_data.chart_rows`); each
figure has the SVG (``role="img"`` with the caption as its label), a caption and a table
with every value. A withheld year is a gap in the line, never zero.
"""

from __future__ import annotations

from html import escape
from typing import Final

from sodd.export.chart_data import (
    MAX_PER_THEME,
    chart_caption,
    chart_rows,
    segments,
    series_names,
    series_of,
    table_rows,
)
from sodd.formatting import format_number
from sodd.i18n import t
from sodd.profile import AreaProfile, ProfileRow

WIDTH: Final = 380.0
HEIGHT: Final = 210.0
LEFT, RIGHT, TOP, BOTTOM = 46.0, 370.0, 12.0, 150.0
# Colour, width and dash per line, as in the PDF.
STYLE: Final = {
    "area": ("#1f5f8b", 2.5, ""),
    "kommun": ("#c55a11", 1.5, ""),
    "riket": ("#444444", 1.2, "5 3"),
    "peer": ("#2e7d32", 1.5, "2 2"),
}
# Added to the export's own style sheet in <head>.
CSS: Final = (
    ".charts{display:flex;flex-wrap:wrap;gap:1rem}.charts figure{margin:0;flex:1 1 22rem;"
    "max-width:26rem}.charts table{font-size:.8rem}.charts svg{background:#fff}"
)


def _scale(low: float, high: float, start: float, end: float) -> tuple[float, float]:
    # A linear map (factor, offset) from [low, high] to [start, end].
    factor = (end - start) / (high - low) if high != low else 0.0
    return factor, start - factor * low


def chart_svg(row: ProfileRow, profile: AreaProfile, lang: str) -> str:
    """One SVG line chart of a row's history (empty when it has no value).

    Parameters
    ----------
    row
        The profile row.
    profile
        The profile (names of the lines).
    lang
        ``"sv"`` or ``"en"`` (number format on the value axis).

    Returns
    -------
    str
        ``<svg …>`` markup.
    """
    lines = {key: segments(history) for key, history in series_of(row).items()}
    points = [p for runs in lines.values() for run in runs for p in run]
    if not points:
        return ""
    years = sorted({x for x, _ in points})
    low, high = min(y for _, y in points), max(y for _, y in points)
    pad = (high - low) * 0.1 or abs(high) * 0.1 or 1.0
    low = 0.0 if low >= 0 and low - pad < 0 else low - pad
    high += pad
    fx, ox = _scale(years[0] - 0.3, years[-1] + 0.3, LEFT, RIGHT)
    fy, oy = _scale(low, high, BOTTOM, TOP)
    decimals = 0 if high - low >= 10 else 1 if high - low >= 1 else 2
    caption = chart_caption(row, lang)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(caption)}" '
        f'viewBox="0 0 {WIDTH:.0f} {HEIGHT:.0f}" font-size="10" font-family="sans-serif">',
        f"<title>{escape(caption)}</title>",
    ]
    for step in range(5):
        value = low + (high - low) * step / 4
        y = fy * value + oy
        parts.append(
            f'<line x1="{LEFT}" x2="{RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e3e3"/>'
            f'<text x="{LEFT - 4}" y="{y + 3:.1f}" text-anchor="end">'
            f"{escape(format_number(value, decimals, lang))}</text>"
        )
    for year in years:
        x = fx * year + ox
        parts.append(f'<text x="{x:.1f}" y="{BOTTOM + 13}" text-anchor="middle">{year:.0f}</text>')
    for key, runs in lines.items():
        color, width, dash = STYLE[key]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        for run in runs:
            coords = " ".join(f"{fx * x + ox:.1f},{fy * y + oy:.1f}" for x, y in run)
            parts.append(
                f'<polyline points="{coords}" fill="none" stroke="{color}" '
                f'stroke-width="{width}"{dashed}/>'
            )
            parts += [
                f'<circle cx="{fx * x + ox:.1f}" cy="{fy * y + oy:.1f}" r="2" fill="{color}"/>'
                for x, y in run
            ]
    names = series_names(profile, lang)
    for number, key in enumerate(lines):
        color, width, dash = STYLE[key]
        x, y = 8 + (number % 2) * WIDTH / 2, BOTTOM + 32 + (number // 2) * 15
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{x}" x2="{x + 18}" y1="{y - 3}" y2="{y - 3}" stroke="{color}" '
            f'stroke-width="{width}"{dashed}/><text x="{x + 23}" y="{y}">'
            f"{escape(names[key])}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _table(rows: list[list[str]]) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in rows[0])
    body = "".join(
        f'<tr><th scope="row">{escape(r[0])}</th>'
        + "".join(f'<td class="num">{escape(c)}</td>' for c in r[1:])
        + "</tr>"
        for r in rows[1:]
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def charts_html(profile: AreaProfile, lang: str) -> str:
    """The "Utveckling över tid" section with one SVG chart per chosen row, by theme.

    Returns an empty string when no row qualifies.
    """
    chosen = chart_rows(profile)
    if not chosen:
        return ""
    parts = [
        f"<h2>{escape(t('exp_trends', lang))}</h2>",
        f"<p>{escape(t('exp_trends_intro', lang, count=MAX_PER_THEME))}</p>",
    ]
    for theme, rows in chosen:
        parts.append(f'<h3>{escape(theme.name(lang))}</h3><div class="charts">')
        for row in rows:
            parts.append(
                f"<figure>{chart_svg(row, profile, lang)}"
                f"<figcaption>{escape(chart_caption(row, lang))}</figcaption>"
                f"{_table(table_rows(row, profile, lang))}</figure>"
            )
        parts.append("</div>")
    return "".join(parts)
