"""Shared bits of the tests of the kommun's own data (sodd.local)."""

from __future__ import annotations

import pandas as pd

REGIONS = pd.DataFrame(
    {
        "region_code": ["1780", "1715", "1780C1010", "1780C1020", "1780C1030", "1780R001"],
        "level": ["kommun", "kommun", "deso", "deso", "deso", "regso"],
        "name": ["Karlstad", "Kil", "Karlstad C1", "Karlstad C2", "Karlstad C3", "Karlstad R1"],
        "kommun_code": ["1780", "1715", "1780", "1780", "1780", "1780"],
        "geo_vintage": ["", "", "2025", "2025", "2025", "2025"],
    }
)

MAPPING_HEADER = "Områdeskod;År;Situation;Kön;Åldersgrupp;Barn under 18 år;Antal personer"


def luhn_complete(nine: str) -> str:
    """Append the Luhn check digit to the nine digits YYMMDDNNN."""
    total = 0
    for index, char in enumerate(nine):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return nine + str((10 - total % 10) % 10)


def csv_bytes(lines: list[str], encoding: str = "utf-8") -> bytes:
    """Lines joined with newlines and encoded."""
    return ("\n".join(lines) + "\n").encode(encoding)
