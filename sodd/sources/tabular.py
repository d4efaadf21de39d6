"""Read agencies' CSV and Excel files into plain rows of cells, tolerant of their habits.

The file layouts of Kronofogden, Boverket and Socialstyrelsen are not verified
(data-sources §6, §7, §9.1), and the same table reaches users as CSV saved from Excel
(Windows-1252, semicolons, decimal commas, thousands spaces) or as the agency's own
XLSX. This module turns bytes into rows (and :func:`fetch_file` downloads a file when
the user gives a URL); :mod:`sodd.sources.tabular_match` finds the header and columns.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from sodd.errors import SourceError
from sodd.sources.http import RetryPolicy, make_session, request_with_retries

# What openpyxl raises on a damaged .xlsx, on opening or first while rows are read: a bad
# zip, a missing part, a broken deflate stream (zlib.error), broken XML (SyntaxError
# covers ElementTree's and lxml's parse errors), odd cell types.
UNREADABLE_XLSX: Final = (
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    OSError,
    TypeError,
    EOFError,
    zlib.error,
    SyntaxError,
)


Cell = str | float | None

# Excel saves CSV as Windows-1252 on Swedish Windows; UTF-8 (with or without BOM) is what
# every other tool writes. Latin-1 never fails, so it would hide a wrong guess.
_ENCODINGS: Final = ("utf-8-sig", "cp1252")
_DELIMITERS: Final = (";", ",", "\t")
_SPACES: Final = re.compile(r"[\s\u00a0\u202f\u2009']+")
_NUMBER: Final = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")
_DOT_THOUSANDS: Final = re.compile(r"[+-]?\d{1,3}(\.\d{3})+,\d+")
_COMMA_THOUSANDS: Final = re.compile(r"[+-]?\d{1,3}(,\d{3})+\.\d+")


@dataclass(frozen=True)
class RawSheet:
    """One sheet of a file (a CSV file has one) as rows of cells.

    Attributes
    ----------
    filename
        Name of the file the rows came from (for messages).
    sheet
        Sheet name of an XLSX file, ``None`` for CSV.
    rows
        Rows of cells: text (stripped), a number, or ``None`` for an empty cell.
    """

    filename: str
    sheet: str | None
    rows: tuple[tuple[Cell, ...], ...]

    @property
    def where(self) -> str:
        """``fil.xlsx, blad "Kommun"`` or ``fil.csv``, for messages."""
        return f'{self.filename}, blad "{self.sheet}"' if self.sheet else self.filename


def read_sheets(data: bytes, filename: str) -> list[RawSheet]:
    """Read a CSV or XLSX file into sheets of rows.

    Parameters
    ----------
    data
        The file's bytes.
    filename
        Its name; ``.xlsx``/``.xlsm`` is read as Excel, anything else as CSV (an XLSX
        file with another name is recognised by its zip signature).

    Returns
    -------
    list of RawSheet
        One per non-empty sheet, in file order.

    Raises
    ------
    SourceError
        When the file is empty, an old ``.xls`` file, or not readable as either format.
    """
    if not data.strip():
        raise SourceError(f"Filen {filename} är tom.")
    lower = filename.lower()
    if lower.endswith(".xls") or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise SourceError(
            f"Filen {filename} är i det gamla Excel-formatet (.xls). Spara den som .xlsx "
            "eller CSV och försök igen."
        )
    if lower.endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, filename)
    return [_read_csv(data, filename)]


def fetch_file(url: str, *, policy: RetryPolicy | None = None) -> tuple[bytes, str]:
    """Download an agency's file: its bytes and a file name taken from the URL.

    Raises
    ------
    SourceError
        When the server answers with an error or cannot be reached (after retries).
    """
    response = request_with_retries(
        make_session(), "GET", url, policy=policy or RetryPolicy(), what=f"filen {url}"
    )
    name = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1] or "fil"
    return response.content, name


def decode_text(data: bytes, filename: str) -> str:
    """Decode CSV bytes as UTF-8 (BOM allowed) or else Windows-1252.

    Raises
    ------
    SourceError
        When neither encoding fits.
    """
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SourceError(
        f"Filen {filename} går inte att läsa som text (varken UTF-8 eller Windows-1252)."
    )


def _read_csv(data: bytes, filename: str) -> RawSheet:
    text = decode_text(data, filename)
    lines = [line for line in text.splitlines() if line.strip()]
    best: list[list[str]] = []
    best_score = (-1, 0)
    for delimiter in _DELIMITERS:
        rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
        widths = [len(row) for row in rows[:50] if any(cell.strip() for cell in row)]
        # The right delimiter splits most lines into the same number (> 1) of cells.
        common = max(set(widths), key=widths.count) if widths else 0
        score = (widths.count(common) if common > 1 else 0, common)
        if score > best_score:
            best, best_score = rows, score
    cells = tuple(tuple(_text_cell(cell) for cell in row) for row in best)
    return RawSheet(filename, None, cells)


def _text_cell(text: str) -> Cell:
    text = text.strip()
    return text or None


def _read_xlsx(data: bytes, filename: str) -> list[RawSheet]:
    import openpyxl  # imported here: only file imports need it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except UNREADABLE_XLSX as error:
        raise SourceError(
            f"Filen {filename} går inte att läsa som Excel (.xlsx): {error}"
        ) from None
    sheets: list[RawSheet] = []
    try:
        for worksheet in book.worksheets:
            rows = tuple(
                tuple(_excel_cell(value) for value in row)
                for row in worksheet.iter_rows(values_only=True)
            )
            rows = tuple(row for row in rows if any(cell is not None for cell in row))
            if rows:
                sheets.append(RawSheet(filename, worksheet.title, rows))
    except UNREADABLE_XLSX as error:
        raise SourceError(f"Excelfilen {filename} är skadad: {error}") from None
    finally:
        book.close()
    if not sheets:
        raise SourceError(f"Excelfilen {filename} har inga ifyllda blad.")
    return sheets


def _excel_cell(value: object) -> Cell:
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return _text_cell(str(value))


def normalise_header(text: object) -> str:
    """Fold a header for matching: lower case, å/ä/ö → a/a/o, punctuation → single spaces.

    ``"Verkställda  avhysningar (antal)"`` and ``"VERKSTALLDA_AVHYSNINGAR antal"`` both
    become ``"verkstallda avhysningar antal"``.
    """
    folded = unicodedata.normalize("NFKD", str(text).casefold())
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    plain = plain.replace("æ", "a").replace("ø", "o")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def parse_number(cell: Cell) -> tuple[float | None, str | None]:
    """Read a value cell: ``(value, None)`` for a number, ``(None, symbol)`` otherwise.

    Accepts decimal commas, thousands separators (spaces, no-break spaces, apostrophes)
    and the typographic minus. An empty cell gives ``(None, "..")``; any other text
    (``..``, ``.``, ``-``, ``x``, ``<5``) is kept as the published symbol.
    """
    if cell is None:
        return None, ".."
    if isinstance(cell, float):
        return cell, None
    text = _SPACES.sub("", cell.replace("\u2212", "-").replace("\u2013", "-"))
    text = text.removesuffix("%")
    if _DOT_THOUSANDS.fullmatch(text):  # 1.234,5 (a lone "12.345" stays a decimal point)
        text = text.replace(".", "")
    elif _COMMA_THOUSANDS.fullmatch(text):  # 1,234.5
        text = text.replace(",", "")
    if _NUMBER.fullmatch(text):
        return float(text.replace(",", ".")), None
    return None, cell.strip()


def parse_year(cell: Cell) -> str | None:
    """A reference year from a cell (``2023``, ``2023.0``, ``"2023"``, ``"År 2023"``)."""
    if cell is None:
        return None
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() and 1900 <= cell <= 2100 else None
    match = re.search(r"(?<!\d)(19\d\d|20\d\d|2100)(?!\d)", cell)
    return match.group(1) if match else None
