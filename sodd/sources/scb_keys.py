"""SCB's kopplingstabeller DeSO → RegSO: pure parsers for the file variants in circulation.

SCB publishes the key files as XLSX (a title row, then a header row starting with
``Kommun``: ``Kommun, Kommunnamn, DeSO_2018, RegSOkod_2020, RegSO_2020``; the 2025 file
the same with ``DeSO_2025``, ``RegSOkod_2025``, ``RegSO_2025``; data-sources §1.3). Copies
reach users as CSV saved from it (comma, UTF-8 with BOM, CRLF), as the older 2021
semicolon file without RegSO codes (and a garbled first header cell), or converted to a
JSON object keyed by DeSO code. Every variant becomes one frame with the columns of
:data:`sodd.schema.CROSSWALK_COLUMNS`. Bytes in, frame out; no I/O.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from typing import Any, Final

import pandas as pd

from sodd.errors import SourceError
from sodd.schema import CROSSWALK_COLUMNS
from sodd.sources.tabular import UNREADABLE_XLSX

VINTAGES: Final = ("2018", "2025")
# A DeSO vintage and the RegSO vintage its key file points to.
REGSO_VINTAGE: Final = {"2018": "2020", "2025": "2025"}

_DESO: Final = re.compile(r"^\d{4}[ABC]\d{4}$")
_REGSO: Final = re.compile(r"^\d{4}R\d{3}$")
_SUFFIX: Final = re.compile(r"_(DeSO|RegSO)\d{4}$", re.IGNORECASE)
_DESO_HEADER: Final = re.compile(r"^deso(_(?P<year>\d{4}))?$", re.IGNORECASE)
_REGSO_CODE_HEADER: Final = re.compile(r"^regsokod(_(?P<year>\d{4}))?$", re.IGNORECASE)
_REGSO_NAME_HEADER: Final = re.compile(r"^regso(_(?P<year>\d{4}))?$", re.IGNORECASE)
# A date in a file name (kopplingstabell-deso-regso-20210702.csv, …_2026-03-25.xlsx).
_NAME_DATE: Final = re.compile(r"(?<!\d)(?P<year>20\d{2})-?[01]\d-?[0-3]\d(?!\d)")

Row = Sequence[object]


def _cell(value: object) -> str:
    """Cell text; Excel gives kommun codes as numbers, which lose their leading zero."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:04d}"
    return str(value).strip()


def _rows_from_xlsx(data: bytes, where: str) -> list[list[object]]:
    import openpyxl  # only needed for this variant

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except UNREADABLE_XLSX as exc:
        raise SourceError(f"{where} går inte att läsa som Excel-fil: {exc}") from None
    try:
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    except UNREADABLE_XLSX as exc:
        raise SourceError(f"{where} är en skadad Excel-fil: {exc}") from None
    finally:
        book.close()


def _rows_from_csv(data: bytes, where: str) -> list[list[object]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252", errors="strict")
        except UnicodeDecodeError as exc:
            raise SourceError(f"{where} är varken UTF-8 eller Windows-1252: {exc}") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _header_index(rows: list[list[object]], where: str) -> int:
    """The row SCB's header is on: the first whose first cell is ``Kommun``.

    The 2021 semicolon copy has a garbled first header cell (``bro``), so a row naming a
    DeSO column is accepted too.
    """
    for number, row in enumerate(rows):
        if row and _cell(row[0]).lower() == "kommun":
            return number
    for number, row in enumerate(rows):
        if any(_DESO_HEADER.match(_cell(value)) for value in row):
            return number
    raise SourceError(
        f"{where} saknar rubrikraden: ingen rad börjar med 'Kommun' eller har en kolumn 'DeSO'."
    )


def _find(header: list[str], pattern: re.Pattern[str]) -> tuple[int | None, str | None]:
    for position, name in enumerate(header):
        match = pattern.match(name)
        if match:
            return position, match.group("year")
    return None, None


def _vintage_from_name(name: str) -> str | None:
    """A key file dated before 2025 can only describe DeSO 2018 (DeSO 2025 came in 2025)."""
    match = _NAME_DATE.search(name)
    if match and int(match["year"]) < 2025:
        return "2018"
    return None


def _resolve_vintage(
    header_year: str | None, regso_year: str | None, given: str | None, name: str, where: str
) -> str:
    found = header_year or {"2020": "2018", "2025": "2025"}.get(regso_year or "")
    if found is not None and found not in VINTAGES:
        raise SourceError(f"{where} har DeSO-årgången {found}; sodd känner till 2018 och 2025.")
    if given is not None:
        if given not in VINTAGES:
            raise SourceError(f"Okänd DeSO-årgång {given!r}; välj 2018 eller 2025.")
        if found is not None and found != given:
            raise SourceError(
                f"{where} gäller DeSO {found}, men årgången {given} angavs; "
                "indelningarna får inte blandas."
            )
        return given
    vintage = found or _vintage_from_name(name)
    if vintage is None:
        raise SourceError(
            f"{where} säger inte vilken DeSO-årgång den gäller (kolumnen heter bara 'DeSO'); "
            "ange årgången (2018 eller 2025)."
        )
    return vintage


def _code(value: str, pattern: re.Pattern[str], what: str, where: str) -> str:
    code = _SUFFIX.sub("", value.strip())
    if not pattern.fullmatch(code):
        raise SourceError(f"{where} har {what} {value!r}, som inte är en giltig kod.")
    return code


def _frame(records: list[tuple[str, str | None, str | None, str]], vintage: str) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=list(CROSSWALK_COLUMNS[:-1]), dtype="str")
    frame["vintage"] = vintage
    for column in CROSSWALK_COLUMNS:
        frame[column] = frame[column].astype("str")
    return frame.sort_values("deso_code", ignore_index=True)


