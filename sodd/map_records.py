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
# Positions in a record list's palette (see :func:`apply_values`).
MISSING_FILL, MUTED_FILL, CLASS_FILL = 0, 1, 2

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
        The layer's records with ``fill`` (an index into the list's ``palette``) and
        ``value_text`` added (polygons shared, not copied), and their JSON text.
    """
    # Plain lists and dicts, not pandas: for one kommun the fixed cost of a few pandas
    # calls was most of a rerun. The first row of a code counts, as before.
    codes = layer.regions["region_code"].tolist()
    first: dict[str, int] = {}
    for position, code in enumerate(values["region_code"].tolist()):
        first.setdefault(code, position)
    found = np.asarray([first.get(code, -1) for code in codes], dtype=int)
    known = found >= 0
    raw_numbers = values["value"].to_numpy(dtype=float, na_value=np.nan)
    numbers = np.full(len(codes), np.nan)
    numbers[known] = raw_numbers[found[known]]
    raw_statuses = values["status"].tolist()
    statuses = [raw_statuses[i] if i >= 0 else None for i in found.tolist()]
    classes = (
        classification.class_of(pd.Series(numbers)).to_numpy()
        if classification is not None
        else np.full(len(codes), -1)
    )
    # Each record carries the index of its colour in ``palette`` (0 missing, 1 muted,
    # 2 + class), which the layer looks up (sodd.deck_json.fill_accessor): a digit
    # instead of four numbers per area. Each (value, status) is formatted once.
    palette = [rgba(MISSING_COLOUR), rgba(MUTED_COLOUR, 160)]
    if classification is not None:
        palette += [rgba(hex_colour) for hex_colour in classification.colours]
    outside = t("map_outside_filter", lang)
    formatted: dict[tuple[float | None, str | None], str] = {}
    tail_of: dict[tuple[int, str], str] = {}
    fills: list[int] = []
    texts: list[str] = []
    tails: list[str] = []
    for code, number, raw_status, klass in zip(
        codes, numbers.tolist(), statuses, classes.tolist(), strict=True
    ):
        status = raw_status if isinstance(raw_status, str) and raw_status else None
        missing = status is not None or math.isnan(number)
        key = (None if missing else number, status)
        text = formatted.get(key)
        if text is None:
            text = format_value(
                key[0], unit=indicator.unit, decimals=indicator.decimals, status=status, lang=lang
            )
            formatted[key] = text
        if keep_codes is not None and code not in keep_codes:
            fill = MUTED_FILL
            text = f"{text} ({outside})"
        elif missing or classification is None or klass < 0:
            fill = MISSING_FILL
        else:
            fill = CLASS_FILL + int(klass)
        escaped = html.escape(text)
        tail = tail_of.get((fill, escaped))
        if tail is None:
            tail = f',"fill":{fill},"value_text":{quote_json(escaped)}}}'
            tail_of[(fill, escaped)] = tail
        fills.append(fill)
        texts.append(escaped)
        tails.append(tail)
    rows = layer.rows.tolist()
    result = RecordList(
        {**record, "value_text": texts[row], "fill": fills[row]}
        for record, row in zip(layer.records, rows, strict=True)
    )
    result.palette = tuple(tuple(colour) for colour in palette)
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
        Records for a pydeck ``PolygonLayer`` (a :class:`RecordList`: ``fill`` is an
        index into its ``palette``).
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
