"""Index observations once and sum catalog selections over them, vectorised.

Used by :mod:`sodd.indicators.compute`. The observation table can hold millions
of rows, so everything here works on integer codes: the rows a selection needs
are found by comparing factorized provider/table/variable codes, each distinct
``dims`` string is parsed once (not once per row), and sums per region and
period are ``np.bincount`` over a group id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from sodd.indicators.catalog_model import Selection
from sodd.schema import STATUS_SUPPRESSED

KEY_COLUMNS: Final = ("region_code", "geo_vintage", "level", "period")
REQUIRED_COLUMNS: Final = (
    "provider",
    "table_id",
    "variable",
    *KEY_COLUMNS,
    "dims",
    "value",
    "status",
)
# Only DeSO and RegSO codes change meaning between vintages; kommun, län and
# riket rows carry geo_vintage "" in this project (see compute.py).
VINTAGED_LEVELS: Final = ("deso", "regso")

IntArray = npt.NDArray[np.int64]


def check_columns(observations: pd.DataFrame) -> None:
    """Raise ``ValueError`` naming the first required column that is missing.

    Parameters
    ----------
    observations
        Frame that should follow ``sodd.schema.OBSERVATION_COLUMNS``.
    """
    for column in REQUIRED_COLUMNS:
        if column not in observations.columns:
            raise ValueError(f"observations saknar kolumnen {column!r}.")


def _group_ids(columns: Iterable[pd.Series | npt.NDArray[Any]]) -> IntArray:
    """Return one id per row for the combination of ``columns``, in first-appearance order."""
    key: IntArray | None = None
    for column in columns:
        codes, uniques = pd.factorize(column, use_na_sentinel=False)
        codes = codes.astype(np.int64)
        # Re-factorizing after each column keeps the combined key below the row
        # count, so the multiplication cannot overflow however many columns.
        key = codes if key is None else pd.factorize(key * len(uniques) + codes)[0]
    assert key is not None
    return key.astype(np.int64)


def _parse_dims(text: object) -> dict[str, str]:
    if text is None or (isinstance(text, float) and np.isnan(text)) or text == "":
        return {}
    try:
        parsed = json.loads(str(text))
    except json.JSONDecodeError:
        raise ValueError(f"kolumnen 'dims' innehåller ogiltig JSON: {text!r}") from None
    if not isinstance(parsed, dict):
        raise ValueError(f"kolumnen 'dims' ska vara ett JSON-objekt, men är {text!r}")
    return {str(k): str(v) for k, v in parsed.items()}


class ObservationCells:
    """The observation rows that a set of selections can use, indexed for summing.

    Parameters
    ----------
    observations
        Long observations, already checked with :func:`check_columns`.
    selections
        Every selection that will be summed; rows of other tables are dropped.
    """

    def __init__(self, observations: pd.DataFrame, selections: Iterable[Selection]) -> None:
        triples = list(dict.fromkeys((s.provider, s.table_id, s.variable) for s in selections))
        self._triple_index = {triple: i for i, triple in enumerate(triples)}
        codes, lookups = [], []
        for column in ("provider", "table_id", "variable"):
            col_codes, uniques = pd.factorize(observations[column])
            codes.append(col_codes)
            lookups.append({value: i for i, value in enumerate(uniques)})
        triple_of_row = np.full(len(observations), -1, dtype=np.int64)
        for i, triple in enumerate(triples):
            wanted = [lookup.get(part) for lookup, part in zip(lookups, triple, strict=True)]
            if None in wanted:
                continue
            mask = (codes[0] == wanted[0]) & (codes[1] == wanted[1]) & (codes[2] == wanted[2])
            triple_of_row[mask] = i
        rows = np.flatnonzero(triple_of_row >= 0)
        sub = observations[[*KEY_COLUMNS, "dims", "value", "status"]].iloc[rows]
        self._triple_of_row = triple_of_row[rows]

        # Through str first: a categorical column cannot be filled with a new value.
        vintage = sub["geo_vintage"].astype("str").fillna("")
        self._gid = _group_ids([sub["region_code"], vintage, sub["level"], sub["period"]])
        # Factorize numbers groups in order of first appearance, so the first
        # occurrences, in order, give one row per group id.
        first = pd.Series(self._gid).drop_duplicates().index.to_numpy()
        self.groups = pd.DataFrame(
            {
                "region_code": sub["region_code"].to_numpy(dtype=object)[first],
                "geo_vintage": vintage.to_numpy(dtype=object)[first],
                "level": sub["level"].to_numpy(dtype=object)[first],
                "period": sub["period"].to_numpy(dtype=object)[first],
            }
        )
        self._group_vintage = vintage.to_numpy(dtype=object)[first]
        vintage_key = np.where(
            self.groups["level"].isin(VINTAGED_LEVELS), self.groups["geo_vintage"], ""
        )
        self.join_id = _group_ids(
            [self.groups["region_code"], self.groups["level"], self.groups["period"], vintage_key]
        )

        self._dims_code, self._dims_text = pd.factorize(sub["dims"], use_na_sentinel=False)
        self._dims_parsed: dict[int, dict[str, str]] = {}
        self._values = pd.to_numeric(sub["value"]).to_numpy(dtype=np.float64, na_value=np.nan)
        status = sub["status"].to_numpy(dtype=object, copy=True)
        no_status = pd.isna(status) | (status == "")
        status[no_status] = None
        self._status = status
        self._bad = np.isnan(self._values) | ~no_status
        self._sums: dict[Selection, pd.DataFrame] = {}

    def _cell_index(self, dims_code: int, selection: Selection) -> int:
        """Position of a dims combination among the selection's cells, or -1 if not selected."""
        if dims_code not in self._dims_parsed:
            self._dims_parsed[dims_code] = _parse_dims(self._dims_text[dims_code])
        dims = self._dims_parsed[dims_code]
        # Exactly the selection's dimensions: a cell with an extra dimension is
        # a breakdown of the selected one, and summing it would count twice.
        if len(dims) != len(selection.dims):
            return -1
        index = 0
        for name, codes in selection.dims.items():
            value = dims.get(name)
            if value not in codes:
                return -1
            index = index * len(codes) + codes.index(value)
        return index

    def sum(self, selection: Selection) -> pd.DataFrame:
        """Sum a selection per region and period.

        Parameters
        ----------
        selection
            One of the selections given at construction.

        Returns
        -------
        pandas.DataFrame
            Indexed by group id (a row of :attr:`groups`), columns ``total``
            (float, NaN when withheld) and ``status`` (None, or the status of
            the withheld sum). A group appears when at least one selected cell
            exists there. The sum is withheld when a selected code has no row
            (``..``) or a selected cell is null or carries a status (that
            status, ``..`` when they differ); parts are never summed alone.
        """
        if selection in self._sums:
            return self._sums[selection]
        triple = self._triple_index[(selection.provider, selection.table_id, selection.variable)]
        pos = np.flatnonzero(self._triple_of_row == triple)
        codes_here = np.unique(self._dims_code[pos])
        cell_of_code = np.full(len(self._dims_text), -1, dtype=np.int64)
        for code in codes_here:
            cell_of_code[code] = self._cell_index(int(code), selection)
        cell = cell_of_code[self._dims_code[pos]]
        pos, cell = pos[cell >= 0], cell[cell >= 0]
        gid = self._gid[pos]
        self._refuse_duplicates(pos, gid * selection.cell_count + cell, selection)

        groups, inverse = np.unique(gid, return_inverse=True)
        bad = self._bad[pos]
        cells = np.bincount(inverse, minlength=len(groups))
        sums = np.bincount(inverse, np.where(bad, 0.0, self._values[pos]), minlength=len(groups))
        totals = sums.astype(np.float64)  # bincount of nothing is an int array
        status = np.full(len(groups), None, dtype=object)
        if bad.any():
            # Null value without a symbol still means "not published": "..".
            symbols = pd.Series(self._status[pos][bad]).fillna(STATUS_SUPPRESSED)
            per_group = symbols.groupby(inverse[bad]).agg(["first", "nunique"])
            status[per_group.index] = np.where(
                per_group["nunique"] == 1, per_group["first"], STATUS_SUPPRESSED
            )
        status[cells < selection.cell_count] = STATUS_SUPPRESSED
        totals[pd.notna(status)] = np.nan
        result = pd.DataFrame({"total": totals, "status": status}, index=groups)
        self._sums[selection] = result
        return result

    def _refuse_duplicates(self, pos: IntArray, key: IntArray, selection: Selection) -> None:
        duplicated = pd.Series(key).duplicated().to_numpy()
        if duplicated.any():
            row = pos[np.flatnonzero(duplicated)[0]]
            where = self.groups.iloc[self._gid[row]]
            raise ValueError(
                f"observations har samma cell mer än en gång: {selection.source_label}, "
                f"variabel {selection.variable}, region {where['region_code']}, "
                f"period {where['period']}, dims {self._dims_text[self._dims_code[row]]}"
            )

    def by_join_id(self, selection: Selection) -> pd.DataFrame:
        """Sum a selection and index it by join id (region, level, period, vintage if any).

        Parameters
        ----------
        selection
            One of the selections given at construction.

        Returns
        -------
        pandas.DataFrame
            As :meth:`sum`, indexed by join id, one row per id. Should kommun
            rows come with several vintages, the one sorting first (``""``) wins.
        """
        sums = self.sum(selection)
        vintage = self._group_vintage[sums.index]
        ordered = sums.assign(join_id=self.join_id[sums.index], vintage=vintage).sort_values(
            ["join_id", "vintage"], kind="stable"
        )
        ordered = ordered.drop_duplicates("join_id")
        return ordered.set_index("join_id")[["total", "status"]]
