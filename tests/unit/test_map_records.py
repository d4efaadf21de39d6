"""Map records built once per geometry and recoloured per indicator and year."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import MultiPolygon, box

from sodd.geo import display_geometry
from sodd.indicators.catalog import load_catalog
from sodd.map_records import apply_values, build_geometry_records, build_map_records
from sodd.map_view import Scope, build_layer_geometry, build_map_view
from sodd.maps import build_deck, classify
from sodd.schema import INDICATOR_VALUE_COLUMNS

INDICATOR = load_catalog().get("lag_ekonomisk_standard")


def _grid(n: int = 4) -> gpd.GeoDataFrame:
    """An n × n coverage of wobbly squares around Karlstad (shared edges, many vertices)."""
    cells = []
    for i in range(n):
        for j in range(n):
            cell = box(13.4 + i * 0.05, 59.3 + j * 0.03, 13.45 + i * 0.05, 59.33 + j * 0.03)
            cells.append(shapely.segmentize(cell, 0.0007))
    codes = [f"1780C{k:03d}0" for k in range(n * n)]
    return gpd.GeoDataFrame(
        {
            "region_code": codes,
            "geo_vintage": ["2025"] * len(codes),
            "level": ["deso"] * len(codes),
            "name": [f"<{c}>" for c in codes],
            "kommun_code": ["1780"] * len(codes),
            "lan_code": ["17"] * len(codes),
            "parent_code": ["1780R001"] * len(codes),
        },
        geometry=cells,
        crs="EPSG:4326",
    )


def _values(regions: gpd.GeoDataFrame, period: str, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({column: [None] * len(regions) for column in INDICATOR_VALUE_COLUMNS})
    frame = frame.assign(
        indicator_id=INDICATOR.id, region_code=regions["region_code"].to_numpy(),
        geo_vintage="2025", level="deso", period=period,
        value=rng.uniform(5, 40, len(regions)).round(1), provenance="scb:TAB6685",
    )  # fmt: skip
    frame.loc[2, ["value", "status"]] = [None, ".."]
    return frame


def test_apply_values_matches_the_one_shot_records_and_shares_polygons() -> None:
    regions = _grid()
    regions.loc[0, "geometry"] = MultiPolygon([regions.geometry[0], box(12, 58, 12.01, 58.01)])
    values = _values(regions, "2024", 1)
    joined = regions.merge(values[["region_code", "value", "status"]], on="region_code")
    classification = classify(joined["value"], "quantiles", INDICATOR)
    layer = build_geometry_records(regions)
    records = apply_values(layer, values, INDICATOR, classification, "sv")
    assert records == build_map_records(joined, INDICATOR, classification, "sv")
    assert len(records) == len(regions) + 1  # the multipolygon gives two records
    assert all(r["polygon"] is g["polygon"] for r, g in zip(records, layer.records, strict=True))
    assert records[0]["name"] == "&lt;1780C0000&gt;"
    suppressed = next(r for r in records if r["region_code"] == "1780C0020")
    assert suppressed["value_text"] == ".. (uppgift saknas/skyddad)"
    # Another year recolours the same geometry without touching it.
    other = apply_values(layer, _values(regions, "2023", 2), INDICATOR, classification, "sv")
    assert [r["fill"] for r in other] != [r["fill"] for r in records]
    assert layer.records[0].keys() == {"region_code", "name", "polygon"}


def test_areas_without_a_value_are_missing_not_dropped() -> None:
    regions = _grid(2)
    values = _values(regions, "2024", 3).iloc[:1]
    records = apply_values(build_geometry_records(regions), values, INDICATOR, None, "en")
    assert len(records) == 4
    assert {r["value_text"] for r in records[1:]} == {".. (data missing/protected)"}


def test_deck_from_cached_layer_equals_deck_from_geodataframe() -> None:
    regions = _grid()
    values = _values(regions, "2024", 4)
    scope = Scope("kommun", "1780", "Karlstad")
    names = pd.DataFrame(regions.drop(columns="geometry"))
    args = (values, regions, names, INDICATOR, "deso", "2024", scope, "quantiles", "sv")
    layer = build_layer_geometry(regions, "deso", "2025", scope)
    assert layer is not None
    fresh = build_map_view(*args)
    cached = build_map_view(*args, layer=layer)
    assert fresh.deck is not None and cached.deck is not None
    assert json.loads(cached.deck.to_json()) == json.loads(fresh.deck.to_json())
    assert build_layer_geometry(regions, "deso", "2018", scope) is None


def test_highlight_uses_the_layer_geometry() -> None:
    regions = _grid(2)
    values = _values(regions, "2024", 5)
    layer = build_geometry_records(regions)
    deck = build_deck(values, INDICATOR, None, "sv", layer=layer, highlight_code="1780C0010")
    ids = [spec["id"] for spec in json.loads(deck.to_json())["layers"]]
    assert ids == ["omraden", "valt-omrade"]


@pytest.mark.parametrize("scope", ["kommun", "lan", "riket"])
def test_display_geometry_is_valid_on_the_grid_and_keeps_borders_shared(scope: str) -> None:
    regions = _grid()
    shown = display_geometry(regions, scope)
    geoms = shown.geometry.values
    assert shapely.is_valid(geoms).all()
    assert bool(shapely.coverage_is_valid(geoms))  # no gaps or overlaps between neighbours
    coords = shapely.get_coordinates(geoms)
    assert np.allclose(coords, np.round(coords, 4), atol=1e-9)
    assert (
        shapely.get_num_coordinates(geoms).sum()
        < shapely.get_num_coordinates(regions.geometry.values).sum()
    )
    union = shapely.area(shapely.union_all(geoms))
    assert union == pytest.approx(shapely.area(shapely.union_all(regions.geometry.values)), 0.01)


def test_compact_json_has_pydecks_content_in_fewer_bytes() -> None:
    from pydeck.bindings.json_tools import serialize

    regions = _grid()
    values = _values(regions, "2024", 6)
    context = regions.dissolve().assign(region_code="1780", name="Karlstad", level="kommun")
    layer = build_geometry_records(regions, context=context)
    classification = classify(values["value"], "quantiles", INDICATOR)
    deck = build_deck(values, INDICATOR, classification, "sv", layer=layer)
    compact = deck.to_json()
    pretty = serialize(deck)  # what pydeck itself would send
    assert json.loads(compact) == json.loads(pretty)
    assert len(compact) < len(pretty) / 2
    spec = json.loads(compact)
    assert [spec_layer["id"] for spec_layer in spec["layers"]] == ["omraden", "granser"]
    records = apply_values(layer, values, INDICATOR, classification, "sv")
    assert spec["layers"][0]["data"] == list(records)
    # Serialising leaves the Deck's own data untouched (the JSON is spliced, not stored).
    assert deck.layers[0].data == list(records)
