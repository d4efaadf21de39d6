"""Map layer records, split so a rerun only recomputes what changed.

Turning polygons into rounded coordinate lists is the slow part of drawing a map and
depends only on the regions and the scope; colours and tooltip texts depend on the
indicator, year and classes. :func:`build_geometry_records` does the first once (cache
it per store generation, level, vintage and scope); :func:`apply_values` does the second
on every rerun. No Streamlit.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from sodd.deck_json import RecordList, compact_json, quote_json
from sodd.formatting import format_value
from sodd.geo import view_state_for
from sodd.i18n import register, t

if TYPE_CHECKING:
    from sodd.indicators.catalog import Indicator
    from sodd.maps import Classification

MISSING_COLOUR = "#bdbdbd"
# Areas outside a filter (e.g. another area type) fade into the background, lighter
# than "missing" so the two are not confused.
MUTED_COLOUR = "#f2f2f2"

register({"map_outside_filter": ("utanför urvalet", "outside the selection")})


@dataclass(frozen=True)
class GeometryLayer:
    """The value-independent part of a map layer.

    Attributes
    ----------
    regions
        The regions drawn (display geometry), one row per area; ``rows`` points here.
    records
        One record per polygon part: ``region_code``, escaped ``name``, ``polygon``.
    rows
        For each record, the position of its region in ``regions``.
    view_state
        ``(latitude, longitude, zoom)`` fitting the regions.
    context_paths
        Outer rings of the context areas (e.g. kommun borders), drawn as lines.
    fragments
        Each record as compact JSON text without its closing brace, serialised once so
        a rerun only writes the colour and the tooltip text (see :class:`RecordList`).
    """

    regions: gpd.GeoDataFrame
    records: tuple[dict[str, Any], ...]
    rows: np.ndarray
    view_state: tuple[float, float, float]
    context_paths: RecordList | None = None
    fragments: tuple[str, ...] = ()


def _palette(classification: Classification | None) -> list[str]:
    return [MISSING_COLOUR, *(classification.colours if classification is not None else ())]


def rgba(hex_colour: str, alpha: int = 220) -> list[int]:
    """``#rrggbb`` as ``[r, g, b, alpha]``."""
    value = hex_colour.lstrip("#")
    return [int(value[i : i + 2], 16) for i in (0, 2, 4)] + [alpha]


def polygon_rings(geometry: Any, precision: int) -> list[list[list[list[float]]]]:
    """Exterior and interior rings of each polygon part, rounded to ``precision`` decimals."""
    parts = list(geometry.geoms) if geometry.geom_type == "MultiPolygon" else [geometry]
    polygons = []
    for part in parts:
        rings = [part.exterior, *part.interiors]
        polygons.append(
            [np.round(np.asarray(ring.coords)[:, :2], precision).tolist() for ring in rings]
        )
    return polygons


def outline_paths(geometries: gpd.GeoSeries, precision: int = 4) -> tuple[dict[str, Any], ...]:
    """Outer ring of every polygon part, as PathLayer records."""
    return tuple(
        {"path": polygon[0]}
        for geometry in geometries
        if geometry is not None and not geometry.is_empty
        for polygon in polygon_rings(geometry, precision)
    )


def build_geometry_records(
    regions: gpd.GeoDataFrame,
    *,
    context: gpd.GeoDataFrame | None = None,
    precision: int = 4,
) -> GeometryLayer:
    """Build the value-independent records of a map layer.

    Parameters
    ----------
    regions
        Regions of one level and vintage with ``region_code``, ``name`` and display
        geometry (see :func:`sodd.geo.display_geometry`).
    context
        Areas whose borders are drawn on top (kommun borders on a district map).
    precision
        Decimals kept in coordinates (4 decimals is about 10 m).

    Returns
    -------
    GeometryLayer
        Records and the map's view state.
    """
    drawn = regions.reset_index(drop=True)
    records: list[dict[str, Any]] = []
    rows: list[int] = []
    for position, (code, name, geometry) in enumerate(
        zip(drawn["region_code"], drawn["name"], drawn.geometry, strict=True)
    ):
        if geometry is None or geometry.is_empty:
            continue
        # Escaped here because deck.gl puts tooltip text into innerHTML.
        escaped = html.escape(str(name))
        for polygon in polygon_rings(geometry, precision):
            records.append({"region_code": code, "name": escaped, "polygon": polygon})
            rows.append(position)
    paths = None
    if context is not None and not context.empty:
        paths = RecordList(outline_paths(context.geometry, precision))
        paths.json_text = compact_json(list(paths))
    fragments = tuple(
        f'{{"region_code":{compact_json(r["region_code"])},"name":{compact_json(r["name"])},'
        f'"polygon":{compact_json(r["polygon"])}'
        for r in records
    )
    return GeometryLayer(
        drawn,
        tuple(records),
        np.asarray(rows, dtype=int),
        view_state_for(drawn),
        paths,
        fragments,
    )


