"""The social report of a kommun: rules on hand-made frames, the demo store, PDF, DOCX, CLI."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pandas as pd
import pytest
from pypdf import PdfReader

from sodd.export.cli import main
from sodd.export.report_docx import render_report_docx
from sodd.export.report_files import load_kommun_report, render_report, report_filename
from sodd.export.report_parts import value_text
from sodd.export.report_pdf import render_report_pdf
from sodd.export.tidy import ExportContext
from sodd.formatting import format_value
from sodd.indicators.catalog import load_catalog
from sodd.manifest import DatasetEntry
from sodd.report import KommunReport, Spread, build_kommun_report
from sodd.store import Store

DEMO_LABEL = "Exempeldata – inte verklig statistik"
DESO = ["9999A0010", "9999A0020", "9999A0030", "9999A0040", "9999A0050"]

REGIONS = pd.DataFrame(
    {
        "region_code": ["9999", "99", *DESO, "9999A0050", "9999R001", "9999R002"],
        "geo_vintage": ["", "", *["2025"] * 5, "2018", "2025", "2025"],
        "level": ["kommun", "lan", *["deso"] * 6, "regso", "regso"],
        "name": ["Provstad", "Provlän", *DESO, "9999A0050", "Norr", "Söder"],
        "kommun_code": ["9999", None, *["9999"] * 6, "9999", "9999"],
        "lan_code": ["99"] * 10,
        "parent_code": ["99", "00", *["9999R001"] * 3, *["9999R002"] * 3, "9999", "9999"],
    }
)


def _value(
    indicator: str,
    code: str,
    value: float | None,
    *,
    level: str = "deso",
    period: str = "2024",
    status: str | None = None,
    num: float | None = None,
    den: float | None = None,
    vintage: str | None = None,
) -> dict[str, object]:
    return {
        "indicator_id": indicator,
        "region_code": code,
        "geo_vintage": vintage if vintage is not None else ("" if level == "kommun" else "2025"),
        "level": level,
        "period": period,
        "value": value,
        "numerator": num,
        "denominator": den,
        "status": status,
        "provenance": "scb:TAB1",
    }


def _frames() -> pd.DataFrame:
    rows = []
    published = {
        "lag_ekonomisk_standard": ([5, 10, 15, 20, 40], 12.0),  # p10 7, p90 32
        "andel_65_plus": ([10, 20, 20, 20, 30], None),  # p10 14, p90 26; kommun withheld
        "median_ekonomisk_standard": ([250, 260, 270, 280, 150], 260.0),
    }
    for ind, (values, kommun) in published.items():
        rows += [_value(ind, c, v) for c, v in zip(DESO, values, strict=True)]
        status = None if kommun is not None else ".."
        rows.append(_value(ind, "9999", kommun, level="kommun", status=status))
    # Shares with counts: only the last district is clearly worse than the kommun.
    for ind, numerators, kommun in (
        ("arbetsloshet", [10, 10, 10, 12, 40], 100),
        ("forvarvsfrekvens", [150, 150, 150, 150, 100], 1500),
    ):
        rows += [
            _value(ind, c, 100 * k / 200, num=k, den=200)
            for c, k in zip(DESO, numerators, strict=True)
        ]
        rows.append(_value(ind, "9999", 100 * kommun / 2000, level="kommun", num=kommun, den=2000))
    # 10th percentile 0: no ratio, ranked last; one district withheld.
    bistand = [None, 0, 0, 2, 4]
    for code, v in zip(DESO, bistand, strict=True):
        rows.append(
            _value("ekonomiskt_bistand_andel", code, v, status=None if v is not None else "..")
        )
    # An older DeSO vintage with the same code must not count.
    rows.append(_value("lag_ekonomisk_standard", "9999A0050", 99.0, vintage="2018"))
    rows += [
        _value("omradestyp", "9999R001", 1, level="regso"),
        _value("omradestyp", "9999R002", 3, level="regso", period="2023"),
        _value("omradestyp", "9999R002", 4, level="regso"),
        _value("folkmangd", "9999", 1000, level="kommun", period="2020"),
        _value("folkmangd", "9999", 1100, level="kommun"),
        _value("lag_ekonomisk_standard", "9999", 10.0, level="kommun", period="2020"),
        # −100 %, but a small count: listed after the larger relative changes.
        _value("barn_berorda_avhysning", "9999", 4, level="kommun", period="2020"),
        _value("barn_berorda_avhysning", "9999", 0, level="kommun"),
    ]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def report() -> KommunReport:
    return build_kommun_report("9999", REGIONS, _frames(), load_catalog())


def _spread(report: KommunReport, indicator: str, level: str = "deso") -> Spread:
    return next(s for s in report.spreads if s.indicator.id == indicator and s.level == level)


def test_spread_uses_the_latest_vintage_and_linear_percentiles(report: KommunReport) -> None:
    assert report.district_counts == {"deso": 5, "regso": 2}
    spread = _spread(report, "lag_ekonomisk_standard")
    assert (spread.p10, spread.p90) == pytest.approx((7.0, 32.0))
    assert spread.highest is not None and spread.highest.region_code == "9999A0050"
    assert spread.highest.value == 40.0  # not the 2018 vintage's 99
    assert spread.lowest is not None and spread.lowest.value == 5.0
    assert spread.kommun is not None and spread.kommun.value == 12.0


def test_withheld_values_stay_withheld(report: KommunReport) -> None:
    bistand = _spread(report, "ekonomiskt_bistand_andel")
    assert bistand.withheld == 1
    first = next(f for f in bistand.districts if f.region_code == DESO[0])
    assert first.value is None and value_text(bistand.indicator, first, "sv") == ".."
    old = _spread(report, "andel_65_plus")
    assert value_text(old.indicator, old.kommun, "sv") == ".."


def test_ranking_by_decile_ratio_with_zero_p10_last(report: KommunReport) -> None:
    order = [s.indicator.id for s in report.ranking]
    assert order == [
        "lag_ekonomisk_standard",  # 32 / 7
        "arbetsloshet",  # 14 / 5
        "andel_65_plus",  # 26 / 14
        "median_ekonomisk_standard",  # 276 / 190
        "forvarvsfrekvens",  # 75 / 60
        "ekonomiskt_bistand_andel",  # p10 = 0: no ratio
    ]
    assert report.ranking[0].ratio == pytest.approx(32 / 7)
    assert report.ranking[-1].ratio is None


def test_far_districts_count_need_side_flags_and_published_outliers(
    report: KommunReport,
) -> None:
    (far,) = report.far["deso"]
    assert far.region_code == "9999A0050"
    # Shares flagged by difference_flag, published values outside the 10–90 % range;
    # the neutral andel_65_plus (also above p90) does not count.
    assert [i.id for i in far.indicators] == [
        "median_ekonomisk_standard",
        "lag_ekonomisk_standard",
        "ekonomiskt_bistand_andel",
        "forvarvsfrekvens",
        "arbetsloshet",
    ]
    # 9999A0040 (12 of 200 unemployed) is within two standard errors of the kommun.
    assert report.far["regso"] == ()


def test_a_division_without_values_is_not_chosen() -> None:
    # Values only for the 2018 DeSO: the report uses that division, not the empty 2025.
    frames = _frames()
    old = frames.loc[(frames["level"] == "deso") & (frames["geo_vintage"] == "2018")]
    report = build_kommun_report("9999", REGIONS, old, load_catalog())
    assert report.vintages["deso"] == "2018" and report.district_counts["deso"] == 1
    assert _spread(report, "lag_ekonomisk_standard").districts[0].value == 99.0


def test_far_needs_three_indicators() -> None:
    frames = _frames()
    keep = frames["indicator_id"].isin(["arbetsloshet", "forvarvsfrekvens", "omradestyp"])
    report = build_kommun_report("9999", REGIONS, frames.loc[keep], load_catalog())
    assert report.far["deso"] == ()


def test_area_types_and_trends(report: KommunReport) -> None:
    assert report.area_types == {1: ("9999R001",), 2: (), 3: (), 4: ("9999R002",), 5: ()}
    assert report.area_type_period == "2024"
    order = [trend.indicator.id for trend in report.trends]
    assert order == ["lag_ekonomisk_standard", "folkmangd", "barn_berorda_avhysning"]
    first, second = report.trends[:2]
    assert (first.indicator.id, first.first_period, first.last_period) == (
        "lag_ekonomisk_standard",
        "2020",
        "2024",
    )
    assert first.change == pytest.approx(2.0) and second.indicator.id == "folkmangd"


def test_unknown_kommun_is_refused() -> None:
    with pytest.raises(ValueError, match="'1234'"):
        build_kommun_report("1234", REGIONS, _frames(), load_catalog())


def test_docx_headings_tables_and_withheld(report: KommunReport) -> None:
    document = docx.Document(io.BytesIO(render_report_docx(report, ExportContext())))
    headings = [
        p.text for p in document.paragraphs if p.style and str(p.style.name).startswith("Heading")
    ]
    for heading in (
        "Var är de strukturella skillnaderna störst?",
        "Vilka områden skiljer sig från kommunen på flera indikatorer samtidigt?",
        "Områdestyper",
        "Utvecklingen i kommunen",
        "Källor",
        "Egna iakttagelser",
    ):
        assert heading in headings
    cells = {c.text for table in document.tables for row in table.rows for c in row.cells}
    assert ".." in cells and "40,0\u00a0% – 9999A0050 (Söder)" in cells
    assert DEMO_LABEL not in document.sections[0].header.paragraphs[0].text


@pytest.fixture(scope="module")
def demo_report(demo_store_dir: Path) -> tuple[KommunReport, ExportContext]:
    store = Store(demo_store_dir)
    context = ExportContext(entries=tuple(store.manifest().datasets.values()))
    return load_kommun_report(store, "1780"), context


def test_demo_report_numbers_equal_the_store(
    demo_report: tuple[KommunReport, ExportContext], demo_store_dir: Path
) -> None:
    report, _ = demo_report
    stored = Store(demo_store_dir).read("indicator_values")
    checked = 0
    for indicator in ("lag_ekonomisk_standard", "folkmangd", "arbetsloshet"):
        spread = _spread(report, indicator)
        cells = stored.loc[
            (stored["indicator_id"] == indicator) & (stored["period"] == spread.period)
        ]
        deso = cells.loc[(cells["level"] == "deso") & cells["region_code"].str.startswith("1780")]
        assert len(spread.districts) == len(deso) == report.district_counts["deso"]
        for figure in spread.districts:
            assert (
                figure.value == deso.loc[deso["region_code"] == figure.region_code, "value"].iloc[0]
            )
            checked += 1
        assert spread.highest is not None and spread.highest.value == deso["value"].max()
        kommun = cells.loc[(cells["level"] == "kommun") & (cells["region_code"] == "1780")]
        assert spread.kommun is not None and spread.kommun.value == kommun["value"].iloc[0]
    assert checked >= 3 * 6


def test_demo_pdf_has_kommun_district_values_label_and_pages(
    demo_report: tuple[KommunReport, ExportContext],
) -> None:
    report, context = demo_report
    reader = PdfReader(io.BytesIO(render_report_pdf(report, context)))
    texts = [page.extract_text() for page in reader.pages]
    whole = re.sub(r"\s+", " ", " ".join(texts))
    assert "Social rapport: Karlstad" in whole
    assert re.search(r"1780X00\d0", whole)
    spread = _spread(report, "lag_ekonomisk_standard")
    assert spread.highest is not None
    ind = spread.indicator
    shown = format_value(spread.highest.value, unit=ind.unit, decimals=ind.decimals)
    assert re.sub(r"\s+", " ", shown) in whole
    for number, text in enumerate(texts, start=1):
        assert DEMO_LABEL in text and f"Sida {number}" in text


def test_cli_writes_pdf_and_docx(
    demo_store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SODD_DATA_DIR", str(demo_store_dir))
    for fmt in ("pdf", "docx"):
        out = tmp_path / f"rapport.{fmt}"
        assert (
            main(["export", "report", "--kommun", "1780", "--format", fmt, "--out", str(out)]) == 0
        )
        assert out.stat().st_size > 1000
    document = docx.Document(str(tmp_path / "rapport.docx"))
    assert DEMO_LABEL in document.sections[0].header.paragraphs[0].text
    assert "Karlstad" in PdfReader(str(tmp_path / "rapport.pdf")).pages[0].extract_text()
    assert main(["export", "report", "--kommun", "0000"]) == 2


def test_report_filename_and_english(demo_report: tuple[KommunReport, ExportContext]) -> None:
    report, context = demo_report
    assert report_filename(report, "pdf") == "social_rapport_1780_2024.pdf"
    with pytest.raises(ValueError, match="rapportformat"):
        report_filename(report, "xlsx")
    english = ExportContext(entries=context.entries, lang="en")
    text = PdfReader(io.BytesIO(render_report(report, english, "pdf"))).pages[0].extract_text()
    assert "Social report: Karlstad" in text


def test_sources_name_the_tables_with_fetch_dates(report: KommunReport) -> None:
    entry = DatasetEntry(
        dataset_id="scb_tab1",
        kind="observations",
        provider="scb",
        table_id="TAB1",
        title="Provtabell",
        url=None,
        query=None,
        fetched_at="2026-01-02T03:04:05Z",
        rows=1,
        sha256="0" * 64,
        schema_version=1,
        demo=False,
        periods=("2024",),
        levels=("deso",),
        file="x.parquet",
        raw_files=(),
    )
    context = ExportContext(entries=(entry,))
    text = " ".join(
        p.text for p in docx.Document(io.BytesIO(render_report_docx(report, context))).paragraphs
    )
    assert "SCB TAB1 – Provtabell, hämtad 2026-01-02 03:04 UTC" in text
