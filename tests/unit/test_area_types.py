"""SCB's områdestyp as a map filter: latest type per RegSO, DeSO via their RegSO, greying."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box
from streamlit.testing.v1 import AppTest

from sodd.area_types import area_type_label, codes_of_area_types, latest_area_types
from sodd.i18n import t
from sodd.indicators.catalog import load_catalog
from sodd.map_records import MUTED_COLOUR
from sodd.map_view import Scope, build_map_view
from sodd.schema import INDICATOR_VALUE_COLUMNS
from tests.conftest import PROJECT_ROOT


def _values(rows: list[tuple[str, str, str, float | None, str | None]], level: str) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["region_code", "geo_vintage", "period", "value", "status"])
    frame = frame.assign(
        indicator_id="omradestyp", level=level, numerator=None, denominator=None,
        provenance="scb:TAB6586",
    )  # fmt: skip
    return frame[list(INDICATOR_VALUE_COLUMNS)]


TYPES = _values(
    [
        ("1780R001", "2025", "2023", 3.0, None),
        ("1780R001", "2025", "2024", 1.0, None),  # latest year decides
        ("1780R002", "2025", "2024", 4.0, None),
        ("1780R003", "2025", "2024", None, ".."),  # suppressed: falls back to 2023
        ("1780R003", "2025", "2023", 2.0, None),
        ("1780R001", "2020", "2022", 5.0, None),  # same code, the older RegSO vintage
    ],
    "regso",
)
INDEX = pd.DataFrame(
    {
        "region_code": ["1780C1010", "1780C1020", "1780C1030", "1780C1010"],
        "level": ["deso"] * 4,
        "geo_vintage": ["2025", "2025", "2025", "2018"],
        "parent_code": ["1780R001", "1780R002", "1780R003", "1780R001"],
        "name": ["a", "b", "c", "a"],
    }
)


def test_latest_published_type_per_regso_and_vintage() -> None:
    latest = latest_area_types(TYPES).sort_values(["region_code", "geo_vintage"])
    assert latest[["region_code", "geo_vintage", "period", "area_type"]].values.tolist() == [
        ["1780R001", "2020", "2022", 5],
        ["1780R001", "2025", "2024", 1],
        ["1780R002", "2025", "2024", 4],
        ["1780R003", "2025", "2023", 2],
    ]


def test_codes_of_types_for_regso_and_deso_follow_the_vintage() -> None:
    latest = latest_area_types(TYPES)
    assert codes_of_area_types([1, 2], latest, INDEX, "regso") == {"1780R001", "1780R003"}
    # DeSO 2025 use RegSO 2025; the DeSO 2018 1780C1010 lies in RegSO 2020 1780R001 (type 5).
    assert codes_of_area_types([1, 2], latest, INDEX, "deso") == {"1780C1010", "1780C1030"}
    assert codes_of_area_types([5], latest, INDEX, "deso") == {"1780C1010"}
    assert codes_of_area_types([3], latest, INDEX, "deso") == frozenset()
    with pytest.raises(ValueError, match="nivån 'kommun'"):
        codes_of_area_types([1], latest, INDEX, "kommun")


def test_labels_in_both_languages() -> None:
    assert area_type_label(1, "sv") == "1 – områden med stora socioekonomiska utmaningar"
    assert area_type_label(5, "en") == "5 – areas with very good socio-economic conditions"


@pytest.mark.shared
def test_labels_are_scbs_own_wording(shared_dir: Path) -> None:
    path = shared_dir / "data" / "other" / "regso_socioekonomisk_index_2022.csv"
    footer = path.read_text(encoding="utf-8-sig")
    for number in range(1, 6):
        assert f"Områdestyp {number} – {t(f'area_type_{number}', 'sv')}" in footer


def test_map_view_greys_out_areas_outside_the_kept_codes() -> None:
    indicator = load_catalog().get("lag_ekonomisk_standard")
    regions = gpd.GeoDataFrame(
        {
            "region_code": ["1780C1010", "1780C1020", "1780C1030"],
            "geo_vintage": ["2025"] * 3,
            "level": ["deso"] * 3,
            "name": ["a", "b", "c"],
            "kommun_code": ["1780"] * 3,
            "lan_code": ["17"] * 3,
            "parent_code": ["1780R001", "1780R002", "1780R003"],
        },
        geometry=[
            box(13.0, 59.0, 13.1, 59.1),
            box(13.1, 59.0, 13.2, 59.1),
            box(13.2, 59, 13.3, 59.1),
        ],
        crs="EPSG:4326",
    )
    values = _values(
        [("1780C1010", "2025", "2024", 10.0, None), ("1780C1020", "2025", "2024", 20.0, None),
         ("1780C1030", "2025", "2024", 30.0, None)],
        "deso",
    ).assign(indicator_id=indicator.id)  # fmt: skip
    names = pd.DataFrame(regions.drop(columns="geometry"))
    args = (values, regions, names, indicator, "deso", "2024", Scope("kommun", "1780", "Karlstad"))

    def fills(keep: frozenset[str] | None) -> dict[str, tuple[list[int], str]]:
        view = build_map_view(*args, "quantiles", "sv", keep_codes=keep)
        assert view.deck is not None
        spec = json.loads(view.deck.to_json())
        data = next(layer["data"] for layer in spec["layers"] if layer["id"] == "omraden")
        palette = view.deck.layers[0].data.palette  # each record's fill indexes it
        return {r["region_code"]: (list(palette[r["fill"]]), r["value_text"]) for r in data}

    everything = fills(None)
    kept = fills(frozenset({"1780C1010", "1780C1030"}))
    muted = [int(MUTED_COLOUR[i : i + 2], 16) for i in (1, 3, 5)]
    assert kept["1780C1020"][0][:3] == muted
    assert "utanför urvalet" in kept["1780C1020"][1]
    # Kept areas keep the colours of the unfiltered map (classes cover every area).
    assert kept["1780C1010"] == everything["1780C1010"]
    assert kept["1780C1030"] == everything["1780C1030"]
    assert all(fill[:3] != muted for fill, _ in everything.values())


def test_karta_filter_on_the_demo_store(
    demo_store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SODD_DATA_DIR", str(demo_store_dir))
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    app.run()
    app.switch_page("views/karta.py").run()
    app.radio(key="map_level").set_value("regso").run()
    assert not app.exception, [e.value for e in app.exception]
    chooser = app.multiselect(key="map_area_types")
    assert chooser.options == [area_type_label(n, "sv") for n in range(1, 6)]
    chooser.set_value([1, 2]).run()
    assert not app.exception, [e.value for e in app.exception]
    assert any("standardavvikelser" in c.value for c in app.caption)
    app.radio(key="map_level").set_value("deso").run()
    assert not app.exception, [e.value for e in app.exception]
