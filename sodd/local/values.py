"""Indicator values from the kommun's own data (pure): own indicators and the mapping total.

Own indicators are stored as they were uploaded. The mapping total is the number of
persons in situations 1–4 per area and year. Counts (units ``antal``, ``personer``,
``hushåll``) below the disclosure minimum are withheld (``<5``), and when the kommun's
own total is stored beside its districts, one more district is withheld (``..``) so the
small one cannot be worked out by subtraction (:mod:`sodd.disclosure`).
"""

from __future__ import annotations

import json
from typing import Final

import numpy as np
import pandas as pd

from sodd.disclosure import HIDDEN, SMALL, protect_counts
from sodd.local.consistency import DIMS
from sodd.local.templates import COUNT_UNITS, TOTAL
from sodd.schema import INDICATOR_VALUE_COLUMNS, STATUS_SUPPRESSED, small_count_status

MAPPING_ID: Final = "lokal_hemloshet_kartlaggning"
_TOTAL_LABEL: Final = "\x00total"  # a region code no area has


def mapping_totals(mapping: pd.DataFrame) -> pd.DataFrame:
    """Persons in situations 1–4 per area and year, from the stored mapping rows.

    Along each dimension (situation, sex, age band, children, time), in that order and
    within each group of the dimensions before it: where a "totalt" row exists only the
    totals are kept, else the parts are summed. So a table with its totals uses them,
    and a table without totals is added up.

    Returns
    -------
    pandas.DataFrame
        ``region_code``, ``geo_vintage``, ``level``, ``kommun_code``, ``period``,
        ``value``, ``uploaded_at``, ``source``.
    """
    area = ["region_code", "geo_vintage", "level", "kommun_code", "period"]
    columns = [*area, "value", "uploaded_at", "source"]
    if mapping is None or mapping.empty:
        return pd.DataFrame(columns=columns)
    dims = pd.DataFrame([json.loads(text) for text in mapping["dims"]], index=mapping.index)
    frame = pd.concat([mapping[[*area, "value", "uploaded_at", "source"]], dims], axis=1)
    keys = list(area)
    for dim in DIMS["kartlaggning"]:
        # Within each group of the dimensions already settled, a total replaces its parts.
        is_total = frame[dim] == TOTAL
        has_total = is_total.groupby([frame[key] for key in keys]).transform("any")
        frame = frame.loc[~has_total.astype(bool) | is_total]
        keys.append(dim)
    totals = frame.groupby(area, sort=True).agg(
        value=("value", "sum"), uploaded_at=("uploaded_at", "max"), source=("source", "first")
    )
    return totals.reset_index()[columns]


def build_local_values(
    mapping: pd.DataFrame | None, indicators: pd.DataFrame | None, *, disclosure_min: int
) -> pd.DataFrame:
    """Indicator values of the kommun's own data, in the indicator_values contract.

    Parameters
    ----------
    mapping
        Stored ``kommun__kartlaggning`` observations (or ``None``).
    indicators
        Stored ``kommun__indikator`` observations (or ``None``).
    disclosure_min
        Counts below this are withheld.

    Returns
    -------
    pandas.DataFrame
        One row per indicator, area and period; counts carry ``numerator`` = value.
    """
    parts = []
    if mapping is not None and not mapping.empty:
        totals = mapping_totals(mapping)
        parts.append(totals.assign(indicator_id=MAPPING_ID, unit="personer",
                                   provenance="kommun:kartlaggning"))  # fmt: skip
    if indicators is not None and not indicators.empty:
        own = indicators.rename(columns={"variable": "indicator_id"})
        parts.append(own.assign(provenance="kommun:indikator"))
    if not parts:
        return pd.DataFrame(columns=list(INDICATOR_VALUE_COLUMNS)).astype(
            {"value": "float64", "numerator": "float64", "denominator": "float64"}
        )
    frame = pd.concat(parts, ignore_index=True)
    counts = frame["unit"].isin(COUNT_UNITS)
    frame["numerator"] = frame["value"].where(counts)
    frame["denominator"] = np.nan
    frame["status"] = _protection(frame, counts, disclosure_min)
    withheld = frame["status"].notna()
    frame.loc[withheld, ["value", "numerator"]] = np.nan
    result = frame[list(INDICATOR_VALUE_COLUMNS)].copy()
    for column in ("value", "numerator", "denominator"):
        result[column] = result[column].astype("float64")
    for column in ("indicator_id", "region_code", "geo_vintage", "level", "period", "provenance"):
        result[column] = result[column].astype(str)
    status = result["status"].astype(object)
    result["status"] = status.where(status.notna(), None).astype("str")
    return result.sort_values(["indicator_id", "level", "region_code", "period"], ignore_index=True)


def _protection(frame: pd.DataFrame, counts: pd.Series, minimum: int) -> pd.Series:
    """``<5``/``..``/``None`` per row: small counts and what would reveal them."""
    status = pd.Series([None] * len(frame), index=frame.index, dtype="object")
    groups = frame.loc[counts].groupby(["indicator_id", "kommun_code", "period"], sort=False)
    for _, group in groups:
        kommun = group.loc[group["level"] == "kommun"]
        finer_levels = [lvl for lvl in ("regso", "deso") if (group["level"] == lvl).any()]
        batches = [kommun] if not finer_levels else []
        for level in finer_levels:
            # The kommun's own row is the total its districts add up to.
            batches.append(pd.concat([group.loc[group["level"] == level], kommun]))
        for batch in batches:
            table = pd.DataFrame(
                {
                    "area": np.where(
                        batch["level"] == "kommun", _TOTAL_LABEL, batch["region_code"]
                    ),
                    "value": batch["value"].to_numpy(),
                },
                index=batch.index,
            )
            marks = protect_counts(
                table, value="value", dims=["area"], minimum=minimum, total_label=_TOTAL_LABEL
            )
            for position, mark in zip(batch.index, marks.tolist(), strict=True):
                if mark == SMALL:
                    status.loc[position] = small_count_status(minimum)
                elif mark == HIDDEN and status.loc[position] is None:
                    status.loc[position] = STATUS_SUPPRESSED
    return status
