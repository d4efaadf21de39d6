"""The synthetic demo dataset: regions, codes, consistency of the numbers, catalog coverage."""

from __future__ import annotations

import itertools
import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from sodd.demo import (
    DEMO_DESO_PATTERN,
    DEMO_FETCHED_AT,
    DEMO_REGSO_PATTERN,
    DemoDataset,
    build_demo,
    build_demo_observations,
    is_demo_code,
)
from sodd.indicators.catalog import load_catalog
from sodd.schema import OBSERVATION_COLUMNS, REGION_COLUMNS, STATUS_SUPPRESSED

REAL_DESO = re.compile(r"^\d{4}[ABC]\d{4}$")
REAL_REGSO = re.compile(r"^\d{4}R\d{3}$")
LAN = ["09", "17"]  # Gotland (one kommun) and Värmland (16 kommuner)
PER_KOMMUN = 6


@pytest.fixture(scope="module")
def demo() -> DemoDataset:
    return build_demo(lan_codes=LAN, districts_per_kommun=PER_KOMMUN)


@pytest.fixture(scope="module")
def regions(demo: DemoDataset) -> gpd.GeoDataFrame:
    return demo.regions


@pytest.fixture(scope="module")
def obs(demo: DemoDataset) -> pd.DataFrame:
    return demo.observations


def cells(obs: pd.DataFrame, table_id: str) -> pd.DataFrame:
    """One row per (level, region, period), one column per (variable, dims)."""
    part = obs[obs["table_id"] == table_id]
    return part.pivot(
        index=["level", "region_code", "period"], columns=["variable", "dims"], values="value"
    )


def key(**dims: str) -> str:
    return json.dumps(dims, sort_keys=True, ensure_ascii=False)


def test_regions_follow_the_contract(regions: gpd.GeoDataFrame) -> None:
    assert list(regions.columns) == list(REGION_COLUMNS)
    assert regions.crs.to_epsg() == 4326
    assert regions["region_code"].is_unique
    counts = regions["level"].value_counts()
    assert counts["deso"] == 17 * PER_KOMMUN
    assert counts["kommun"] == 17
    assert counts["lan"] == 2
    assert counts["riket"] == 1
    assert 17 * 2 <= counts["regso"] < counts["deso"]
    assert regions.is_valid.all() and not regions.is_empty.any()
    assert set(regions.geom_type) <= {"Polygon", "MultiPolygon"}
    for column in REGION_COLUMNS[:-1]:
        assert pd.api.types.is_string_dtype(regions[column]), column


def test_demo_codes_never_look_real(regions: gpd.GeoDataFrame) -> None:
    districts = regions[regions["level"].isin(["deso", "regso"])]
    for code, level in zip(districts["region_code"], districts["level"], strict=True):
        assert not REAL_DESO.match(code) and not REAL_REGSO.match(code)
        assert re.match(DEMO_DESO_PATTERN if level == "deso" else DEMO_REGSO_PATTERN, code)
        assert is_demo_code(code)
    others = regions.loc[~regions["level"].isin(["deso", "regso"]), "region_code"]
    assert not any(is_demo_code(code) for code in others)
    assert not any(is_demo_code(c) for c in ("1780C1010", "1780R001", "1780", "1780X001", ""))


def test_districts_lie_in_and_cover_their_kommun(regions: gpd.GeoDataFrame) -> None:
    deso = regions[regions["level"] == "deso"]
    kommuner = regions[regions["level"] == "kommun"].set_index("region_code")
    metric = deso.to_crs("EPSG:3006")
    kommun_metric = kommuner.to_crs("EPSG:3006")
    for code, kommun in kommuner.geometry.items():
        mine = deso["kommun_code"] == code
        assert mine.sum() == PER_KOMMUN
        assert deso.loc[mine].geometry.within(kommun.buffer(1e-7)).all(), code
        union = shapely.union_all(metric.loc[mine].geometry.to_numpy())
        assert union.area == pytest.approx(kommun_metric.geometry[code].area, rel=0.005), code


def test_parent_links_are_consistent(regions: gpd.GeoDataFrame) -> None:
    by_code = regions.set_index("region_code")
    for row in regions.itertuples():
        if row.level == "riket":
            assert pd.isna(row.parent_code) and row.geo_vintage == ""
            continue
        parent = by_code.loc[row.parent_code]
        expected = {"deso": "regso", "regso": "kommun", "kommun": "lan", "lan": "riket"}
        assert parent["level"] == expected[row.level]
        assert row.lan_code == (row.region_code if row.level == "lan" else row.kommun_code[:2])
        if row.level in ("deso", "regso"):
            assert row.geo_vintage == "2025"
            assert parent["kommun_code"] == row.kommun_code == row.region_code[:4]
        else:
            assert row.geo_vintage == ""
    deso = regions[regions["level"] == "deso"]
    regso = regions[regions["level"] == "regso"].set_index("region_code")
    for row in deso.itertuples():  # a district is named after its RegSO
        assert row.name.startswith(regso.loc[row.parent_code, "name"] + " – område ")
    assert not regso.groupby("kommun_code")["name"].apply(lambda n: n.duplicated().any()).any()


