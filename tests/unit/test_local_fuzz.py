"""Property tests of the local-data import: any bytes give a table or a documented error.

Random cells (numbers in Swedish and other spellings, codes, words, personal-number
shapes), random encodings and separators, junk rows and truncated files: the import
returns a checked table or raises LocalDataError/PersonalDataError, never anything
else; and when it raises, the store is exactly as it was.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import openpyxl
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from sodd.local import LocalDataError, LocalTable, PersonalDataError, check_upload, save_local
from sodd.local.templates import KINDS, headers, template_csv
from sodd.store import Store
from tests.unit.local_helpers import REGIONS

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

cells = st.one_of(
    st.sampled_from(["1780", "1715", "1780C1010", "9999", "2024", "2024-03", "totalt", "män",
                     "kvinnor", "1", "3", "65+", "18–24", "med barn", "Bostad först", "antal",
                     "12,5", "1 234", "-4", "2,5", "", "..", "800101-1234", "Anna Svensson"]),
    st.text(max_size=12),
    st.integers(-10, 10_000).map(str),
)  # fmt: skip
kinds = st.sampled_from(KINDS)


@st.composite
def tables(draw: st.DrawFn) -> tuple[str, list[list[str]]]:
    kind = draw(kinds)
    header = list(headers(kind))
    if draw(st.booleans()):
        header = draw(st.permutations(header))
    if draw(st.booleans()):
        header = [h.upper() if draw(st.booleans()) else h for h in header]
    width = len(header)
    body = draw(st.lists(st.lists(cells, min_size=width, max_size=width), max_size=6))
    junk = draw(st.lists(st.lists(cells, min_size=0, max_size=width + 2), max_size=2))
    rows = [*junk, header, *body] if draw(st.booleans()) else [header, *body, *junk]
    return kind, rows


def _csv(rows: list[list[str]], separator: str, encoding: str) -> bytes:
    text = "\n".join(separator.join(row) for row in rows) + "\n"
    return text.encode(encoding, errors="replace")


def _xlsx(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _check(data: bytes, filename: str, kind: str) -> LocalTable | None:
    try:
        return check_upload(data, filename, kind, REGIONS)
    except (LocalDataError, PersonalDataError) as error:
        assert str(error)  # a message for the user
        return None


@st.composite
def upload_files(draw: st.DrawFn) -> tuple[bytes, str, str]:
    """A random upload: CSV (any separator, encoding) or XLSX, maybe cut or bit-flipped."""
    kind, rows = draw(tables())
    if draw(st.booleans()):
        separator = draw(st.sampled_from([";", ",", "\t"]))
        encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
        data, name = _csv(rows, separator, encoding), "fil.csv"
    else:
        data, name = _xlsx(rows), "fil.xlsx"
    buffer = bytearray(data)
    for position, value in draw(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)),
                                         max_size=3)):  # fmt: skip
        if buffer:
            buffer[position % len(buffer)] = value
    cut = draw(st.one_of(st.none(), st.integers(0, len(buffer))))
    return bytes(buffer if cut is None else buffer[:cut]), name, kind


def check_upload_file(value: tuple[bytes, str, str]) -> None:
    """The check of one upload ends in a table or a documented error (bench/fuzz.py too)."""
    data, name, kind = value
    _check(data, name, kind)


@FUZZ
@given(
    table=tables(),
    separator=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    cut=st.one_of(st.none(), st.integers(0, 400)),
)
def test_random_csv_files_never_crash(
    table: tuple[str, list[list[str]]], separator: str, encoding: str, cut: int | None
) -> None:
    kind, rows = table
    data = _csv(rows, separator, encoding)
    _check(data if cut is None else data[:cut], "fil.csv", kind)


@FUZZ
@given(table=tables(), cut=st.one_of(st.none(), st.integers(0, 3000)))
def test_random_xlsx_files_never_crash(table: tuple[str, list[list[str]]], cut: int | None) -> None:
    kind, rows = table
    data = _xlsx(rows)
    _check(data if cut is None else data[:cut], "fil.xlsx", kind)


@FUZZ
@given(upload_files())
def test_random_damaged_uploads_never_crash(value: tuple[bytes, str, str]) -> None:
    check_upload_file(value)


@FUZZ
@given(data=st.binary(max_size=300), kind=kinds, name=st.sampled_from(["a.csv", "a.xlsx", "a"]))
def test_arbitrary_bytes_never_crash(data: bytes, kind: str, name: str) -> None:
    _check(data, name, kind)


@settings(FUZZ, max_examples=25)
@given(
    kind=kinds,
    flips=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=4),
    junk=st.lists(cells, max_size=4),
)
def test_failed_checks_never_change_the_store(
    kind: str, flips: list[tuple[int, int]], junk: list[str]
) -> None:
    data = bytearray(template_csv(kind, "1780") + (";".join(junk) + "\n").encode())
    for position, byte in flips:
        data[position % len(data)] = byte
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder))
        save_local(store, check_upload(template_csv(kind, "1780"), "m.csv", kind, REGIONS),
                   disclosure_min=5)  # fmt: skip
        before = store.manifest()
        table = _check(bytes(data), "fil.csv", kind)
        if table is None:
            assert store.manifest() == before
        else:
            save_local(store, table, disclosure_min=5)
            stored = store.read("observations", dataset_ids=[f"kommun__{kind}"])
            assert len(stored) >= len(table.rows)
            assert isinstance(stored, pd.DataFrame)
