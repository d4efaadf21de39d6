"""Områdesprofil → Lokala iakttagelser: add a note to a demo district, see it as text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sodd.notes import escape_markdown
from sodd.notes_store import NOTES_ID, load_notes
from sodd.store import Store
from tests.conftest import PROJECT_ROOT

PROFILE = str(PROJECT_ROOT / "views" / "omradesprofil.py")
AREA_KEY = "deso:2025:1780X0010"
PAYLOAD = "<script>window.hacked=1</script> **fet** [länk](javascript:alert(1))"


@pytest.fixture
def store_dir(demo_store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the session's demo store: these tests write to it."""
    target = tmp_path / "store"
    shutil.copytree(demo_store_dir, target)
    monkeypatch.setenv("SODD_DATA_DIR", str(target))
    return target


def _open_area() -> AppTest:
    at = AppTest.from_file(PROFILE, default_timeout=120)
    at.run()
    at.selectbox(key="profile_area").set_value(AREA_KEY).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_add_a_note_and_see_it_listed_as_text(store_dir: Path) -> None:
    at = _open_area()
    assert any("inte statistik" in c.value for c in at.caption)
    assert any("Inga iakttagelser" in i.value for i in at.info)
    at.selectbox(key="note_category").set_value("trygghet")
    at.text_area(key="note_text").set_value(PAYLOAD)
    at.text_input(key="note_signature").set_value("AB <i>")
    at.button(key="FormSubmitter:note_form-Spara iakttagelsen").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("sparad" in s.value for s in at.success)

    notes = load_notes(Store(store_dir), "1780X0010", "deso", "2025")
    assert [n.text for n in notes] == [PAYLOAD]
    assert Store(store_dir).manifest().datasets[NOTES_ID].demo
    # Shown through the escaping helper: Markdown and HTML are displayed, not interpreted.
    shown = [m.value for m in at.markdown]
    assert escape_markdown(PAYLOAD) in shown
    assert PAYLOAD not in shown
    assert any("Trygghet" in c.value and "AB \\<i\\>" in c.value for c in at.caption)


def test_empty_note_shows_an_error_and_saves_nothing(store_dir: Path) -> None:
    at = _open_area()
    at.button(key="FormSubmitter:note_form-Spara iakttagelsen").click().run()
    assert not at.exception
    assert any("Fältet text" in e.value for e in at.error)
    assert NOTES_ID not in Store(store_dir).manifest().datasets


def test_delete_a_note(store_dir: Path) -> None:
    from sodd.notes_store import add_note

    note = add_note(Store(store_dir), "1780X0010", "deso", "boende", "Trångt", geo_vintage="2025")
    at = _open_area()
    assert escape_markdown("Trångt") in [m.value for m in at.markdown]
    at.button(key=f"note_delete_{note.note_id}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("borttagen" in s.value for s in at.success)
    assert load_notes(Store(store_dir), "1780X0010", "deso") == []
