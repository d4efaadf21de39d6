from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import MultiPolygon, box

from sodd.indicators.catalog import load_catalog
from sodd.maps import MAP_LAYER_ID, MISSING_COLOUR, NEED_RAMP, build_deck, classify, legend_entries


@pytest.fixture(scope="module")
def low_income():  # type: ignore[no-untyped-def]
    return load_catalog().get("lag_ekonomisk_standard")


@pytest.fixture(scope="module")
def median_income():  # type: ignore[no-untyped-def]
    return load_catalog().get("median_ekonomisk_standard")


def _joined(
    values: list[float | None], statuses: list[str | None] | None = None
) -> gpd.GeoDataFrame:
    n = len(values)
    geoms = [box(13 + i * 0.01, 59, 13.01 + i * 0.01, 59.01) for i in range(n)]
    geoms[0] = MultiPolygon([geoms[0], box(12, 58, 12.005, 58.005)])
    return gpd.GeoDataFrame(
        {
            "region_code": [f"1780X{i:03d}0" for i in range(n)],
            "name": [f"Område <{i}>" for i in range(n)],
            "value": pd.array(values, dtype="Float64").astype(float),
            "status": statuses or [None] * n,
        },
        geometry=geoms,
        crs="EPSG:4326",
    )


@pytest.mark.parametrize("method", ["quantiles", "natural_breaks", "equal_interval"])
def test_classify_covers_all_values(method: str, low_income) -> None:  # type: ignore[no-untyped-def]
    values = pd.Series(np.linspace(1, 40, 50))
    result = classify(values, method, low_income)
    assert result is not None
    assert result.upper_bounds[-1] == pytest.approx(40)
    assert list(result.upper_bounds) == sorted(result.upper_bounds)
    classes = result.class_of(values)
    assert classes.min() == 0 and classes.max() == len(result.upper_bounds) - 1


def test_natural_breaks_is_deterministic(low_income) -> None:  # type: ignore[no-untyped-def]
    values = pd.Series(np.random.default_rng(1).gamma(2, 5, 300))
    first = classify(values, "natural_breaks", low_income)
    second = classify(values, "natural_breaks", low_income)
    assert first == second


def test_few_distinct_values_give_fewer_classes(low_income) -> None:  # type: ignore[no-untyped-def]
    result = classify(pd.Series([5.0, 5.0, 7.0, np.nan]), "quantiles", low_income)
    assert result is not None and len(result.upper_bounds) == 2
    assert classify(pd.Series([np.nan]), "quantiles", low_income) is None


def test_unknown_method_is_refused(low_income) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="okänd klassindelning"):
        classify(pd.Series([1.0]), "jenks2", low_income)


def test_need_if_low_reverses_the_ramp(low_income, median_income) -> None:  # type: ignore[no-untyped-def]
    values = pd.Series(np.arange(10.0))
    assert classify(values, "quantiles", low_income).colours[-1] == NEED_RAMP[-1]  # type: ignore[union-attr]
    assert classify(values, "quantiles", median_income).colours[-1] == NEED_RAMP[0]  # type: ignore[union-attr]


def test_legend_is_swedish_formatted(low_income) -> None:  # type: ignore[no-untyped-def]
    result = classify(pd.Series([1.26, 2.5, 10.0, 1234.5]), "equal_interval", low_income)
    entries = legend_entries(result, low_income, "sv")
    assert entries[-1] == (MISSING_COLOUR, "uppgift saknas/skyddad")
    assert entries[0][1].startswith("1,3 – ")
    assert "1\u00a0234,5\u00a0%" in entries[-2][1]


def test_deck_escapes_names_colours_missing_and_has_no_base_map(low_income) -> None:  # type: ignore[no-untyped-def]
    joined = _joined([10.0, 20.0, None, 30.0], [None, None, "..", None])
    classification = classify(
        joined["value"].where(joined["status"].isna()), "quantiles", low_income
    )
    deck = build_deck(joined, low_income, classification, "sv")
    spec = json.loads(deck.to_json())
    layer = next(layer for layer in spec["layers"] if layer["id"] == MAP_LAYER_ID)
    records = layer["data"]
    assert len(records) == 5  # the multipolygon became two records
    assert all("<" not in r["name"] for r in records)
    assert records[0]["name"] == "Område &lt;0&gt;"
    missing = next(r for r in records if r["region_code"] == "1780X0020")
    assert missing["value_text"] == ".. (uppgift saknas/skyddad)"
    # Records carry a colour index; the layer looks it up in the records' palette.
    assert deck.layers[0].data.palette[missing["fill"]][:3] == (0xBD, 0xBD, 0xBD)
    assert layer["getFillColor"].endswith("[fill]")
    # An inline white style: no base map, and nothing fetched from basemaps.cartocdn.com.
    assert spec["mapStyle"].startswith("data:application/json,") and "http" not in spec["mapStyle"]
    assert "{value_text}" in deck._tooltip["html"]
