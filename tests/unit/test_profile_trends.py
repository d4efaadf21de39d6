"""Change over time and the peer area: the two-sample rule on hand-made cases."""

from __future__ import annotations

import pandas as pd
import pytest

from sodd.indicators.catalog import load_catalog
from sodd.profile import Figure, build_area_profile
from sodd.profile_sections import difference_flag, flag_rule_text
from sodd.profile_trends import (
    change_over_time,
    change_rule_text,
    change_text,
    compare_figures,
    peer_flag,
)
from sodd.schema import INDICATOR_VALUE_COLUMNS

CATALOG = load_catalog()
SHARE = CATALOG.get("andel_0_19")
COUNT = CATALOG.get("folkmangd")
MEDIAN = CATALOG.get("median_ekonomisk_standard")


def _fig(period: str, k: float | None, n: float | None, code: str = "A") -> Figure:
    if k is None:
        return Figure(code, "deso", period, None, "..", "scb:TAB6574")
    value = 100.0 * k / n if n else k
    return Figure(code, "deso", period, value, None, "scb:TAB6574", k, n)


def test_clear_increase_is_flagged() -> None:
    change = change_over_time(SHARE, [_fig("2019", 100, 1000), _fig("2024", 200, 1000)])
    assert change is not None and change.direction == "up"
    assert (change.start_period, change.end_period) == ("2019", "2024")
    assert change_text(change, "sv") == "↑ ökat 2019–2024"
    assert change_text(change, "sv", arrow=False) == "ökat 2019–2024"
    assert change_text(change, "en") == "↑ increased 2019–2024"


def test_clear_decrease_is_flagged() -> None:
    change = change_over_time(SHARE, [_fig("2019", 300, 1000), _fig("2024", 200, 1000)])
    assert change is not None and change.direction == "down"
    assert change_text(change, "sv") == "↓ minskat 2019–2024"


def test_small_count_change_is_not_flagged() -> None:
    # 3 of 20 → 6 of 20: 15 % → 30 %, but 2·√(0.225·0.775·(1/20 + 1/20)) ≈ 0.26 > 0.15.
    change = change_over_time(SHARE, [_fig("2019", 3, 20), _fig("2024", 6, 20)])
    assert change is not None and change.direction is None
    assert change_text(change, "sv") == "ingen säker förändring"


def test_suppressed_end_year_is_not_computable() -> None:
    series = [_fig("2019", 100, 1000), _fig("2023", 200, 1000), _fig("2024", None, None)]
    assert change_over_time(SHARE, series) is None
    assert change_text(None, "sv") == ""


def test_suppressed_first_year_starts_at_the_first_published_one() -> None:
    series = [_fig("2019", None, None), _fig("2020", 100, 1000), _fig("2024", 200, 1000)]
    change = change_over_time(SHARE, series)
    assert change is not None and change.start_period == "2020"


def test_one_year_or_no_base_is_not_computable() -> None:
    assert change_over_time(SHARE, [_fig("2024", 200, 1000)]) is None
    median = [
        Figure("A", "deso", "2019", 250.0, None, "scb:x"),
        Figure("A", "deso", "2024", 300.0, None, "scb:x"),
    ]
    assert change_over_time(MEDIAN, median) is None


def test_change_across_the_noise_boundary_uses_the_noise_term() -> None:
    # 12 → 21 of 40: without noise 0.225 > 2·SE = 0.220 (marked); SCB's noise on the
    # 2025 figure adds 4·(1 + 0.525²)/40² to the variance: 2·SE = 0.248 (not marked).
    before = change_over_time(SHARE, [_fig("2023", 12, 40), _fig("2024", 21, 40)])
    across = change_over_time(SHARE, [_fig("2024", 12, 40), _fig("2025", 21, 40)])
    assert before is not None and before.direction == "up"
    assert across is not None and across.direction is None


def test_noise_years_need_a_numerator_above_ten() -> None:
    # 1 → 10 of 12 would be far beyond the binomial error, but 10 is within CKM's reach.
    assert compare_figures(SHARE, _fig("2025", 10, 12), _fig("2024", 1, 12)) == "same"
    assert compare_figures(SHARE, _fig("2024", 10, 12), _fig("2023", 1, 12)) == "higher"


