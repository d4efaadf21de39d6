"""Datakällor → Uppdatera against the SCB stand-in: demo replaced by real-structured data."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sodd.pipeline import install_demo
from sodd.store import Store
from tests.conftest import PROJECT_ROOT, StandIn

APP = str(PROJECT_ROOT / "app.py")
DEMO_LABEL = "Exempeldata – inte verklig statistik"


@pytest.mark.shared
def test_update_button_fetches_scb_and_removes_the_demo(
    scb_standin: StandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_demo(Store(tmp_path), lan_codes=["17"], districts_per_kommun=3)
    monkeypatch.setenv("SODD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SODD_SCB_API_URL", scb_standin.api_url)
    monkeypatch.setenv("SODD_SCB_WFS_URL", scb_standin.wfs_url)
    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    at.switch_page("views/datakallor.py").run()
    assert any(DEMO_LABEL in w.value for w in at.warning)

    at.radio(key="refresh_scope").set_value("kommun")
    at.selectbox(key="refresh_area").set_value("kommun:1780")
    at.number_input(key="refresh_from").set_value(2023)
    at.checkbox(key="refresh_kolada").uncheck()  # Kolada has no stand-in here
    next(b for b in at.button if b.label == "Uppdatera").click().run()
    assert not at.exception, [e.value for e in at.exception]

    results = at.dataframe[-1].value
    outcomes = dict(zip(results["Datamängd"], results["Resultat"], strict=True))
    scb = {key: value for key, value in outcomes.items() if key.startswith("scb__tab")}
    assert len(scb) == 15 and set(scb.values()) == {"ny version"}
    assert outcomes["scb_geo__deso_2025"] == "ny version"
    assert outcomes["demo__indicator_values"] == "borttagen (exempeldata)"
    assert not any(key.startswith("kolada__") for key in outcomes)
    assert any("0 misslyckade" in s.value for s in at.success)

    at.switch_page("views/karta.py").run()
    assert not any(DEMO_LABEL in w.value for w in at.warning)
    assert at.selectbox(key="map_kommun").value == "1780"
    table = at.dataframe[-1].value
    assert table["Kod"].str.fullmatch(r"1780[ABC]\d{4}").all()
    assert len(table) == 57  # Karlstad's DeSO 2025 in the latest year
