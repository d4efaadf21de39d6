"""Datakällor → Importera fil: preview before storing, Swedish errors, then Spara."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sodd.store import Store
from tests.conftest import PROJECT_ROOT

APP = str(PROJECT_ROOT / "app.py")
KRONOFOGDEN = (
    "Kommun;År;Ansökningar om avhysning;Verkställda avhysningar;Barn berörda\n"
    "Karlstad;2023;98;40;11\nKil;2023;12;4;..\n"
).encode()


@pytest.fixture
def data_dir(demo_store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # A copy: saving must not change the session's shared demo store.
    target = tmp_path / "data"
    shutil.copytree(demo_store_dir, target)
    monkeypatch.setenv("SODD_DATA_DIR", str(target))
    return target


def _sources_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("views/datakallor.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_preview_shows_what_was_recognised_before_anything_is_stored(data_dir: Path) -> None:
    before = Store(data_dir).manifest()
    at = _sources_page()
    at.file_uploader(key="import_file").set_value(("avhysningar.csv", KRONOFOGDEN, "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Kronofogden: avhysningar per kommun" in m.value for m in at.markdown)
    matched = at.dataframe[-2].value
    assert dict(zip(matched["sodd letar efter"], matched["Rubrik i filen"], strict=True)) == {
        "Kommun": "Kommun",
        "År": "År",
        "Ansökta avhysningar": "Ansökningar om avhysning",
        "Verkställda avhysningar": "Verkställda avhysningar",
        "Barn berörda": "Barn berörda",
    }
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Värden": "6", "År": "2023", "Områden": "2 kommun"}
    assert Store(data_dir).manifest() == before  # nothing stored yet

    next(b for b in at.button if b.label == "Spara").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(
        "Sparat: 6 värden för 2023 i kronofogden__avhysningar" in s.value for s in at.success
    )
    stored = Store(data_dir).read("observations", dataset_ids=["kronofogden__avhysningar"])
    karlstad = stored.loc[stored["region_code"] == "1780"].set_index("variable")["value"]
    assert karlstad.to_dict() == {"ansokta": 98.0, "barn_berorda": 11.0, "verkstallda": 40.0}
    assert not Store(data_dir).manifest().is_demo


def test_unrecognised_file_lists_expected_and_found_headers(data_dir: Path) -> None:
    at = _sources_page()
    at.file_uploader(key="import_file").set_value(("x.csv", b"Namn;Tal\nA;1\n", "text/csv"))
    at.run()
    assert not at.exception
    message = at.error[-1].value
    assert message.startswith("Filen kunde inte läsas in.")
    assert "Kronofogden: avhysningar per kommun" in message
    assert 'Hittade rubriker: "Namn", "Tal"' in message
    assert not any(b.label == "Spara" for b in at.button)


def test_chosen_source_is_used_instead_of_guessing(data_dir: Path) -> None:
    at = _sources_page()
    at.selectbox(key="import_source").set_value("socialstyrelsen")
    at.file_uploader(key="import_file").set_value(("avhysningar.csv", KRONOFOGDEN, "text/csv"))
    at.run()
    assert "Socialstyrelsens hemlöshetskartläggning: hittade inte" in at.error[-1].value
