"""Regions: validation, selection by scope, joins with indicator values, display geometry.

Pure functions: GeoDataFrames in, GeoDataFrames out. No I/O, no Streamlit.
"""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
import shapely

from sodd.geo_vintage import check_vintage
from sodd.schema import INDICATOR_VALUE_COLUMNS, LEVELS, REGION_COLUMNS

WGS84 = "EPSG:4326"

# Simplification tolerance in degrees per map scope, sized to the screen: on a map about
# 1 000 px tall, Sweden (14° of latitude) is about 0.014° a pixel, Stockholms län
# about 0.002° and Karlstad about 0.0009°. Each tolerance is under half a pixel at
# that view (0.36, 0.4 and 0.22 px), so borders stay sharp when zooming in a step;
# every vertex finer than that is payload the screen cannot show.
DISPLAY_TOLERANCE = {"riket": 0.005, "lan": 0.0008, "kommun": 0.0002}
# Decimals of a degree kept per map scope: 4 is about 10 m, 3 about 100 m, which is
# still finer than the simplification tolerance of a whole-country map.
DISPLAY_PRECISION = {"riket": 3, "lan": 4, "kommun": 4}


def validate_regions(regions: gpd.GeoDataFrame) -> None:
    """Check that a frame follows the regions contract.

    Parameters
    ----------
    regions
        Frame to check.

    Raises
    ------
    ValueError
        Naming the missing column, a wrong CRS or an unknown level.
    """
    if not isinstance(regions, gpd.GeoDataFrame):
        raise ValueError("regions måste vara en GeoDataFrame.")
    missing = [c for c in REGION_COLUMNS if c not in regions.columns]
    if missing:
        raise ValueError(f"regions saknar kolumnen {missing[0]!r}.")
    if regions.crs is None or not regions.crs.equals(WGS84):
        raise ValueError(f"regions måste ha koordinatsystemet {WGS84}, men har {regions.crs}.")
    unknown = set(regions["level"].dropna().unique()) - set(LEVELS)
    if unknown:
        raise ValueError(f"regions har okänd nivå {sorted(unknown)[0]!r} i kolumnen 'level'.")


def name_districts(index: pd.DataFrame) -> pd.DataFrame:
    """Give unnamed DeSO a readable name from their RegSO: ``1780C1010 (Karlstad (Haga))``.

    SCB names RegSO but not DeSO, and a bare code means little to a planner. A DeSO lies
    in the RegSO of its own revision (DeSO 2018 in RegSO 2020, DeSO 2025 in RegSO 2025).

    Parameters
    ----------
    index
        Regions without geometry (``region_code``, ``level``, ``geo_vintage``, ``name``,
        ``parent_code``).

    Returns
    -------
    pandas.DataFrame
        A copy where every DeSO named by its bare code carries its RegSO's name too.
    """
    regso_vintage = {"2018": "2020", "2025": "2025"}
    regso = index.loc[index["level"] == "regso"]
    regso_names = dict(
        zip(
            zip(regso["region_code"], regso["geo_vintage"], strict=True), regso["name"], strict=True
        )
    )
    named = index.copy()
    is_bare = (named["level"] == "deso") & (named["name"] == named["region_code"])
    bare = named.loc[is_bare]
    keys = zip(
        bare["parent_code"],
        bare["geo_vintage"].map(lambda v: regso_vintage.get(str(v), v)),
        strict=True,
    )
    regso_name = pd.Series([regso_names.get(key) for key in keys], index=bare.index)
    found = regso_name.notna()
    named.loc[found[found].index, "name"] = (
        bare.loc[found, "region_code"] + " (" + regso_name[found] + ")"
    )
    return named


def regions_in_scope(
    regions: gpd.GeoDataFrame,
    level: str,
    *,
    kommun_code: str | None = None,
    lan_code: str | None = None,
) -> gpd.GeoDataFrame:
    """Select the regions of one level inside a kommun, a län or the whole country.

    Parameters
    ----------
    regions
        All regions (the regions contract).
    level
        Level to keep (``deso``, ``regso``, ``kommun``, ``lan``).
    kommun_code, lan_code
        Restrict to one kommun or one län; both ``None`` means the whole country.

    Returns
    -------
    geopandas.GeoDataFrame
        The matching regions, sorted by code.
    """
    mask = regions["level"] == level
    if kommun_code is not None:
        mask &= regions["kommun_code"] == kommun_code
    elif lan_code is not None:
        mask &= regions["lan_code"] == lan_code
    selected = regions.loc[mask]
    return selected.sort_values("region_code").reset_index(drop=True)


