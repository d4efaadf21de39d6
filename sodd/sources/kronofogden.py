"""Kronofogden's eviction statistics per kommun: applied for, executed, children affected.

No open API exists and the file layout is not verified (data-sources §7), so columns
are found by tolerant Swedish names: a kommun column (code or name), a year column or
years in the headers (``"Verkställda 2023"``), and at least one of the three counts.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Final

import pandas as pd

from sodd.sources.tabular import read_sheets
from sodd.sources.tabular_match import ColumnSpec, Layout, extract
from sodd.sources.tabular_obs import Parsed, build_observations

if TYPE_CHECKING:
    from sodd.file_import import ImportResult, Progress
    from sodd.store import Store

PROVIDER: Final = "kronofogden"
TABLE_ID: Final = "avhysningar"
TITLE: Final = "Avhysningar (Kronofogden)"

REGION_COLUMNS: Final = (
    ColumnSpec("kommun", "Kommun", ("kommun", "kommunkod", "kommunnamn")),
    ColumnSpec("region", "Region", ("region", "kod$", "omrade", "lan")),
)
# Measure key → (variable in the catalog, unit); units as in the demo.
VARIABLES: Final = {
    "ansokta": ("ansokta", "antal"),
    "verkstallda": ("verkstallda", "antal"),
    "barn_berorda": ("barn_berorda", "personer"),
}
LAYOUT: Final = Layout(
    what="Kronofogdens avhysningsstatistik",
    region=REGION_COLUMNS,
    measures=(
        ColumnSpec(
            "barn_berorda", "Barn berörda", ("barn beror", "barn$"), exclude=("vuxna", "hemmabo")
        ),
        ColumnSpec(
            "ansokta", "Ansökta avhysningar", ("ansok", "inkomn"), exclude=("barn", "verkstall")
        ),
        ColumnSpec(
            "verkstallda", "Verkställda avhysningar", ("verkstall", "genomford"), exclude=("barn",)
        ),
    ),
)


def read_kronofogden(data: bytes, filename: str) -> Parsed:
    """Parse a Kronofogden file and say what was recognised (for the import preview).

    Raises
    ------
    SourceError
        When the columns are not found (listing expected and found headers), or a year
        or a kommun cannot be read.
    """
    extracted = extract(LAYOUT, read_sheets(data, filename), filename=filename)
    observations = build_observations(
        extracted.frame, provider=PROVIDER, table_id=TABLE_ID, variables=VARIABLES
    )
    return Parsed(observations, extracted.matched, extracted.sheets)


def parse_kronofogden(data: bytes, filename: str) -> pd.DataFrame:
    """Observations (``kronofogden``/``avhysningar``) from a Kronofogden CSV or XLSX file.

    Parameters
    ----------
    data
        The file's bytes.
    filename
        Its name (format, messages, and the year when the file has no year column).

    Returns
    -------
    pandas.DataFrame
        Observations with variables ``ansokta``, ``verkstallda``, ``barn_berorda`` and
        no further dimensions.
    """
    return read_kronofogden(data, filename).observations


def import_kronofogden(
    store: Store,
    path_or_bytes: str | Path | bytes,
    filename: str | None = None,
    *,
    progress: Progress | None = None,
) -> ImportResult:
    """Parse a Kronofogden file and store it as dataset ``kronofogden__avhysningar``.

    Parameters
    ----------
    store
        Target store.
    path_or_bytes
        A path, a URL (``http(s)://``, downloaded) or the file's bytes.
    filename
        The file name (required with bytes).
    progress
        Receives one Swedish line per step.

    Returns
    -------
    ImportResult
        What was stored.
    """
    from sodd.file_import import import_observations, read_source

    data, name = read_source(path_or_bytes, filename)
    observations = parse_kronofogden(data, name)
    return import_observations(
        store, observations, provider=PROVIDER, table_id=TABLE_ID, title=TITLE,
        raw=data, filename=name, progress=progress,
    )  # fmt: skip
