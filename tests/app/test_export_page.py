"""The profile page offers every export format as a download, built from the store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

import sodd.ui_export
from sodd.export import FORMATS, render
from tests.conftest import PROJECT_ROOT

PAGE = str(PROJECT_ROOT / "views" / "omradesprofil.py")
LABELS = ["PDF", "Word (DOCX)", "Excel (XLSX)", "CSV", "GeoPackage (GIS)", "HTML (fristående)"]


@pytest.fixture
def page(demo_store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("SODD_DATA_DIR", str(demo_store_dir))
    return AppTest.from_file(PAGE, default_timeout=120)


def _open_district(page: AppTest) -> None:
    page.query_params["area"] = "1780X0010"
    page.query_params["level"] = "deso"
    page.run()
    assert not page.exception, [e.value for e in page.exception]


def test_profile_page_has_one_download_button_per_format(page: AppTest) -> None:
    _open_district(page)
    buttons = page.get("download_button")
    assert [b.proto.label for b in buttons] == LABELS
    assert [b.proto.id.rsplit("-", 1)[-1] for b in buttons] == [f"export_{f}" for f in FORMATS]
    # Rendered on click only: the page does not build six files on every rerun.
    assert all(b.proto.deferred_file_id for b in buttons)
    assert any(h.value == "Ladda ner profilen" for h in page.subheader)


def test_page_hands_the_exports_geometry_and_demo_sources(
    page: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[Any, Any]] = []
    monkeypatch.setattr(
        sodd.ui_export, "render_export_buttons", lambda p, c, lang: seen.append((p, c))
    )
    _open_district(page)
    (profile, context), *_ = seen
    assert profile.region_code == "1780X0010"
    assert context.demo and context.area_geometry is not None
    assert context.kommun_geometry is not None
    assert context.kommun_geometry.contains(context.area_geometry.representative_point())
    assert "Exempeldata" in render(profile, context, "html").decode("utf-8")


def test_no_buttons_before_an_area_is_chosen(page: AppTest) -> None:
    page.run()
    assert not page.exception
    assert page.get("download_button") == []


def test_profile_page_shows_summary_children_and_unknowns(page: AppTest) -> None:
    _open_district(page)
    headings = [h.value for h in page.subheader]
    for heading in ("Sammanfattning", "Barnperspektiv (BKA)", "Det vet vi inte"):
        assert heading in headings
    text = "\n".join(m.value for m in page.markdown)
    assert "Andelen med låg ekonomisk standard är" in text
    assert "publiceras bara för kommun och större områden" in text
    assert any(c.value.startswith("Skillnaden är markerad när") for c in page.caption)
    children = page.table[0].value
    assert "Antal barn och unga 0–19 år" in children.index
    assert len(children) == 6
