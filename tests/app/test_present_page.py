"""The Presentera page: prepare an agenda, present it, step with Nästa/Föregående."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sodd.agenda import Agenda, add_view, load_agendas, new_agenda, new_view, save_agenda
from sodd.store import Store
from tests.conftest import PROJECT_ROOT

PAGE = str(PROJECT_ROOT / "views" / "presentera.py")


@pytest.fixture
def data_dir(demo_store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo store: agendas are written, and the shared demo stays clean."""
    target = tmp_path / "store"
    shutil.copytree(demo_store_dir, target)
    monkeypatch.setenv("SODD_DATA_DIR", str(target))
    return target


@pytest.fixture
def agenda(data_dir: Path) -> Agenda:
    agenda = new_agenda("Workshop Kronoparken")
    agenda = add_view(
        agenda,
        new_view("Befolkningen", "karta", "kommun=1780&indikator=folkmangd&niva=deso&ar=2020"),
    )
    agenda = add_view(
        agenda,
        new_view(
            "Låg ekonomisk standard i länet",
            "karta",
            "visa=lan&lan=17&indikator=lag_ekonomisk_standard&niva=kommun",
        ),
    )
    save_agenda(Store(data_dir), agenda)
    return agenda


def _vy(at: AppTest) -> str | None:
    if "vy" not in at.query_params:
        return None
    value = at.query_params["vy"]
    return value if isinstance(value, str) else value[-1]


def test_present_steps_to_the_next_view_and_keeps_the_place_in_the_url(agenda: Agenda) -> None:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params.update({"agenda": agenda.agenda_id, "vy": "1"})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Befolkningen"
    assert any(m.value == "**Vy 1 / 2**" for m in at.markdown)
    assert at.button(key="present_prev").disabled
    assert at.subheader[0].value == "Folkmängd, Karlstad 2020"
    at.button(key="present_next").click().run()
    assert at.title[0].value == "Låg ekonomisk standard i länet"
    assert _vy(at) == "2"
    assert at.button(key="present_next").disabled
    # The summary sentence and the legend of the map are on the slide.
    assert any("Värmlands län som helhet" in m.value for m in at.markdown)
    legend = [h.proto.body for h in at.get("html") if "Teckenförklaring" in h.proto.body]
    assert legend and "font-size:1.2rem" in legend[0]
    # The map's table alternative is on the slide too, one row per area of the map.
    assert at.expander[0].label == "Tabell med samma värden"
    assert len(at.dataframe[0].value) > 1
    # Sidebar hidden, large type and the key handler are injected.
    css = next(h.proto.body for h in at.get("html") if "stSidebar" in h.proto.body)
    assert "display: none" in css and "font-size: 24px" in css and "ArrowRight" in css
    at.button(key="present_prev").click().run()
    assert _vy(at) == "1" and at.title[0].value == "Befolkningen"
    at.button(key="present_exit").click().run()
    assert _vy(at) is None and at.title[0].value == "Presentera"


def test_a_position_past_the_end_is_moved_to_the_last_view_with_a_notice(agenda: Agenda) -> None:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params.update({"agenda": agenda.agenda_id, "vy": "7"})
    at.run()
    assert at.title[0].value == "Låg ekonomisk standard i länet"
    assert any("vyn ”7”" in w.value for w in at.warning)
    assert _vy(at) == "2"


def test_prepare_add_reorder_and_start(agenda: Agenda, data_dir: Path) -> None:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params.update({"agenda": agenda.agenda_id})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.selectbox(key="agenda_add_indicator").set_value("lag_ekonomisk_standard").run()
    at.selectbox(key="agenda_add_year").set_value("2019").run()
    at.button(key="agenda_add_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    saved = load_agendas(Store(data_dir))[0]
    assert len(saved.views) == 3
    third = saved.views[2].params()
    assert third["indikator"] == "lag_ekonomisk_standard" and third["ar"] == "2019"
    assert saved.views[2].title.startswith("Andel med låg ekonomisk standard")

    at.button(key="agenda_up_3").click().run()
    titles = [v.title for v in load_agendas(Store(data_dir))[0].views]
    assert titles[1].startswith("Andel med låg") and titles[2] == "Låg ekonomisk standard i länet"
    at.button(key="agenda_remove_1").click().run()
    assert len(load_agendas(Store(data_dir))[0].views) == 2

    at.button(key="present_start").click().run()
    assert _vy(at) == "1"
    assert at.title[0].value.startswith("Andel med låg ekonomisk standard")


def test_new_agenda_needs_a_name(data_dir: Path) -> None:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.run()
    assert at.selectbox(key="present_target").value == "__ny__"
    at.button(key="agenda_add_button").click().run()
    assert any("Agendans namn får inte vara tomt" in e.value for e in at.error)
    at.text_input(key="present_new_name").input("Trygghetsvandring").run()
    at.button(key="agenda_add_button").click().run()
    assert [a.name for a in load_agendas(Store(data_dir))] == ["Trygghetsvandring"]
    assert at.selectbox(key="present_target").value == load_agendas(Store(data_dir))[0].agenda_id


def test_karta_adds_its_current_view_to_an_agenda(agenda: Agenda, data_dir: Path) -> None:
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"kommun": "1784", "indikator": "lag_ekonomisk_standard", "ar": "2018"})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.selectbox(key="karta_agenda_target").set_value(agenda.agenda_id)
    at.button(key="karta_agenda_add").click().run()
    assert any("Vyn är tillagd i agendan ”Workshop Kronoparken”" in s.value for s in at.success)
    view = load_agendas(Store(data_dir))[0].views[-1]
    assert view.page == "karta"
    assert view.title == "Andel med låg ekonomisk standard, Arvika 2018"
    params = view.params()
    assert params["kommun"] == "1784" and params["ar"] == "2018" and params["visa"] == "kommun"