def apply_values(
    layer: GeometryLayer,
    values: pd.DataFrame,
    indicator: Indicator,
    classification: Classification | None,
    lang: str,
    *,
    keep_codes: set[str] | frozenset[str] | None = None,
) -> RecordList:
    """Colour and tooltip text per record, for one indicator and year.

    Parameters
    ----------
    layer
        From :func:`build_geometry_records`.
    values
        ``region_code``, ``value`` and ``status`` of the areas (others count as missing).
    indicator
        The indicator shown (unit and decimals).
    classification
        Class breaks, or ``None`` when no area has a value.
    lang
        ``"sv"`` or ``"en"``.
    keep_codes
        When given, areas whose code is not in it are drawn muted.

    Returns
    -------
    RecordList
        The layer's records with ``fill`` and ``value_text`` added (polygons shared,
        not copied), and their JSON text.
    """
    by_code = values.drop_duplicates("region_code").set_index("region_code")
    codes = layer.regions["region_code"]
    numbers = by_code["value"].reindex(codes).to_numpy(dtype=float, na_value=np.nan)
    statuses = by_code["status"].reindex(codes).tolist()
    classes = (
        classification.class_of(pd.Series(numbers)).to_numpy()
        if classification is not None
        else np.full(len(codes), -1)
    )
    # A map has a handful of colours: convert each once, not once per area.
    colours = {hex_colour: rgba(hex_colour) for hex_colour in _palette(classification)}
    muted = rgba(MUTED_COLOUR, 160)
    outside = t("map_outside_filter", lang)
    fills: list[list[int]] = []
    texts: list[str] = []
    for code, number, raw_status, klass in zip(codes, numbers, statuses, classes, strict=True):
        status = raw_status if isinstance(raw_status, str) and raw_status else None
        missing = status is not None or math.isnan(number)
        text = format_value(
            None if missing else float(number),
            unit=indicator.unit,
            decimals=indicator.decimals,
            status=status,
            lang=lang,
        )
        if keep_codes is not None and code not in keep_codes:
            fills.append(muted)
            text = f"{text} ({outside})"
        elif missing or classification is None or klass < 0:
            fills.append(colours[MISSING_COLOUR])
        else:
            fills.append(colours[classification.colours[int(klass)]])
        texts.append(html.escape(text))
    rows = layer.rows.tolist()
    result = RecordList(
        {**record, "value_text": texts[row], "fill": fills[row]}
        for record, row in zip(layer.records, rows, strict=True)
    )
    fill_text = {id(fill): compact_json(fill) for fill in [muted, *colours.values()]}
    tails = [
        f',"fill":{fill_text[id(fill)]},"value_text":{quote_json(text)}}}'
        for fill, text in zip(fills, texts, strict=True)
    ]
    result.json_text = (
        "["
        + ",".join(
            fragment + tails[row] for fragment, row in zip(layer.fragments, rows, strict=True)
        )
        + "]"
    )
    return result


def build_map_records(
    joined: gpd.GeoDataFrame,
    indicator: Indicator,
    classification: Classification | None,
    lang: str,
    *,
    precision: int = 4,
) -> list[dict[str, Any]]:
    """One record per polygon part with its fill colour and escaped tooltip text.

    The one-shot form of :func:`build_geometry_records` + :func:`apply_values`.

    Parameters
    ----------
    joined
        Regions with a ``value`` and ``status`` column (see :func:`sodd.geo.join_values`).
    indicator
        The indicator shown.
    classification
        Class breaks, or ``None`` when no region has a value.
    lang
        ``"sv"`` or ``"en"``.
    precision
        Decimals kept in coordinates.

    Returns
    -------
    list of dict
        Records for a pydeck ``PolygonLayer``.
    """
    layer = build_geometry_records(joined, precision=precision)
    return apply_values(layer, joined, indicator, classification, lang)


__all__ = [
    "MISSING_COLOUR",
    "MUTED_COLOUR",
    "GeometryLayer",
    "RecordList",
    "apply_values",
    "build_geometry_records",
    "build_map_records",
    "outline_paths",
    "polygon_rings",
    "rgba",
]
