"""Turn observations into indicator values (pure pandas, vectorised).

Rules, per indicator source (see the header of ``catalog.toml`` for the kinds):

- A selection sums the observation cells of its provider, table and variable
  whose ``dims`` have exactly the selection's dimensions, each with a listed
  code, per ``(region_code, geo_vintage, level, period)``. A listed code
  without a row, a null cell or a cell with a status withholds the whole sum
  (status ``..``, or the cells' common status): the remaining parts are never
  summed, so no suppressed figure can be recovered by subtraction.
- The numerator (or, for ``published``, the value) decides which rows exist;
  the denominator (or weight) is looked up for them. Join key: region code,
  level and period, plus ``geo_vintage`` for DeSO and RegSO only. DeSO/RegSO
  codes mean different areas in different vintages, so those must match;
  kommun, län and riket rows carry ``geo_vintage`` ``""`` in this project, so a
  denominator from a kommun-level table joins any numerator of that kommun and
  the numerator's ``geo_vintage`` is kept. A missing denominator withholds the
  value with ``..``.
- ``share`` = 100 × numerator / denominator, ``rate`` = per × numerator /
  denominator, ``count`` = numerator, ``published`` = the value as published
  (numerator NaN, denominator = the weight, NaN without one). For share and
  rate a zero denominator gives status ``.``, and a denominator above zero but
  below the indicator's ``disclosure_threshold`` gives status ``few``; the
  numerator and denominator are kept in both cases (they are published cells).
- Levels are not filtered by ``lowest_level``: what the data hold is computed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import pandas as pd

from sodd.indicators._cells import ObservationCells, check_columns
from sodd.indicators.catalog_model import Catalog, Indicator, SourceSpec
from sodd.schema import (
    INDICATOR_VALUE_COLUMNS,
    STATUS_FEW,
    STATUS_NOT_APPLICABLE,
    STATUS_SUPPRESSED,
)

_SORT_COLUMNS: Final = ["indicator_id", "level", "region_code", "period", "geo_vintage"]
_STRING_COLUMNS: Final = (
    "indicator_id",
    "region_code",
    "geo_vintage",
    "level",
    "period",
    "status",
    "provenance",
)
_FLOAT_COLUMNS: Final = ("value", "numerator", "denominator")


def compute_indicator_values(
    observations: pd.DataFrame,
    catalog: Catalog,
    *,
    indicator_ids: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Compute indicator values from long observations.

    Parameters
    ----------
    observations
        Long observations with the columns of ``sodd.schema.OBSERVATION_COLUMNS``
        (``unit`` and ``fetched_at`` are not needed).
    catalog
        The indicator catalog.
    indicator_ids
        Compute only these indicators; ``None`` computes all of them.

    Returns
    -------
    pandas.DataFrame
        Columns ``sodd.schema.INDICATOR_VALUE_COLUMNS``, one row per indicator,
        region, vintage, level and period that its selections have
        observations for, sorted by indicator id, level, region code and
        period. Text columns have pandas' string dtype, numbers are float64,
        ``status`` is missing where a value is shown.

    Raises
    ------
    ValueError
        If a required column is missing, ``dims`` is not JSON, or a cell
        occurs twice.
    CatalogError
        If an id in ``indicator_ids`` is not in the catalog.
    """
    check_columns(observations)
    if indicator_ids is None:
        indicators = list(catalog.indicators)
    else:
        indicators = [catalog.get(i) for i in dict.fromkeys(indicator_ids)]
    selections = (s for ind in indicators for src in ind.sources for s in src.selections())
    cells = ObservationCells(observations, selections)

    frames = []
    for indicator in indicators:
        frame = _compute_indicator(indicator, cells)
        if len(frame):
            frames.append(frame.assign(indicator_id=indicator.id))
    if not frames:
        return _typed(pd.DataFrame({column: [] for column in INDICATOR_VALUE_COLUMNS}))
    result = pd.concat(frames, ignore_index=True)
    keys = cells.groups.iloc[result["gid"].to_numpy()].reset_index(drop=True)
    result = pd.concat([result.drop(columns="gid"), keys], axis=1)
    result = _typed(result[list(INDICATOR_VALUE_COLUMNS)])
    return result.sort_values(_SORT_COLUMNS, kind="stable", ignore_index=True)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in _STRING_COLUMNS:
        # Through object first so None stays missing rather than becoming "None".
        values = frame[column].astype(object)
        frame[column] = values.where(values.notna(), None).astype("str")
    for column in _FLOAT_COLUMNS:
        frame[column] = frame[column].astype(np.float64)
    return frame


def _compute_indicator(indicator: Indicator, cells: ObservationCells) -> pd.DataFrame:
    parts = [_compute_source(indicator, source, cells) for source in indicator.sources]
    parts = [part.assign(source=i) for i, part in enumerate(parts) if len(part)]
    if not parts:
        return pd.DataFrame()
    combined = pd.concat(parts, ignore_index=True)
    if len(parts) == 1:
        return combined.drop(columns="source")
    # A topic split into an old and a new table can give the same region and
    # period twice (an overlap year, or kommun rows in both). Take the first
    # listed source that has a value there; if none has, the first listed one.
    combined["withheld"] = combined["value"].isna()
    combined = combined.sort_values(["gid", "withheld", "source"], kind="stable")
    combined = combined.drop_duplicates("gid")
    return combined.drop(columns=["source", "withheld"]).reset_index(drop=True)


def _compute_source(
    indicator: Indicator, source: SourceSpec, cells: ObservationCells
) -> pd.DataFrame:
    """Values for one source, with a ``gid`` column naming the row of ``cells.groups``."""
    main = source.value if indicator.kind == "published" else source.numerator
    assert main is not None, "the catalog parser guarantees the kind's selections"
    sums = cells.sum(main)
    gid = sums.index.to_numpy()
    main_total = sums["total"].to_numpy(dtype=np.float64)
    main_status = sums["status"].to_numpy(dtype=object)
    second = source.weight if indicator.kind == "published" else source.denominator
    if second is None:
        other_total = np.full(len(gid), np.nan)
        other_status = np.full(len(gid), STATUS_SUPPRESSED, dtype=object)
    else:
        found = cells.by_join_id(second).reindex(cells.join_id[gid])
        other_total = found["total"].to_numpy(dtype=np.float64)
        other_status = found["status"].to_numpy(dtype=object, copy=True)
        # No row at all for the denominator: it is missing, not zero.
        other_status[np.isnan(other_total) & pd.isna(other_status)] = STATUS_SUPPRESSED

    nothing = np.full(len(gid), np.nan)
    if indicator.kind == "count":
        value, status, numerator, denominator = main_total, main_status, main_total, nothing
    elif indicator.kind == "published":
        # Shown exactly as published; the weight only matters for aggregation.
        value, status, numerator, denominator = main_total, main_status, nothing, other_total
    else:
        numerator, denominator = main_total, other_total
        status = np.where(pd.notna(main_status), main_status, other_status)
        open_ = pd.isna(status)
        status[open_ & (denominator == 0)] = STATUS_NOT_APPLICABLE
        few = open_ & (denominator > 0) & (denominator < indicator.disclosure_threshold)
        status[few] = STATUS_FEW
        factor = 100.0 if indicator.kind == "share" else float(indicator.per or 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = factor * numerator / denominator
    value = np.where(pd.isna(status), value, np.nan)
    return pd.DataFrame(
        {
            "gid": gid,
            "value": value,
            "numerator": numerator,
            "denominator": denominator,
            "status": status,
            "provenance": source.provenance,
        }
    )
