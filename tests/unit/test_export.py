"""Area profile sections (flags, BKA, gaps, sentences) and every export format."""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import docx
import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader
from shapely.geometry import box

from sodd.export import FORMATS, ExportContext, build_export_context, export_filename, render
from sodd.export.cli import load_profile, main
from sodd.export.csv import format_exact, parse_exact
from sodd.export.tidy import display_row
from sodd.indicators.catalog import load_catalog
from sodd.manifest import DatasetEntry
from sodd.profile import AreaProfile, Figure, build_area_profile
from sodd.profile_sections import (
    CHILD_INDICATORS,
    describe_unknown,
    difference_flag,
    flag_rule_text,
    summary_sentences,
)
from sodd.schema import INDICATOR_VALUE_COLUMNS
from sodd.store import Store

DEMO_LABEL = "Exempeldata – inte verklig statistik"
AREA = "1780X0010"

REGIONS = gpd.GeoDataFrame(
    {
        "region_code": [AREA, "1780", "17", "00"],
        "geo_vintage": ["2025", "", "", ""],
        "level": ["deso", "kommun", "lan", "riket"],
        "name": ["Centrum <1>", "Karlstad", "Värmlands län", "Riket"],
        "kommun_code": ["1780", "1780", None, None],
        "lan_code": ["17", "17", "17", None],
        "parent_code": ["1780", "17", "00", None],
    },
    geometry=[box(13.50, 59.37, 13.52, 59.39), box(13.3, 59.2, 13.8, 59.6), None, None],
    crs="EPSG:4326",
)


def _row(
    indicator: str,
    code: str,
    level: str,
    period: str,
    value: float | None,
    status: str | None = None,
    numerator: float | None = None,
    denominator: float | None = None,
    provenance: str = "scb:TAB6685",
) -> dict[str, object]:
    return {
        "indicator_id": indicator,
        "region_code": code,
        "geo_vintage": "2025" if level == "deso" else "",
        "level": level,
        "period": period,
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "status": status,
        "provenance": provenance,
    }


VALUES = pd.DataFrame(
    [
        _row("lag_ekonomisk_standard", AREA, "deso", "2023", 21.0),
        _row("lag_ekonomisk_standard", "1780", "kommun", "2023", 14.0),
        _row("lag_ekonomisk_standard", "00", "riket", "2023", 15.0),
        _row("median_ekonomisk_standard", AREA, "deso", "2023", None, ".."),
        _row("median_ekonomisk_standard", "1780", "kommun", "2023", 278.123456789),
        # 300 of 1 000 against the kommun's 20 %: far beyond two standard errors.
        _row("andel_0_19", AREA, "deso", "2024", 30.0, None, 300, 1000, "scb:TAB6574"),
        _row("andel_0_19", "1780", "kommun", "2024", 20.0, None, 4000, 20000, "scb:TAB6574"),
        _row("barn_0_19", AREA, "deso", "2024", 300.0, None, 300, None, "scb:TAB6574"),
        _row("avhysningar_verkstallda", "1780", "kommun", "2024", 3.1, None, 20, 64000),
    ],
    columns=list(INDICATOR_VALUE_COLUMNS),
)


def _entry(provider: str, table_id: str | None, demo: bool) -> DatasetEntry:
    return DatasetEntry(
        dataset_id=f"{provider}__{(table_id or 'x').lower()}",
        kind="observations",
        provider=provider,
        table_id=table_id,
        title=f"Tabell {table_id}",
        url=None,
        query=None,
        fetched_at="2026-11-02T08:15:00Z",
        rows=1,
        sha256="0" * 64,
        schema_version=1,
        demo=demo,
        periods=("2023",),
        levels=("deso",),
        file="x.parquet",
        raw_files=(),
    )


@pytest.fixture(scope="module")
def profile() -> AreaProfile:
    return build_area_profile(AREA, "deso", REGIONS, VALUES, load_catalog())


