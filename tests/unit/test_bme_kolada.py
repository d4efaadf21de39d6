"""Issue 5: BME as a categorical indicator, Kolada's eviction rate, and kommun-only context.

Formatting and map classes of the unit ``läge``, the demo's BME/Kolada/kommungrupp
tables against its Kronofogden counts, and a DeSO profile that shows kommun-level
indicators only as the kommun's figure.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sodd.formatting import (
    UNIT_NAMES_EN,
    UNIT_NAMES_SV,
    UNIT_SUFFIX_EN,
    UNIT_SUFFIX_SV,
    format_value,
    is_categorical,
)
from sodd.indicators.catalog import UNITS, Indicator, load_catalog
from sodd.maps import CATEGORY_METHOD, NEED_RAMP, classify, legend_entries
from sodd.profile import build_area_profile
from sodd.store import Store
from sodd.summary import summarise_map


@pytest.fixture(scope="module")
def bme() -> Indicator:
    return load_catalog().get("bme_marknadslage")


def test_every_unit_has_names_and_suffixes_in_both_languages() -> None:
    for table in (UNIT_SUFFIX_SV, UNIT_SUFFIX_EN, UNIT_NAMES_SV, UNIT_NAMES_EN):
        assert set(UNITS) <= set(table)
    assert UNIT_NAMES_SV["per_100000"] == "per 100 000 invånare"


@pytest.mark.parametrize(
    ("value", "sv", "en"),
    [(-1.0, "underskott", "shortage"), (0.0, "balans", "balance"), (1.0, "överskott", "surplus")],
)
def test_bme_values_are_shown_as_words(value: float, sv: str, en: str) -> None:
    assert format_value(value, unit="läge", decimals=0) == sv
    assert format_value(value, unit="läge", decimals=0, lang="en") == en
    assert is_categorical("läge") and not is_categorical("procent")


def test_other_units_keep_numbers_and_withheld_bme_keeps_its_status() -> None:
    assert format_value(-1.0, unit="procent", decimals=0) == "\u22121\u00a0%"
    assert format_value(12.34, unit="per_100000", decimals=1) == "12,3\u00a0per 100\u00a0000 inv."
    assert format_value(None, unit="läge", decimals=0, status="..").startswith("..")


@pytest.mark.parametrize("method", ["quantiles", "natural_breaks", "equal_interval"])
def test_categorical_map_has_three_fixed_classes(method: str, bme: Indicator) -> None:
    # Mostly shortages: quantiles would otherwise invent breaks inside one category.
    values = pd.Series([-1.0] * 8 + [0.0, 1.0, np.nan])
    result = classify(values, method, bme)
    assert result is not None
    assert result.method == CATEGORY_METHOD
    assert result.upper_bounds == (-1.0, 0.0, 1.0)
    assert result.class_of(values).tolist() == [0] * 8 + [1, 2, -1]
    # need_if_low: a shortage (-1) gets the darkest colour of the need ramp.
    assert result.colours[0] == NEED_RAMP[-1] and len(set(result.colours)) == 3
    # Only shortages on the map still gives all three classes and the full legend.
    only = classify(pd.Series([-1.0, -1.0]), method, bme)
    assert only is not None and only.upper_bounds == (-1.0, 0.0, 1.0)


def test_categorical_legend_uses_the_words(bme: Indicator) -> None:
    result = classify(pd.Series([-1.0, 0.0, 1.0]), "quantiles", bme)
    labels = [label for _, label in legend_entries(result, bme, "sv")]
    assert labels == ["underskott", "balans", "överskott", "uppgift saknas/skyddad"]
    english = [label for _, label in legend_entries(result, bme, "en")][:3]
    assert english == ["shortage", "balance", "surplus"]


# ------------------------------------------------------------------ demo store


@pytest.fixture(scope="module")
def observations(demo_store_dir: Path) -> pd.DataFrame:
    return Store(demo_store_dir).read(
        "observations",
        filters=[("provider", "in", ["boverket", "kolada", "kronofogden", "scb"])],
    )


def _pick(obs: pd.DataFrame, provider: str, table: str, variable: str) -> pd.DataFrame:
    return obs.loc[
        (obs["provider"] == provider) & (obs["table_id"] == table) & (obs["variable"] == variable)
    ]


def test_demo_bme_is_kommun_only_and_categorical(observations: pd.DataFrame) -> None:
    rows = _pick(observations, "boverket", "bme", "marknadslage")
    assert set(rows["level"]) == {"kommun"}  # no län or riket value of a category
    assert set(rows["value"]) <= {-1.0, 0.0, 1.0}
    assert set(rows["period"]) == {"2020", "2021", "2022", "2023", "2024"}
    assert rows.groupby("period")["region_code"].nunique().eq(16).all()
    assert {json.loads(d)["grupp"] for d in rows["dims"]} == {"totalt"}
    assert set(rows["unit"]) == {"läge"}


def test_demo_kolada_evictions_agree_with_kronofogden_and_population(
    observations: pd.DataFrame,
) -> None:
    kolada = _pick(observations, "kolada", "avhysningar", "verkstallda_per_100000")
    assert set(kolada["level"]) == {"kommun", "lan", "riket"}
    executed = _pick(observations, "kronofogden", "avhysningar", "verkstallda")
    pop = _pick(observations, "scb", "TAB6574", "000007Y7")
    pop = pop.loc[pop["dims"].map(lambda d: json.loads(d) == {"Alder": "totalt", "Kon": "1+2"})]
    key = ["region_code", "level", "period"]
    merged = kolada.merge(executed, on=key, suffixes=("", "_n")).merge(
        pop, on=key, suffixes=("", "_pop")
    )
    assert len(merged) == len(kolada)
    expected = 100_000 * merged["value_n"] / merged["value_pop"]
    assert np.allclose(merged["value"], expected, atol=0.051)


def test_demo_kommungrupp_covers_every_kommun(observations: pd.DataFrame) -> None:
    rows = _pick(observations, "kolada", "kommungrupp", "grupp")
    assert set(rows["level"]) == {"kommun"} and rows["region_code"].is_unique
    assert len(rows) == 16
    assert set(rows["value"]) <= set(range(1, 10))
    assert {json.loads(d)["grupp_id"] for d in rows["dims"]} == {"exempel"}


@pytest.mark.parametrize(
    "indicator_id", ["avhysningar_verkstallda", "avhysningar_kolada", "bme_marknadslage"]
)
def test_deso_profile_shows_kommun_indicators_only_as_kommun_context(
    demo_store_dir: Path, indicator_id: str
) -> None:
    store = Store(demo_store_dir)
    regions = store.read("regions", columns=["region_code", "geo_vintage", "level", "name",
                                             "kommun_code", "lan_code", "parent_code"])  # fmt: skip
    deso = regions.loc[(regions["level"] == "deso") & (regions["kommun_code"] == "1780")].iloc[0]
    codes = [deso["region_code"], "1780", "17", "00"]
    values = store.read("indicator_values", filters=[("region_code", "in", codes)])
    # The store has no DeSO value to show, and the profile would not show one anyway.
    assert values.loc[(values["indicator_id"] == indicator_id) & (values["level"] == "deso")].empty
    profile = build_area_profile(
        deso["region_code"], "deso", regions, values, load_catalog(),
        geo_vintage=deso["geo_vintage"],
    )  # fmt: skip
    row = next(r for r in profile.rows() if r.indicator.id == indicator_id)
    assert row.area is None
    assert "kommun" in row.comparators
    kommun_rows = values.loc[
        (values["indicator_id"] == indicator_id) & (values["region_code"] == "1780")
    ]
    latest = kommun_rows.sort_values("period").iloc[-1]
    assert row.comparators["kommun"].value == latest["value"]
    assert row.indicator in profile.not_published_here
    assert any(u.indicator.id == indicator_id and u.reason == "coarser" for u in profile.unknowns)


def test_map_summary_counts_the_categories(bme: Indicator) -> None:
    joined = pd.DataFrame(
        {"name": ["A", "B", "C"], "value": [-1.0, -1.0, 1.0], "status": [None, None, None]}
    )
    assert summarise_map(joined, bme, "2024", "kommun", "sv") == (
        "Bostadsmarknadsläge enligt kommunen 2024, antal områden (kommun): "
        "underskott 2, balans 0, överskott 1."
    )
