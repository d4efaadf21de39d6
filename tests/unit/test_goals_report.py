from __future__ import annotations

import argparse
import io
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from sodd.errors import SoddError
from sodd.export.goals_report import (
    add_parser,
    load_goal_views,
    render_goals_report,
    run_goals_report,
)
from sodd.export.tidy import ExportContext
from sodd.goals import Goal
from sodd.goals_store import new_goal, save_goal
from sodd.goals_view import build_goal_views
from sodd.indicators.catalog import load_catalog
from sodd.manifest import DatasetEntry
from sodd.store import Store

DEMO_LABEL = "Exempeldata – inte verklig statistik"


def _goal() -> Goal:
    return Goal(
        goal_id="abc123",
        indicator_id="hemloshet",
        region_code="1780",
        level="kommun",
        geo_vintage="",
        target_value=15.0,
        direction="at_most",
        target_date="2030-12-31",
        baseline_period="",
        responsible="Socialnämnden",
        note="Halvera",
        created_at="2026-01-01T00:00:00Z",
    )


def _values() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": ["hemloshet"] * 3,
            "region_code": ["1780"] * 3,
            "level": ["kommun"] * 3,
            "geo_vintage": [None] * 3,
            "period": ["2017", "2020", "2023"],
            "value": [37.8, None, 24.6],
            "status": [None, "..", None],
            "provenance": ["socialstyrelsen:hemloshetskartlaggning"] * 3,
        }
    )


def _entry(demo: bool) -> DatasetEntry:
    return DatasetEntry(
        dataset_id="socialstyrelsen__hemloshet",
        kind="indicator_values",
        provider="socialstyrelsen",
        table_id="hemloshetskartlaggning",
        title="Hemlöshetskartläggning",
        url=None,
        query=None,
        fetched_at="2025-01-01T00:00:00Z",
        rows=3,
        sha256="0" * 64,
        schema_version=1,
        demo=demo,
        periods=(),
        levels=(),
        file="x.parquet",
        raw_files=(),
    )


def _render(fmt: str, demo: bool = True) -> bytes:
    views = build_goal_views([_goal()], _values(), load_catalog(), {"1780": "Karlstad"})
    return render_goals_report(views, ExportContext(entries=(_entry(demo),)), fmt)


def test_pdf_has_goal_values_status_rule_sources_and_demo_label() -> None:
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(_render("pdf"))).pages)
    text = " ".join(text.split())
    assert DEMO_LABEL in text
    assert "Ansvarig nämnd: Socialnämnden" in text
    assert "Mål: högst 15,0" in text and "Måldatum: 2030-12-31" in text
    assert "Status: På väg" in text
    assert "2020 .. .." in text  # the withheld year stays withheld
    assert "minsta kvadratmetoden" in text
    assert "Socialstyrelsen hemloshetskartlaggning – Hemlöshetskartläggning" in text


def test_docx_values_equal_the_series() -> None:
    document = Document(io.BytesIO(_render("docx")))
    texts = [p.text for p in document.paragraphs]
    assert any(DEMO_LABEL in p.text for p in document.sections[0].header.paragraphs)
    assert "Status: På väg" in texts
    assert "Anteckning: Halvera" in texts
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[0] == ["Period", "Värde", "Statuskod"]
    assert [r[0] for r in rows[1:]] == ["2017", "2020", "2023"]
    assert rows[2][1:] == ["..", ".."]
    assert rows[3][1].startswith("24,6")


def test_xlsx_values_as_stored_and_no_demo_label_for_real_data() -> None:
    book = load_workbook(io.BytesIO(_render("xlsx", demo=False)))
    goals = list(book["Mål"].iter_rows(values_only=True))
    assert goals[0][0] == "Mål-id"  # no demo row above the headers
    header, row = goals[0], goals[1]
    record = dict(zip(header, row, strict=True))
    assert record["target_value"] == 15.0 and record["direction"] == "at_most"
    assert record["Status"] == "På väg" and record["Senaste värde"] == 24.6
    values = list(book["Värden"].iter_rows(values_only=True))[1:]
    assert [(v[3], v[4], v[5]) for v in values] == [
        ("2017", 37.8, None),  # an empty status (a shown value) is an empty cell
        ("2020", "..", ".."),
        ("2023", 24.6, None),
    ]
    meta = {r[0]: r[1] for r in book["Metadata"].iter_rows(values_only=True)}
    assert "Exempeldata" not in meta


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sodd.pipeline import install_demo

    data_dir: Path = tmp_path_factory.mktemp("goals-report")
    store = Store(data_dir)
    install_demo(store, lan_codes=["17"], districts_per_kommun=2)
    goal = new_goal(
        store,
        load_catalog(),
        indicator_id="hemloshet",
        region_code="1780",
        level="kommun",
        target_value=15,
        direction="at_most",
        target_date="2030-12-31",
        responsible="Socialnämnden",
    )
    save_goal(store, goal)
    return data_dir


def test_report_from_the_store_equals_the_store(store_dir: Path) -> None:
    store = Store(store_dir)
    views = load_goal_views(store, load_catalog())
    context = ExportContext(entries=tuple(store.manifest().datasets.values()))
    book = load_workbook(io.BytesIO(render_goals_report(views, context, "xlsx")))
    assert str(book["Mål"].cell(row=1, column=1).value).startswith(DEMO_LABEL)
    rows = list(book["Värden"].iter_rows(values_only=True))[1:]
    stored = store.read(
        "indicator_values",
        filters=[("indicator_id", "==", "hemloshet"), ("region_code", "==", "1780")],
    ).sort_values("period")
    assert [r[3] for r in rows] == stored["period"].tolist()
    assert [r[4] for r in rows] == pytest.approx(stored["value"].tolist())


def test_cli_writes_each_format(
    store_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SODD_DATA_DIR", str(store_dir))
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers(dest="what"))
    for fmt in ("pdf", "docx", "xlsx"):
        out = tmp_path / f"uppf.{fmt}"
        args = parser.parse_args(["uppfoljning", "--format", fmt, "--ut", str(out)])
        assert args.func(args) == 0
        assert out.stat().st_size > 1000
    assert "1 mål" in capsys.readouterr().out
    assert PdfReader(tmp_path / "uppf.pdf").pages
    with pytest.raises(SystemExit):
        parser.parse_args(["uppfoljning", "--format", "csv"])


def test_cli_without_goals_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SODD_DATA_DIR", str(tmp_path))
    args = argparse.Namespace(format="pdf", lang=None, out=str(tmp_path / "x.pdf"))
    with pytest.raises(SoddError, match="inga mål att följa upp"):
        run_goals_report(args)
