"""`sodd export uppfoljning` shows goals on the kommun's own indicators, as the page does."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from sodd.export.goals_report import add_parser
from sodd.goals_store import new_goal, save_goal
from sodd.indicators.catalog import load_catalog
from sodd.local import check_upload, save_local, with_local_indicators
from sodd.local.cli import region_index
from sodd.local.values import MAPPING_ID
from sodd.store import Store
from tests.unit.local_helpers import MAPPING_HEADER, csv_bytes

NAME = "Personer i hemlöshet enligt kommunens kartläggning"


@pytest.fixture
def data_dir(demo_store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "data"
    shutil.copytree(demo_store_dir, target)
    monkeypatch.setenv("SODD_DATA_DIR", str(target))
    store = Store(target)
    lines = [MAPPING_HEADER, "1780;2023;1;män;totalt;totalt;40", "1780;2024;1;män;totalt;totalt;34"]
    table = check_upload(csv_bytes(lines), "f.csv", "kartlaggning", region_index(store))
    save_local(store, table, disclosure_min=5)
    goal = new_goal(
        store,
        with_local_indicators(load_catalog(), store),
        indicator_id=MAPPING_ID,
        region_code="1780",
        level="kommun",
        target_value=20,
        direction="at_most",
        target_date="2030-12-31",
        responsible="Socialnämnden",
    )
    save_goal(store, goal)
    return target


def _run(fmt: str, out: Path) -> None:
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers(dest="what"))
    args = parser.parse_args(["uppfoljning", "--format", fmt, "--ut", str(out)])
    assert args.func(args) == 0


def test_cli_report_has_the_goal_on_the_local_mapping(data_dir: Path, tmp_path: Path) -> None:
    _run("xlsx", tmp_path / "mal.xlsx")
    book = load_workbook(tmp_path / "mal.xlsx")
    sheet = list(book["Mål"].iter_rows(values_only=True))
    header_row = next(i for i, row in enumerate(sheet) if row[0] == "Mål-id")
    record = dict(zip(sheet[header_row], sheet[header_row + 1], strict=True))
    assert record["indicator_id"] == MAPPING_ID
    assert record["Indikator"] == f"{NAME} ({MAPPING_ID})"
    assert record["Senaste värde"] == 34.0
    values = list(book["Värden"].iter_rows(values_only=True))[1:]
    assert [(v[3], v[4]) for v in values] == [("2023", 40.0), ("2024", 34.0)]

    _run("docx", tmp_path / "mal.docx")
    texts = [p.text for p in Document(str(tmp_path / "mal.docx")).paragraphs]
    assert any(NAME in text for text in texts)
    assert not any("finns inte längre i katalogen" in text for text in texts)
