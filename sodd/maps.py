"""Choropleth maps as pydeck Decks: class breaks, colours, legend and tooltip. No Streamlit."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import geopandas as gpd
import mapclassify
import numpy as np
import pandas as pd
import pydeck as pdk
from mapclassify.classifiers import quantile

from sodd.deck_json import CompactDeck, RecordList, fill_accessor
from sodd.formatting import CATEGORY_LABELS_SV, category_label, format_number, format_value
from sodd.i18n import t
from sodd.indicators.catalog import Indicator
from sodd.map_records import (
    MISSING_COLOUR,
    GeometryLayer,
    apply_values,
    build_geometry_records,
    build_map_records,
    outline_paths,
)

CLASS_METHODS = ("quantiles", "natural_breaks", "equal_interval")
CLASS_COUNT = 5
# A categorical indicator (BME's -1/0/1) gets one class per category whatever the
# chosen method: quantiles of three codes would invent boundaries between them.
CATEGORY_METHOD = "categories"
MAP_LAYER_ID = "omraden"

# ColorBrewer sequential schemes, all marked colour-blind safe. Darker always means
# "more need" for need indicators, so a need_if_low indicator gets the reversed ramp.
NEED_RAMP = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")  # YlOrRd
NEUTRAL_RAMP = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")  # Blues
BORDER_COLOUR = (90, 90, 90, 200)
# A base map style with only a white background, inline: without a style Streamlit's
# deck.gl chart fetches CARTO's style from basemaps.cartocdn.com, and sodd works offline.
OFFLINE_MAP_STYLE = "data:application/json," + quote(
    json.dumps(
        {
            "version": 8,
            "sources": {},
            "layers": [
                {"id": "bakgrund", "type": "background", "paint": {"background-color": "#ffffff"}}
            ],
        },
        separators=(",", ":"),
    ),
    safe="",
)
HIGHLIGHT_COLOUR = (0, 0, 0, 255)


@dataclass(frozen=True)
class Classification:
    """Class breaks for a choropleth.

    Attributes
    ----------
    method
        One of :data:`CLASS_METHODS`, or :data:`CATEGORY_METHOD` for a categorical unit.
    lower
        Smallest value shown.
    upper_bounds
        Upper bound of each class, ascending; the last is the largest value.
    colours
        Hex colour per class, same length as ``upper_bounds``.
    """

    method: str
    lower: float
    upper_bounds: tuple[float, ...]
    colours: tuple[str, ...]

    def class_of(self, values: pd.Series) -> pd.Series:
        """Return the class index of each value (``-1`` for missing values)."""
        bins = np.asarray(self.upper_bounds, dtype=float)
        numbers = values.to_numpy(dtype=float, na_value=np.nan)
        index = np.searchsorted(bins, numbers, side="left")
        index = np.minimum(index, len(bins) - 1)
        index[np.isnan(numbers)] = -1
        return pd.Series(index, index=values.index)


def _ramp(indicator: Indicator, classes: int) -> tuple[str, ...]:
    if indicator.direction == "neutral":
        ramp: Sequence[str] = NEUTRAL_RAMP
    elif indicator.direction == "need_if_low":
        ramp = NEED_RAMP[::-1]
    else:
        ramp = NEED_RAMP
    # With fewer classes than colours, spread them over the ramp so contrast stays high.
    picks = np.linspace(0, len(ramp) - 1, classes).round().astype(int)
    return tuple(ramp[i] for i in picks)


def classify(
    values: pd.Series, method: str, indicator: Indicator, k: int = CLASS_COUNT
) -> Classification | None:
    """Compute class breaks for the non-missing values.

    Parameters
    ----------
    values
        Indicator values; NaN is ignored.
    method
        ``quantiles`` (default in the app), ``natural_breaks`` or ``equal_interval``.
    indicator
        The indicator, for the colour ramp.
    k
        Wanted number of classes; fewer when there are fewer distinct values.

    Returns
    -------
    Classification or None
        ``None`` when there is no value to classify. A categorical unit (``läge``) gets
        one class per category (method :data:`CATEGORY_METHOD`), whatever ``method``.

    Raises
    ------
    ValueError
        For an unknown method.
    """
    if method not in CLASS_METHODS:
        raise ValueError(f"okänd klassindelning {method!r} (tillåtna: {', '.join(CLASS_METHODS)})")
    y = values.dropna().to_numpy(dtype=float)
    if y.size == 0:
        return None
    categories = CATEGORY_LABELS_SV.get(indicator.unit)
    if categories is not None:
        codes = tuple(sorted(categories))
        return Classification(CATEGORY_METHOD, codes[0], codes, _ramp(indicator, len(codes)))
    k = max(1, min(k, np.unique(y).size))
    if k == 1:
        bounds: list[float] = [float(y.max())]
    elif method == "quantiles":
        # The breaks of mapclassify.Quantiles(y, k).bins, without the class summaries
        # (sums of squares, ADCM, GADF) it also computes: half of a rerun for one kommun.
        bounds = list(quantile(y, k=k))
    elif method == "equal_interval":
        bounds = list(mapclassify.EqualInterval(y, k=k).bins)
    else:
        # Jenks natural breaks is 1-D k-means with random starts; seed it so the same
        # data always gives the same map, and restore the global generator afterwards.
        state = np.random.get_state()
        try:
            np.random.seed(20241231)
            bounds = list(mapclassify.NaturalBreaks(y, k=k, initial=5).bins)
        finally:
            np.random.set_state(state)
    unique_bounds = sorted({float(b) for b in bounds})
    return Classification(
        method, float(y.min()), tuple(unique_bounds), _ramp(indicator, len(unique_bounds))
    )


def legend_entries(
    classification: Classification | None, indicator: Indicator, lang: str
) -> list[tuple[str, str]]:
    """Colour and Swedish-formatted label of each class, then the missing-value entry.

    Parameters
    ----------
    classification
        Breaks from :func:`classify`, or ``None`` when nothing has a value.
    indicator
        The indicator (unit and decimals).
    lang
        ``"sv"`` or ``"en"``.

    Returns
    -------
    list of (hex colour, label)
    """
    entries: list[tuple[str, str]] = []
    if classification is not None and classification.method == CATEGORY_METHOD:
        for code, colour in zip(classification.upper_bounds, classification.colours, strict=True):
            entries.append((colour, category_label(code, indicator.unit, lang) or str(code)))
    elif classification is not None:
        lower = classification.lower
        for upper, colour in zip(classification.upper_bounds, classification.colours, strict=True):
            low_text = format_number(lower, indicator.decimals, lang)
            high_text = format_value(
                upper, unit=indicator.unit, decimals=indicator.decimals, lang=lang
            )
            entries.append((colour, f"{low_text} – {high_text}"))
            lower = upper
    entries.append((MISSING_COLOUR, t("legend_missing", lang)))
    return entries


def _outline_layer(paths: Sequence[dict[str, Any]], layer_id: str, *, min_pixels: int) -> pdk.Layer:
    """Outer rings drawn as dark lines on top of the choropleth."""
    return pdk.Layer(
        "PathLayer",
        data=paths if isinstance(paths, RecordList) else list(paths),
        id=layer_id,
        get_path="path",
        get_color=list(HIGHLIGHT_COLOUR),
        get_width=0,
        width_min_pixels=min_pixels,
        pickable=False,
    )


def build_deck(
    joined: gpd.GeoDataFrame,
    indicator: Indicator,
    classification: Classification | None,
    lang: str,
    *,
    highlight_code: str | None = None,
    context: gpd.GeoDataFrame | None = None,
    layer: GeometryLayer | None = None,
    keep_codes: set[str] | frozenset[str] | None = None,
) -> pdk.Deck:
    """Build the choropleth Deck for one indicator, level and year.

    Parameters
    ----------
    joined
        Regions with values (display-simplified geometry). With ``layer`` given, only
        its ``region_code``, ``value`` and ``status`` columns are read.
    indicator
        The indicator shown.
    classification
        Class breaks from :func:`classify`.
    lang
        ``"sv"`` or ``"en"``.
    highlight_code
        Region to outline.
    context
        Optional outlines drawn on top (e.g. kommun borders on a district map); with
        ``layer`` given, the layer's own context is drawn instead.
    layer
        Geometry records built once for these regions (:func:`build_geometry_records`),
        so a change of indicator or year only recomputes colours and texts.
    keep_codes
        When given, areas outside it are drawn muted (see :func:`apply_values`).

    Returns
    -------
    pydeck.Deck
        A Deck with no base map (sodd works offline), the polygons and a tooltip.
    """
    if layer is None:
        layer = build_geometry_records(joined, context=context)
    records = apply_values(layer, joined, indicator, classification, lang, keep_codes=keep_codes)
    layers = [
        pdk.Layer(
            "PolygonLayer",
            data=records,
            id=MAP_LAYER_ID,
            get_polygon="polygon",
            get_fill_color=fill_accessor(records.palette),
            get_line_color=list(BORDER_COLOUR),
            # pydeck turns every string prop into an accessor, so "pixels" cannot be passed
            # as lineWidthUnits; a zero width with a pixel minimum gives hairlines instead.
            get_line_width=0,
            line_width_min_pixels=1,
            stroked=True,
            filled=True,
            pickable=True,
            auto_highlight=True,
            highlight_color=[40, 40, 40, 90],
        )
    ]
    if layer.context_paths:
        layers.append(_outline_layer(layer.context_paths, "granser", min_pixels=2))
    if highlight_code is not None:
        chosen = layer.regions.loc[layer.regions["region_code"] == highlight_code]
        if not chosen.empty:
            paths = outline_paths(chosen.geometry)
            layers.append(_outline_layer(paths, "valt-omrade", min_pixels=4))
    latitude, longitude, zoom = layer.view_state
    tooltip = {
        "html": "<b>{name}</b><br/>{value_text}",
        "style": {"backgroundColor": "#1f1f1f", "color": "#ffffff", "fontSize": "14px"},
    }
    return CompactDeck(
        layers=layers,
        initial_view_state=pdk.ViewState(latitude=latitude, longitude=longitude, zoom=zoom),
        map_provider=None,
        map_style=OFFLINE_MAP_STYLE,
        tooltip=tooltip,
    )


def payload_size(deck: pdk.Deck) -> int:
    """Bytes of the JSON that Streamlit sends to the browser for this Deck."""
    return len(deck.to_json().encode("utf-8"))


__all__ = [
    "CATEGORY_METHOD",
    "CLASS_METHODS",
    "MAP_LAYER_ID",
    "MISSING_COLOUR",
    "Classification",
    "CompactDeck",
    "GeometryLayer",
    "build_deck",
    "build_map_records",
    "classify",
    "legend_entries",
    "payload_size",
]
