"""Read an uploaded CSV or XLSX file into rows of text cells, keeping the user's row numbers.

CSV: UTF-8 (with or without BOM) or Windows-1252 (what Excel saves on Swedish Windows),
separated by ``;``, ``,`` or tab (whichever the header line uses most). XLSX: every sheet;
the one whose header row names most of the kind's columns is used. Row numbers are the
file's own (line or Excel row), so a message can point at the right place.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

import pandas as pd

from sodd.local.problems import LocalDataError, Problem
from sodd.local.templates import Column, columns
from sodd.sources.tabular import UNREADABLE_XLSX

_ENCODINGS: Final = ("utf-8-sig", "cp1252")
_SEPARATORS: Final = (";", ",", "\t")
# The header may come after a few title lines; it is looked for this far down.
_HEADER_SEARCH: Final = 30


@dataclass(frozen=True)
class Sheet:
    """One sheet of a file (a CSV file has one): numbered rows of text cells."""

    name: str | None
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (row number, cells); empty rows left out


@dataclass(frozen=True)
class RawTable:
    """The table of one kind found in a file: header, matched columns and data rows.

    Attributes
    ----------
    filename, sheet
        Where it came from.
    header_row
        Row number of the header.
    headers
        Headers as written.
    matched
        Column key → index of the file's column.
    ignored
        Headers of columns not used.
    rows
        ``(row number, cells)`` of every non-empty row below the header.
    """

    filename: str
    sheet: str | None
    header_row: int
    headers: tuple[str, ...]
    matched: dict[str, int]
    ignored: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]

    def cell(self, cells: tuple[str, ...], key: str) -> str:
        """The text of column ``key`` in a row (``""`` when the column is absent)."""
        index = self.matched.get(key)
        if index is None or index >= len(cells):
            return ""
        return cells[index]

    def header_of(self, key: str) -> str:
        """The file's header of column ``key``."""
        index = self.matched.get(key)
        return self.headers[index] if index is not None else key


def read_sheets(data: bytes, filename: str) -> list[Sheet]:
    """Read a CSV or XLSX file into sheets of numbered text rows.

    Raises
    ------
    LocalDataError
        When the file is empty, an old .xls file, not text in a known encoding, or a
        damaged Excel file.
    """
    if not data.strip():
        raise LocalDataError([Problem(None, "", "", "Filen är tom.")], filename=filename)
    lower = filename.lower()
    if lower.endswith(".xls") or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise LocalDataError(
            [Problem(None, "", "", "Det gamla Excel-formatet (.xls) kan inte läsas. "
                     "Spara filen som .xlsx eller CSV.")],
            filename=filename,
        )  # fmt: skip
    if lower.endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, filename)
    return [_read_csv(data, filename)]


def decode(data: bytes, filename: str) -> str:
    """Decode CSV bytes as UTF-8 (BOM allowed) or else Windows-1252.

    Raises
    ------
    LocalDataError
        Naming the row of the first byte neither encoding can read.
    """
    first_error: UnicodeDecodeError | None = None
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as error:
            first_error = first_error or error
    assert first_error is not None
    bad = first_error.start
    row = data[:bad].count(b"\n") + 1
    raise LocalDataError(
        [Problem(row, "", f"byte 0x{data[bad]:02X}", "Filen går inte att läsa som text "
                 "(varken UTF-8 eller Windows-1252). Spara den som CSV UTF-8 eller .xlsx.")],
        filename=filename,
    )  # fmt: skip


def _read_csv(data: bytes, filename: str) -> Sheet:
    text = decode(data, filename).replace("\x00", "")
    lines = text.splitlines()
    header_line = next((line for line in lines[:_HEADER_SEARCH] if line.strip()), "")
    # The separator the header line uses most; a one-column file gets ";".
    separator = max(_SEPARATORS, key=header_line.count)
    rows: list[tuple[int, tuple[str, ...]]] = []
    try:
        # One line at a time: a quoted cell spanning lines would shift every row number.
        for number, line in enumerate(lines, start=1):
            for cells in csv.reader([line], delimiter=separator):
                stripped = tuple(cell.strip() for cell in cells)
                if any(stripped):
                    rows.append((number, stripped))
    except csv.Error as error:
        raise LocalDataError(
            [Problem(number, "", "", f"Raden går inte att läsa som CSV ({error}).")],
            filename=filename,
        ) from None
    return Sheet(None, tuple(rows))


