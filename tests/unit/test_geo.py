from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from sodd.geo import (
    join_values,
    regions_in_scope,
    simplify_for_display,
    validate_regions,
    view_state_for,
)
from sodd.schema import INDICATOR_VALUE_COLUMNS


def _regions() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "region_code": ["1780X0010", "1780X0020", "1781X0010", "1780"],
            "geo_vintage": ["2025", "2025", "2025", ""],
            "level": ["deso", "deso", "deso", "kommun"],
            "name": ["A", "B", "C", "Karlstad"],
            "kommun_code": ["1780", "1780", "1781", "1780"],
            "lan_code": ["17", "17", "17", "17"],
            "parent_code": ["1780Y001", "1780Y001", "1781Y001", "17"],
        },
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1), box(0, 0, 2, 1)],
        crs="EPSG:4326",
    )


def _values(codes: list[str], values: list[float]) -> pd.DataFrame:
    frame = pd.DataFrame({c: [None] * len(codes) for c in INDICATOR_VALUE_COLUMNS})
    frame["indicator_id"] = "x"
    frame["region_code"] = codes
    frame["level"] = "deso"
    frame["geo_vintage"] = "2025"
    frame["period"] = "2024"
    frame["value"] = values
    return frame


def test_validate_regions_names_problems() -> None:
    validate_regions(_regions())
    with pytest.raises(ValueError, match="'parent_code'"):
        validate_regions(_regions().drop(columns="parent_code"))
    with pytest.raises(ValueError, match="EPSG:4326"):
        validate_regions(_regions().to_crs("EPSG:3006"))


def test_regions_in_scope() -> None:
    regions = _regions()
    assert regions_in_scope(regions, "deso", kommun_code="1780")["region_code"].tolist() == [
        "1780X0010",
        "1780X0020",
    ]
    assert len(regions_in_scope(regions, "deso", lan_code="17")) == 3
    assert regions_in_scope(regions, "kommun")["name"].tolist() == ["Karlstad"]


def test_join_values_keeps_regions_without_value() -> None:
    joined = join_values(regions_in_scope(_regions(), "deso"), _values(["1780X0010"], [12.5]))
    assert isinstance(joined, gpd.GeoDataFrame) and joined.crs == "EPSG:4326"
    assert joined.set_index("region_code")["value"].to_dict()["1780X0010"] == 12.5
    assert pd.isna(joined.set_index("region_code")["value"]["1781X0010"])


def test_join_values_refuses_two_periods() -> None:
    values = pd.concat([_values(["1780X0010"], [1.0]), _values(["1780X0010"], [2.0])])
    with pytest.raises(ValueError, match="mer än ett värde per område"):
        join_values(_regions(), values)


def test_simplify_keeps_shared_borders() -> None:
    regions = regions_in_scope(_regions(), "deso")
    simplified = simplify_for_display(regions, "riket")
    assert simplified.geometry.is_valid.all()
    assert simplified.geometry.union_all().area == pytest.approx(regions.geometry.union_all().area)


def test_view_state_fits_sweden() -> None:
    lat, lon, zoom = view_state_for(_regions())
    assert lat == pytest.approx(0.5) and lon == pytest.approx(1.5)
    assert 3 <= zoom <= 13


def test_name_districts_uses_the_regso_of_the_same_revision() -> None:
    from sodd.geo import name_districts

    index = pd.DataFrame(
        {
            "region_code": ["1780C1010", "1780C1010", "1780R001", "1780R001", "1780C9990"],
            "level": ["deso", "deso", "regso", "regso", "deso"],
            "geo_vintage": ["2018", "2025", "2020", "2025", "2025"],
            "name": [
                "1780C1010",
                "1780C1010",
                "Karlstad (Haga)",
                "Karlstad (Nya Haga)",
                "1780C9990",
            ],
            "parent_code": ["1780R001", "1780R001", "1780", "1780", "1780R999"],
        }
    )
    named = name_districts(index)["name"].tolist()
    assert named[0] == "1780C1010 (Karlstad (Haga))"
    assert named[1] == "1780C1010 (Karlstad (Nya Haga))"
    assert named[4] == "1780C9990"  # no RegSO known: the code stays
