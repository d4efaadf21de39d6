"""The peer area and change columns in every export format, and the trend charts."""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import docx
import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader

import sodd.export.pdf
from sodd.export import ExportContext, build_export_context, render
from sodd.export.chart_data import chart_rows, segments, series_of, table_rows
from sodd.export.cli import load_profile, main
from sodd.export.csv import parse_exact
from sodd.export.html_charts import chart_svg
from sodd.profile import AreaProfile
from sodd.profile_trends import change_text
from sodd.store import Store

AREA, PEER = "1780X0010", "1715X0010"
PEER_NAME = "Kil (Centrum) – område 1"


@pytest.fixture(scope="module")
def exported(demo_store_dir: Path) -> tuple[AreaProfile, ExportContext, pd.DataFrame]:
    store = Store(demo_store_dir)
    profile, regions = load_profile(store, AREA, "deso", None, PEER)
    stored = store.read("indicator_values", filters=[("region_code", "==", PEER)])
    return profile, build_export_context(profile, store.manifest(), regions), stored


def _stored(stored: pd.DataFrame, indicator: str, period: str) -> float:
    match = stored.loc[(stored["indicator_id"] == indicator) & (stored["period"] == period)]
    return float(match["value"].iloc[0])


def _peer_rows(profile: AreaProfile) -> list[tuple[str, str, float]]:
    found = []
    for row in profile.rows():
        peer = row.comparators.get("peer")
        if peer is not None and peer.value is not None:
            found.append((row.indicator.id, peer.period, peer.value))
    return found


def test_cli_resolves_the_peer_by_code_and_by_key(
    demo_store_dir: Path, exported: tuple[AreaProfile, ExportContext, pd.DataFrame]
) -> None:
    by_code = exported[0]  # loaded with the plain code
    by_key, _ = load_profile(Store(demo_store_dir), AREA, "deso", None, f"deso:2025:{PEER}")
    assert by_code.peer == by_key.peer and by_code.peer is not None
    assert by_code.peer.name == PEER_NAME
    assert len(_peer_rows(by_code)) >= 20


def test_csv_and_xlsx_peer_columns_equal_the_store(
    exported: tuple[AreaProfile, ExportContext, pd.DataFrame],
) -> None:
    profile, context, stored = exported
    text = render(profile, context, "csv").decode("utf-8-sig")
    body = [line for line in text.splitlines() if not line.startswith("#")]
    rows = {r["Indikator-id"]: r for r in csv.DictReader(body, delimiter=";")}
    book = openpyxl.load_workbook(io.BytesIO(render(profile, context, "xlsx")))
    sheet = list(book["Data"].iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(sheet) if r[0] == "Tema")
    header = list(sheet[header_at])
    records = {r[1]: dict(zip(header, r, strict=True)) for r in sheet[header_at + 1 :]}
    for indicator, period, _ in _peer_rows(profile):
        expected = _stored(stored, indicator, period)
        assert parse_exact(rows[indicator]["Jämförelseområdet"]) == expected
        assert rows[indicator]["Jämförelseområdets kod"] == PEER
        assert rows[indicator]["Jämförelseområde"] == PEER_NAME
        # openpyxl writes 15–17 significant digits, what Excel keeps.
        assert records[indicator]["Jämförelseområdet"] == pytest.approx(expected, rel=1e-14)
    assert "# Jämförelseområde: Kil (Centrum) – område 1 (1715X0010)" in text
    changes = {r["Förändring"] for r in rows.values()}
    assert "ingen säker förändring" in changes or any("ökat" in c for c in changes)


def test_gpkg_has_peer_columns(exported: tuple[AreaProfile, ExportContext, pd.DataFrame]) -> None:
    profile, context, stored = exported
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.gpkg"
        path.write_bytes(render(profile, context, "gpkg"))
        area = gpd.read_file(path, layer="omrade")
    assert area.loc[0, "jamfor_kod"] == PEER and area.loc[0, "jamfor_namn"] == PEER_NAME
    for indicator, period, _ in _peer_rows(profile):
        assert area.loc[0, f"{indicator}_jamfor"] == _stored(stored, indicator, period)
    row = next(r for r in profile.rows() if r.indicator.id == "folkmangd")
    assert area.loc[0, "folkmangd_forandring"] == change_text(row.change, arrow=False)


