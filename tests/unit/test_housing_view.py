"""The pure part of the page "Bostadslöshet och avhysningar": series and sentences."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from sodd.housing_view import bme_timeline, build_series, latest_situations, page_indicators
from sodd.indicators.catalog import load_catalog

CATALOG = load_catalog()
AREAS = {"1780": "Karlstad", "17": "Värmlands län", "00": "Riket"}


def values(indicator_id: str, rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": indicator_id,
            "region_code": [r[0] for r in rows],
            "period": [r[1] for r in rows],
            "value": [r[2] for r in rows],
        }
    )


@pytest.mark.parametrize(
    ("kommun", "riket", "lang", "expected"),
    [
        (4.04, 5.2, "sv", "Karlstad hade 2023 4,0 verkställda avhysningar per 10 000 invånare, "
         "lägre än riket (5,2)."),
        (6.0, 5.2, "sv", "Karlstad hade 2023 6,0 verkställda avhysningar per 10 000 invånare, "
         "högre än riket (5,2)."),
        (5.21, 5.2, "sv", "Karlstad hade 2023 5,2 verkställda avhysningar per 10 000 invånare, "
         "samma som riket (5,2)."),
        (4.0, 5.2, "en", "In 2023, Karlstad had 4.0 (executed evictions per 10 000 inhabitants), "
         "lower than Sweden (5.2)."),
    ],
)  # fmt: skip
def test_summary_compares_with_riket_at_shown_precision(
    kommun: float, riket: float, lang: str, expected: str
) -> None:
    indicator = CATALOG.get("avhysningar_verkstallda")
    frame = values(
        indicator.id, [("1780", "2022", 1.0), ("1780", "2023", kommun), ("00", "2023", riket)]
    )
    view = build_series(frame, indicator, AREAS, lang)
    assert view is not None
    assert view.summary == expected
    assert list(view.table.columns) == ["Karlstad", "Riket"]


def test_counts_are_not_ranked_against_riket_and_missing_kommun_gives_none() -> None:
    indicator = CATALOG.get("barn_berorda_avhysning")
    frame = values(indicator.id, [("1780", "2023", 11.0), ("00", "2023", 674.0)])
    view = build_series(frame, indicator, AREAS, "sv")
    assert view is not None
    assert view.summary == "Karlstad hade 2023 11 barn som berörts av avhysning (riket: 674)."
    assert build_series(values(indicator.id, [("00", "2023", 1.0)]), indicator, AREAS, "sv") is None


def test_suppressed_latest_value_uses_the_last_published_year() -> None:
    indicator = CATALOG.get("ekonomiskt_bistand_kommun")
    frame = values(indicator.id, [("1780", "2022", 4.1), ("1780", "2023", np.nan)])
    view = build_series(frame, indicator, AREAS, "sv")
    assert view is not None
    assert view.summary == "Karlstad hade 2022 4,1\u00a0% invånare med ekonomiskt bistånd (kommun)."


def test_page_indicators_follow_the_catalog() -> None:
    ids = [indicator.id for indicator in page_indicators(CATALOG)]
    assert ids[0] == "barn_berorda_avhysning"
    assert "avhysningar_verkstallda" in ids and "hemloshet" in ids


def test_bme_timeline_and_situations() -> None:
    obs = pd.DataFrame(
        {
            "provider": ["boverket", "boverket", "socialstyrelsen", "socialstyrelsen"],
            "table_id": ["bme", "bme", "hemloshetskartlaggning", "hemloshetskartlaggning"],
            "variable": ["marknadslage", "marknadslage", "personer", "personer"],
            "region_code": ["1780"] * 4,
            "period": ["2025", "2024", "2023", "2023"],
            "dims": ["{}", "{}", json.dumps({"situation": "1"}), json.dumps({"situation": "3"})],
            "value": [1.0, np.nan, 20.0, 60.0],
            "status": [None, "..", None, None],
        }
    )
    timeline = bme_timeline(obs, "1780", "sv")
    assert timeline[["period", "label"]].to_numpy().tolist() == [
        ["2024", ".."],
        ["2025", "överskott"],
    ]
    assert latest_situations(obs, "1780") == ("2023", {"1": 20.0, "2": None, "3": 60.0, "4": None})
    assert latest_situations(obs, "0180") is None
