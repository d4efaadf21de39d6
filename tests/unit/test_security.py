"""Security: names with HTML/JS stay text everywhere; export file names stay in their folder.

Custom area names are typed by users and region names come from files and services, so
both are treated as hostile: escaped in the map tooltip (deck.gl puts it into
innerHTML), written as plain text (never markup or a formula) in every export, and kept
out of file names except as a safe ASCII slug.
"""

from __future__ import annotations

import dataclasses
import html
import io
import re
import shutil
from pathlib import Path, PureWindowsPath
from typing import Any

import docx
import geopandas as gpd
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from shapely.geometry import box

from sodd.custom_areas_store import save_custom_area
from sodd.export import FORMATS, build_export_context, export_filename, render
from sodd.export.cli import load_profile
from sodd.export.report_files import REPORT_FORMATS, load_kommun_report, report_filename
from sodd.map_records import build_geometry_records
from sodd.profile import AreaProfile
from sodd.store import Store
from sodd.upload_limit import BYTES_PER_MB, upload_too_large

EVIL = "<img src=x onerror=alert(1)> \"Skolan\" & 'co' <script>alert(2)</script>"
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {
    f"{prefix}{number}" for prefix in ("COM", "LPT") for number in "123456789"
}
NASTY_PARTS = st.sampled_from(
    ["..", "../", "..\\", "/", "\\", "\x00", "CON", "nul", "LPT1", "C:", "~", " ", ".", "%2e%2e"]
)
NAMES = st.lists(st.one_of(NASTY_PARTS, st.text(max_size=40)), max_size=12).map("".join) | st.text(
    min_size=200, max_size=3000
)


FORMULA = '=HYPERLINK("http://example.invalid","klicka")'


@pytest.fixture(scope="module")
def exports(demo_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every export of two custom areas: one named with HTML/JS, one like a formula."""
    target = tmp_path_factory.mktemp("evil") / "store"
    shutil.copytree(demo_store_dir, target)
    store = Store(target)
    found: dict[str, Any] = {}
    for name in (EVIL, FORMULA):
        area = save_custom_area(store, name, ["1780X0010", "1780X0020"])
        profile, regions = load_profile(store, area.code, "custom", None)
        assert profile.name == name
        context = build_export_context(profile, store.manifest(), regions)
        found[name] = {fmt: render(profile, context, fmt) for fmt in FORMATS}
        found[name]["file_names"] = [export_filename(profile, fmt) for fmt in FORMATS]
    return found


@pytest.fixture(scope="module")
def demo_profile(demo_store_dir: Path) -> AreaProfile:
    profile, _ = load_profile(Store(demo_store_dir), "1780X0010", "deso", None)
    return profile


def _is_safe_file_name(name: str, downloads: Path) -> bool:
    stem = name.split(".", 1)[0]
    return (
        re.fullmatch(r"[A-Za-z0-9_.-]+", name) is not None
        and ".." not in name
        and len(name.encode()) <= 255
        and stem.upper() not in WINDOWS_RESERVED
        and (downloads / name).resolve().parent == downloads.resolve()
        and PureWindowsPath(name).name == name
    )


# ------------------------------------------------------------------ file names


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(code=NAMES, name=NAMES, fmt=st.sampled_from(FORMATS))
def test_any_area_gives_a_safe_export_file_name(
    demo_profile: AreaProfile, tmp_path: Path, code: str, name: str, fmt: str
) -> None:
    profile = dataclasses.replace(demo_profile, region_code=code, name=name)
    file_name = export_filename(profile, fmt)
    assert _is_safe_file_name(file_name, tmp_path), file_name
    assert file_name.endswith("." + fmt)


@settings(max_examples=100, deadline=None)
@given(code=NAMES, fmt=st.sampled_from(REPORT_FORMATS))
def test_any_kommun_code_gives_a_safe_report_file_name(
    demo_report_template: object, code: str, fmt: str
) -> None:
    report = dataclasses.replace(demo_report_template, kommun_code=code)  # type: ignore[type-var]
    file_name = report_filename(report, fmt)
    assert _is_safe_file_name(file_name, Path.cwd()), file_name


@pytest.fixture(scope="module")
def demo_report_template(demo_store_dir: Path) -> object:
    return load_kommun_report(Store(demo_store_dir), "1780")


# ------------------------------------------------------------ tooltip and exports


@settings(max_examples=100, deadline=None)
@given(name=st.text(max_size=60) | st.just(EVIL))
def test_map_tooltip_names_are_escaped(name: str) -> None:
    regions = gpd.GeoDataFrame(
        {"region_code": ["1780X0010"], "name": [name]}, geometry=[box(13.5, 59.3, 13.6, 59.4)],
        crs="EPSG:4326",
    )  # fmt: skip
    layer = build_geometry_records(regions)
    for record in layer.records:
        assert not set(record["name"]) & set("<>\"'"), record["name"]
        assert html.unescape(record["name"]) == name


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_custom_area_named_with_html_is_plain_text_in_every_export(
    exports: dict[str, Any], fmt: str
) -> None:
    data = exports[EVIL][fmt]
    assert all(_is_safe_file_name(name, Path.cwd()) for name in exports[EVIL]["file_names"])
    if fmt == "html":
        page = data.decode("utf-8")
        assert "<img" not in page and "<script>alert" not in page
        assert html.escape(EVIL, quote=False) in page or html.escape(EVIL) in page
    elif fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(data))
        cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value]
        named = [c for c in cells if isinstance(c.value, str) and EVIL in c.value]
        assert named and all(c.data_type == "s" for c in named)
    elif fmt == "csv":
        assert EVIL in data.decode("utf-8-sig")
    elif fmt == "pdf":
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        assert "onerror=alert(1)" in " ".join(text.split())  # shown as text, not run
    elif fmt == "docx":
        document = docx.Document(io.BytesIO(data))
        assert any(EVIL in p.text for p in document.paragraphs) or any(
            EVIL in c.text for t in document.tables for r in t.rows for c in r.cells
        )


def test_a_name_that_looks_like_a_formula_is_text_in_xlsx(exports: dict[str, Any]) -> None:
    book = openpyxl.load_workbook(io.BytesIO(exports[FORMULA]["xlsx"]))
    named = [
        c for sheet in book for row in sheet.iter_rows() for c in row
        if isinstance(c.value, str) and "HYPERLINK" in c.value
    ]  # fmt: skip
    assert named and all(c.data_type == "s" for c in named)


# ------------------------------------------------------------------ upload limit


def test_upload_limit_message_names_file_size_and_limit() -> None:
    assert upload_too_large(20 * BYTES_PER_MB, "a.csv", 20) is None
    message = upload_too_large(int(20.5 * BYTES_PER_MB), "stor fil.xlsx", 20)
    assert message == (
        "Filen 'stor fil.xlsx' är 20,5 MB, men största tillåtna storlek är 20 MB. "
        "Dela upp filen eller be administratören höja SODD_MAX_UPLOAD_MB."
    )
    english = upload_too_large(3 * BYTES_PER_MB, "x.csv", 1, "en")
    assert english is not None and "3.0 MB" in english and "1 MB" in english
