"""A link reproduces a view: query parameters → widget state → query parameters, per page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sodd.agenda import add_view, new_agenda, new_view, save_agenda
from sodd.store import Store
from tests.conftest import PROJECT_ROOT

APP = str(PROJECT_ROOT / "app.py")
KARTA_LINK = {
    "visa": "kommun",
    "kommun": "1784",
    "indikator": "lag_ekonomisk_standard",
    "niva": "regso",
    "ar": "2019",
    "klass": "natural_breaks",
}


@pytest.fixture
def app(demo_store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("SODD_DATA_DIR", str(demo_store_dir))
    return AppTest.from_file(APP, default_timeout=120)


def _params(at: AppTest) -> dict[str, str]:
    values = {name: at.query_params[name] for name in at.query_params}
    return {name: v if isinstance(v, str) else v[-1] for name, v in values.items()}


def _share_html(at: AppTest) -> str:
    bodies = [element.proto.body for element in at.get("html")]
    return next(body for body in bodies if "Kopiera länk" in body or "Copy link" in body)


def _open(at: AppTest, page: str | None, params: dict[str, str]) -> AppTest:
    """Open a link in a new session (the way a shared link is opened)."""
    if page is not None:
        at.switch_page(page)
    at.query_params.clear()
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_karta_link_sets_every_widget_and_the_url_keeps_it(app: AppTest) -> None:
    app.query_params.update(KARTA_LINK)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.radio(key="map_scope").value == "kommun"
    assert app.selectbox(key="map_kommun").value == "1784"
    assert app.selectbox(key="map_theme").value == "socioekonomi"  # follows the indicator
    assert app.selectbox(key="map_indicator").value == "lag_ekonomisk_standard"
    assert app.radio(key="map_level").value == "regso"
    assert app.select_slider(key="map_year").value == "2019"
    assert app.radio(key="map_class").value == "natural_breaks"
    assert app.subheader[0].value == "Andel med låg ekonomisk standard, Arvika 2019"
    assert _params(app) == {**KARTA_LINK, "lang": "sv"}
    assert not app.warning[1:]  # only the demo banner: nothing in the link was dropped

    share = _share_html(app)
    assert 'aria-live="polite"' in share and "<button" in share
    assert "./?visa=kommun&amp;kommun=1784&amp;indikator=lag_ekonomisk_standard" in share


def test_karta_choices_are_written_back_to_the_url(app: AppTest) -> None:
    app.run()
    assert {"visa", "kommun", "indikator", "niva", "ar", "klass"} <= set(_params(app))
    app.select_slider(key="map_year").set_value("2016").run()
    assert _params(app)["ar"] == "2016"
    app.radio(key="map_scope").set_value("lan").run()
    params = _params(app)
    assert params["visa"] == "lan" and params["lan"] == "17"
    assert "kommun" not in params  # the kommun is no longer part of the view
    app.radio(key="map_scope").set_value("riket").run()
    assert not {"kommun", "lan"} & set(_params(app))


def test_a_later_link_wins_over_the_choices_made(app: AppTest) -> None:
    app.run()
    app.select_slider(key="map_year").set_value("2016").run()
    app.query_params.update({"ar": "2021"})  # a link inside the app (e.g. an agenda view)
    app.run()
    assert app.select_slider(key="map_year").value == "2021"


def test_stale_values_are_dropped_with_a_notice_not_a_crash(app: AppTest) -> None:
    app.query_params.update(
        {"indikator": "borttagen_indikator", "ar": "1999", "kommun": "9999", "visa": "kommun"}
    )
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    notices = [w.value for w in app.warning]
    assert any("indikatorn ”borttagen_indikator”" in n for n in notices)
    assert any("kommunen ”9999”" in n for n in notices)
    assert any("året ”1999”" in n for n in notices)
    params = _params(app)
    assert params["indikator"] != "borttagen_indikator" and params["ar"] != "1999"


def test_language_comes_from_and_goes_to_the_link(app: AppTest) -> None:
    _open(app, None, {"lang": "en", **KARTA_LINK})
    assert app.title[0].value == "Map"
    assert "Copy link" in _share_html(app)
    app.sidebar.selectbox(key="lang").set_value("sv").run()
    assert _params(app)["lang"] == "sv"


def test_profile_link_round_trip(app: AppTest) -> None:
    _open(app, "views/omradesprofil.py", {"area": "1780", "level": "kommun"})
    assert app.selectbox(key="profile_area").value == "kommun::1780"
    assert _params(app)["area"] == "1780" and _params(app)["level"] == "kommun"
    options = app.selectbox(key="profile_area").options
    assert options
    app.selectbox(key="profile_area").set_value("lan::17").run()
    params = _params(app)
    assert (params["area"], params["level"]) == ("17", "lan") and "vintage" not in params
    assert "omradesprofil?area=17&amp;level=lan" in _share_html(app)
    app.selectbox(key="profile_peer").set_value("kommun::1784").run()
    assert _params(app)["jamfor"] == "kommun::1784"
    assert "jamfor=kommun::1784" in _share_html(app)


def test_housing_link_round_trip(app: AppTest) -> None:
    _open(app, "views/bostadsloshet.py", {"kommun": "1784"})
    assert app.selectbox(key="bl_kommun").value == "1784"
    app.selectbox(key="bl_kommun").set_value("1780").run()
    assert _params(app)["kommun"] == "1780"
    _open(app, "views/bostadsloshet.py", {"kommun": "0000"})
    assert any("kommunen ”0000”" in w.value for w in app.warning)


def test_sources_page_keeps_the_language_and_offers_the_link(app: AppTest) -> None:
    _open(app, "views/datakallor.py", {"lang": "en"})
    assert app.title[0].value == "Data sources"
    assert _params(app) == {"lang": "en"}
    assert "datakallor?lang=en" in _share_html(app)


def test_presenter_link_selects_agenda_and_view(
    demo_store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "store"
    shutil.copytree(demo_store_dir, data_dir)
    agenda = new_agenda("Workshop")
    for title in ("Första", "Andra"):
        agenda = add_view(agenda, new_view(title, "karta", "kommun=1780&indikator=folkmangd"))
    save_agenda(Store(data_dir), agenda)
    monkeypatch.setenv("SODD_DATA_DIR", str(data_dir))
    page = AppTest.from_file(str(PROJECT_ROOT / "views" / "presentera.py"), default_timeout=120)
    page.query_params.update({"agenda": agenda.agenda_id})
    page.run()
    assert page.selectbox(key="present_target").value == agenda.agenda_id
    page.query_params.update({"vy": "2"})
    page.run()
    assert page.title[0].value == "Andra"
    assert _params(page)["vy"] == "2"