def test_same_seed_same_data_other_seed_other_data(demo: DemoDataset) -> None:
    again = build_demo(lan_codes=LAN, districts_per_kommun=PER_KOMMUN)
    pd.testing.assert_frame_equal(demo.observations, again.observations)
    pd.testing.assert_frame_equal(
        demo.regions.drop(columns="geometry"), again.regions.drop(columns="geometry")
    )
    assert (demo.regions.geometry.to_wkb() == again.regions.geometry.to_wkb()).all()
    assert demo.tables == again.tables
    other = build_demo(lan_codes=["09"], districts_per_kommun=PER_KOMMUN, seed=1)
    mine = demo.regions[demo.regions["kommun_code"] == "0980"].reset_index(drop=True)
    assert not mine.geometry.geom_equals(other.regions.geometry.iloc[: len(mine)]).all()


def test_observations_follow_the_contract(demo: DemoDataset, obs: pd.DataFrame) -> None:
    assert list(obs.columns) == list(OBSERVATION_COLUMNS)
    assert obs["value"].dtype == np.float64
    for column in OBSERVATION_COLUMNS:
        if column != "value":
            assert pd.api.types.is_string_dtype(obs[column]), column
    assert (obs["fetched_at"] == DEMO_FETCHED_AT).all()
    for text in obs["dims"].unique():
        parsed = json.loads(text)
        assert list(parsed) == sorted(parsed) and json.dumps(parsed, ensure_ascii=False) == text
    assert not obs.duplicated(
        ["provider", "table_id", "variable", "region_code", "period", "dims"]
    ).any()
    for table in demo.tables:
        assert "Exempeldata" in table.title
        part = obs[(obs["provider"] == table.provider) & (obs["table_id"] == table.table_id)]
        assert tuple(sorted(part["period"].unique())) == table.periods
        assert set(part["level"]) == set(table.levels)
    periods = {t.table_id: t.periods for t in demo.tables}
    assert periods["TAB6680"] == ("2020", "2021", "2022", "2023", "2024")
    assert periods["TAB6684"][-1] == "2023" and periods["TAB6534"] == ("2024",)
    assert periods["hemloshetskartlaggning"] == ("2017", "2023")


def test_counts_add_up_at_every_level(obs: pd.DataFrame) -> None:
    k = {"Kon": "1+2"}
    pop = cells(obs, "TAB6574")["000007Y7"]
    ages = [c for c in pop.columns if json.loads(c)["Alder"] != "totalt"]
    assert len(ages) == 17
    np.testing.assert_array_equal(pop[ages].sum(axis=1), pop[key(Alder="totalt", **k)])

    lab = cells(obs, "TAB6680")
    a = key(Alder="20-64", **k)
    force, unemployed, employed = lab[("0000089V", a)], lab[("0000089W", a)], lab[("0000089X", a)]
    total, outside = lab[("0000089Y", a)], lab[("0000089Z", a)]
    np.testing.assert_array_equal(employed + unemployed, force)
    np.testing.assert_array_equal(force + outside, total)
    assert (employed <= total).all() and (unemployed <= force).all()

    bg = cells(obs, "TAB6571")["000007Y4"]
    birth = cells(obs, "TAB6572")["000007Y5"]
    np.testing.assert_array_equal(
        bg[key(UtlBakgrund="1", **k)] + bg[key(UtlBakgrund="2", **k)],
        bg[key(UtlBakgrund="SA", **k)],
    )
    abroad = birth[key(Fodelseregion="eu", **k)] + birth[key(Fodelseregion="öv", **k)]
    np.testing.assert_array_equal(
        abroad + birth[key(Fodelseregion="sv", **k)], birth[key(Fodelseregion="tot", **k)]
    )
    assert (abroad <= bg[key(UtlBakgrund="1", **k)]).all()

    # Sums: every kommun is the sum of its districts, riket the sum of the län.
    totalt = pop[key(Alder="totalt", **k)].unstack("period")
    deso = totalt.loc["deso"]
    by_kommun = deso.groupby(deso.index.str[:4]).sum()
    pd.testing.assert_frame_equal(by_kommun, totalt.loc["kommun"], check_names=False)
    np.testing.assert_array_equal(totalt.loc["lan"].sum(), totalt.loc["riket"].iloc[0])

    bv = cells(obs, "behovsbaserad_bostadsbrist")
    h = key(hushallstyp="alla")
    assert (bv[("trangbodda", h)] <= bv[("hushall", h)]).all()
    both = bv[("trangbodd_anstrangd", h)]
    assert (both <= bv[("trangbodda", h)]).all() and (
        both <= bv[("anstrangd_boendeekonomi", h)]
    ).all()
    ev = cells(obs, "avhysningar")
    assert (ev[("verkstallda", "{}")] <= ev[("ansokta", "{}")]).all()


