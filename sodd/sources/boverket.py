"""Boverket: the housing-market survey (BME) and the need-based housing shortage measures.

BME (data-sources §6.2): each kommun's own judgement of its housing market, one of
shortage, balance or surplus (Swedish *underskott*, *balans*, *överskott*). The value
is a category; it is stored as -1 (shortage), 0 (balance) or 1 (surplus) with unit
``läge`` so it fits the numeric observations contract. Both the simplified real file
``kommun;year;status`` and Boverket-style Excel layouts (Swedish words, one year per
file or years in the headers) are read.

Behovsbaserad bostadsbrist (§6.1): counts of households per measure; the column names
are not verified, so the eight measures are found by tolerant names, counts only
(share columns are ignored: shares are computed from counts).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Final

import pandas as pd

from sodd.errors import SourceError
from sodd.sources.tabular import normalise_header, read_sheets
from sodd.sources.tabular_match import ColumnSpec, Layout, extract
from sodd.sources.tabular_obs import Parsed, build_observations

if TYPE_CHECKING:
    from sodd.file_import import ImportResult, Progress
    from sodd.store import Store

PROVIDER: Final = "boverket"
BME_TABLE_ID: Final = "bme"
BME_TITLE: Final = "Bostadsmarknadsenkäten: kommunens bedömning av bostadsmarknadsläget"
BME_VARIABLE: Final = "marknadslage"
BME_UNIT: Final = "läge"
SHORTAGE_TABLE_ID: Final = "behovsbaserad_bostadsbrist"
SHORTAGE_TITLE: Final = "Behovsbaserad bostadsbrist (Boverket)"

# Market status → stored value. Keys are folded (normalise_header).
MARKET_STATUS: Final = {
    "underskott": -1.0,
    "shortage": -1.0,
    "brist": -1.0,
    "balans": 0.0,
    "balance": 0.0,
    "overskott": 1.0,
    "surplus": 1.0,
}
MARKET_STATUS_SV: Final = {-1.0: "underskott", 0.0: "balans", 1.0: "överskott"}

_REGION: Final = (
    ColumnSpec("regso", "RegSO", ("regso",)),
    ColumnSpec("kommun", "Kommun", ("kommun", "kommunkod", "kommunnamn", "kommunnr")),
    ColumnSpec("region", "Region", ("region", "kod$", "omrade", "lan", "municipality")),
)
BME_LAYOUT: Final = Layout(
    what="Boverkets bostadsmarknadsenkät",
    region=_REGION[1:],
    measures=(
        ColumnSpec(
            "totalt",
            "Bostadsmarknadsläge (underskott, balans, överskott)",
            ("status$", "lage$", "bedomning", "marknadslag", "balans", "helhet"),
            exclude=("ungdom", "aldre", "nyanland", "student", "grupp"),
        ),
    ),
)

_SHARES: Final = ("andel", "procent")
_MEASURES: Final = (
    ("trangbodd_anstrangd_kalp", "Trångbodda med ansträngd boendeekonomi (KALP)",
     ("trangbo kalp",), ()),
    ("trangbodd_anstrangd", "Trångbodda med ansträngd boendeekonomi",
     ("trangbo anstrang",), ()),
    ("anstrangd_boendeekonomi_kalp", "Ansträngd boendeekonomi (KALP)", ("kalp",), ("trangbo",)),
    ("anstrangd_boendeekonomi", "Ansträngd boendeekonomi", ("anstrang",), ("trangbo",)),
    ("trangbodda", "Trångbodda", ("trangbo",), ()),
    ("flyttar_ofta", "Flyttar ofta", ("flytt",), ()),
    ("hemmaboende_vuxna_barn", "Hemmaboende vuxna barn", ("hemmabo", "vuxna barn"), ()),
    ("aterkommande_problem", "Återkommande problem", ("aterkommande",), ()),
    ("hushall", "Hushåll (totalt)", ("hushall",),
     ("anstrang", "trangbo", "flytt", "kalp", "aterkom", "hemmabo", "typ")),
)  # fmt: skip
# Breakdowns the catalog does not use: only their total rows are kept.
_TOTAL_ONLY: Final = (
    ColumnSpec("upplatelseform", "Upplåtelseform", ("upplatelse",)),
    ColumnSpec("alder", "Åldersgrupp", ("alder",)),
    ColumnSpec("kon", "Kön", ("kon$",)),
    ColumnSpec("inkomst", "Inkomstgrupp", ("inkomst",)),
)
_TOTALS: Final = frozenset({"", "totalt", "samtliga", "alla", "samtliga hushall", "alla hushall"})
SHORTAGE_LAYOUT: Final = Layout(
    what="Boverkets underlag för bedömning av bostadsbrist",
    region=_REGION,
    measures=tuple(
        ColumnSpec(key, label, aliases, exclude=(*exclude, *_SHARES))
        for key, label, aliases, exclude in _MEASURES
    ),
    dims=(ColumnSpec("hushallstyp", "Hushållstyp", ("hushallstyp",)), *_TOTAL_ONLY),
    required=("hushall",),
    min_measures=2,
)


def read_bme(data: bytes, filename: str) -> Parsed:
    """Parse a BME file (market status per kommun and year) for preview or import.

    Raises
    ------
    SourceError
        When the columns are not found (listing expected and found headers), or a
        status is not one of shortage/balance/surplus (underskott/balans/överskott).
    """
    extracted = extract(BME_LAYOUT, read_sheets(data, filename), filename=filename)
    frame = extracted.frame.copy()
    labelled = frame["status"].notna() & (frame["status"] != "..")
    codes = frame.loc[labelled, "status"].map(
        lambda text: MARKET_STATUS.get(normalise_header(text))
    )
    if codes.isna().any():
        bad = frame.loc[codes.index[codes.isna()][0]]
        raise SourceError(
            f"{bad['where']}, rad {bad['row']}: okänt marknadsläge {bad['status']!r}; "
            "väntade underskott, balans eller överskott (shortage, balance, surplus)."
        )
    frame.loc[labelled, "value"] = codes.astype("float64")
    frame.loc[labelled, "status"] = None
    out_of_range = frame["value"].notna() & ~frame["value"].isin(list(MARKET_STATUS_SV))
    if out_of_range.any():
        bad = frame.loc[out_of_range].iloc[0]
        raise SourceError(
            f"{bad['where']}, rad {bad['row']}: marknadsläget {bad['value']} är inte -1, 0 eller 1."
        )
    observations = build_observations(
        frame, provider=PROVIDER, table_id=BME_TABLE_ID,
        variables={"totalt": (BME_VARIABLE, BME_UNIT)}, dims=lambda _row: {"grupp": "totalt"},
    )  # fmt: skip
    return Parsed(observations, extracted.matched, extracted.sheets)


def parse_boverket_bme(data: bytes, filename: str) -> pd.DataFrame:
    """Observations ``boverket``/``bme``: market status -1/0/1 per kommun and year.

    Parameters
    ----------
    data, filename
        The file (CSV or XLSX) and its name.

    Returns
    -------
    pandas.DataFrame
        Variable ``marknadslage``, unit ``läge``, dims ``{"grupp": "totalt"}``.
    """
    return read_bme(data, filename).observations


def read_shortage(data: bytes, filename: str) -> Parsed:
    """Parse Boverket's need-based housing shortage table for preview or import.

    Raises
    ------
    SourceError
        When no sheet has a region column, a household count and at least one measure.
    """
    extracted = extract(SHORTAGE_LAYOUT, read_sheets(data, filename), filename=filename)
    frame = extracted.frame
    for spec in _TOTAL_ONLY:
        if spec.key in frame:
            frame = frame.loc[frame[spec.key].map(normalise_header).isin(_TOTALS)]
    if frame.empty:
        raise SourceError(f"{filename}: inga rader för samtliga hushåll hittades.")
    variables = {key: (key, "hushåll") for key, *_ in _MEASURES}
    observations = build_observations(
        frame.reset_index(drop=True), provider=PROVIDER, table_id=SHORTAGE_TABLE_ID,
        variables=variables, dims=_household_type,
    )  # fmt: skip
    return Parsed(observations, extracted.matched, extracted.sheets)


def _household_type(row: pd.Series) -> dict[str, str]:
    raw = row.get("hushallstyp")
    text = "" if raw is None or pd.isna(raw) else normalise_header(raw)
    return {"hushallstyp": "alla" if text in _TOTALS else text.replace(" ", "_")}


def parse_boverket_shortage(data: bytes, filename: str) -> pd.DataFrame:
    """Observations ``boverket``/``behovsbaserad_bostadsbrist``: households per measure.

    Parameters
    ----------
    data, filename
        The file (CSV or XLSX) and its name.

    Returns
    -------
    pandas.DataFrame
        Variables ``hushall`` and the measures found (``trangbodda``,
        ``anstrangd_boendeekonomi``, ``trangbodd_anstrangd``, ...), unit ``hushåll``,
        dims ``{"hushallstyp": "alla" | ...}``; kommun, län, riket or RegSO rows.
    """
    return read_shortage(data, filename).observations


def import_boverket(
    store: Store,
    path_or_bytes: str | Path | bytes,
    filename: str | None = None,
    *,
    table: str = BME_TABLE_ID,
    progress: Progress | None = None,
) -> ImportResult:
    """Parse a Boverket file and store it (``boverket__bme`` or the shortage table).

    Parameters
    ----------
    store
        Target store.
    path_or_bytes
        A path, a URL (``http(s)://``, downloaded) or the file's bytes.
    filename
        The file name (required with bytes).
    table
        ``"bme"`` (market survey) or ``"behovsbaserad_bostadsbrist"``.
    progress
        Receives one Swedish line per step.

    Returns
    -------
    ImportResult
        What was stored.
    """
    from sodd.file_import import import_observations, read_source

    if table not in (BME_TABLE_ID, SHORTAGE_TABLE_ID):
        raise ValueError(f"Okänd Boverket-tabell {table!r}.")
    data, name = read_source(path_or_bytes, filename)
    parsed = read_bme(data, name) if table == BME_TABLE_ID else read_shortage(data, name)
    title = BME_TITLE if table == BME_TABLE_ID else SHORTAGE_TITLE
    return import_observations(
        store, parsed.observations, provider=PROVIDER, table_id=table, title=title,
        raw=data, filename=name, progress=progress,
    )  # fmt: skip
