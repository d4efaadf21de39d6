"""Damaged Excel files end in the documented error, never in zlib's or the XML parser's.

`make bench`'s fuzzing found .xlsx files whose zip directory is intact but whose deflate
stream is broken: openpyxl raised zlib.error, past every reader's error handling.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import openpyxl
import pytest

from sodd.errors import SoddError
from sodd.local.read import read_sheets as read_local
from sodd.sources.scb_keys import parse_kopplingstabell
from sodd.sources.tabular import read_sheets as read_agency


def _workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Kommun", "Kommunnamn", "DeSO_2025", "RegSOkod_2025", "RegSO_2025"])
    for number in range(1, 200):
        sheet.append(["1780", "Karlstad", f"1780C{number:04d}", "17800001", f"Område {number}"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _damaged(member: str, offset: int) -> bytes:
    """The workbook with bytes flipped inside one member's compressed data."""
    data = bytearray(_workbook())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(member)
    # Local header: 30 bytes + name + extra field, then the compressed data.
    name_length = int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_length = int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    position = start + min(offset, info.compress_size - 1)
    for index in range(position, min(position + 4, start + info.compress_size)):
        data[index] ^= 0xA5
    return bytes(data)


READERS: dict[str, Callable[[bytes], object]] = {
    "agency file": lambda data: read_agency(data, "fil.xlsx"),
    "own data upload": lambda data: read_local(data, "fil.xlsx"),
    "key table": lambda data: parse_kopplingstabell(data, name="koppling-deso2025-regso2025.xlsx"),
}


@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize(
    "member", ["xl/worksheets/sheet1.xml", "docProps/app.xml", "xl/styles.xml"]
)
@pytest.mark.parametrize("offset", [0, 7, 40])
def test_broken_deflate_streams_give_the_documented_error(
    reader: str, member: str, offset: int
) -> None:
    data = _damaged(member, offset)
    try:
        READERS[reader](data)
    except SoddError as error:
        assert "fil" in str(error).lower() or "koppling" in str(error).lower()
    # Reading may also succeed when the damaged part is one openpyxl does not need.
