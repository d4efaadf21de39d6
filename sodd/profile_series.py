"""Indicator values as plain records: the series of one indicator for one area.

A profile looks up about 200 tiny series (every indicator for the area, its kommun, län,
riket and a peer). A pandas filter per series cost milliseconds each — seconds per
profile — so the values are split once into plain records keyed by indicator, area and
level.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class Figure:
    """One published or computed value with where it comes from.

    Attributes
    ----------
    region_code, level, period
        Which area, level and period the figure describes.
    value
        The value, or ``None`` when withheld.
    status
        Why it is withheld (``..``, ``.``, ``few``), or ``None``.
    provenance
        Provider and table, e.g. ``scb:TAB6574``.
    numerator, denominator
        Counts behind a share or rate when known; ``None`` for a withheld value.
    """

    region_code: str
    level: str
    period: str
    value: float | None
    status: str | None
    provenance: str
    numerator: float | None = None
    denominator: float | None = None


# One row of indicator values as a plain mapping (see _series for why not a frame).
Record = Mapping[str, Any]


def figure_of(row: Record) -> Figure:
    """One indicator value as a :class:`Figure`; a withheld value keeps only its status."""
    status = row["status"] if isinstance(row["status"], str) and row["status"] else None
    number = None if status else number_of(row["value"])
    return Figure(
        region_code=str(row["region_code"]),
        level=str(row["level"]),
        period=str(row["period"]),
        value=number,
        status=status if number is None else None,
        provenance=str(row["provenance"]) if isinstance(row["provenance"], str) else "",
        numerator=number_of(row.get("numerator")) if number is not None else None,
        denominator=number_of(row.get("denominator")) if number is not None else None,
    )


def number_of(value: object) -> float | None:
    """The value as a float; ``None`` when it is missing, NaN or not a number."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


SeriesIndex = dict[tuple[str, str, str], list[Record]]


def index_values(values: pd.DataFrame) -> SeriesIndex:
    """Indicator values as records by (indicator, area code, level), oldest period first.

    Records, not frames: a profile looks up about 200 tiny series, and pandas'
    per-operation overhead made that take seconds.
    """
    index: SeriesIndex = {}
    records: list[Record] = values.to_dict("records")  # type: ignore[assignment]
    for record in sorted(records, key=lambda r: str(r["period"])):
        key = (str(record["indicator_id"]), str(record["region_code"]), str(record["level"]))
        index.setdefault(key, []).append(record)
    return index


def series_of(
    index: SeriesIndex, indicator_id: str, code: str, level: str, vintage: str | None = None
) -> list[Record]:
    """The series of one indicator for one area (of ``vintage`` when given), oldest first."""
    series = index.get((indicator_id, code, level), [])
    if vintage is None:
        return series
    # The same DeSO code may name a different area in another vintage: never mix them.
    return [
        r
        for r in series
        if (r["geo_vintage"] if isinstance(r["geo_vintage"], str) else "") == vintage
    ]


def figure_in_period(series: list[Record], period: str) -> Figure | None:
    """The series' figure for ``period``, or ``None`` when it has none."""
    return next((figure_of(r) for r in series if str(r["period"]) == period), None)


def is_shown(record: Record) -> bool:
    """Whether a value is published (has a number and no status symbol)."""
    status, value = record["status"], number_of(record["value"])
    return not (isinstance(status, str) and status) and value is not None
