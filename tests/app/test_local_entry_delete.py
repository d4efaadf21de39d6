"""Egna uppgifter: rows typed into the table are checked, previewed and saved; a stored
upload is removed only after "Ja, ta bort".

AppTest (streamlit 1.67) cannot type into ``st.data_editor`` cells (``set_value`` raises
``AppTestError``), but a keyed editor takes its edit state (``edited_rows``,
``added_rows``, ``deleted_rows``) from ``at.session_state`` before ``run()``: the same
structure the browser sends, so the page's own frame → check → preview → save path runs.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.errors import AppTestError

from sodd.local import check_upload, load_local, save_local
from sodd.local.cli import region_index
from sodd.local.store import VALUES_ID
from sodd.local.templates import headers
from sodd.local.values import MAPPING_ID
from sodd.store import Store
from tests.conftest import PROJECT_ROOT
from tests.unit.local_helpers import MAPPING_HEADER, csv_bytes

PAGE = str(PROJECT_ROOT / "views" / "egna_uppgifter.py")


@pytest.fixture
def data_dir(demo_store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "data"
    shutil.copytree(demo_store_dir, target)
    monkeypatch.setenv("SODD_DATA_DIR", str(target))
    return target


def _page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.selectbox(key="local_kommun").set_value("1780").run()
    return at


def _typed(rows: list[list[str]]) -> dict[str, object]:
    names = headers("kartlaggning")
    added = [dict(zip(names, row, strict=True)) for row in rows]
    return {"edited_rows": {}, "added_rows": added, "deleted_rows": []}


def test_rows_typed_into_the_table_are_previewed_then_saved(data_dir: Path) -> None:
    before = Store(data_dir).manifest()
    at = _page()
    assert at.data_editor(key="local_editor_kartlaggning").editing_mode == "dynamic"
    at.session_state["local_editor_kartlaggning"] = _typed([
        ["1780", "2023", "1", "kvinnor", "totalt", "totalt", "totalt", "8"],
        ["1780", "2023", "1", "män", "totalt", "totalt", "totalt", "13"],
    ])  # fmt: skip
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Så här sparas den (2 rader)" in s.value for s in at.success)
    preview = next(df.value for df in at.dataframe if "Rad" in df.value.columns)
    assert preview["Antal personer"].tolist() == ["8", "13"]
    assert Store(data_dir).manifest() == before  # nothing stored before "Spara"

    at.button(key="local_editor_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Sparat: 2 rader för 2023" in s.value for s in at.success)
    store = Store(data_dir)
    assert sorted(load_local(store, "kartlaggning")["value"]) == [8.0, 13.0]
    values = store.read("indicator_values", dataset_ids=[VALUES_ID])
    assert values.loc[values["indicator_id"] == MAPPING_ID, "value"].tolist() == [21.0]


def test_typed_rows_with_problems_are_listed_and_not_saved(data_dir: Path) -> None:
    at = _page()
    at.session_state["local_editor_kartlaggning"] = _typed(
        [["1780", "2023", "7", "män", "totalt", "totalt", "totalt", "13"]]
    )
    at.run()
    assert at.error[0].value == "1 fel hittades. Inget sparas förrän alla är rättade."
    problems = next(df.value for df in at.dataframe if "Kolumn" in df.value.columns)
    assert problems[["Rad", "Kolumn", "Värde"]].values.tolist() == [["2", "Situation", "7"]]
    assert not any(b.key == "local_editor_save" for b in at.button)


def test_a_stored_upload_is_removed_only_after_confirmation(data_dir: Path) -> None:
    store = Store(data_dir)
    lines = [MAPPING_HEADER, "1780;2023;1;män;totalt;totalt;10", "1780;2024;1;män;totalt;totalt;11"]
    save_local(store, check_upload(csv_bytes(lines), "f.csv", "kartlaggning",
                                   region_index(store)), disclosure_min=5)  # fmt: skip
    at = _page()
    choice = at.selectbox(key="local_delete_choice")
    assert choice.options == ["Hemlöshetskartläggning 2023", "Hemlöshetskartläggning 2024"]
    assert at.button(key="local_delete_button").disabled
    choice.set_value(1).run()
    with pytest.raises(AppTestError, match="disabled"):  # not before "Ja, ta bort"
        at.button(key="local_delete_button").click()
    at.run()
    assert sorted(load_local(store, "kartlaggning")["period"]) == ["2023", "2024"]

    at.checkbox(key="local_delete_confirm").check().run()
    assert not at.button(key="local_delete_button").disabled
    at.button(key="local_delete_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Borttaget: 1 rader (Hemlöshetskartläggning 2024)" in s.value for s in at.success)
    assert load_local(store, "kartlaggning")["period"].tolist() == ["2023"]
    values = store.read("indicator_values", dataset_ids=[VALUES_ID])
    assert values["period"].tolist() == ["2023"]
    # The list follows, and the confirmation is unticked again.
    assert at.selectbox(key="local_delete_choice").options == ["Hemlöshetskartläggning 2023"]
    assert at.checkbox(key="local_delete_confirm").value is False
