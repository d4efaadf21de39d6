"""Everything one map view needs, computed from store frames: no Streamlit, no I/O.

The Karta page collects the user's choices, calls :func:`build_map_view` and lays out the
result, so the logic (scope filtering, vintage choice, joins, classes, sentence) is tested
without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import pydeck as pdk

from sodd.formatting import format_status
from sodd.geo import DISPLAY_PRECISION, display_geometry, regions_in_scope
from sodd.geo_vintage import check_vintage
from sodd.indicators.catalog import Indicator
from sodd.map_records import GeometryLayer, build_geometry_records
from sodd.maps import Classification, build_deck, classify, legend_entries
from sodd.schema import RIKET_CODE
from sodd.summary import summarise_map


@dataclass(frozen=True)
class Scope:
    """What part of Sweden a map shows: one kommun, one län or the whole country."""

    kind: str  # "kommun" | "lan" | "riket"
    code: str | None = None
    name: str = "Sverige"

    @property
    def reference_level(self) -> str:
        """The level of the area the whole map lies in."""
        return self.kind

    @property
    def reference_code(self) -> str:
        """The code of the area the whole map lies in."""
        return self.code or RIKET_CODE


@dataclass(frozen=True)
class MapView:
    """A computed map: the areas with values, the Deck, legend and summary."""

    areas: pd.DataFrame  # name, region_code, geo_vintage, value, status: one row per area
    deck: pdk.Deck | None  # None when the store has no polygons for these areas
    classification: Classification | None
    legend: list[tuple[str, str]]
    summary: str
    geo_vintage: str


def values_in_scope(values: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """Keep the values of areas inside the scope.

    Every DeSO, RegSO and kommun code starts with its kommun's code, and every kommun
    code with its län's, so a prefix test selects a scope without needing polygons.
    """
    if scope.kind == "riket" or scope.code is None:
        return values
    return values.loc[values["region_code"].str.startswith(scope.code)]


def periods_available(values: pd.DataFrame) -> list[str]:
    """Periods with at least one row, oldest first."""
    return sorted(values["period"].dropna().unique().tolist())


def values_shown(values: pd.DataFrame, scope: Scope, period: str) -> tuple[pd.DataFrame, str]:
    """The values a map of one year draws, and the area vintage they are of.

    Tables spanning SCB's area revision hold both vintages; a year has values in one.
    If both ever appear, the newest is shown rather than overlapping two area sets.
    """
    shown = values_in_scope(values, scope)
    shown = shown.loc[shown["period"] == period]
    vintages = sorted(shown["geo_vintage"].fillna("").unique().tolist())
    vintage = vintages[-1] if vintages else ""
    return shown.loc[shown["geo_vintage"].fillna("") == vintage], vintage


def build_layer_geometry(
    regions: gpd.GeoDataFrame, level: str, vintage: str, scope: Scope
) -> GeometryLayer | None:
    """The value-independent part of a map: display polygons and their records.

    Depends only on the stored regions and the user's level, vintage and scope, so the
    page caches it per (store generation, level, vintage, scope kind, scope code) and a
    change of indicator or year only recolours it.

    Parameters
    ----------
    regions
        All regions with geometry (any level and vintage).
    level, vintage, scope
        Which areas the map draws.

    Returns
    -------
    GeometryLayer or None
        ``None`` when the store has no polygon for these areas.
    """
    polygons = regions_in_scope(
        regions,
        level,
        kommun_code=scope.code if scope.kind == "kommun" else None,
        lan_code=scope.code if scope.kind == "lan" else None,
    )
    polygons = polygons.loc[polygons["geo_vintage"].fillna("") == vintage]
    if polygons.empty:
        return None
    context = None
    if level in {"deso", "regso"} and scope.kind != "kommun":
        context = regions_in_scope(
            regions, "kommun", lan_code=scope.code if scope.kind == "lan" else None
        )
        context = display_geometry(context, scope.kind)
    return build_geometry_records(
        display_geometry(polygons, scope.kind),
        context=context,
        precision=DISPLAY_PRECISION[scope.kind],
    )


def build_map_view(
    values: pd.DataFrame,
    regions: gpd.GeoDataFrame,
    names: pd.DataFrame,
    indicator: Indicator,
    level: str,
    period: str,
    scope: Scope,
    method: str,
    lang: str,
    *,
    reference_value: float | None = None,
    keep_codes: set[str] | frozenset[str] | None = None,
    layer: GeometryLayer | None = None,
) -> MapView:
    """Compute one map view.

    Parameters
    ----------
    values
        The indicator's values at ``level`` (all periods, all areas).
    regions
        All regions with geometry (any level and vintage).
    names
        Regions without geometry (``region_code``, ``geo_vintage``, ``level``, ``name``),
        used to name areas that lack a polygon.
    indicator, level, period, scope, method, lang
        The user's choices.
    reference_value
        The value of the scope as a whole (kommun, län or riket), for the summary.
    keep_codes
        When given, areas whose code is not in it are drawn muted (the area-type
        filter); classes and the table still cover every area.
    layer
        :func:`build_layer_geometry` for these regions, level, vintage and scope, when
        the caller has it cached; computed here otherwise.

    Returns
    -------
    MapView
        The view; ``deck`` is ``None`` when no polygon exists for these areas.
    """
    shown, vintage = values_shown(values, scope, period)

    if layer is None:
        layer = build_layer_geometry(regions, level, vintage, scope)
    named = shown.merge(
        names.loc[names["level"] == level, ["region_code", "geo_vintage", "name"]],
        on=["region_code", "geo_vintage"],
        how="left",
    )
    named["name"] = named["name"].fillna(named["region_code"])
    numeric = named["value"].where(named["status"].isna())
    classification = classify(numeric, method, indicator)
    summary = summarise_map(
        named,
        indicator,
        period,
        level,
        lang,
        reference_name=scope.name,
        reference_value=reference_value,
    )
    deck = None
    if layer is not None:
        check_vintage(shown, layer.regions)
        deck = build_deck(
            shown, indicator, classification, lang, layer=layer, keep_codes=keep_codes
        )
    areas = named[["name", "region_code", "geo_vintage", "value", "status"]].sort_values("name")
    areas = areas.assign(
        note=[note_for(s, v, lang) for s, v in zip(areas["status"], areas["value"], strict=True)]
    )
    return MapView(
        areas=areas.reset_index(drop=True),
        deck=deck,
        classification=classification,
        legend=legend_entries(classification, indicator, lang),
        summary=summary,
        geo_vintage=vintage,
    )


def note_for(status: object, value: object, lang: str) -> str:
    """The table's note column: why a value is not shown, else empty."""
    if isinstance(status, str) and status:
        return format_status(status, lang)
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return format_status(None, lang)
    return ""