@pytest.fixture(scope="module")
def context() -> ExportContext:
    entries = (_entry("scb", "TAB6685", False), _entry("scb", "TAB6574", False))
    return ExportContext(
        entries=entries,
        area_geometry=REGIONS.geometry.iloc[0],
        kommun_geometry=REGIONS.geometry.iloc[1],
        exported_at="2026-11-30T12:00:00Z",
    )


@pytest.fixture(scope="module")
def demo(demo_store_dir: Path) -> tuple[AreaProfile, ExportContext]:
    store = Store(demo_store_dir)
    area_profile, regions = load_profile(store, "1780X0010", "deso", None)
    return area_profile, build_export_context(area_profile, store.manifest(), regions)


def _rows(profile: AreaProfile) -> dict[str, object]:
    return {row.indicator.id: row for row in profile.rows()}


# ------------------------------------------------------------------ profile sections


def _share(period: str, value: float | None, k: float | None, n: float | None) -> Figure:
    status = None if value is not None else ".."
    return Figure(AREA, "deso", period, value, status, "scb:TAB6574", k, n)


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        (_share("2024", 30.0, 300, 1000), "higher"),  # |0.30 − 0.20| > 2·0.0126
        (_share("2024", 12.0, 120, 1000), "lower"),
        (_share("2024", 24.0, 12, 50), None),  # 2·√(0.16/50) = 0.113 > 0.04
        # 10 of 20 against 20 %: 0.30 > 2·√(0.16/20) = 0.179, so only the CKM rule decides.
        (_share("2024", 50.0, 10, 20), "higher"),
        (_share("2025", 50.0, 10, 20), None),  # CKM year, numerator not above 10
        (_share("2025", 55.0, 11, 20), "higher"),  # CKM year, numerator 11
        (_share("2024", 30.0, None, None), None),  # no denominator: never marked
        (_share("2024", None, None, None), None),  # suppressed
    ],
)
def test_difference_flag_rule(area: Figure, expected: str | None) -> None:
    kommun = Figure("1780", "kommun", area.period, 20.0, None, "scb:TAB6574", 4000, 20000)
    assert difference_flag(load_catalog().get("andel_0_19"), area, kommun) == expected


def test_published_values_without_denominator_are_never_flagged() -> None:
    area = Figure(AREA, "deso", "2023", 40.0, None, "scb:TAB6685")
    kommun = Figure("1780", "kommun", "2023", 10.0, None, "scb:TAB6685")
    assert difference_flag(load_catalog().get("lag_ekonomisk_standard"), area, kommun) is None


def test_profile_rows_carry_the_flag(profile: AreaProfile) -> None:
    rows = _rows(profile)
    assert rows["andel_0_19"].flag == "higher"  # type: ignore[attr-defined]
    assert rows["lag_ekonomisk_standard"].flag is None  # type: ignore[attr-defined]


def test_summary_sentence_compares_with_the_kommun(profile: AreaProfile) -> None:
    sentences = summary_sentences(profile, "sv")
    assert (
        "Andelen med låg ekonomisk standard är 21,0\u00a0% i området, "
        "högre än i kommunen (14,0\u00a0%)." in sentences
    )
    assert (
        "Andelen 0–19 år är 30,0\u00a0% i området, tydligt högre än i kommunen (20,0\u00a0%)."
        in (sentences)
    )
    assert any("At-risk-of-poverty rate is 21.0" in s for s in summary_sentences(profile, "en"))


def test_children_section_and_unknowns(profile: AreaProfile) -> None:
    assert tuple(row.indicator.id for row in profile.children) == CHILD_INDICATORS
    reasons = {u.indicator.id: (u.reason, u.status) for u in profile.unknowns}
    assert reasons["median_ekonomisk_standard"] == ("suppressed", "..")
    assert reasons["avhysningar_verkstallda"] == ("coarser", None)
    assert reasons["trangboddhet"][0] == "coarser"
    assert reasons["utrikes_fodda"] == ("missing", None)
    suppressed = next(u for u in profile.unknowns if u.reason == "suppressed")
    assert "..\u00a0(uppgift saknas/skyddad)" in describe_unknown(suppressed).replace(
        " (", "\u00a0("
    )


