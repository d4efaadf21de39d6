"""Kommuner av samma typ: a kommun's SKR group from the store and the group's mean line."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from sodd.housing_groups import KommunGroup, group_mean, kommun_group, with_group
from sodd.housing_view import build_series
from sodd.indicators.catalog import load_catalog


def _membership(rows: list[tuple[str, str, float, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "provider": "kolada",
            "table_id": "kommungrupp",
            "variable": "grupp",
            "region_code": [r[0] for r in rows],
            "level": "kommun",
            "period": [r[1] for r in rows],
            "dims": [json.dumps({"grupp_id": r[3]}) for r in rows],
            "value": [r[2] for r in rows],
            "status": None,
        }
    )


def _values(indicator_id: str, rows: list[tuple[str, str, float | None, str | None]]):  # type: ignore[no-untyped-def]
    return pd.DataFrame(
        {
            "indicator_id": indicator_id,
            "region_code": [r[0] for r in rows],
            "level": ["riket" if r[0] == "00" else "lan" if len(r[0]) == 2 else "kommun"
                      for r in rows],
            "period": [r[1] for r in rows],
            "value": [r[2] for r in rows],
            "status": [r[3] for r in rows],
        }
    )  # fmt: skip


def test_group_members_come_from_the_latest_membership() -> None:
    obs = _membership(
        [
            ("1780", "2023", 3.0, "G3"),
            ("1880", "2023", 3.0, "G3"),
            ("1715", "2023", 5.0, "G5"),
            ("1780", "2024", 3.0, "G3b"),
            ("1715", "2024", 3.0, "G3b"),
        ]
    )
    group = kommun_group(obs, "1780")
    assert group == KommunGroup(3, "G3b", ("1715", "1780"), "2024")
    assert group.label("sv") == "Kommuner av samma typ (SKR): Större stad, medelvärde"
    assert not group.is_demo
    assert kommun_group(obs, "0180") is None
    assert kommun_group(obs.iloc[0:0], "1780") is None


def test_demo_group_is_labelled_as_such() -> None:
    group = KommunGroup(8, "exempel", ("1765",), "2024")
    assert group.label("sv").endswith("medelvärde (exempelgrupper)")
    assert group.label("en") == (
        "Municipalities of the same type (SKR): Rural municipality, mean (demo groups)"
    )


def test_group_mean_is_unweighted_and_leaves_withheld_values_out() -> None:
    values = _values(
        "avhysningar_verkstallda",
        [
            ("1780", "2023", 2.0, None),
            ("1715", "2023", 4.0, None),
            ("1880", "2023", None, ".."),
            ("1880", "2022", 9.0, None),
            ("17", "2023", 100.0, None),  # a län is never a member
        ],
    )
    means = group_mean(values, "avhysningar_verkstallda", ("1780", "1715", "1880", "17"))
    assert means.to_dict("index") == {
        "2022": {"mean": 9.0, "count": 1},
        "2023": {"mean": 3.0, "count": 2},
    }


def test_with_group_adds_a_fourth_line_and_says_how_it_is_computed() -> None:
    catalog = load_catalog()
    indicator = catalog.get("avhysningar_verkstallda")
    values = _values(
        indicator.id,
        [
            ("1780", "2023", 2.0, None),
            ("17", "2023", 3.0, None),
            ("00", "2023", 2.5, None),
            ("1715", "2023", 6.0, None),
        ],
    )
    areas = {"1780": "Karlstad", "17": "Värmlands län", "00": "Riket"}
    view = build_series(values, indicator, areas, "sv")
    assert view is not None
    group = KommunGroup(3, "G3", ("1715", "1780", "1880"), "2024")
    extended, note = with_group(view, values, group, "sv")
    assert list(extended.table.columns) == [*areas.values(), group.label("sv")]
    assert extended.table.loc["2023", group.label("sv")] == pytest.approx(4.0)
    assert note is not None and "oviktade medelvärde" in note
    assert "2 av gruppens 3 kommuner" in note and "ingen publicerad siffra" in note
    assert extended.summary == view.summary  # the sentence still compares with riket
    # Counts of kommuner of different sizes have no meaningful mean: unchanged.
    children = catalog.get("barn_berorda_avhysning")
    counts = values.assign(indicator_id=children.id)
    child_view = build_series(counts, children, areas, "sv")
    assert child_view is not None
    assert with_group(child_view, counts, group, "sv") == (child_view, None)