def test_documents_have_the_peer_column(
    exported: tuple[AreaProfile, ExportContext, pd.DataFrame],
) -> None:
    profile, context, _ = exported
    column = f"Jämförelseområde: {PEER_NAME}"
    document = docx.Document(io.BytesIO(render(profile, context, "docx")))
    assert all(table.rows[0].cells[5].text == column for table in document.tables[:5])
    assert all(table.rows[0].cells[-1].text == "Förändring" for table in document.tables[:5])
    html = render(profile, context, "html").decode("utf-8")
    assert f'<th scope="col">{column}</th>' in html
    pdf = "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(render(profile, context, "pdf"))).pages
    )
    assert "Jämförelse-\nområde: Kil" in pdf and "Förändring" in pdf


def test_pdf_has_trend_charts_with_captions_and_values(
    exported: tuple[AreaProfile, ExportContext, pd.DataFrame],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    profile, context, _ = exported
    chosen = chart_rows(profile)
    assert chosen and all(len(rows) <= 2 for _, rows in chosen)
    reader = PdfReader(io.BytesIO(render(profile, context, "pdf")))
    # pypdf gives the no-break space of "1 425" as a plain space.
    text = "\n".join(page.extract_text() for page in reader.pages).replace("\xa0", " ")
    assert "Utveckling över tid" in text
    row = chosen[0][1][0]
    assert f"{row.indicator.name('sv')} (" in text
    # The chart's table: every value in Swedish format, as in the chart.
    for line in table_rows(row, profile, "sv")[1:3]:
        assert all(cell.replace("\xa0", " ") in text for cell in line if cell)
    # Vector lines: the charts add many path-drawing operators to the pages.
    monkeypatch.setattr(sodd.export.pdf, "chart_flowables", lambda *args: [])
    plain = PdfReader(io.BytesIO(render(profile, context, "pdf")))
    assert "Utveckling över tid" not in plain.pages[-1].extract_text()

    def strokes(pdf: PdfReader) -> int:
        line_to = re.compile(rb"-?[\d.]+ -?[\d.]+ l(?=\s)")
        return sum(len(line_to.findall(page.get_contents().get_data())) for page in pdf.pages)

    assert strokes(reader) > strokes(plain) + 50


def test_gaps_are_gaps_never_zero() -> None:
    runs = segments([("2019", 1.0), ("2020", None), ("2021", 3.0), ("2022", 4.0)])
    assert runs == [[(2019.0, 1.0)], [(2021.0, 3.0), (2022.0, 4.0)]]


def test_html_charts_are_inline_svg(
    exported: tuple[AreaProfile, ExportContext, pd.DataFrame],
) -> None:
    profile, context, _ = exported
    html = render(profile, context, "html").decode("utf-8")
    assert "Utveckling över tid" in html and html.count("<figure>") >= 2
    row = chart_rows(profile)[0][1][0]
    svg = ET.fromstring(chart_svg(row, profile, "sv"))
    assert svg.get("role") == "img" and len(svg.findall("{*}polyline")) >= 2


def test_cli_peer_can_be_a_custom_area(
    demo_store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sodd.custom_areas_store import save_custom_area

    data_dir = tmp_path / "store"
    shutil.copytree(demo_store_dir, data_dir)
    store = Store(data_dir)
    custom = save_custom_area(store, "Mitt område", ["1780X0010", "1780X0020"])
    monkeypatch.setenv("SODD_DATA_DIR", str(data_dir))
    out = tmp_path / "p.csv"
    args = ["export", "profile", "--area", "1715X0010", "--jamfor", "Mitt område"]
    assert main([*args, "--format", "csv", "--out", str(out)]) == 0
    body = [ln for ln in out.read_text("utf-8-sig").splitlines() if not ln.startswith("#")]
    rows = {r["Indikator-id"]: r for r in csv.DictReader(body, delimiter=";")}
    stored = store.read("indicator_values", filters=[("region_code", "==", custom.code)])
    population = rows["folkmangd"]
    assert population["Jämförelseområdets kod"] == custom.code
    assert parse_exact(population["Jämförelseområdet"]) == _stored(
        stored, "folkmangd", population["Period"]
    )
    assert main([*args[:-1], "Finns inte", "--out", str(out)]) == 2


def test_counts_of_different_areas_are_never_charted_together(
    exported: tuple[AreaProfile, ExportContext, pd.DataFrame],
) -> None:
    """A count's chart shows the area (and peer), or only the nearest comparator."""
    profile, _, _ = exported
    counts = [row for row in profile.rows() if row.indicator.kind == "count" and row.history]
    assert counts
    for row in counts:
        lines = set(series_of(row))
        if "area" in row.history:
            assert lines <= {"area", "peer"}, row.indicator.id
        else:
            assert len(lines) <= 1 and lines <= {"kommun", "lan", "riket"}, row.indicator.id
