"""Notes in every export: a separate, marked section where hostile text stays plain text."""

from __future__ import annotations

import csv
import io
import re
import tempfile
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import docx
import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio
import pytest
from pypdf import PdfReader
from shapely.geometry import box

from sodd.export import ExportContext, build_export_context, render
from sodd.indicators.catalog import load_catalog
from sodd.notes import Note, new_note
from sodd.notes_store import add_note
from sodd.profile import AreaProfile, build_area_profile
from sodd.schema import INDICATOR_VALUE_COLUMNS
from sodd.store import Store

AREA = "1780C1010"
HEADING = "Lokala iakttagelser (inte statistik)"
PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "**bold** [link](javascript:alert(1))",
    "Tom &amp; Jerry",
    '=HYPERLINK("http://x","klicka")',
    "summa;=1+1",
)

REGIONS = gpd.GeoDataFrame(
    {
        "region_code": [AREA, "1780", "00"],
        "geo_vintage": ["2025", None, None],
        "level": ["deso", "kommun", "riket"],
        "name": ["Centrum", "Karlstad", "Riket"],
        "kommun_code": ["1780", "1780", None],
        "lan_code": ["17", "17", None],
        "parent_code": ["1780", "17", None],
    },
    geometry=[box(13.50, 59.37, 13.52, 59.39), box(13.3, 59.2, 13.8, 59.6), None],
    crs="EPSG:4326",
)
VALUES = pd.DataFrame(
    [
        ("lag_ekonomisk_standard", AREA, "2025", "deso", "2023", 21.0, None, None, None, "scb:T"),
        ("lag_ekonomisk_standard", "1780", "", "kommun", "2023", 14.0, None, None, None, "scb:T"),
    ],
    columns=list(INDICATOR_VALUE_COLUMNS),
)


def _notes() -> tuple[Note, ...]:
    return tuple(
        new_note(
            AREA,
            "deso",
            "trygghet",
            text,
            signature=f"<b>sign{i}</b>",
            geo_vintage="2025",
            now=datetime(2026, 11, 30, 10, i, tzinfo=UTC),  # listed in this order
        )
        for i, text in enumerate(PAYLOADS)
    )


@pytest.fixture(scope="module")
def profile() -> AreaProfile:
    return build_area_profile(AREA, "deso", REGIONS, VALUES, load_catalog(), geo_vintage="2025")


@pytest.fixture(scope="module")
def context() -> ExportContext:
    return ExportContext(
        area_geometry=REGIONS.geometry.iloc[0],
        kommun_geometry=REGIONS.geometry.iloc[1],
        notes=_notes(),
    )


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_html_shows_notes_as_text_and_injects_no_element(profile, context):
    parser = _Collector()
    parser.feed(render(profile, context, "html").decode("utf-8"))
    assert not {"script", "img", "b", "strong", "a"} & set(parser.tags)
    text = "\n".join(parser.text)
    assert HEADING in text
    for payload in PAYLOADS:
        assert payload in text
    assert "<b>sign0</b>" in text


def test_pdf_shows_notes_as_literal_text(profile, context):
    reader = PdfReader(io.BytesIO(render(profile, context, "pdf")))
    text = _flat("".join(page.extract_text() for page in reader.pages))
    assert _flat(HEADING) in text
    for payload in PAYLOADS:
        assert _flat(payload) in text
    assert _flat("<b>sign0</b>") in text


def test_docx_shows_notes_in_their_own_table(profile, context):
    document = docx.Document(io.BytesIO(render(profile, context, "docx")))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert HEADING in headings
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for payload in PAYLOADS:
        assert payload in cells
    assert "<b>sign0</b>" in cells


def test_xlsx_has_a_notes_sheet_with_text_cells_only(profile, context):
    book = openpyxl.load_workbook(io.BytesIO(render(profile, context, "xlsx")))
    sheet = book["Lokala iakttagelser"]
    assert sheet["A1"].value == HEADING
    texts = [row[2] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert texts == list(PAYLOADS)
    # The "=HYPERLINK" note is a string, not a formula Excel would run.
    assert all(cell.data_type == "s" for cell in sheet["C"][3:])


def test_csv_keeps_notes_in_comment_lines_and_the_table_parseable(profile, context):
    text = render(profile, context, "csv").decode("utf-8-sig")
    meta = [line for line in text.splitlines() if line.startswith("#")]
    body = [line for line in text.splitlines() if not line.startswith("#")]
    notes = [line for line in meta if line.startswith(f"# {HEADING}:")]
    assert len(notes) == len(PAYLOADS)
    for payload in PAYLOADS[:5]:
        assert any(payload in line for line in notes)
    # Excel splits at ";": the cell after it starts with a quote, never with "=".
    assert any("summa;'=1+1" in line for line in notes)
    rows = list(csv.DictReader(body, delimiter=";"))
    assert [row["Indikator-id"] for row in rows if row["Indikator-id"]]


def test_gpkg_has_a_table_of_notes(profile, context):
    data = render(profile, context, "gpkg")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.gpkg"
        path.write_bytes(data)
        layers = [name for name, _ in pyogrio.list_layers(path)]
        notes = pyogrio.read_dataframe(path, layer="lokala_iakttagelser")
    assert "lokala_iakttagelser" in layers
    assert notes["text"].tolist() == list(PAYLOADS)
    assert set(notes["typ"]) == {HEADING}


def test_without_notes_no_section_is_added(profile):
    plain = ExportContext(area_geometry=REGIONS.geometry.iloc[0])
    assert HEADING not in render(profile, plain, "html").decode("utf-8")
    book = openpyxl.load_workbook(io.BytesIO(render(profile, plain, "xlsx")))
    assert "Lokala iakttagelser" not in book.sheetnames


def test_build_export_context_reads_the_areas_notes_from_the_store(tmp_path, profile):
    store = Store(tmp_path)
    with store.transaction() as tx:
        tx.write("scb__deso", "regions", REGIONS, provider="scb", title="Områden")
    mine = add_note(store, AREA, "deso", "boende", "Trångt", geo_vintage="2025")
    add_note(store, "1780", "kommun", "service", "Inte detta område")
    context = build_export_context(profile, store.manifest(), REGIONS, store=store)
    assert context.notes == (mine,)
    assert build_export_context(profile, store.manifest(), REGIONS).notes == ()
