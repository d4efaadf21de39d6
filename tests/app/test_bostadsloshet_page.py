"""The page "Bostadslöshet och avhysningar": runs, its numbers equal the store, BME timeline."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from sodd.formatting import format_number
from sodd.sources.boverket import import_boverket
from sodd.sources.kronofogden import import_kronofogden
from sodd.store import Store
from tests.conftest import PROJECT_ROOT

PAGE = str(PROJECT_ROOT / "views" / "bostadsloshet.py")
DEMO_LABEL = "Exempeldata – inte verklig statistik"


def _run(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("SODD_DATA_DIR", str(data_dir))
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _store_series(data_dir: Path, indicator_id: str, codes: list[str]) -> pd.DataFrame:
    values = Store(data_dir).read(
        "indicator_values", filters=[("indicator_id", "==", indicator_id)]
    )
    rows = values.loc[values["region_code"].isin(codes)]
    return rows.pivot_table(index="period", columns="region_code", values="value")[codes]


def _group_members(data_dir: Path, kommun: str) -> list[str]:
    groups = Store(data_dir).read("observations", filters=[("table_id", "==", "kommungrupp")])
    number = groups.loc[groups["region_code"] == kommun, "value"].iloc[0]
    return sorted(groups.loc[groups["value"] == number, "region_code"])


def test_page_on_the_demo_shows_karlstad_against_lan_and_riket(
    demo_store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _run(demo_store_dir, monkeypatch)
    assert any(DEMO_LABEL in w.value for w in at.warning)
    assert at.title[0].value == "Bostadslöshet och avhysningar"
    assert at.selectbox(key="bl_kommun").value == "1780"
    headings = [h.value for h in at.subheader]
    assert headings[:2] == [
        "Barn som berörts av avhysning",
        "Verkställda avhysningar per 10 000 invånare",
    ]
    assert "Hemlöshetens fyra situationer (Socialstyrelsen)" in headings
    # The children's series comes first, inside its own highlighted box.
    texts = [m.value for m in at.markdown]
    assert any(text.startswith("**Barnperspektiv") for text in texts)

    # Table alternative of executed evictions: exactly the store's values.
    table = at.dataframe[1].value
    assert list(table.columns)[:3] == ["Karlstad", "Värmlands län", "Riket"]
    expected = _store_series(demo_store_dir, "avhysningar_verkstallda", ["1780", "17", "00"])
    assert table.iloc[:, :3].to_numpy().tolist() == expected.to_numpy().tolist()
    assert list(table.index) == list(expected.index)

    # Fourth line: sodd's unweighted mean of the demo group's members in the store.
    group_column = table.columns[3]
    assert group_column.startswith("Kommuner av samma typ (SKR): ")
    assert group_column.endswith(", medelvärde (exempelgrupper)")
    members = _group_members(demo_store_dir, "1780")
    store_values = _store_series(demo_store_dir, "avhysningar_verkstallda", members)
    assert table[group_column].tolist() == pytest.approx(store_values.mean(axis=1).tolist())
    assert any("sodds oviktade medelvärde" in c.value for c in at.caption)

    # One sentence per chart, with the store's latest value and the riket comparison.
    year = expected.index[-1]
    kommun_value = format_number(expected.loc[year, "1780"], 1)
    riket_value = format_number(expected.loc[year, "00"], 1)
    sentence = next(text for text in texts if "verkställda avhysningar per 10 000" in text)
    assert sentence.startswith(f"Karlstad hade {year} {kommun_value} verkställda avhysningar")
    assert sentence.endswith(f"än riket ({riket_value}).")

    situations = at.dataframe[-1].value
    assert situations.iloc[:, 0].tolist() == [
        "1. Akut hemlöshet",
        "2. Institution eller stödboende",
        "3. Långsiktiga boendelösningar",
        "4. Eget ordnat kortsiktigt boende",
    ]
    # The demo's BME: the latest year's word, as the store has it.
    bme = Store(demo_store_dir).read("observations", filters=[("table_id", "==", "bme")])
    latest = bme.loc[bme["region_code"] == "1780"].sort_values("period").iloc[-1]
    word = {-1.0: "underskott", 0.0: "balans", 1.0: "överskott"}[latest["value"]]
    assert f"Karlstad bedömde {latest['period']} bostadsmarknaden som {word}." in texts


def test_choosing_another_kommun_changes_the_series(
    demo_store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _run(demo_store_dir, monkeypatch)
    at.selectbox(key="bl_kommun").set_value("1715").run()
    assert not at.exception
    table = at.dataframe[1].value
    assert list(table.columns)[:3] == ["Kil", "Värmlands län", "Riket"]
    expected = _store_series(demo_store_dir, "avhysningar_verkstallda", ["1715", "17", "00"])
    assert table.iloc[:, :3].to_numpy().tolist() == expected.to_numpy().tolist()


def test_imported_files_show_bme_timeline_and_children(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "data")
    import_kronofogden(
        store, "Kommun;År;Verkställda;Barn berörda\nKarlstad;2023;40;11\n".encode(), "k.csv"
    )
    bme = b"kommun;year;status\n1780;2024;balance\n1780;2025;surplus\n1780;2023;shortage\n"
    import_boverket(store, bme, "bme.csv")
    at = _run(tmp_path / "data", monkeypatch)
    assert not any(DEMO_LABEL in w.value for w in at.warning)
    texts = [m.value for m in at.markdown]
    assert "Karlstad hade 2023 11 barn som berörts av avhysning." in texts
    assert "Karlstad bedömde 2025 bostadsmarknaden som överskott." in texts
    timeline = at.dataframe[-1].value
    assert timeline.to_numpy().tolist() == [
        ["2023", "underskott"],
        ["2024", "balans"],
        ["2025", "överskott"],
    ]


def test_english_texts(demo_store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SODD_LANGUAGE", "en")
    at = _run(demo_store_dir, monkeypatch)
    assert at.title[0].value == "Homelessness and evictions"
    assert any(m.value.startswith("In 20") and "Karlstad had" in m.value for m in at.markdown)
