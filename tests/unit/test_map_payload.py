"""The light map layer: colour indices, the rerun path, display geometry of real polygons,
and the bench's naive baseline."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pydeck.bindings import deck as pydeck_deck
from shapely.geometry import box

from bench.map_cases import load_goteborg
from bench.map_payload import naive_payload_bytes, target_text
from sodd.deck_json import fill_accessor
from sodd.geo import DISPLAY_PRECISION, display_geometry, join_values
from sodd.indicators.catalog import load_catalog
from sodd.map_records import (
    CLASS_FILL,
    MISSING_FILL,
    MUTED_FILL,
    apply_values,
    build_geometry_records,
    rgba,
)
from sodd.maps import build_deck, classify
from sodd.schema import INDICATOR_VALUE_COLUMNS

INDICATOR = load_catalog().get("lag_ekonomisk_standard")


def _regions(n: int = 4) -> gpd.GeoDataFrame:
    codes = [f"1780C{k:03d}0" for k in range(n)]
    return gpd.GeoDataFrame(
        {
            "region_code": codes,
            "geo_vintage": "2025",
            "level": "deso",
            "name": codes,
            "kommun_code": "1780",
            "lan_code": "17",
            "parent_code": "1780R001",
        },
        geometry=[box(13.4 + k * 0.01, 59.3, 13.41 + k * 0.01, 59.31) for k in range(n)],
        crs="EPSG:4326",
    )


def _values(codes: list[str], numbers: list[float | None]) -> pd.DataFrame:
    frame = pd.DataFrame({column: [None] * len(codes) for column in INDICATOR_VALUE_COLUMNS})
    return frame.assign(
        indicator_id=INDICATOR.id, region_code=codes, geo_vintage="2025", level="deso",
        period="2024", value=numbers, provenance="scb:TAB6685",
    )  # fmt: skip


def test_records_carry_colour_indices_into_the_palette_sent_once() -> None:
    regions = _regions()
    codes = regions["region_code"].tolist()
    # A repeated code counts with its first row; a code outside the layer is ignored.
    values = _values([*codes[:3], codes[0], "1780C9990"], [10.0, 20.0, 30.0, 99.0, 5.0])
    values.loc[2, "status"] = ".."
    classification = classify(values["value"].iloc[:2], "quantiles", INDICATOR, k=2)
    assert classification is not None
    layer = build_geometry_records(regions)
    records = apply_values(
        layer, values, INDICATOR, classification, "sv", keep_codes=set(codes[:3])
    )
    fills = [r["fill"] for r in records]
    # 10 and 20 fall in the two classes, 1780C0020 is suppressed, 1780C0030 is outside.
    assert fills == [CLASS_FILL, CLASS_FILL + 1, MISSING_FILL, MUTED_FILL]
    assert records.palette[MISSING_FILL][:3] == (0xBD, 0xBD, 0xBD)
    assert records.palette[CLASS_FILL + 1] == tuple(rgba(classification.colours[1]))
    assert records[0]["value_text"] == "10,0\u00a0%"  # a no-break space before the unit
    assert records[3]["value_text"].endswith("(utanför urvalet)")
    assert json.loads(records.json_text) == list(records)
    deck = build_deck(values, INDICATOR, classification, "sv", layer=layer)
    spec = json.loads(deck.to_json())["layers"][0]
    assert spec["getFillColor"] == "@@=" + fill_accessor(deck.layers[0].data.palette)
    assert '"fill":[' not in deck.to_json()  # no colour is repeated per area


def test_fill_accessor_is_an_indexed_parenthesised_literal() -> None:
    assert fill_accessor([(1, 2, 3, 4), (5, 6, 7, 8)]) == "([[1,2,3,4],[5,6,7,8]])[fill]"


def test_pydecks_jupyter_probe_is_asked_once_and_decks_are_unchanged() -> None:
    assert hasattr(pydeck_deck.has_jupyter_extra, "cache_info")
    regions = _regions(2)
    values = _values(regions["region_code"].tolist(), [1.0, 2.0])
    layer = build_geometry_records(regions)
    first = build_deck(values, INDICATOR, None, "sv", layer=layer).to_json()
    assert build_deck(values, INDICATOR, None, "sv", layer=layer).to_json() == first


def test_naive_baseline_is_the_full_geojson_with_every_column() -> None:
    regions = _regions(3)
    regions.loc[0, "geometry"] = shapely.segmentize(regions.geometry[0], 0.0001)
    joined = join_values(regions, _values(regions["region_code"].tolist(), [1.0, 2.0, 3.0]))
    context = regions.dissolve().assign(region_code="1780", level="kommun")
    size = naive_payload_bytes(joined, None)
    assert size == len(joined.to_json().encode("utf-8"))
    text = joined.to_json()
    assert '"provenance": "scb:TAB6685"' in text and '"denominator": null' in text
    assert size > len(json.dumps(regions.__geo_interface__))  # more than the bare shapes
    with_outlines = naive_payload_bytes(joined, context)
    assert with_outlines == size + len(context.to_json().encode("utf-8"))


@pytest.mark.parametrize(
    ("row", "target", "expected"),
    [
        ({"unit": "bytes", "value": 2_900_000, "ratio": 21.0}, "national", True),
        ({"unit": "bytes", "value": 2_900_000, "ratio": 2.5}, "national", False),
        ({"unit": "bytes", "value": 310_000, "ratio": 9.0}, "kommun", False),
        ({"unit": "bytes", "value": 10_000, "ratio": 19.9}, "national-ratio", False),
        ({"unit": "s", "value": 0.001, "ratio": 10.0}, "kommun", True),
        ({"unit": "bytes", "value": 10, "ratio": 1.0}, "", None),
    ],
)
def test_bench_targets(row: dict[str, float | str], target: str, expected: bool | None) -> None:
    assert target_text(row, target)[1] is expected


@pytest.mark.shared
def test_real_wfs_districts_stay_a_coverage_at_kommun_zoom(shared_dir: Path) -> None:
    regions = load_goteborg(shared_dir)  # SCB's WFS answer at full resolution
    source = regions.geometry.values
    shown = display_geometry(regions, "kommun").geometry.values
    assert shapely.is_valid(shown).all() and not shapely.is_empty(shown).any()
    coords = shapely.get_coordinates(shown)
    precision = DISPLAY_PRECISION["kommun"]
    assert np.allclose(coords, np.round(coords, precision), atol=1e-9)  # what the JSON holds
    assert (
        shapely.get_num_coordinates(shown).sum() < 0.4 * shapely.get_num_coordinates(source).sum()
    )
    # No slivers: all overlaps between neighbours together cover less than one screen
    # pixel of the kommun view (about 0.0018° × 0.0009° in Göteborg).
    overlap = shapely.area(shown).sum() - shapely.area(shapely.union_all(shown))
    assert overlap < 1e-6
    # No gaps: the union has no hole the source did not have.
    holes = [len(p.interiors) for p in shapely.get_parts(shapely.union_all(shown))]
    source_holes = [len(p.interiors) for p in shapely.get_parts(shapely.union_all(source))]
    assert sum(holes) <= sum(source_holes)
    # Neighbours sharing more than two grid cells of border still share a border.
    tree = shapely.STRtree(source)
    left, right = tree.query(source, predicate="touches")
    cell = 10.0**-precision
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i < j and shapely.length(shapely.intersection(source[i], source[j])) > 2 * cell:
            assert shapely.length(shapely.intersection(shown[i], shown[j])) > 0, (i, j)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_quantile_breaks_are_mapclassifys(seed: int) -> None:
    import mapclassify

    rng = np.random.default_rng(seed)
    values = pd.Series(np.r_[rng.uniform(0, 50, 97).round(1), [7.0, 7.0, np.nan]])
    classification = classify(values, "quantiles", INDICATOR)
    assert classification is not None
    expected = mapclassify.Quantiles(values.dropna().to_numpy(), k=5).bins
    assert classification.upper_bounds == tuple(sorted({float(b) for b in expected}))