def test_counts_use_the_poisson_error() -> None:
    # |1100 − 1000| = 100 > 2·√2100 ≈ 91.7; |1050 − 1000| = 50 is not.
    assert compare_figures(COUNT, _fig("2024", 1100, None), _fig("2019", 1000, None)) == "higher"
    assert compare_figures(COUNT, _fig("2024", 1050, None), _fig("2019", 1000, None)) == "same"


def test_peer_flag_counts_both_bases() -> None:
    area, peer = _fig("2024", 30, 100), _fig("2024", 20, 100, code="B")
    # Against a kommun (its share taken as exact) 0.10 > 2·√(0.16/100) = 0.08 is marked;
    # against a peer of the same size 2·√(0.25·0.75·0.02) ≈ 0.12 is not.
    assert difference_flag(SHARE, area, peer) == "higher"
    assert peer_flag(SHARE, area, peer) is None
    big_area, big_peer = _fig("2024", 300, 1000), _fig("2024", 250, 1000, code="B")
    assert peer_flag(SHARE, big_area, big_peer) == "higher"
    assert peer_flag(SHARE, big_peer, big_area) == "lower"
    assert peer_flag(SHARE, big_area, None) is None


def test_rule_text_is_part_of_the_profile_rule() -> None:
    for lang in ("sv", "en"):
        assert change_rule_text(lang) in flag_rule_text(lang)
    assert "±3" in change_rule_text("sv") and "första och det senaste året" in flag_rule_text()


REGIONS = pd.DataFrame(
    {
        "region_code": ["1780X0010", "1781X0020", "1780", "1781", "17", "00"],
        "geo_vintage": ["2025", "2025", "", "", "", ""],
        "level": ["deso", "deso", "kommun", "kommun", "lan", "riket"],
        "name": ["Centrum", "Kil norra", "Karlstad", "Kil", "Värmlands län", "Riket"],
        "kommun_code": ["1780", "1781", "1780", "1781", None, None],
        "lan_code": ["17", "17", "17", "17", "17", None],
        "parent_code": ["1780", "1781", "17", "17", "00", None],
    }
)


def _value(
    code: str, level: str, period: str, k: float | None, n: float | None
) -> dict[str, object]:
    return {
        "indicator_id": "andel_0_19",
        "region_code": code,
        "geo_vintage": "2025" if level == "deso" else "",
        "level": level,
        "period": period,
        "value": None if k is None or n is None else 100.0 * k / n,
        "numerator": k,
        "denominator": n,
        "status": ".." if k is None else None,
        "provenance": "scb:TAB6574",
    }


VALUES = pd.DataFrame(
    [
        _value("1780X0010", "deso", "2022", 150, 1000),
        _value("1780X0010", "deso", "2023", None, None),
        _value("1780X0010", "deso", "2024", 300, 1000),
        _value("1781X0020", "deso", "2024", 200, 1000),
        _value("1780", "kommun", "2022", 8000, 40000),
        _value("1780", "kommun", "2024", 8200, 40000),
    ],
    columns=list(INDICATOR_VALUE_COLUMNS),
)


def test_profile_gets_the_peer_change_and_history() -> None:
    profile = build_area_profile(
        "1780X0010", "deso", REGIONS, VALUES, CATALOG, peer=("1781X0020", "deso", "2025")
    )
    assert profile.peer is not None and profile.peer.name == "Kil norra"
    assert profile.peer.key == "deso:2025:1781X0020"
    row = next(r for r in profile.rows() if r.indicator.id == "andel_0_19")
    assert row.comparators["peer"].value == 20.0 and row.comparators["peer"].region_code == (
        "1781X0020"
    )
    assert row.peer_flag == "higher"
    assert row.change is not None and row.change.direction == "up"
    assert row.change.start_period == "2022"
    # A withheld year is a gap (None) in the history, never zero.
    assert row.history["area"] == (("2022", 15.0), ("2023", None), ("2024", 30.0))
    assert row.history["kommun"] == (("2022", 20.0), ("2024", 20.5))
    assert row.history["peer"] == (("2024", 20.0),)


def test_profile_without_peer_has_no_peer_column_and_unknown_peer_is_refused() -> None:
    profile = build_area_profile("1780X0010", "deso", REGIONS, VALUES, CATALOG)
    assert profile.peer is None
    assert all("peer" not in row.comparators for row in profile.rows())
    with pytest.raises(ValueError, match="jämförelseområdet"):
        build_area_profile(
            "1780X0010", "deso", REGIONS, VALUES, CATALOG, peer=("9999X", "deso", None)
        )