# ------------------------------------------------------------------ readers


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _csv_rows(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    meta = [line for line in text.splitlines() if line.startswith("#")]
    body = [line for line in text.splitlines() if not line.startswith("#")]
    return meta, list(csv.DictReader(body, delimiter=";"))


def _read_gpkg(data: bytes, layer: str) -> gpd.GeoDataFrame:
    # Through a real .gpkg file: GDAL warns about a GeoPackage in memory without the suffix.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "profil.gpkg"
        path.write_bytes(data)
        return gpd.read_file(path, layer=layer)


def _text_of(fmt: str, data: bytes) -> str:
    """Every text a reader of the format sees."""
    if fmt == "csv":
        return data.decode("utf-8-sig")
    if fmt == "html":
        parser = _Text()
        parser.feed(data.decode("utf-8"))
        return "\n".join(parser.parts)
    if fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(data))
        return "\n".join(
            str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row
        )
    if fmt == "docx":
        document = docx.Document(io.BytesIO(data))
        parts = [p.text for p in document.paragraphs]
        parts += [p.text for p in document.sections[0].header.paragraphs]
        parts += [c.text for table in document.tables for row in table.rows for c in row.cells]
        return "\n".join(parts)
    if fmt == "pdf":
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert fmt == "gpkg"
    frame = _read_gpkg(data, "metadata")
    return "\n".join(frame["text"].astype(str))


# ------------------------------------------------------------------ formats


def test_csv_is_tidy_with_exact_values_and_metadata(
    profile: AreaProfile, context: ExportContext
) -> None:
    meta, rows = _csv_rows(render(profile, context, "csv"))
    by_id = {row["Indikator-id"]: row for row in rows}
    assert len(rows) == len(profile.rows())
    assert by_id["median_ekonomisk_standard"]["Värde"] == ".."
    assert by_id["median_ekonomisk_standard"]["Kommunen"] == "278,123456789"
    assert parse_exact(by_id["lag_ekonomisk_standard"]["Värde"]) == 21.0
    assert by_id["andel_0_19"]["Skillnad mot kommunen"] == "högre än kommunen"
    assert by_id["lag_ekonomisk_standard"]["Tabell"] == "scb:TAB6685"
    header = "\n".join(meta)
    assert "# Kod: 1780X0010" in header and "# Områdesindelning: 2025" in header
    assert "SCB TAB6685 – Tabell TAB6685, hämtad 2026-11-02 08:15 UTC" in header
    assert ".. = uppgift saknas/skyddad" in header and flag_rule_text("sv") in header
    assert DEMO_LABEL not in header


def test_format_exact_round_trips_floats() -> None:
    for value in (75.99693251533742, 1542.0, 0.1 + 0.2, 1e-7, -3.5):
        assert parse_exact(format_exact(value)) == value
    assert format_exact(1542.0) == "1542" and format_exact(None) == ""


def test_xlsx_has_numbers_and_metadata(profile: AreaProfile, context: ExportContext) -> None:
    book = openpyxl.load_workbook(io.BytesIO(render(profile, context, "xlsx")))
    assert book.sheetnames == ["Data", "Metadata"]
    data = list(book["Data"].iter_rows(values_only=True))
    header = list(data[0])
    records = {row[1]: dict(zip(header, row, strict=True)) for row in data[1:]}
    assert records["lag_ekonomisk_standard"]["Värde"] == 21.0
    assert records["median_ekonomisk_standard"]["Värde"] == ".."
    assert records["median_ekonomisk_standard"]["Kommunen"] == 278.123456789
    row = next(r for r in book["Data"].iter_rows(min_row=2) if r[1].value == "andel_0_19")
    assert row[3].number_format == "#,##0.0"
    meta = "\n".join(str(c) for r in book["Metadata"].iter_rows(values_only=True) for c in r)
    assert "TAB6685" in meta and "2026-11-02 08:15 UTC" in meta and ".. = " in meta


