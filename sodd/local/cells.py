"""Parse one cell of the kommun's own data: area code, period, count, number, category.

Each parser returns the normalised value or raises :class:`CellError` with a Swedish
reason; :mod:`sodd.local.validate` adds the row and column.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Final

import pandas as pd

from sodd.local.templates import AGE_WORDS, TOTAL
from sodd.sources.tabular import normalise_header, parse_number

_KOMMUN: Final = re.compile(r"\d{4}")
_DESO: Final = re.compile(r"\d{4}[A-Z]\d{4}")
_REGSO: Final = re.compile(r"\d{4}R\d{3}")
_YEAR: Final = re.compile(r"(\d{4})(?:\.0+)?")
_MONTH: Final = re.compile(r"(\d{4})(?:-|M|/|\s)?(\d{1,2})(?:-01)?")
_AGE_BAND: Final = re.compile(r"(\d{1,3})\s*(?:–|-|—|till)\s*(\d{1,3})(?:\s*år)?")
_AGE_OPEN: Final = re.compile(r"(\d{1,3})\s*(?:\+|år och äldre|och äldre|eller äldre)")
_FIRST_YEAR: Final = 1990


class CellError(ValueError):
    """A cell cannot be read; the message is Swedish and says what is expected."""


@dataclass(frozen=True)
class Area:
    """A known area: its code, level, vintage (``""`` for kommun) and kommun."""

    code: str
    level: str
    vintage: str
    kommun: str


class RegionLookup:
    """Finds areas by code (or kommun name) in the store's region index.

    Parameters
    ----------
    regions
        Region index (``region_code``, ``level``, ``name``, ``kommun_code``,
        ``geo_vintage``); ``None`` or empty accepts codes by their shape only.
    """

    def __init__(self, regions: pd.DataFrame | None) -> None:
        self._areas: dict[str, Area] = {}
        self._names: dict[str, str] = {}
        self.checked = regions is not None and not regions.empty
        if not self.checked or regions is None:
            return
        usable = regions.loc[regions["level"].isin(["kommun", "regso", "deso"])]
        vintages = usable.get("geo_vintage", pd.Series("", index=usable.index))
        kommuner = usable.get("kommun_code", usable["region_code"])
        # The newest vintage wins when one code exists in both DeSO 2018 and 2025.
        order = vintages.fillna("").astype(str).sort_values(kind="stable").index
        for index in order:
            code, level = str(usable.at[index, "region_code"]), str(usable.at[index, "level"])
            vintage = "" if level == "kommun" else str(vintages.at[index] or "")
            kommun = kommuner.at[index]
            kommun_code = str(kommun) if isinstance(kommun, str) and kommun else code[:4]
            self._areas[code] = Area(code, level, vintage, kommun_code)
            if level == "kommun":
                self._names[normalise_header(usable.at[index, "name"])] = code

    def find(self, text: str) -> Area:
        """The area a cell names.

        Raises
        ------
        CellError
            When the code is unknown (or, without an index, has no known shape).
        """
        code = text.strip().upper().replace(" ", "")
        if code.isdigit() and len(code) == 3:  # Excel drops the leading zero of 0180
            code = "0" + code
        if self.checked:
            area = self._areas.get(code) or self._areas.get(
                self._names.get(normalise_header(text), "")
            )
            if area is None:
                raise CellError(
                    "Okänd områdeskod: den finns inte bland datalagrets kommuner, DeSO och "
                    "RegSO. Ange kommunkod (fyra siffror), DeSO- eller RegSO-kod."
                )
            return area
        if _KOMMUN.fullmatch(code):
            return Area(code, "kommun", "", code)
        if _REGSO.fullmatch(code):
            return Area(code, "regso", "2025", code[:4])
        if _DESO.fullmatch(code):
            return Area(code, "deso", "2025", code[:4])
        raise CellError("Okänd områdeskod: ange kommunkod (fyra siffror), DeSO- eller RegSO-kod.")


def parse_year(text: str, *, today: date | None = None) -> str:
    """A year such as ``2024`` (Excel's ``2024.0`` too).

    Raises
    ------
    CellError
        When the cell is not a year from 1990 to next year.
    """
    match = _YEAR.fullmatch(text.strip())
    last = (today or date.today()).year + 1
    if match is None or not _FIRST_YEAR <= int(match[1]) <= last:
        raise CellError(f"Ange ett år mellan {_FIRST_YEAR} och {last}, t.ex. 2024.")
    return match[1]


def parse_period(text: str, *, today: date | None = None) -> str:
    """A year (``2024``) or a month (``2024-03``, ``2024-3``, ``2024M03``, ``202403``).

    Raises
    ------
    CellError
        When the cell is neither.
    """
    cleaned = text.strip()
    try:
        return parse_year(cleaned, today=today)
    except CellError:
        pass
    match = _MONTH.fullmatch(cleaned)
    last = (today or date.today()).year + 1
    if match and _FIRST_YEAR <= int(match[1]) <= last and 1 <= int(match[2]) <= 12:
        return f"{match[1]}-{int(match[2]):02d}"
    raise CellError("Ange ett år (2024) eller en månad (2024-03).")


def parse_count(text: str) -> int:
    """A count: a whole number, 0 or more (``1 234`` and ``12,0`` are fine).

    Raises
    ------
    CellError
        When the cell is empty, not a number, negative or has decimals.
    """
    number = parse_float(text)
    if number < 0:
        raise CellError("Antal kan inte vara negativa.")
    if not float(number).is_integer():
        raise CellError("Antal måste vara heltal (inga decimaler).")
    return int(number)


def parse_float(text: str) -> float:
    """A number with decimal comma or point and spaces between thousands.

    Raises
    ------
    CellError
        When the cell is empty or not a number.
    """
    if not text.strip():
        raise CellError("Värdet saknas.")
    value, _symbol = parse_number(text)
    if value is None or not math.isfinite(value):
        raise CellError("Inte ett tal. Skriv siffror, t.ex. 1 234 eller 12,5.")
    return float(value)


def parse_choice(text: str, allowed: dict[str, str], what: str) -> str:
    """A value from a fixed list, in any case and spelling ``allowed`` knows.

    Raises
    ------
    CellError
        Naming the accepted values.
    """
    value = allowed.get(normalise_header(text))
    if value is None:
        choices = ", ".join(dict.fromkeys(allowed.values()))
        raise CellError(f"Okänd {what}. Tillåtna värden: {choices}.")
    return value


def parse_age_band(text: str) -> str:
    """An age band: ``18–24`` (any dash), ``65+``, ``okänd`` or ``totalt``.

    Raises
    ------
    CellError
        When the cell is not a band (an exact age means one row per person).
    """
    cleaned = text.strip().lower()
    word = AGE_WORDS.get(normalise_header(cleaned))
    if word is not None:
        return word
    band = _AGE_BAND.fullmatch(cleaned)
    if band and int(band[1]) <= int(band[2]) <= 120:
        return f"{int(band[1])}–{int(band[2])}"
    open_band = _AGE_OPEN.fullmatch(cleaned)
    if open_band and int(open_band[1]) <= 120:
        return f"{int(open_band[1])}+"
    raise CellError(f"Ange en åldersgrupp som 18–24 eller 65+, okänd eller {TOTAL}.")
