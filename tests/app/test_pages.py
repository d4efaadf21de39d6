"""Page tests with Streamlit's AppTest on the small demo store."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import PROJECT_ROOT

APP = str(PROJECT_ROOT / "app.py")
PAGES = [
    "views/karta.py",
    "views/omradesprofil.py",
    "views/bostadsloshet.py",
    "views/egna_uppgifter.py",
    "views/mal.py",
    "views/presentera.py",
    "views/datakallor.py",
]
DEMO_LABEL = "Exempeldata – inte verklig statistik"


@pytest.fixture
def app(demo_store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("SODD_DATA_DIR", str(demo_store_dir))
    return AppTest.from_file(APP, default_timeout=120)


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += (
        [h.value for h in at.header] + [h.value for h in at.subheader] + [h.value for h in at.title]
    )
    return "\n".join(str(p) for p in parts)


def _table(at: AppTest, index: int = -1):  # type: ignore[no-untyped-def]
    return at.dataframe[index].value


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception_and_is_labelled_demo(app: AppTest, page: str) -> None:
    app.run()
    app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]
    assert any(DEMO_LABEL in w.value for w in app.warning)


def test_map_shows_table_alternative_for_the_chosen_kommun(app: AppTest) -> None:
    app.run()
    assert not app.exception
    table = _table(app)
    kommun = app.selectbox(key="map_kommun").value
    assert len(table) == 6  # six demo districts in each kommun of the small demo
    assert table["Kod"].str.startswith(kommun).all()
    assert table["Kod"].str.fullmatch(r"\d{4}X\d{4}").all()


def test_changing_indicator_and_year_changes_what_is_shown(app: AppTest) -> None:
    app.run()
    app.selectbox(key="map_theme").set_value("socioekonomi").run()
    app.selectbox(key="map_indicator").set_value("lag_ekonomisk_standard").run()
    assert not app.exception
    heading = app.subheader[0].value
    assert "låg ekonomisk standard" in heading
    first = _table(app)["Värde"].tolist()
    years = app.select_slider(key="map_year").options
    app.select_slider(key="map_year").set_value(years[0]).run()
    assert years[0] in app.subheader[0].value
    assert _table(app)["Värde"].tolist() != first


def test_kommun_level_indicator_moves_map_to_kommun_level(app: AppTest) -> None:
    app.run()
    app.radio(key="map_scope").set_value("lan").run()
    app.selectbox(key="map_theme").set_value("bostadsloshet").run()
    app.selectbox(key="map_indicator").set_value("avhysningar_verkstallda").run()
    assert not app.exception
    assert app.radio(key="map_level").value == "kommun"
    assert any("publiceras inte finare än kommun" in i.value for i in app.info)
    assert len(_table(app)) == 16  # Värmland's kommuner


def test_language_switch_to_english(app: AppTest) -> None:
    app.run()
    app.sidebar.selectbox(key="lang").set_value("en").run()
    assert not app.exception
    assert app.title[0].value == "Map"
    assert "Area" in _table(app).columns


def test_profile_from_link_shows_area_with_comparators(app: AppTest) -> None:
    app.run()
    code = _table(app)["Kod"].iloc[0]
    app.switch_page("views/omradesprofil.py")
    app.query_params["area"] = code
    app.query_params["level"] = "deso"
    app.run()
    assert not app.exception
    assert code in app.markdown[-1].value or code in _texts(app)
    assert len(app.dataframe) == 5  # one table per theme
    population = app.dataframe[0].value.iloc[0]
    assert population["Indikator"] == "Folkmängd"
    assert population["Området"] and population["Kommunen"] and population["Riket"]


def test_sources_page_lists_demo_datasets(app: AppTest) -> None:
    app.run()
    app.switch_page("views/datakallor.py").run()
    table = _table(app)
    assert (table["Exempeldata"] == "ja").all()
    assert {"områden", "observationer", "indikatorvärden"} <= set(table["Typ"])
    assert "TAB6574" in set(table["Tabell"])


def test_empty_store_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SODD_DATA_DIR", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert any("Datalagret är tomt" in i.value for i in at.info)
    assert not any(DEMO_LABEL in w.value for w in at.warning)


def test_map_of_a_kommun_offers_the_social_report(app: AppTest) -> None:
    app.run()
    buttons = app.get("download_button")
    labels = [b.proto.label for b in buttons]
    assert "Social rapport (PDF)" in labels and "Social rapport (Word)" in labels
    app.radio(key="map_scope").set_value("lan").run()
    assert not [b for b in app.get("download_button") if "Social rapport" in b.proto.label]
