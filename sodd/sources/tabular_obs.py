"""Turn long rows found in an agency's file into observations (pure)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import pandas as pd

from sodd.errors import SourceError
from sodd.manifest import utc_now_iso
from sodd.schema import OBSERVATION_COLUMNS

# The columns that identify one published cell.
OBSERVATION_KEY: Final = ["variable", "region_code", "geo_vintage", "level", "period", "dims"]
_KEY = OBSERVATION_KEY


@dataclass
class Parsed:
    """Observations parsed from a file, with what was recognised (for the preview)."""

    observations: pd.DataFrame
    matched: dict[str, list[str]]
    sheets: list[str]

    def summary(self) -> Summary:
        """Rows, years, variables and areas per level, for the preview."""
        frame = self.observations
        levels = frame.drop_duplicates(["region_code", "level"])["level"].value_counts()
        return Summary(
            len(frame),
            [str(p) for p in sorted(frame["period"].unique())],
            [str(v) for v in sorted(frame["variable"].unique())],
            {str(level): int(count) for level, count in levels.items()},
        )


@dataclass(frozen=True)
class Summary:
    """What a parsed file holds: values, years, variables, and areas per level."""

    rows: int
    years: list[str]
    variables: list[str]
    regions: dict[str, int]


def build_observations(
    rows: pd.DataFrame,
    *,
    provider: str,
    table_id: str,
    variables: dict[str, tuple[str, str]],
    dims: Callable[[pd.Series], dict[str, str]] | None = None,
    fetched_at: str | None = None,
) -> pd.DataFrame:
    """Turn extracted long rows into observations.

    Parameters
    ----------
    rows
        From :func:`sodd.sources.tabular_match.extract` (``measure`` column holds keys).
    provider, table_id
        Identity written to every row.
    variables
        Measure key → ``(variable, unit)``.
    dims
        Row → dimension values (default: no dimensions).
    fetched_at
        Time stamp for the rows (default: now).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`sodd.schema.OBSERVATION_COLUMNS`.

    Raises
    ------
    SourceError
        When the same cell occurs twice (the message names sheet and row).
    """
    stamp = fetched_at or utc_now_iso()
    out = pd.DataFrame(
        {
            "provider": provider,
            "table_id": table_id,
            "variable": rows["measure"].map(lambda key: variables[key][0]),
            "region_code": rows["region_code"].astype(str),
            "geo_vintage": rows["geo_vintage"].astype(str),
            "level": rows["level"].astype(str),
            "period": rows["period"].astype(str),
            "dims": [
                json.dumps(dims(row) if dims else {}, ensure_ascii=False, sort_keys=True)
                for _, row in rows.iterrows()
            ],
            "value": pd.to_numeric(rows["value"], errors="coerce").astype("float64"),
            "status": rows["status"].astype("str"),  # missing stays missing
            "unit": rows["measure"].map(lambda key: variables[key][1]),
            "fetched_at": stamp,
        }
    )
    duplicated = out.duplicated(_KEY, keep="first")
    if duplicated.any():
        first = rows.loc[duplicated.to_numpy()].iloc[0]
        where = f"{first['where']}, rad {first['row']}" if "where" in rows else "filen"
        raise SourceError(
            f"{where}: {first['region_code']} år {first['period']} ({first['measure']}) "
            "förekommer flera gånger i filen; inget sparades."
        )
    return out[list(OBSERVATION_COLUMNS)]
