"""A map view as one self-contained HTML page (for the workshop snapshot). Pure.

The Karta page draws with deck.gl, which needs scripts and map tiles; a snapshot must
open offline years later, so the same choropleth is drawn here as inline SVG (one path
per area, coloured by its class), with the legend, the summary sentence and the table
of values. No scripts, fonts or images are fetched; every text is escaped.
"""

from __future__ import annotations

from html import escape

import geopandas as gpd
import pandas as pd

from sodd.export.html import CSS
from sodd.export.mapdraw import project_rings, svg_path
from sodd.formatting import format_value
from sodd.i18n import register, t
from sodd.indicators.catalog import Indicator
from sodd.map_records import MISSING_COLOUR
from sodd.map_view import MapView

__all__ = ["render_choropleth_svg", "render_map_page"]

register(
    {
        "snap_map_area": ("Område", "Area"),
        "snap_map_code": ("Kod", "Code"),
        "snap_map_value": ("Värde", "Value"),
        "snap_map_note": ("Anmärkning", "Note"),
        "snap_map_no_polygons": (
            "Datalagret hade inga områdesgränser för den här kartan; tabellen visar värdena.",
            "The store had no boundaries for this map; the table shows the values.",
        ),
    }
)

WIDTH = 640.0
HEIGHT = 560.0


def _fills(view: MapView, codes: pd.Series) -> list[str]:
    """Class colour per code (grey for a withheld or missing value)."""
    by_code = view.areas.drop_duplicates("region_code").set_index("region_code")
    values = by_code["value"].where(by_code["status"].isna())
    numeric = pd.to_numeric(values.reindex(codes.tolist()), errors="coerce")
    if view.classification is None:
        return [MISSING_COLOUR] * len(codes)
    classes = view.classification.class_of(numeric.reset_index(drop=True))
    colours = view.classification.colours
    return [colours[int(c)] if int(c) >= 0 else MISSING_COLOUR for c in classes]


def render_choropleth_svg(
    view: MapView, polygons: gpd.GeoDataFrame, indicator: Indicator, title: str, lang: str
) -> str:
    """The areas as an SVG choropleth; empty when there are no polygons.

    Parameters
    ----------
    view
        The computed map (classes, values).
    polygons
        The areas drawn (``region_code``, ``geometry`` in EPSG:4326).
    indicator, title, lang
        For the hover text of each area and the accessible name.
    """
    if polygons.empty:
        return ""
    polygons = polygons.reset_index(drop=True)
    rings = project_rings(list(polygons.geometry), WIDTH, HEIGHT)
    fills = _fills(view, polygons["region_code"])
    names = dict(zip(view.areas["region_code"], view.areas["name"], strict=True))
    values = view.areas.drop_duplicates("region_code").set_index("region_code")
    paths = []
    for code, area_rings, fill in zip(polygons["region_code"], rings, fills, strict=True):
        label = str(names.get(code, code))
        if code in values.index:
            row = values.loc[code]
            status = row["status"] if isinstance(row["status"], str) else None
            value = None if pd.isna(row["value"]) else float(row["value"])
            shown = format_value(
                value, unit=indicator.unit, decimals=indicator.decimals, status=status, lang=lang
            )
            label += f": {shown}"
        paths.append(
            f'<path d="{svg_path(area_rings)}" fill="{escape(fill)}" stroke="#ffffff" '
            f'stroke-width="0.6" fill-rule="evenodd"><title>{escape(label)}</title></path>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {WIDTH:.0f} {HEIGHT:.0f}" width="{WIDTH:.0f}" height="{HEIGHT:.0f}">'
        f"<title>{escape(title)}</title>{''.join(paths)}</svg>"
    )


def _legend(view: MapView, lang: str) -> str:
    items = "".join(
        f'<li><span style="display:inline-block;width:1em;height:1em;background:{escape(colour)};'
        f'border:1px solid #333;margin-right:.4em;vertical-align:middle"></span>'
        f"{escape(label)}</li>"
        for colour, label in view.legend
    )
    return (
        f"<h2>{escape(t('legend', lang))}</h2>"
        f'<ul style="list-style:none;padding-left:0">{items}</ul>'
    )


def _table(view: MapView, indicator: Indicator, lang: str) -> str:
    keys = ("snap_map_area", "snap_map_code", "snap_map_value", "snap_map_note")
    head = "".join(f'<th scope="col">{escape(t(key, lang))}</th>' for key in keys)
    rows = []
    for row in view.areas.itertuples():
        status = row.status if isinstance(row.status, str) else None
        value = None if pd.isna(row.value) else float(row.value)  # type: ignore[arg-type]
        shown = format_value(
            value, unit=indicator.unit, decimals=indicator.decimals, status=status, lang=lang
        )
        cells = (str(row.name), str(row.region_code), shown, str(row.note))
        rows.append(
            f'<tr><th scope="row">{escape(cells[0])}</th><td>{escape(cells[1])}</td>'
            f'<td class="num">{escape(cells[2])}</td><td>{escape(cells[3])}</td></tr>'
        )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def render_map_page(
    view: MapView,
    polygons: gpd.GeoDataFrame,
    indicator: Indicator,
    title: str,
    lang: str = "sv",
    *,
    demo_text: str | None = None,
    source_lines: tuple[str, ...] = (),
) -> bytes:
    """Render a computed map as one self-contained HTML page.

    Parameters
    ----------
    view
        The map (from :func:`sodd.map_view.build_map_view`).
    polygons
        The areas to draw (may be empty: the page then has only legend and table).
    indicator
        The indicator shown.
    title
        Page heading, e.g. ``Andel med låg ekonomisk standard, Karlstad 2023``.
    lang
        ``"sv"`` or ``"en"``.
    demo_text
        The demo label, shown at the top and bottom when the data is synthetic.
    source_lines
        Where the figures come from (dataset, table, fetch date).

    Returns
    -------
    bytes
        UTF-8 HTML.
    """
    demo = f'<p class="demo">{escape(demo_text)}</p>' if demo_text else ""
    svg = render_choropleth_svg(view, polygons, indicator, title, lang)
    figure = (
        f"<figure>{svg}<figcaption>{escape(title)}</figcaption></figure>"
        if svg
        else f"<p>{escape(t('snap_map_no_polygons', lang))}</p>"
    )
    sources = "".join(f"<li>{escape(line)}</li>" for line in source_lines)
    parts = [
        f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        demo,
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(view.summary)}</p>",
        figure,
        _legend(view, lang),
        f'<p class="meta">{escape(indicator.attribution)}</p>',
        _table(view, indicator, lang),
        f"<h2>{escape(t('exp_sources', lang))}</h2><ul>{sources}</ul>" if sources else "",
        demo,
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p).encode("utf-8")
