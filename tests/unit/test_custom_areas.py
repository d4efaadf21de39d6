"""Custom areas: aggregation against hand-computed values, validation, store round trip."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from sodd.custom_areas import (
    CustomArea,
    CustomAreaError,
    custom_area_region,
    is_custom_code,
    make_code,
    new_custom_area,
)
from sodd.custom_areas_aggregate import aggregate_indicator_values
from sodd.custom_areas_store import (
    CUSTOM_AREAS_ID,
    CUSTOM_VALUES_ID,
    delete_custom_area,
    load_custom_areas,
    recompute_custom_areas,
    save_custom_area,
)
from sodd.formatting import format_status
from sodd.indicators.catalog import Catalog, load_catalog
from sodd.pipeline import recompute_indicator_values, remove_demo_datasets
from sodd.profile import build_area_profile
from sodd.schema import INDICATOR_VALUE_COLUMNS, STATUS_NOT_AGGREGATABLE
from sodd.store import Store

CATALOG = load_catalog()
AREA = CustomArea(
    name="Planområde Kronoparken",
    code="EGET-planomrade-kronoparken",
    level="deso",
    geo_vintage="2025",
    members=("1780C1010", "1780C1020"),
    created_at="2026-11-30T12:00:00Z",
)


def _value(
    indicator: str,
    code: str,
    value: float | None,
    numerator: float | None = None,
    denominator: float | None = None,
    status: str | None = None,
    period: str = "2024",
    level: str = "deso",
    vintage: str = "2025",
) -> dict[str, object]:
    return {
        "indicator_id": indicator,
        "region_code": code,
        "geo_vintage": vintage,
        "level": level,
        "period": period,
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "status": status,
        "provenance": "scb:TAB6574",
    }


def _values(*rows: dict[str, object]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(INDICATOR_VALUE_COLUMNS))


def _one(result: pd.DataFrame, indicator: str, period: str = "2024") -> pd.Series:
    rows = result.loc[(result["indicator_id"] == indicator) & (result["period"] == period)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_share_is_sum_of_numerators_over_sum_of_denominators() -> None:
    values = _values(
        _value("andel_0_19", "1780C1010", 30.0, 30, 100),
        _value("andel_0_19", "1780C1020", 20.0, 10, 50),
    )
    row = _one(aggregate_indicator_values(values, AREA, CATALOG), "andel_0_19")
    assert row["value"] == pytest.approx(100 * 40 / 150)  # 26.7 %, not the mean 25 %
    assert (row["numerator"], row["denominator"]) == (40.0, 150.0)
    assert pd.isna(row["status"])
    assert (row["region_code"], row["level"], row["geo_vintage"]) == (AREA.code, "custom", "")
    assert row["provenance"] == "sodd: summa av 2 DeSO; scb:TAB6574"


def test_a_suppressed_member_withholds_the_aggregate_instead_of_using_the_rest() -> None:
    values = _values(
        _value("andel_0_19", "1780C1010", 30.0, 30, 100),
        _value("andel_0_19", "1780C1020", None, None, None, ".."),
        _value("folkmangd", "1780C1010", 100.0, 100),
        _value("folkmangd", "1780C1020", None, None, None, ".."),
        # A status set by the source withholds even when counts came along with it.
        _value("andel_0_19", "1780C1010", 30.0, 30, 100, period="2023"),
        _value("andel_0_19", "1780C1020", None, 10, 50, "..", period="2023"),
    )
    result = aggregate_indicator_values(values, AREA, CATALOG)
    for indicator, period in [
        ("andel_0_19", "2024"),
        ("folkmangd", "2024"),
        ("andel_0_19", "2023"),
    ]:
        row = _one(result, indicator, period)
        assert row["status"] == ".."
        assert pd.isna(row["value"]) and pd.isna(row["numerator"]) and pd.isna(row["denominator"])


def test_a_missing_member_row_withholds_the_aggregate() -> None:
    values = _values(
        _value("folkmangd", "1780C1010", 100.0, 100, period="2023"),
        _value("folkmangd", "1780C1020", 50.0, 50, period="2023"),
        _value("folkmangd", "1780C1010", 110.0, 110),  # 2024: the other member has no row
    )
    result = aggregate_indicator_values(values, AREA, CATALOG)
    assert _one(result, "folkmangd", "2023")["value"] == 150.0
    assert _one(result, "folkmangd", "2024")["status"] == ".."
    assert pd.isna(_one(result, "folkmangd", "2024")["value"])


def test_members_withheld_only_by_sodds_threshold_are_summed() -> None:
    # Each member's base is below 50 (status "few"), but their counts are published
    # cells: together they pass the threshold, which is why areas are combined.
    values = _values(
        _value("andel_0_19", "1780C1010", None, 10, 30, "few"),
        _value("andel_0_19", "1780C1020", None, 5, 30, "few"),
    )
    row = _one(aggregate_indicator_values(values, AREA, CATALOG), "andel_0_19")
    assert pd.isna(row["status"])
    assert row["value"] == pytest.approx(25.0)


def test_threshold_applies_to_the_summed_denominator() -> None:
    values = _values(
        _value("andel_0_19", "1780C1010", None, 5, 20, "few"),
        _value("andel_0_19", "1780C1020", None, 3, 20, "few"),
    )
    row = _one(aggregate_indicator_values(values, AREA, CATALOG), "andel_0_19")
    assert row["status"] == "few"  # 40 < 50
    assert pd.isna(row["value"])
    assert row["denominator"] == 40.0


def test_rate_uses_per_and_zero_base_is_not_applicable() -> None:
    base = CATALOG.get("andel_0_19")
    rate = dataclasses.replace(base, id="rate_x", kind="rate", per=10_000, disclosure_threshold=0)
    catalog = Catalog(CATALOG.schema_version, CATALOG.themes, (rate,))
    values = _values(
        _value("rate_x", "1780C1010", None, 3, 1000),
        _value("rate_x", "1780C1020", None, 1, 1000),
        _value("rate_x", "1780C1010", None, 0, 0, ".", period="2023"),
        _value("rate_x", "1780C1020", None, 0, 0, ".", period="2023"),
    )
    result = aggregate_indicator_values(values, AREA, catalog)
    assert _one(result, "rate_x")["value"] == pytest.approx(20.0)  # 4 / 2000 × 10 000
    assert _one(result, "rate_x", "2023")["status"] == "."


def test_published_with_weight_is_a_weighted_mean_only_when_complete() -> None:
    values = _values(
        _value("lag_ekonomisk_standard", "1780C1010", 10.0, None, 300),
        _value("lag_ekonomisk_standard", "1780C1020", 20.0, None, 100),
        _value("lag_ekonomisk_standard", "1780C1010", 10.0, None, 300, period="2023"),
        _value("lag_ekonomisk_standard", "1780C1020", 20.0, None, None, period="2023"),
    )
    result = aggregate_indicator_values(values, AREA, CATALOG)
    row = _one(result, "lag_ekonomisk_standard")
    assert row["value"] == pytest.approx((10 * 300 + 20 * 100) / 400)  # 12.5, not 15
    assert row["denominator"] == 400.0
    assert row["provenance"].startswith("sodd: viktat medelvärde av 2 DeSO")
    assert _one(result, "lag_ekonomisk_standard", "2023")["status"] == ".."


def test_median_is_not_aggregatable_and_says_so() -> None:
    values = _values(
        _value("median_ekonomisk_standard", "1780C1010", 250.0),
        _value("median_ekonomisk_standard", "1780C1020", 300.0),
    )
    row = _one(aggregate_indicator_values(values, AREA, CATALOG), "median_ekonomisk_standard")
    assert row["status"] == STATUS_NOT_AGGREGATABLE
    assert pd.isna(row["value"])
    assert format_status(row["status"], "sv") == "kan inte läggas samman för egna områden"
    assert format_status(row["status"], "en") == "cannot be combined for custom areas"


def test_kommun_level_indicators_and_other_areas_are_ignored() -> None:
    values = _values(
        _value("avhysningar_verkstallda", "1780C1010", 1.0, 1, 100),
        _value("avhysningar_verkstallda", "1780C1020", 1.0, 1, 100),
        _value("folkmangd", "1780C1030", 999.0, 999),  # not a member
        _value("folkmangd", "1780C1010", 5.0, 5, vintage="2018"),  # other vintage
    )
    assert aggregate_indicator_values(values, AREA, CATALOG).empty


def _regions() -> gpd.GeoDataFrame:
    rows = [
        ("1780C1010", "2025", "deso", "Haga 1", "1780", "17", "1780R001", box(0, 0, 1, 1)),
        ("1780C1020", "2025", "deso", "Haga 2", "1780", "17", "1780R001", box(1, 0, 2, 1)),
        ("1780C1010", "2018", "deso", "Haga 1", "1780", "17", "1780R001", box(0, 0, 1, 2)),
        ("1781C1010", "2025", "deso", "Kil 1", "1781", "17", "1781R001", box(3, 0, 4, 1)),
        ("1780R001", "2025", "regso", "Haga", "1780", "17", "1780", box(0, 0, 2, 1)),
    ]
    columns = ["region_code", "geo_vintage", "level", "name", "kommun_code", "lan_code"]
    frame = pd.DataFrame([r[:7] for r in rows], columns=[*columns, "parent_code"])
    return gpd.GeoDataFrame(frame, geometry=[r[7] for r in rows], crs="EPSG:4326")


@pytest.mark.parametrize(
    ("name", "members", "existing", "message"),
    [
        ("  ", ["1780C1010"], (), "Ge det egna området ett namn."),
        ("Haga", [], (), "Välj minst ett DeSO eller RegSO"),
        ("planområde kronoparken", ["1780C1010"], (AREA,), "Det finns redan ett eget område"),
        ("Haga", ["1780C1010", "1780C9999"], (), "Okänd områdeskod för 'Haga': 1780C9999"),
        ("Haga", ["1780C1010", "1780R001"], (), "Området 1780R001 är RegSO 2025"),
    ],
)
def test_validation_messages_name_what_is_wrong(
    name: str, members: list[str], existing: tuple[CustomArea, ...], message: str
) -> None:
    with pytest.raises(CustomAreaError, match=message):
        new_custom_area(name, members, _regions(), existing)


def test_mixed_vintages_are_refused() -> None:
    with pytest.raises(CustomAreaError, match="består av DeSO 2018"):
        new_custom_area("Haga", ["1780C1010", "1780C1020"], _regions(), geo_vintage="2018")


def test_new_area_takes_level_and_newest_vintage_and_a_safe_code() -> None:
    area = new_custom_area(" Planområde  Kronoparken ", ["1780C1020", "1780C1010"], _regions())
    assert (area.name, area.level, area.geo_vintage) == ("Planområde Kronoparken", "deso", "2025")
    assert area.members == ("1780C1010", "1780C1020")
    assert area.code == "EGET-planomrade-kronoparken" and is_custom_code(area.code)
    assert make_code("Planområde Kronoparken", [area.code]) == area.code + "-2"
    assert make_code("!!!") == "EGET-omrade"


def test_region_is_the_union_of_members_with_common_kommun() -> None:
    area = new_custom_area("Över gränsen", ["1780C1010", "1781C1010"], _regions())
    row = custom_area_region(area, _regions()).iloc[0]
    assert row["level"] == "custom" and row["geo_vintage"] == ""
    assert row["kommun_code"] is None and row["lan_code"] == "17"
    assert row.geometry.area == pytest.approx(2.0)
    assert json.loads(row["members"]) == ["1780C1010", "1781C1010"]
    same = custom_area_region(AREA, _regions()).iloc[0]
    assert same["kommun_code"] == "1780" and same.geometry.area == pytest.approx(2.0)


@pytest.fixture
def demo_copy(demo_store_dir: Path, tmp_path: Path) -> Store:
    """A private copy of the session's demo store (never change the shared one)."""
    shutil.copytree(demo_store_dir, tmp_path / "store")
    return Store(tmp_path / "store")