def join_values(regions: gpd.GeoDataFrame, values: pd.DataFrame) -> gpd.GeoDataFrame:
    """Attach one indicator's values to regions; regions without a value keep a null.

    Parameters
    ----------
    regions
        Regions of one level.
    values
        Indicator values (the indicator_values contract) for one indicator and period.

    Returns
    -------
    geopandas.GeoDataFrame
        ``regions`` with ``value``, ``numerator``, ``denominator``, ``status`` and
        ``provenance`` columns.

    Raises
    ------
    ValueError
        When a required column is missing, one region has two values, or the values
        are of another DeSO/RegSO vintage than the regions (:func:`check_vintage`).
    """
    missing = [c for c in INDICATOR_VALUE_COLUMNS if c not in values.columns]
    if missing:
        raise ValueError(f"indikatorvärdena saknar kolumnen {missing[0]!r}.")
    check_vintage(values, regions)
    keys = ["region_code", "level", "geo_vintage"]
    # A DeSO code can exist in both the 2018 and the 2025 area sets with different
    # borders, so the vintage is part of the key (kommun, län and riket carry "").
    values = values.assign(geo_vintage=values["geo_vintage"].fillna(""))
    regions = regions.assign(geo_vintage=regions["geo_vintage"].fillna(""))
    if values.duplicated(keys).any():
        raise ValueError("indikatorvärdena har mer än ett värde per område; filtrera på år först.")
    value_columns = ["value", "numerator", "denominator", "status", "provenance"]
    joined = regions.merge(values[[*keys, *value_columns]], on=keys, how="left")
    return gpd.GeoDataFrame(joined, geometry="geometry", crs=regions.crs)


def simplify_for_display(regions: gpd.GeoDataFrame, scope: str) -> gpd.GeoDataFrame:
    """Simplify polygons for a map of the given scope, keeping shared borders shared.

    ``shapely.coverage_simplify`` simplifies each shared edge once, so neighbouring
    districts never get gaps or overlaps between them (a per-polygon simplify would).

    Parameters
    ----------
    regions
        Non-overlapping polygons of one level.
    scope
        ``riket``, ``lan`` or ``kommun``: how far the map is zoomed out.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy with simplified geometry.
    """
    tolerance = DISPLAY_TOLERANCE.get(scope, DISPLAY_TOLERANCE["kommun"])
    simplified = regions.copy()
    if len(simplified):
        geoms = shapely.coverage_simplify(simplified.geometry.values, tolerance)
        simplified = simplified.set_geometry(
            gpd.GeoSeries(geoms, index=simplified.index, crs=regions.crs)
        )
    return simplified


def display_geometry(regions: gpd.GeoDataFrame, scope: str) -> gpd.GeoDataFrame:
    """Regions as sent to the browser: simplified for the scope, coordinates on a grid.

    The grid (:data:`DISPLAY_PRECISION`) is where the map records round to. Rounding each vertex
    on its own (not snap-rounding, which nodes each polygon separately) sends a shared
    vertex to the same grid point from both sides, so neighbours keep sharing their
    border exactly; vertices that fall together are dropped. The few polygons that
    rounding makes invalid (a neck narrower than a cell) are snap-rounded instead, so
    they stay valid and on the grid; one the grid would empty keeps its simplified shape.
    This is the frame to cache per (store generation, level, vintage, scope).

    Parameters
    ----------
    regions
        Non-overlapping polygons of one level (EPSG:4326).
    scope
        ``riket``, ``lan`` or ``kommun`` (see :data:`DISPLAY_TOLERANCE`).

    Returns
    -------
    geopandas.GeoDataFrame
        A copy with display geometry.
    """
    simplified = simplify_for_display(regions, scope)
    precision = DISPLAY_PRECISION.get(scope, DISPLAY_PRECISION["kommun"])
    if simplified.empty:
        return simplified
    geoms = simplified.geometry.values
    snapped = shapely.remove_repeated_points(
        shapely.set_precision(geoms, 10.0**-precision, mode="pointwise")
    )
    broken = shapely.is_empty(snapped) | ~shapely.is_valid(snapped)
    if broken.any():
        repaired = shapely.set_precision(geoms[broken], 10.0**-precision, mode="valid_output")
        lost = shapely.is_empty(repaired)
        repaired[lost] = geoms[broken][lost]
        snapped[broken] = repaired
    return simplified.set_geometry(gpd.GeoSeries(snapped, index=simplified.index, crs=regions.crs))


def view_state_for(regions: gpd.GeoDataFrame) -> tuple[float, float, float]:
    """Centre latitude, longitude and a zoom level that fits the regions on a map.

    Parameters
    ----------
    regions
        The regions to fit.

    Returns
    -------
    tuple[float, float, float]
        ``(latitude, longitude, zoom)``.
    """
    if regions.empty:
        return 62.0, 16.0, 3.6
    minx, miny, maxx, maxy = regions.total_bounds
    span = max(maxx - minx, (maxy - miny) * 2.0, 1e-4)
    # Web-Mercator zoom: the world is 360 degrees wide at zoom 0 on a ~700 px map.
    zoom = 8.6 - math.log2(span)
    return float((miny + maxy) / 2), float((minx + maxx) / 2), max(3.0, min(zoom, 13.0))