def _check_row(deso: str, kommun: str, seen: set[str], where: str) -> None:
    if kommun and kommun != deso[:4]:
        raise SourceError(f"{where}: DeSO {deso} ligger inte i kommunen {kommun!r}.")
    if deso in seen:
        raise SourceError(f"{where}: DeSO {deso} förekommer två gånger.")
    seen.add(deso)


def parse_key_rows(
    rows: list[list[object]], *, name: str = "kopplingstabellen", vintage: str | None = None
) -> pd.DataFrame:
    """Turn the rows of a key-file sheet (XLSX or CSV) into the crosswalk frame.

    Parameters
    ----------
    rows
        Cells per row, title rows and trailing blank rows included.
    name
        The file name, for messages and to date an undated header.
    vintage
        ``"2018"`` or ``"2025"``; required only when neither header nor file name says.

    Returns
    -------
    pandas.DataFrame
        :data:`sodd.schema.CROSSWALK_COLUMNS`, one row per DeSO, sorted by code;
        ``regso_code`` is null when the file has no RegSO codes (the 2021 file).

    Raises
    ------
    SourceError
        Naming file, row and value when the header, a code or the vintage is wrong.
    """
    where = f"Kopplingstabellen {name}"
    start = _header_index(rows, where)
    header = [_cell(value) for value in rows[start]]
    deso_at, deso_year = _find(header, _DESO_HEADER)
    code_at, code_year = _find(header, _REGSO_CODE_HEADER)
    name_at, _ = _find(header, _REGSO_NAME_HEADER)
    if deso_at is None:
        raise SourceError(f"{where} saknar kolumnen DeSO (rubrikraden är {header}).")
    chosen = _resolve_vintage(deso_year, code_year, vintage, name, where)
    records: list[tuple[str, str | None, str | None, str]] = []
    seen: set[str] = set()
    for number, row in enumerate(rows[start + 1 :], start=start + 2):
        cells = [_cell(value) for value in row]
        if not any(cells):
            continue
        at = f"{where}, rad {number}"
        cells += [""] * (len(header) - len(cells))
        deso = _code(cells[deso_at], _DESO, "DeSO-koden", at)
        regso = _code(cells[code_at], _REGSO, "RegSO-koden", at) if code_at is not None else None
        if regso is not None and regso[:4] != deso[:4]:
            raise SourceError(f"{at}: RegSO {regso} ligger inte i samma kommun som DeSO {deso}.")
        regso_name = cells[name_at] if name_at is not None and cells[name_at] else None
        _check_row(deso, cells[0] if re.fullmatch(r"\d{4}", cells[0]) else "", seen, at)
        records.append((deso, regso, regso_name, deso[:4]))
    if not records:
        raise SourceError(f"{where} har inga rader under rubrikraden.")
    return _frame(records, chosen)


def parse_key_json(
    data: bytes, *, name: str = "kopplingstabellen", vintage: str | None = None
) -> pd.DataFrame:
    """Parse a key file converted to JSON: ``{deso_code: {regso_code, regso_name, …}}``.

    A key ``DeSO_2025`` whose value repeats SCB's column names (left by the conversion)
    says the vintage and is not a row. See :func:`parse_key_rows` for the result.
    """
    where = f"Kopplingstabellen {name}"
    try:
        payload: Any = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(f"{where} är inte giltig JSON: {exc}") from None
    if not isinstance(payload, dict):
        raise SourceError(f"{where} ska vara ett JSON-objekt med DeSO-koder som nycklar.")
    header_year = None
    records: list[tuple[str, str | None, str | None, str]] = []
    seen: set[str] = set()
    for key, item in payload.items():
        match = _DESO_HEADER.match(str(key))
        if match:
            header_year = match.group("year")
            continue
        at = f"{where}, nyckel {key!r}"
        if not isinstance(item, dict):
            raise SourceError(f"{at} ska ha ett JSON-objekt som värde.")
        deso = _code(str(key), _DESO, "DeSO-koden", at)
        raw_regso = item.get("regso_code")
        regso = _code(str(raw_regso), _REGSO, "RegSO-koden", at) if raw_regso else None
        regso_name = str(item["regso_name"]).strip() if item.get("regso_name") else None
        _check_row(deso, _cell(item.get("kommun_code")), seen, at)
        records.append((deso, regso, regso_name, deso[:4]))
    if not records:
        raise SourceError(f"{where} innehåller inga DeSO.")
    return _frame(records, _resolve_vintage(header_year, None, vintage, name, where))


def parse_kopplingstabell(
    data: bytes, *, name: str = "kopplingstabellen", vintage: str | None = None
) -> pd.DataFrame:
    """Parse any variant of SCB's DeSO → RegSO key file (XLSX, CSV or JSON).

    Parameters
    ----------
    data
        The file's bytes.
    name
        The file name, for messages and to date an undated header.
    vintage
        ``"2018"`` or ``"2025"`` when the file does not say.

    Returns
    -------
    pandas.DataFrame
        See :func:`parse_key_rows`.

    Raises
    ------
    SourceError
        When the file cannot be read or its content is not a key file.
    """
    where = f"Kopplingstabellen {name}"
    if data[:2] == b"PK":
        return parse_key_rows(_rows_from_xlsx(data, where), name=name, vintage=vintage)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        return parse_key_json(data, name=name, vintage=vintage)
    return parse_key_rows(_rows_from_csv(data, where), name=name, vintage=vintage)


__all__ = [
    "REGSO_VINTAGE",
    "VINTAGES",
    "parse_key_json",
    "parse_key_rows",
    "parse_kopplingstabell",
]