def _karlstad_deso(store: Store, count: int) -> list[str]:
    regions = store.read_regions(filters=[("level", "==", "deso")])
    return sorted(regions.loc[regions["kommun_code"] == "1780", "region_code"])[:count]


def test_round_trip_through_the_store_and_profile(demo_copy: Store) -> None:
    members = _karlstad_deso(demo_copy, 3)
    area = save_custom_area(demo_copy, "Planområde Kronoparken", members)
    manifest = demo_copy.manifest()
    assert manifest.datasets[CUSTOM_AREAS_ID].demo and manifest.datasets[CUSTOM_VALUES_ID].demo
    assert load_custom_areas(demo_copy) == [area]

    values = demo_copy.read("indicator_values", filters=[("indicator_id", "==", "folkmangd")])
    stored = values.loc[(values["region_code"] == area.code) & (values["period"] == "2024")]
    parts = values.loc[
        values["region_code"].isin(members)
        & (values["period"] == "2024")
        & (values.level == "deso")
    ]
    assert stored["value"].iloc[0] == parts["value"].sum()

    regions = pd.DataFrame(demo_copy.read_regions().drop(columns="geometry"))
    profile = build_area_profile(area.code, "custom", regions, values, CATALOG, geo_vintage="")
    assert profile.name == "Planområde Kronoparken" and profile.kommun_code == "1780"
    row = next(r for r in profile.rows() if r.indicator.id == "folkmangd")
    assert row.area is not None and row.area.value == parts["value"].sum()
    assert set(row.comparators) == {"kommun", "lan", "riket"}

    with pytest.raises(CustomAreaError, match="Det finns redan"):
        save_custom_area(demo_copy, "planområde kronoparken", members)
    generation = demo_copy.manifest().generation
    assert recompute_custom_areas(demo_copy) == [area]
    assert demo_copy.manifest().generation == generation + 1
    recompute_indicator_values(demo_copy)  # recomputes the custom values too
    assert load_custom_areas(demo_copy) == [area]

    delete_custom_area(demo_copy, area.code)
    assert CUSTOM_AREAS_ID not in demo_copy.manifest().datasets
    assert CUSTOM_VALUES_ID not in demo_copy.manifest().datasets
    with pytest.raises(CustomAreaError, match="inget eget område"):
        delete_custom_area(demo_copy, area.code)


