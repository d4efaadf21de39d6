"""The profile page's peer area ("Jämför med område") and change column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import sodd.ui_export
from sodd.export import render
from sodd.store import Store
from tests.conftest import PROJECT_ROOT

PAGE = str(PROJECT_ROOT / "views" / "omradesprofil.py")
PEER = "deso:2025:1715X0010"


@pytest.fixture
def page(demo_store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("SODD_DATA_DIR", str(demo_store_dir))
    app = AppTest.from_file(PAGE, default_timeout=120)
    app.query_params["area"] = "1780X0010"
    app.query_params["level"] = "deso"
    return app


def _peer_box(app: AppTest) -> Any:
    return next(s for s in app.selectbox if s.label == "Jämför med område")


def _population_table(app: AppTest) -> pd.DataFrame:
    return next(
        frame.value
        for frame in app.dataframe
        if "Folkmängd" in set(frame.value.get("Indikator", pd.Series(dtype=str)))
    )


def test_picking_a_peer_shows_its_column_with_the_store_values(
    page: AppTest, demo_store_dir: Path
) -> None:
    page.run()
    assert not page.exception, [e.value for e in page.exception]
    column = "Jämförelseområde: Kil (Centrum) – område 1"
    assert column not in _population_table(page).columns
    assert "Förändring" in _population_table(page).columns
    _peer_box(page).select(PEER).run()
    assert not page.exception, [e.value for e in page.exception]
    assert page.query_params["jamfor"] == PEER
    table = _population_table(page)
    population = table.loc[table["Indikator"] == "Folkmängd"].iloc[0]
    stored = Store(demo_store_dir).read(
        "indicator_values",
        filters=[("region_code", "==", "1715X0010"), ("indicator_id", "==", "folkmangd")],
    )
    expected = stored.loc[stored["period"] == population["År"], "value"].iloc[0]
    assert population[column].replace("\u00a0", "").startswith(str(round(expected)))
    assert any("jämförelseområdets värde" in c.value for c in page.caption)


def test_peer_from_the_link_reaches_every_export(
    page: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[Any, Any]] = []
    monkeypatch.setattr(
        sodd.ui_export, "render_export_buttons", lambda p, c, lang: seen.append((p, c))
    )
    page.query_params["jamfor"] = PEER
    page.run()
    assert not page.exception, [e.value for e in page.exception]
    assert _peer_box(page).value == PEER
    (profile, context), *_ = seen
    assert profile.peer is not None and profile.peer.region_code == "1715X0010"
    html = render(profile, context, "html").decode("utf-8")
    assert "Jämförelseområde: Kil (Centrum) – område 1" in html


def test_clearing_the_peer_removes_the_column_and_the_parameter(page: AppTest) -> None:
    page.query_params["jamfor"] = PEER
    page.run()
    _peer_box(page).set_value(None).run()
    assert not page.exception, [e.value for e in page.exception]
    assert "jamfor" not in page.query_params
    assert not any(c.startswith("Jämförelseområde") for c in _population_table(page).columns)