def _read_xlsx(data: bytes, filename: str) -> list[Sheet]:
    import openpyxl  # imported here: only uploads need it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except UNREADABLE_XLSX as error:
        raise LocalDataError(
            [Problem(None, "", "", f"Filen går inte att läsa som Excel (.xlsx): {error}")],
            filename=filename,
        ) from None
    sheets: list[Sheet] = []
    try:
        for worksheet in book.worksheets:
            rows = []
            for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
                cells = tuple(_excel_text(value) for value in row)
                if any(cells):
                    rows.append((number, cells))
            if rows:
                sheets.append(Sheet(worksheet.title, tuple(rows)))
    except UNREADABLE_XLSX as error:
        raise LocalDataError(
            [Problem(None, "", "", f"Excelfilen är skadad: {error}")], filename=filename
        ) from None
    finally:
        book.close()
    if not sheets:
        raise LocalDataError([Problem(None, "", "", "Excelfilen har inga ifyllda blad.")],
                             filename=filename)  # fmt: skip
    return sheets


def _excel_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def find_table(sheets: list[Sheet], kind: str, filename: str) -> RawTable:
    """Find the header row naming most of ``kind``'s columns, in any sheet.

    Raises
    ------
    LocalDataError
        When a required column is missing; the message lists the expected and the
        found headers.
    """
    wanted = columns(kind)
    best: tuple[int, Sheet, int] | None = None  # (columns matched, sheet, row position)
    for sheet in sheets:
        for position, (_, cells) in enumerate(sheet.rows[:_HEADER_SEARCH]):
            score = len(_match(cells, wanted))
            if best is None or score > best[0]:
                best = (score, sheet, position)
    if best is None:
        raise LocalDataError([Problem(None, "", "", "Filen har inga rader.")], filename=filename)
    _, sheet, position = best
    header_row, header_cells = sheet.rows[position]
    matched = _match(header_cells, wanted)
    missing = [column.header for column in wanted if column.required and column.key not in matched]
    if missing:
        found = ", ".join(f'"{cell}"' for cell in header_cells if cell) or "inga"
        raise LocalDataError(
            [Problem(header_row, name, "", f"Kolumnen saknas. Rubrikerna som hittades: {found}.")
             for name in missing],
            filename=filename,
        )  # fmt: skip
    used = set(matched.values())
    ignored = tuple(cell for i, cell in enumerate(header_cells) if cell and i not in used)
    return RawTable(
        filename=filename,
        sheet=sheet.name,
        header_row=header_row,
        headers=header_cells,
        matched=matched,
        ignored=ignored,
        rows=sheet.rows[position + 1 :],
    )


def _match(cells: tuple[str, ...], wanted: tuple[Column, ...]) -> dict[str, int]:
    """Column key → index of the best-matching header (lowest alias priority wins)."""
    matched: dict[str, tuple[int, int]] = {}
    taken: set[int] = set()
    for column in wanted:
        for index, cell in enumerate(cells):
            priority = column.accepts(cell) if cell else None
            if priority is None or index in taken:
                continue
            if column.key not in matched or priority < matched[column.key][0]:
                matched[column.key] = (priority, index)
        if column.key in matched:
            taken.add(matched[column.key][1])
    return {key: index for key, (_, index) in matched.items()}


def table_from_frame(frame: pd.DataFrame, kind: str) -> RawTable:
    """The same table from an in-app editor: row 1 is the header, data from row 2.

    Raises
    ------
    LocalDataError
        When a required column is missing.
    """
    header = tuple(str(name) for name in frame.columns)
    body = []
    for number, values in enumerate(frame.itertuples(index=False), start=2):
        cells = tuple("" if _missing(value) else _excel_text(value) for value in values)
        if any(cells):
            body.append((number, cells))
    return find_table([Sheet(None, ((1, header), *body))], kind, "")


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False
