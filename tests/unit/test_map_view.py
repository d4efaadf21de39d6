from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from sodd.indicators.catalog import load_catalog
from sodd.map_view import Scope, build_map_view, periods_available, values_in_scope
from sodd.schema import INDICATOR_VALUE_COLUMNS

INDICATOR = load_catalog().get("lag_ekonomisk_standard")


def _values(rows: list[tuple[str, str, str, float | None, str | None]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["region_code", "geo_vintage", "period", "value", "status"])
    frame["indicator_id"] = INDICATOR.id
    frame["level"] = "deso"
    frame["numerator"] = frame["denominator"] = None
    frame["provenance"] = "scb:TAB6685"
    return frame[list(INDICATOR_VALUE_COLUMNS)]


REGIONS = gpd.GeoDataFrame(
    {
        "region_code": ["1780C1010", "1780C1010", "1780C1020", "1781C1010"],
        "geo_vintage": ["2018", "2025", "2025", "2025"],
        "level": ["deso"] * 4,
        "name": ["1780C1010"] * 2 + ["1780C1020", "1781C1010"],
        "kommun_code": ["1780", "1780", "1780", "1781"],
        "lan_code": ["17"] * 4,
        "parent_code": ["1780R001"] * 4,
    },
    geometry=[box(0, 0, 2, 1), box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)],
    crs="EPSG:4326",
)
NAMES = pd.DataFrame(REGIONS.drop(columns="geometry"))
VALUES = _values(
    [
        ("1780C1010", "2018", "2023", 10.0, None),
        ("1780C1010", "2025", "2024", 12.0, None),
        ("1780C1020", "2025", "2024", None, ".."),
        ("1781C1010", "2025", "2024", 30.0, None),
    ]
)


def test_values_in_scope_by_code_prefix() -> None:
    assert set(values_in_scope(VALUES, Scope("kommun", "1780"))["region_code"]) == {
        "1780C1010",
        "1780C1020",
    }
    assert len(values_in_scope(VALUES, Scope("lan", "17"))) == 4
    assert periods_available(values_in_scope(VALUES, Scope("kommun", "1781"))) == ["2024"]


def test_a_year_is_drawn_on_its_own_vintage() -> None:
    old = build_map_view(
        VALUES,
        REGIONS,
        NAMES,
        INDICATOR,
        "deso",
        "2023",
        Scope("kommun", "1780", "Karlstad"),
        "quantiles",
        "sv",
    )
    assert old.geo_vintage == "2018" and old.areas["region_code"].tolist() == ["1780C1010"]
    new = build_map_view(
        VALUES,
        REGIONS,
        NAMES,
        INDICATOR,
        "deso",
        "2024",
        Scope("kommun", "1780", "Karlstad"),
        "quantiles",
        "sv",
    )
    assert new.geo_vintage == "2025"
    records = new.deck.layers[0].data  # type: ignore[union-attr]
    assert sorted(r["region_code"] for r in records) == ["1780C1010", "1780C1020"]
    suppressed = new.areas.set_index("region_code").loc["1780C1020"]
    assert pd.isna(suppressed["value"]) and suppressed["note"].startswith("..")


def test_without_polygons_the_values_still_come_through() -> None:
    empty = REGIONS.iloc[0:0]
    view = build_map_view(
        VALUES,
        empty,
        NAMES,
        INDICATOR,
        "deso",
        "2024",
        Scope("lan", "17", "Värmlands län"),
        "quantiles",
        "sv",
        reference_value=14.0,
    )
    assert view.deck is None
    assert len(view.areas) == 3
    assert "Värmlands län som helhet: 14,0" in view.summary
