from __future__ import annotations

import pandas as pd
import pytest

from sodd.indicators.catalog import load_catalog
from sodd.profile import build_area_profile, comparator_codes
from sodd.schema import INDICATOR_VALUE_COLUMNS
from sodd.summary import summarise_map

REGIONS = pd.DataFrame(
    {
        "region_code": ["1780X0010", "1780Y001", "1780", "17", "00"],
        "geo_vintage": ["2025", "2025", "", "", ""],
        "level": ["deso", "regso", "kommun", "lan", "riket"],
        "name": ["Centrum – område 1", "Karlstad (Centrum)", "Karlstad", "Värmlands län", "Riket"],
        "kommun_code": ["1780", "1780", "1780", None, None],
        "lan_code": ["17", "17", "17", "17", None],
        "parent_code": ["1780Y001", "1780", "17", "00", None],
    }
)


def _row(
    indicator: str,
    code: str,
    level: str,
    period: str,
    value: float | None,
    status: str | None = None,
) -> dict[str, object]:
    return {
        "indicator_id": indicator,
        "region_code": code,
        "geo_vintage": "2025" if level in ("deso", "regso") else "",
        "level": level,
        "period": period,
        "value": value,
        "numerator": None,
        "denominator": None,
        "status": status,
        "provenance": "scb:TAB6685",
    }


VALUES = pd.DataFrame(
    [
        _row("lag_ekonomisk_standard", "1780X0010", "deso", "2022", 20.0),
        _row("lag_ekonomisk_standard", "1780X0010", "deso", "2023", None, ".."),
        _row("lag_ekonomisk_standard", "1780", "kommun", "2023", 14.0),
        _row("lag_ekonomisk_standard", "17", "lan", "2023", 13.0),
        _row("lag_ekonomisk_standard", "00", "riket", "2023", 15.0),
        _row("avhysningar_verkstallda", "1780", "kommun", "2024", 3.1),
        _row("avhysningar_verkstallda", "00", "riket", "2024", 2.6),
    ],
    columns=list(INDICATOR_VALUE_COLUMNS),
)


def test_comparator_codes_only_levels_above() -> None:
    deso = REGIONS.iloc[0]
    assert comparator_codes(deso) == {"kommun": "1780", "lan": "17", "riket": "00"}
    assert comparator_codes(REGIONS.iloc[2]) == {"lan": "17", "riket": "00"}


def test_profile_keeps_suppression_and_comparators() -> None:
    profile = build_area_profile("1780X0010", "deso", REGIONS, VALUES, load_catalog())
    assert profile.name == "Centrum – område 1"
    assert (profile.kommun_name, profile.lan_name) == ("Karlstad", "Värmlands län")
    rows = {row.indicator.id: row for _, rows in profile.themes for row in rows}
    low = rows["lag_ekonomisk_standard"]
    assert low.period == "2023"
    assert low.area is not None and low.area.value is None and low.area.status == ".."
    assert low.comparators["kommun"].value == 14.0 and low.comparators["riket"].value == 15.0
    assert low.trend == (("2022", 20.0),)  # the suppressed year is left out, not filled in


def test_kommun_only_indicator_shows_comparators_not_area() -> None:
    profile = build_area_profile("1780X0010", "deso", REGIONS, VALUES, load_catalog())
    rows = {row.indicator.id: row for _, rows in profile.themes for row in rows}
    evictions = rows["avhysningar_verkstallda"]
    assert evictions.area is None
    assert evictions.comparators["kommun"].value == 3.1
    assert evictions.indicator in profile.not_published_here
    assert rows["trangboddhet"].period is None
    assert rows["trangboddhet"].indicator in profile.without_data


def test_unknown_area_is_refused() -> None:
    with pytest.raises(ValueError, match="finns inte"):
        build_area_profile("9999X0010", "deso", REGIONS, VALUES, load_catalog())


def test_summary_sentence_names_extremes_and_reference() -> None:
    indicator = load_catalog().get("lag_ekonomisk_standard")
    joined = pd.DataFrame(
        {
            "name": ["Norr", "Söder", "Väster"],
            "value": [8.0, 31.5, None],
            "status": [None, None, ".."],
        }
    )
    text = summarise_map(
        joined, indicator, "2023", "deso", "sv", reference_name="Karlstad", reference_value=14.0
    )
    assert "lägst i Norr (8,0\u00a0%)" in text
    assert "högst i Söder (31,5\u00a0%)" in text
    assert "Karlstad som helhet: 14,0\u00a0%" in text
    assert "Ett område saknar värde" in text
