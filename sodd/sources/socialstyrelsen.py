"""Socialstyrelsen's homelessness mapping per kommun: persons in the four situations.

Whether and how the 2023 mapping is published per kommun is not verified
(data-sources §9.1). Two layouts are read: one column per situation (``"Situation 1"``
or the situation's name, e.g. ``"Akut hemlöshet"``), or a long table with a column
``Situation`` and a count column. The year comes from a column, the headers, a title
row, the sheet name or the file name.
"""

from __future__ import annotations

import re
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

PROVIDER: Final = "socialstyrelsen"
TABLE_ID: Final = "hemloshetskartlaggning"
TITLE: Final = "Hemlöshetskartläggning (Socialstyrelsen)"

# Situation number → folded aliases of its name; Socialstyrelsen's four situations.
_SITUATIONS: Final = {
    "1": ("situation 1$", "akut"),
    "2": ("situation 2$", "institution", "stodboende"),
    "3": ("situation 3$", "langsiktig", "boendelosning", "socialt kontrakt", "andrahandsmarknad"),
    "4": ("situation 4$", "eget ordnat", "egna kortsiktiga", "kortsiktig", "tillfallig"),
}
SITUATION_NAMES_SV: Final = {
    "1": "Akut hemlöshet",
    "2": "Institution eller stödboende, utan egen bostad att flytta till",
    "3": "Långsiktiga boendelösningar genom socialtjänsten",
    "4": "Eget ordnat kortsiktigt boende",
}
_REGION: Final = (
    ColumnSpec("kommun", "Kommun", ("kommun", "kommunkod", "kommunnamn")),
    ColumnSpec("region", "Region", ("region", "kod$", "omrade", "lan")),
)
WIDE_LAYOUT: Final = Layout(
    what="Socialstyrelsens hemlöshetskartläggning",
    region=_REGION,
    measures=tuple(
        ColumnSpec(number, f"Situation {number}: {SITUATION_NAMES_SV[number]}", aliases)
        for number, aliases in _SITUATIONS.items()
    ),
)
LONG_LAYOUT: Final = Layout(
    what="Socialstyrelsens hemlöshetskartläggning (en rad per situation)",
    region=_REGION,
    measures=(ColumnSpec("personer", "Antal personer", ("antal", "personer")),),
    dims=(ColumnSpec("situation", "Situation", ("situation",)),),
)


def read_socialstyrelsen(data: bytes, filename: str) -> Parsed:
    """Parse a homelessness mapping file for preview or import.

    Raises
    ------
    SourceError
        When neither layout is found (the message lists expected and found headers),
        or a situation cannot be told from its name.
    """
    sheets = read_sheets(data, filename)
    try:
        extracted = extract(WIDE_LAYOUT, sheets, filename=filename)
        frame = extracted.frame.assign(situation=extracted.frame["measure"])
    except SourceError as wide_error:
        try:
            extracted = extract(LONG_LAYOUT, sheets, filename=filename)
        except SourceError:
            raise wide_error from None
        frame = extracted.frame.assign(situation=_situation_numbers(extracted.frame))
    observations = build_observations(
        frame.assign(measure="personer"),
        provider=PROVIDER,
        table_id=TABLE_ID,
        variables={"personer": ("personer", "personer")},
        dims=lambda row: {"situation": str(row["situation"])},
    )
    return Parsed(observations, extracted.matched, extracted.sheets)


def _situation_numbers(frame: pd.DataFrame) -> list[str]:
    numbers: list[str] = []
    for _, row in frame.iterrows():
        text = normalise_header(row.get("situation", ""))
        digit = re.fullmatch(r"(?:situation )?([1-4])", text)
        found = digit.group(1) if digit else None
        if found is None:
            words = text.split()
            found = next((m.key for m in WIDE_LAYOUT.measures if m.matches(words)), None)
        if found is None:
            raise SourceError(
                f"{row['where']}, rad {row['row']}: okänd situation {row.get('situation')!r}; "
                "väntade 1–4 eller situationens namn (t.ex. Akut hemlöshet)."
            )
        numbers.append(found)
    return numbers


def parse_socialstyrelsen(data: bytes, filename: str) -> pd.DataFrame:
    """Observations ``socialstyrelsen``/``hemloshetskartlaggning`` from a file.

    Parameters
    ----------
    data, filename
        The file (CSV or XLSX) and its name.

    Returns
    -------
    pandas.DataFrame
        Variable ``personer``, unit ``personer``, dims ``{"situation": "1".."4"}``.
    """
    return read_socialstyrelsen(data, filename).observations


def import_socialstyrelsen(
    store: Store,
    path_or_bytes: str | Path | bytes,
    filename: str | None = None,
    *,
    progress: Progress | None = None,
) -> ImportResult:
    """Parse a homelessness mapping file and store it (``socialstyrelsen__hemloshetskartlaggning``).

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
    observations = parse_socialstyrelsen(data, name)
    return import_observations(
        store, observations, provider=PROVIDER, table_id=TABLE_ID, title=TITLE,
        raw=data, filename=name, progress=progress,
    )  # fmt: skip
