"""Issue 5, item 5: kommun-level indicators on the map only at kommun level or coarser.

Runs the map page with AppTest on the small demo store (Värmland).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import PROJECT_ROOT

# Through app.py: the map page links to other pages, which only st.navigation knows.
APP = str(PROJECT_ROOT / "app.py")


@pytest.fixture
def karta(demo_store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("SODD_DATA_DIR", str(demo_store_dir))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert at.radio(key="map_scope")  # the map is the start page
    return at


@pytest.mark.parametrize(
    ("scope", "levels"),
    [("kommun", ["kommun"]), ("lan", ["kommun"]), ("riket", ["kommun", "lan"])],
)
@pytest.mark.parametrize("indicator_id", ["avhysningar_verkstallda", "bme_marknadslage"])
def test_level_options_exclude_deso_and_regso(
    karta: AppTest, scope: str, levels: list[str], indicator_id: str
) -> None:
    karta.radio(key="map_scope").set_value(scope).run()
    karta.selectbox(key="map_theme").set_value("bostadsloshet").run()
    karta.selectbox(key="map_indicator").set_value(indicator_id).run()
    assert not karta.exception, [e.value for e in karta.exception]
    radio = karta.radio(key="map_level")
    names = {"kommun": "Kommun", "lan": "Län"}
    assert radio.options == [names[level] for level in levels]
    assert not {"DeSO", "RegSO"} & set(radio.options)


def test_bme_map_shows_every_kommun_at_kommun_level(karta: AppTest) -> None:
    karta.radio(key="map_scope").set_value("lan").run()
    karta.selectbox(key="map_theme").set_value("bostadsloshet").run()
    karta.selectbox(key="map_indicator").set_value("bme_marknadslage").run()
    assert not karta.exception, [e.value for e in karta.exception]
    table = karta.dataframe[-1].value
    assert len(table) == 16  # Värmland's kommuner
    # The table's styler shows the words (format_value); its data keep the codes.
    assert set(table["Värde"].dropna()) <= {-1.0, 0.0, 1.0}
    assert table["Kod"].str.len().eq(4).all()