def test_gpkg_layers_and_values(profile: AreaProfile, context: ExportContext) -> None:
    data = render(profile, context, "gpkg")
    area = _read_gpkg(data, "omrade")
    kommun = _read_gpkg(data, "kommun")
    assert area.loc[0, "region_code"] == AREA and area.crs.to_epsg() == 4326
    assert area.loc[0, "lag_ekonomisk_standard"] == 21.0
    assert pd.isna(area.loc[0, "median_ekonomisk_standard"])
    assert area.loc[0, "median_ekonomisk_standard_status"] == ".."
    assert kommun.loc[0, "median_ekonomisk_standard"] == 278.123456789
    assert area.geometry.iloc[0].equals(REGIONS.geometry.iloc[0])


def test_html_is_self_contained_and_escaped(profile: AreaProfile, context: ExportContext) -> None:
    page = render(profile, context, "html").decode("utf-8")
    parser = _Text()
    parser.feed(page)
    text = "\n".join(parser.parts)
    assert "Centrum <1>" in text and "Centrum <1>" not in page  # escaped in the markup
    assert "<svg" in page and "<script" not in page
    assert not any(name in {"src", "href"} for _, attrs in parser.tags for name, _ in attrs)
    row = _rows(profile)["lag_ekonomisk_standard"]
    assert all(cell in text for cell in display_row(row, "sv"))  # type: ignore[arg-type]
    assert ".." in text and "Barnperspektiv (BKA)" in text and "Det vet vi inte" in text


def test_docx_has_the_ska_headings_and_tables(profile: AreaProfile, context: ExportContext) -> None:
    document = docx.Document(io.BytesIO(render(profile, context, "docx")))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    theme_names = [theme.name("sv") for theme, _ in profile.themes]
    expected = ["Områdets sociala förutsättningar", *theme_names, "Barnperspektiv (BKA)"]
    expected += ["Det vet vi inte", "Källor", "Egna iakttagelser"]
    assert [h for h in headings if h in expected] == expected
    assert len(document.tables) == len(profile.themes) + 1
    cells = {
        row.cells[0].text: [c.text for c in row.cells] for t in document.tables for row in t.rows
    }
    row = _rows(profile)["median_ekonomisk_standard"]
    assert cells[row.indicator.name("sv")] == display_row(row, "sv")  # type: ignore[attr-defined]
    assert cells[row.indicator.name("sv")][1] == ".."  # type: ignore[attr-defined]
    assert not any(DEMO_LABEL in p.text for p in document.sections[0].header.paragraphs)


def test_pdf_text_has_values_pages_and_fonts(profile: AreaProfile, context: ExportContext) -> None:
    reader = PdfReader(io.BytesIO(render(profile, context, "pdf")))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Områdesprofil: Centrum <1>" in text
    assert "21,0\u00a0%" in text.replace(" %", "\u00a0%") and "278,1\u00a0tkr" in text.replace(
        " tkr", "\u00a0tkr"
    )
    assert "Sida 1" in reader.pages[0].extract_text()
    assert "Barnperspektiv (BKA)" in text and "Värmlands län" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_demo_label_in_every_format_only_for_demo_data(
    fmt: str,
    profile: AreaProfile,
    context: ExportContext,
    demo: tuple[AreaProfile, ExportContext],
) -> None:
    demo_profile, demo_context = demo
    assert demo_context.demo and demo_context.area_geometry is not None
    assert DEMO_LABEL in _text_of(fmt, render(demo_profile, demo_context, fmt))
    assert DEMO_LABEL not in _text_of(fmt, render(profile, context, fmt))


