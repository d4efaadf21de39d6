"""Områdesprofil → Eget område: create a custom area, see its profile, outline it on Karta."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sodd.formatting import format_value
from sodd.store import Store
from sodd.ui_custom_areas import PICKS_KEY
from sodd.ui_custom_areas_map import PICK_MODE_KEY, picked_codes
from tests.conftest import PROJECT_ROOT

PROFILE = str(PROJECT_ROOT / "views" / "omradesprofil.py")
APP = str(PROJECT_ROOT / "app.py")


@pytest.fixture
def store_dir(demo_store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the session's demo store: this test writes to it."""
    target = tmp_path / "store"
    shutil.copytree(demo_store_dir, target)
    monkeypatch.setenv("SODD_DATA_DIR", str(target))
    return target


def _population(store: Store, codes: list[str]) -> float:
    values = store.read(
        "indicator_values",
        filters=[("indicator_id", "==", "folkmangd"), ("level", "==", "deso")],
    )
    latest = values.loc[values["region_code"].isin(codes), "period"].max()
    chosen = values.loc[values["region_code"].isin(codes) & (values["period"] == latest)]
    assert len(chosen) == len(codes)
    return float(chosen["value"].sum())


def test_create_custom_area_and_see_its_profile(store_dir: Path) -> None:
    at = AppTest.from_file(PROFILE, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    members = at.multiselect(key="custom_members_deso:2025")
    codes = ["1780X0010", "1780X0020", "1780X0030"]
    assert all(any(f"({code})" in label for label in members.options) for code in codes)
    members.set_value(codes)
    at.text_input(key="custom_name").set_value("Planområde Kronoparken")
    at.button(key="custom_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Sparade Planområde Kronoparken" in s.value for s in at.success)

    assert at.selectbox(key="profile_area").value == "custom::EGET-planomrade-kronoparken"
    assert at.header[0].value == "Profil för Planområde Kronoparken"
    population = at.dataframe[0].value.iloc[0]
    assert population["Indikator"] == "Folkmängd"
    expected = _population(Store(store_dir), codes)
    assert population["Området"] == format_value(expected, unit="personer", decimals=0)
    median = at.dataframe[1].value.iloc[0]
    assert median["Området"] == "kan inte läggas samman för egna områden"
    assert any("Eget område av 3 DeSO 2025" in c.value for c in at.caption)


def test_invalid_name_shows_swedish_error_and_saves_nothing(store_dir: Path) -> None:
    at = AppTest.from_file(PROFILE, default_timeout=120)
    at.run()
    at.multiselect(key="custom_members_deso:2025").set_value(["1780X0010"])
    at.button(key="custom_save").click().run()
    assert not at.exception
    assert any("Ge det egna området ett namn" in e.value for e in at.error)
    assert "custom__areas" not in Store(store_dir).manifest().datasets


def test_custom_area_is_outlined_on_the_map_and_can_be_deleted(store_dir: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("views/omradesprofil.py").run()
    at.multiselect(key="custom_members_deso:2025").set_value(["1780X0010", "1780X0020"])
    at.text_input(key="custom_name").set_value("Haga")
    at.button(key="custom_save").click().run()
    assert at.selectbox(key="profile_area").value == "custom::EGET-haga"

    at.switch_page("views/karta.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Det egna området Haga är markerat" in c.value for c in at.caption)
    deck = at.get("deck_gl_json_chart")[0].proto.json
    assert '"eget-omrade"' in deck

    at.switch_page("views/omradesprofil.py").run()
    at.button(key="custom_delete_EGET-haga").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Tog bort Haga" in s.value for s in at.success)
    assert "custom__areas" not in Store(store_dir).manifest().datasets


def test_districts_picked_on_the_map_fill_the_creation_form(store_dir: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.toggle(key=PICK_MODE_KEY).set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    # AppTest cannot click on a pydeck map; this is what the page stores for two clicks.
    objects = [{"region_code": "1780X0020"}, {"region_code": "1780X0010"}]
    assert picked_codes([*objects, objects[0]]) == ["1780X0010", "1780X0020"]
    at.session_state[PICKS_KEY] = {"kind": "deso:2025", "codes": picked_codes(objects)}
    at.switch_page("views/omradesprofil.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="custom_kind").value == "deso:2025"
    assert at.multiselect(key="custom_members_deso:2025").value == ["1780X0010", "1780X0020"]
