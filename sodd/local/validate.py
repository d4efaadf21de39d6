"""Check an upload (or an edited table) of the kommun's own data before anything is stored.

:func:`check_upload` and :func:`check_frame` run the same steps: read, refuse personal
data (:mod:`sodd.local.gdpr`), read every cell, then check the table as a whole
(duplicates, parts above their total, one unit per indicator). Every problem is
collected; the result is a :class:`LocalTable` only when there is none.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from sodd.local import cells as parse
from sodd.local.consistency import DIMS, table_problems
from sodd.local.gdpr import check_personal_numbers, check_table
from sodd.local.problems import LocalDataError, Problem, shown_value
from sodd.local.read import RawTable, Sheet, find_table, read_sheets, table_from_frame
from sodd.local.templates import (
    CHILDREN_VALUES,
    INDICATOR_UNITS,
    INTERVENTION_UNITS,
    INTERVENTION_VALUES,
    SEX_VALUES,
    SITUATION_VALUES,
    TIME_VALUES,
    TOTAL,
    columns,
)
from sodd.upload_limit import upload_too_large

__all__ = ["DIMS", "LocalTable", "check_frame", "check_size", "check_upload", "indicator_id"]


@dataclass(frozen=True)
class LocalTable:
    """A validated table, ready to store (see :func:`sodd.local.store.save_local`).

    Attributes
    ----------
    kind
        ``kartlaggning``, ``insatser`` or ``indikator``.
    rows
        One row per value: ``row`` (the file's row number), the area columns
        (``region_code``, ``level``, ``geo_vintage``, ``kommun_code``), ``period``,
        the kind's dimensions (:data:`DIMS`), ``value``; for ``indikator`` also
        ``name``, ``unit``, ``description``, ``source``.
    filename
        The file's name (``""`` for a table entered in the app).
    ignored
        Headers of columns that were not used.
    """

    kind: str
    rows: pd.DataFrame
    filename: str = ""
    ignored: tuple[str, ...] = field(default=())


def check_size(data: bytes, filename: str, max_mb: int) -> None:
    """Refuse a file larger than ``max_mb`` megabytes, naming its size and the limit.

    Raises
    ------
    LocalDataError
        When the file is too large (the message of :mod:`sodd.upload_limit`).
    """
    message = upload_too_large(len(data), filename, max_mb)
    if message is not None:
        raise LocalDataError([Problem(None, "", "", message)], filename=filename)


def check_upload(data: bytes, filename: str, kind: str, regions: pd.DataFrame | None) -> LocalTable:
    """Read and validate an uploaded file of ``kind``.

    Parameters
    ----------
    data, filename
        The file as uploaded and its name.
    kind
        ``kartlaggning``, ``insatser`` or ``indikator``.
    regions
        The store's region index (codes are checked against it); ``None`` checks
        codes by their shape only.

    Returns
    -------
    LocalTable
        The validated rows.

    Raises
    ------
    PersonalDataError
        When the file looks person-level (checked before anything else is read).
    LocalDataError
        With every problem found (row, column, value, Swedish message).
    """
    sheets = read_sheets(data, filename)
    check_personal_numbers(sheets, filename)
    table = find_table(sheets, kind, filename)
    check_table(table, filename=filename)
    return _validate(table, kind, regions)


def check_frame(frame: pd.DataFrame, kind: str, regions: pd.DataFrame | None) -> LocalTable:
    """Validate a table entered in the app (Swedish headers as columns), like a file."""
    table = table_from_frame(frame, kind)
    check_personal_numbers([Sheet(None, ((table.header_row, table.headers), *table.rows))])
    check_table(table)
    return _validate(table, kind, regions)


def _validate(table: RawTable, kind: str, regions: pd.DataFrame | None) -> LocalTable:
    lookup = parse.RegionLookup(regions)
    problems: list[Problem] = []
    records: list[dict[str, object]] = []
    readers = {**_readers(kind), "region": lookup.find}
    for number, cells in table.rows:
        record: dict[str, object] = {"row": number}
        ok = True
        for column in columns(kind):
            text = table.cell(cells, column.key)
            if not column.required and not text.strip():
                record[column.key] = _default(kind, column.key)
                continue
            try:
                value = readers[column.key](text) if text.strip() else _missing()
            except parse.CellError as error:
                problems.append(Problem(number, table.header_of(column.key),
                                        shown_value(text), str(error)))  # fmt: skip
                ok = False
                continue
            if column.key == "region":
                assert isinstance(value, parse.Area)
                record.update(region_code=value.code, level=value.level,
                              geo_vintage=value.vintage, kommun_code=value.kommun)  # fmt: skip
            else:
                record[column.key] = value
        if ok:
            records.append(record)
    if not table.rows:
        problems.append(Problem(table.header_row, "", "", "Filen har rubriker men inga rader."))
    rows = pd.DataFrame(records)
    if not rows.empty:
        if kind == "indikator":
            rows["indicator_id"] = rows["name"].map(indicator_id)
        problems += table_problems(kind, rows, table)
    if problems:
        problems.sort(key=lambda p: (p.row or 0, p.column))
        raise LocalDataError(problems, filename=table.filename)
    return LocalTable(kind, rows.reset_index(drop=True), table.filename, table.ignored)


def _missing() -> object:
    raise parse.CellError("Värdet saknas.")


def _default(kind: str, key: str) -> str:
    return "antal" if key == "enhet" else TOTAL


def _readers(kind: str) -> dict[str, Callable[[str], object]]:
    readers: dict[str, Callable[[str], object]] = {}
    if kind == "kartlaggning":
        readers = {
            "period": parse.parse_year,
            "situation": lambda t: parse.parse_choice(t, SITUATION_VALUES, "situation (1–4)"),
            "kon": lambda t: parse.parse_choice(t, SEX_VALUES, "uppgift om kön"),
            "alder": parse.parse_age_band,
            "barn": lambda t: parse.parse_choice(t, CHILDREN_VALUES, "uppgift om barn"),
            "tid": lambda t: parse.parse_choice(t, TIME_VALUES, "tid i hemlöshet"),
            "value": parse.parse_count,
        }
    elif kind == "insatser":
        readers = {
            "period": parse.parse_period,
            "insats": lambda t: parse.parse_choice(t, INTERVENTION_VALUES, "insats"),
            "enhet": lambda t: parse.parse_choice(t, INTERVENTION_UNITS, "enhet"),
            "value": parse.parse_count,
        }
    else:
        readers = {
            "period": parse.parse_year,
            "name": _text(80),
            "value": parse.parse_float,
            "unit": lambda t: parse.parse_choice(t, INDICATOR_UNITS, "enhet"),
            "description": _text(1000),
            "source": _text(300),
        }
    return readers


def _text(limit: int) -> Callable[[str], object]:
    def read(text: str) -> str:
        cleaned = " ".join(text.split())
        if len(cleaned) > limit:
            raise parse.CellError(f"Texten är för lång (högst {limit} tecken).")
        return cleaned

    return read


def indicator_id(name: str) -> str:
    """The id of an own indicator: ``lokal_`` and its name folded to ``a-z0-9_``."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "_", plain).strip("_")[:50].rstrip("_")
    return f"lokal_{slug or 'indikator'}"