def test_recompute_without_custom_areas_writes_nothing(demo_copy: Store) -> None:
    generation = demo_copy.manifest().generation
    assert recompute_custom_areas(demo_copy) == []
    assert demo_copy.manifest().generation == generation


def test_demo_removal_drops_demo_based_custom_areas(demo_copy: Store) -> None:
    save_custom_area(demo_copy, "Exempelområde", _karlstad_deso(demo_copy, 2))
    with demo_copy.transaction() as tx:
        removed = remove_demo_datasets(tx)
    assert {CUSTOM_AREAS_ID, CUSTOM_VALUES_ID} <= set(removed)
    assert not demo_copy.manifest().datasets


def test_demo_removal_drops_demo_rows_from_an_unflagged_custom_dataset(
    demo_copy: Store,
) -> None:
    area = save_custom_area(demo_copy, "Exempelområde", _karlstad_deso(demo_copy, 2))
    rows = demo_copy.read_regions(dataset_ids=[CUSTOM_AREAS_ID])
    with demo_copy.transaction() as tx:  # as if flagged wrongly: not demo
        tx.write(CUSTOM_AREAS_ID, "regions", rows, provider="sodd", title="x")
        tx.write(
            CUSTOM_VALUES_ID,
            "indicator_values",
            demo_copy.read("indicator_values", dataset_ids=[CUSTOM_VALUES_ID]),
            provider="sodd",
            title="x",
        )
    assert area.code in set(demo_copy.read_regions()["region_code"])
    with demo_copy.transaction() as tx:
        remove_demo_datasets(tx)
    assert CUSTOM_AREAS_ID not in demo_copy.manifest().datasets
    assert CUSTOM_VALUES_ID not in demo_copy.manifest().datasets
