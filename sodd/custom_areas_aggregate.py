"""Indicator values of a custom area, computed from its members' values. Pure.

Rules (docs/decisions.md, "Custom areas"):

- share, rate, count: the sum of the members' numerators over the sum of their
  denominators (× 100 for a share, × ``per`` for a rate; a count is the sum), never
  the mean of the members' rates.
- A member without a row for the period, with a missing numerator or denominator, or
  with a status other than sodd's own ``few`` / ``.`` (whose counts are published
  cells) withholds the aggregate with ``..``: it is never computed from the other
  members, so no suppressed figure can be recovered by subtraction.
- The indicator's ``disclosure_threshold`` applies to the summed denominator
  (status ``few``); a zero denominator gives ``.``.
- published with a weight (a percentage): the weighted mean, only when every member
  has a value and a weight; else ``..``.
- published without a weight (a median, an area type): no value, status
  ``not_aggregatable``; a population-weighted median is not invented.
- Indicators published no finer than kommun are not aggregated (no rows).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from sodd.custom_areas import MEMBER_LEVELS, CustomArea
from sodd.indicators.catalog import Catalog, Indicator
from sodd.schema import (
    CUSTOM_LEVEL,
    INDICATOR_VALUE_COLUMNS,
    LEVEL_SHORT_SV,
    STATUS_FEW,
    STATUS_NOT_AGGREGATABLE,
    STATUS_NOT_APPLICABLE,
    STATUS_SUPPRESSED,
)

__all__ = ["aggregate_custom_areas", "aggregate_indicator_values"]

# Statuses sodd sets itself on a member whose numerator and denominator are published
# cells: those counts may be summed (that is the point of combining small areas).
_SUMMABLE_STATUSES: Final = frozenset({STATUS_FEW, STATUS_NOT_APPLICABLE})
_TEXT_COLUMNS: Final = (
    "indicator_id",
    "region_code",
    "geo_vintage",
    "level",
    "period",
    "status",
    "provenance",
)


def aggregate_indicator_values(
    values: pd.DataFrame, area: CustomArea, catalog: Catalog
) -> pd.DataFrame:
    """Compute every catalog indicator for one custom area from its members' values.

    Parameters
    ----------
    values
        Indicator values (the indicator_values contract) holding at least the
        members' rows; other rows are ignored.
    area
        The custom area.
    catalog
        The indicator catalog.

    Returns
    -------
    pandas.DataFrame
        The indicator_values contract with ``level`` ``custom``, ``region_code`` the
        area's code and ``geo_vintage`` ``""``: one row per indicator and period that
        any member has a row for. ``provenance`` says the value is computed by sodd
        from the members, e.g. ``sodd: summa av 5 DeSO; scb:TAB6574``.

    Raises
    ------
    ValueError
        When a member has two rows for one indicator and period.
    """
    missing = [column for column in INDICATOR_VALUE_COLUMNS if column not in values.columns]
    if missing:
        raise ValueError(f"indikatorvärdena saknar kolumnen {missing[0]!r}.")
    members = values.loc[
        (values["level"] == area.level)
        & (values["geo_vintage"].fillna("") == area.geo_vintage)
        & values["region_code"].isin(area.members)
    ]
    records: list[dict[str, object]] = []
    for indicator in catalog.indicators:
        if indicator.lowest_level not in MEMBER_LEVELS:
            continue
        own = members.loc[members["indicator_id"] == indicator.id]
        if own.duplicated(["region_code", "period"]).any():
            raise ValueError(
                f"indikatorvärdena har mer än ett värde per område och år för {indicator.id!r}."
            )
        for period, group in own.groupby("period", sort=True):
            records.append(_combine(indicator, area, str(period), group))
    return _typed(records, area)


def aggregate_custom_areas(
    values: pd.DataFrame, areas: list[CustomArea], catalog: Catalog
) -> pd.DataFrame:
    """:func:`aggregate_indicator_values` for several areas, stacked.

    Returns
    -------
    pandas.DataFrame
        The indicator_values contract; empty (with its columns) without areas.
    """
    frames = [aggregate_indicator_values(values, area, catalog) for area in areas]
    if not frames:
        return _typed([], None)
    return pd.concat(frames, ignore_index=True)


def _combine(
    indicator: Indicator, area: CustomArea, period: str, group: pd.DataFrame
) -> dict[str, object]:
    complete = set(group["region_code"].astype(str)) == set(area.members)
    status = group["status"].astype(object)
    statuses = {s for s in status if isinstance(s, str) and s}
    numerator = group["numerator"].to_numpy(dtype=np.float64)
    denominator = group["denominator"].to_numpy(dtype=np.float64)
    value = group["value"].to_numpy(dtype=np.float64)
    sources = sorted(
        {part for text in group["provenance"].dropna() for part in str(text).split("; ") if part}
    )
    count = f"{len(area.members)} {LEVEL_SHORT_SV[area.level]}"
    withheld: dict[str, object] = {"status": STATUS_SUPPRESSED}
    result: dict[str, object]
    if indicator.kind == "published":
        # No sources: the kommun's own figure (sodd.local) has no weight to combine by.
        if not indicator.aggregatable or not indicator.sources:
            how = f"kan inte läggas samman från {count}"
            result = {"status": STATUS_NOT_AGGREGATABLE}
        else:
            how = f"viktat medelvärde av {count}"
            usable = (
                complete
                and not statuses
                and bool(np.isfinite(value).all() and np.isfinite(denominator).all())
            )
            result = _weighted_mean(value, denominator) if usable else withheld
    else:
        how = f"summa av {count}"
        needs = [numerator] if indicator.kind == "count" else [numerator, denominator]
        usable = (
            complete
            and statuses <= _SUMMABLE_STATUSES
            and all(bool(np.isfinite(part).all()) for part in needs)
        )
        result = _ratio(indicator, numerator, denominator) if usable else withheld
    return {
        "indicator_id": indicator.id,
        "period": period,
        "value": result.get("value"),
        "numerator": result.get("numerator"),
        "denominator": result.get("denominator"),
        "status": result.get("status"),
        "provenance": "; ".join([f"sodd: {how}", *sources]),
    }


def _ratio(
    indicator: Indicator, numerator: np.ndarray, denominator: np.ndarray
) -> dict[str, object]:
    total = float(numerator.sum())
    if indicator.kind == "count":
        return {"value": total, "numerator": total}
    base = float(denominator.sum())
    parts: dict[str, object] = {"numerator": total, "denominator": base}
    if base == 0:
        return {**parts, "status": STATUS_NOT_APPLICABLE}
    if base < indicator.disclosure_threshold:
        return {**parts, "status": STATUS_FEW}
    factor = 100.0 if indicator.kind == "share" else float(indicator.per or 1)
    return {**parts, "value": factor * total / base}


def _weighted_mean(value: np.ndarray, weight: np.ndarray) -> dict[str, object]:
    total = float(weight.sum())
    if total == 0:
        return {"denominator": total, "status": STATUS_NOT_APPLICABLE}
    return {"value": float((value * weight).sum()) / total, "denominator": total}


def _typed(records: list[dict[str, object]], area: CustomArea | None) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=list(INDICATOR_VALUE_COLUMNS))
    if area is not None:
        frame["region_code"] = area.code
    frame["geo_vintage"] = ""
    frame["level"] = CUSTOM_LEVEL
    for column in _TEXT_COLUMNS:
        text = frame[column].astype(object)
        frame[column] = text.where(text.notna(), None).astype("str")
    for column in ("value", "numerator", "denominator"):
        frame[column] = frame[column].astype(np.float64)
    return frame[list(INDICATOR_VALUE_COLUMNS)]
