"""Datakällor → Spara workshop: build the bundle for an agenda from the page."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from sodd.schema import AGENDA_COLUMNS
from sodd.store import Store
from tests.conftest import PROJECT_ROOT

SOURCES = str(PROJECT_ROOT / "views" / "datakallor.py")


@pytest.fixture
def store_dir(demo_store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the demo store with one saved agenda (a map view)."""
    target = tmp_path / "store"
    shutil.copytree(demo_store_dir, target)
    agenda = pd.DataFrame(
        [("v1", "Vårens workshop", "1", "Karta", "karta", "kommun=1780", "2026-11-30")],
        columns=list(AGENDA_COLUMNS),
    )
    with Store(target).transaction() as tx:
        tx.write("lokal__agendor", "agendas", agenda, provider="kommun", title="Agendor")
    monkeypatch.setenv("SODD_DATA_DIR", str(target))
    return target


def test_spara_workshop_builds_a_dated_bundle_for_the_agenda(store_dir: Path) -> None:
    at = AppTest.from_file(SOURCES, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    choice = at.selectbox(key="snapshot_agenda")
    assert choice.value == "v1"  # the saved agenda is offered first
    assert choice.options[0].startswith("Ingen agenda")
    at.button(key="snapshot_build").click().run()
    assert not at.exception, [e.value for e in at.exception]
    ready = [s.value for s in at.success if "workshop_" in s.value]
    assert len(ready) == 1 and "workshop_varens-workshop_" in ready[0]
    snapshot = at.session_state["snapshot_result"]
    with zipfile.ZipFile(io.BytesIO(snapshot.data)) as bundle:
        names = bundle.namelist()
    assert any(name.endswith("/agenda.json") for name in names)
    assert any("/vyer/01_karta.html" in name for name in names)