def test_demo_pdf_has_the_label_on_every_page(demo: tuple[AreaProfile, ExportContext]) -> None:
    reader = PdfReader(io.BytesIO(render(*demo, "pdf")))
    assert len(reader.pages) > 1
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert DEMO_LABEL in text and f"Sida {number}" in text


def test_demo_store_values_equal_the_store(
    demo: tuple[AreaProfile, ExportContext], demo_store_dir: Path
) -> None:
    demo_profile, demo_context = demo
    stored = Store(demo_store_dir).read(
        "indicator_values", filters=[("region_code", "==", "1780X0010")]
    )
    _, rows = _csv_rows(render(demo_profile, demo_context, "csv"))
    checked = 0
    for row in rows:
        if row["Värde"] in {"", ".."}:
            continue
        match = stored.loc[
            (stored["indicator_id"] == row["Indikator-id"]) & (stored["period"] == row["Period"])
        ]
        assert parse_exact(row["Värde"]) == match["value"].iloc[0]
        checked += 1
    assert checked >= 20


def test_export_filename_is_safe() -> None:
    profile = build_area_profile(AREA, "deso", REGIONS, VALUES, load_catalog())
    assert export_filename(profile, "pdf") == "omradesprofil_1780X0010_2024.pdf"
    odd = AreaProfile("Söder/ö 1", "custom", "x", None, None, None, None, (), (), ())
    assert re.fullmatch(r"[A-Za-z0-9_.-]+", export_filename(odd, "docx"))
    with pytest.raises(ValueError, match="exportformat"):
        export_filename(profile, "exe")


def test_docx_and_xlsx_are_valid_zip_packages(profile: AreaProfile, context: ExportContext) -> None:
    for fmt in ("docx", "xlsx"):
        assert zipfile.ZipFile(io.BytesIO(render(profile, context, fmt))).testzip() is None


def test_cli_writes_the_file(
    demo_store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SODD_DATA_DIR", str(demo_store_dir))
    out = tmp_path / "profil.xlsx"
    args = ["export", "profile", "--area", "1780X0010", "--level", "deso", "--format", "xlsx"]
    assert main([*args, "--out", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    assert book["Data"]["A1"].value.startswith(DEMO_LABEL)
    assert main(["export", "profile", "--area", "0000X9999"]) == 2


def test_cli_exports_a_custom_area_by_name(
    demo_store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sodd.custom_areas_store import save_custom_area

    data_dir = tmp_path / "store"
    shutil.copytree(demo_store_dir, data_dir)
    store = Store(data_dir)
    area = save_custom_area(store, "Mitt område", ["1780X0010", "1780X0020"])
    monkeypatch.setenv("SODD_DATA_DIR", str(data_dir))
    out = tmp_path / "eget.csv"
    assert (
        main(["export", "profile", "--area", "Mitt område", "--format", "csv", "--out", str(out)])
        == 0
    )
    _, rows = _csv_rows(out.read_bytes())
    stored = store.read("indicator_values", filters=[("region_code", "==", area.code)])
    population = next(r for r in rows if r["Indikator-id"] == "folkmangd")
    expected = stored.loc[
        (stored["indicator_id"] == "folkmangd") & (stored["period"] == population["Period"])
    ]
    assert parse_exact(population["Värde"]) == expected["value"].iloc[0]
    members = store.read(
        "indicator_values",
        filters=[
            ("region_code", "in", ["1780X0010", "1780X0020"]),
            ("indicator_id", "==", "folkmangd"),
        ],
    )
    same_year = members.loc[members["period"] == population["Period"]]
    assert parse_exact(population["Värde"]) == same_year["value"].sum()  # hand-computed sum


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "docx", "pdf", "html"])
def test_english_exports(fmt: str, profile: AreaProfile, context: ExportContext) -> None:
    english = ExportContext(context.entries, context.area_geometry, context.kommun_geometry, "en")
    text = _text_of(fmt, render(profile, english, fmt))
    assert "data missing/protected" in text and "At-risk-of-poverty rate" in text
    assert "Teckenförklaring" not in text