@pytest.mark.parametrize(
    ("table_id", "total"),
    [
        ("TAB6568", key(Hushallstyp="TOTALT")),
        ("TAB6253", key(Upplatelseform="TOTALT")),
        ("TAB6065", key(Hustyp="TOTALT")),
    ],
)
def test_small_cells_are_suppressed_like_scb(obs: pd.DataFrame, table_id: str, total: str) -> None:
    part = obs[obs["table_id"] == table_id]
    suppressed = part["status"] == STATUS_SUPPRESSED
    assert part.loc[suppressed, "value"].isna().all()
    assert (part.loc[~suppressed, "status"].isna()).all()
    assert not (suppressed & (part["dims"] == total)).any()  # totals stay usable
    assert (part.loc[~suppressed & (part["dims"] != total), "value"] >= 5).all()
    table = cells(obs, table_id).droplevel("variable", axis=1)
    shown = table.drop(columns=total)
    assert (shown.sum(axis=1) <= table[total]).all()
    complete = shown.notna().all(axis=1)
    np.testing.assert_array_equal(shown[complete].sum(axis=1), table.loc[complete, total])


def test_suppression_marks_only_missing_values(obs: pd.DataFrame) -> None:
    suppressed = obs["status"] == STATUS_SUPPRESSED
    assert (suppressed == obs["value"].isna()).all()
    assert obs["status"].isna().sum() == (~suppressed).sum()
    income = obs["table_id"].isin(["TAB6683", "TAB6684", "TAB6685"])
    assert (suppressed & income & (obs["level"] == "deso")).any()
    housing = obs["table_id"].isin(["TAB6568", "TAB6253", "TAB6065"])
    assert (suppressed & housing).any()
    allowed = {"TAB6568", "TAB6253", "TAB6065", "TAB6683", "TAB6684", "TAB6685"}
    assert set(obs.loc[suppressed, "table_id"]) <= allowed


def test_every_catalog_selection_has_data(obs: pd.DataFrame) -> None:
    index = obs.groupby(["provider", "table_id", "variable", "dims", "level"])["period"].nunique()
    for indicator in load_catalog().indicators:
        for source in indicator.sources:
            for selection in source.selections():
                names = sorted(selection.dims)
                for combo in itertools.product(*(selection.dims[n] for n in names)):
                    dims = key(**dict(zip(names, combo, strict=True)))
                    # An area type exists only per RegSO (as SCB's TAB6586); every
                    # other indicator also has kommun values to compare with.
                    levels = {indicator.lowest_level}
                    if indicator.aggregatable or indicator.lowest_level == "deso":
                        levels.add("kommun")
                    for level in levels:
                        at = (
                            selection.provider,
                            selection.table_id,
                            selection.variable,
                            dims,
                            level,
                        )
                        assert index.get(at, 0) >= 1, (indicator.id, at)


def test_deprivation_drives_the_indicators(obs: pd.DataFrame) -> None:
    deso = obs[(obs["level"] == "deso") & (obs["period"] == "2023")]
    low = cells(deso, "TAB6685")[("000008AC", key(Alder="tot"))].droplevel(["level", "period"])
    lab = cells(deso, "TAB6680").droplevel(["level", "period"])
    a = key(Alder="20-64", Kon="1+2")
    employment = lab[("0000089X", a)] / lab[("0000089Y", a)]
    assistance = cells(deso, "TAB6683").droplevel(["level", "period"])[
        ("000008A2", key(Inkomstkomponenter="170", Kon="1+2"))
    ]
    frame = pd.DataFrame({"low": low, "employment": employment, "assistance": assistance})
    corr = frame.corr()
    assert corr.loc["low", "employment"] < -0.3
    assert corr.loc["low", "assistance"] > 0.3
    pop = cells(deso, "TAB6574")[("000007Y7", key(Alder="totalt", Kon="1+2"))]
    assert pop.between(700, 2700).all()


def test_bad_arguments_are_refused_in_swedish(regions: gpd.GeoDataFrame) -> None:
    with pytest.raises(ValueError, match=r"Okänd länskod.*99"):
        build_demo(lan_codes=["99"])
    with pytest.raises(ValueError, match="districts_per_kommun"):
        build_demo(lan_codes=["09"], districts_per_kommun=0)
    with pytest.raises(ValueError, match="EPSG:4326"):
        build_demo_observations(regions.to_crs("EPSG:3006"))
    with pytest.raises(ValueError, match="deso"):
        build_demo_observations(regions[regions["level"] != "deso"])
