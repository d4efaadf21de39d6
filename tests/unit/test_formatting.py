from __future__ import annotations

import math

import pytest

from sodd.formatting import format_number, format_status, format_value

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "decimals", "lang", "expected"),
    [
        (1234567.891, 0, "sv", f"1{NBSP}234{NBSP}568"),
        (1234.5, 1, "sv", f"1{NBSP}234,5"),
        (0.05, 1, "sv", "0,1"),
        (-1500.25, 2, "sv", f"\u22121{NBSP}500,25"),
        (-0.01, 1, "sv", "0,0"),
        (999, 0, "sv", "999"),
        (1234.5, 1, "en", "1,234.5"),
        (None, 1, "sv", ""),
        (math.nan, 1, "sv", ""),
    ],
)
def test_format_number(value: float | None, decimals: int, lang: str, expected: str) -> None:
    assert format_number(value, decimals, lang) == expected


def test_format_value_units_and_status() -> None:
    assert format_value(12.345, unit="procent", decimals=1) == f"12,3{NBSP}%"
    assert format_value(281.4, unit="tkr", decimals=1) == f"281,4{NBSP}tkr"
    assert format_value(4.2, unit="per_10000", decimals=1).startswith("4,2")
    assert (
        format_value(5.0, unit="procent", decimals=1, status="..") == ".. (uppgift saknas/skyddad)"
    )
    assert format_value(None, unit="procent", decimals=1) == ".. (uppgift saknas/skyddad)"
    assert (
        format_value(3.0, unit="procent", decimals=1, status="few") == "– (för få för att redovisa)"
    )


def test_format_status_english_and_unknown_symbol() -> None:
    assert format_status("..", "en") == ".. (data missing/protected)"
    assert format_status("x") == "x"
