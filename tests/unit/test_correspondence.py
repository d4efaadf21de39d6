"""DeSO 2018 ↔ 2025 correspondence from geometry, and the profile's one-line note."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Polygon, box

from sodd.correspondence import CORRESPONDENCE_COLUMNS, compute_correspondence, correspondence_note
from sodd.sources.scb_keys import parse_kopplingstabell


def _frame(codes: list[str], geoms: list[Polygon], crs: str = "EPSG:3006") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"region_code": codes}, geometry=geoms, crs=crs)


# Four 1 km squares side by side in SWEREF 99 TM.
def _square(i: int, width: float = 1000.0, start: float = 0.0) -> Polygon:
    return box(500_000 + i * 1000 + start, 6_600_000, 500_000 + i * 1000 + start + width, 6_601_000)


OLD = _frame(["A", "B", "C", "D"], [_square(0), _square(1), _square(2), _square(3)])
NEW = _frame(
    # A unchanged; B gives its eastern quarter to C; D split into D1 and D2.
    ["A", "B", "C", "D1", "D2"],
    [
        _square(0),
        _square(1, 750),
        box(500_000 + 1750, 6_600_000, 500_000 + 3000, 6_601_000),
        _square(3, 400),
        _square(3, 600, 400),
    ],
)


def test_statuses_and_shares_on_handmade_squares() -> None:
    table = compute_correspondence(OLD, NEW)
    assert list(table.columns) == list(CORRESPONDENCE_COLUMNS)
    rows = {(r.code_2018, r.code_2025): r for r in table.itertuples()}
    assert set(rows) == {("A", "A"), ("B", "B"), ("B", "C"), ("C", "C"), ("D", "D1"), ("D", "D2")}
    assert rows["A", "A"].status == "oförändrad"
    assert rows["B", "B"].status == "ändrad"
    assert rows["B", "B"].overlap_share_of_2018 == pytest.approx(0.75)
    assert rows["B", "B"].overlap_share_of_2025 == pytest.approx(1.0)
    assert rows["B", "C"].status == "gränsändring"
    assert rows["C", "C"].overlap_share_of_2025 == pytest.approx(0.8)
    assert rows["D", "D1"].status == rows["D", "D2"].status == "ny"
    assert rows["D", "D2"].overlap_share_of_2018 == pytest.approx(0.6)


def test_areas_without_partner_are_new_or_ended() -> None:
    far = box(600_000, 6_700_000, 601_000, 6_701_000)
    table = compute_correspondence(OLD.iloc[:1], _frame(["A", "Z"], [_square(0), far]))
    assert table.loc[table["code_2025"] == "Z", "status"].tolist() == ["ny"]
    assert table.loc[table["code_2025"] == "Z", "code_2018"].isna().all()
    gone = compute_correspondence(OLD.iloc[:2], NEW.iloc[:1])
    assert gone.loc[gone["code_2018"] == "B", "status"].tolist() == ["upphörd"]


def test_shares_are_measured_in_metres_not_degrees() -> None:
    # The same squares in WGS 84: a degree of longitude is about half a degree of
    # latitude in length at 59° N, so shares computed in degrees would be off.
    old = OLD.to_crs("EPSG:4326")
    new = NEW.to_crs("EPSG:4326")
    table = compute_correspondence(old, new)
    share = table.loc[(table["code_2018"] == "B") & (table["code_2025"] == "B")]
    assert share["overlap_share_of_2018"].iloc[0] == pytest.approx(0.75, abs=0.001)


def test_repeated_code_is_refused() -> None:
    with pytest.raises(ValueError, match="'A' förekommer två gånger"):
        compute_correspondence(_frame(["A", "A"], [_square(0), _square(1)]), NEW)


@pytest.mark.parametrize(
    ("code", "vintage", "lang", "expected"),
    [
        ("A", "2025", "sv", "Området är oförändrat mellan DeSO 2018 och DeSO 2025."),
        ("D2", "2025", "sv", "Området ändrades 2025: ytan kommer från D (100 %) i DeSO 2018."),
        (
            "D",
            "2018",
            "sv",
            "Området ändrades 2025: ytan ingår nu i D2 (60 %) och D1 (40 %) i DeSO 2025.",
        ),
        (
            "C",
            "2025",
            "en",
            "The area changed in 2025: its land comes from C (80 %) and B (20 %) in DeSO 2018.",
        ),
        ("X", "2025", "sv", None),
    ],
)
def test_note_for_the_profile(code: str, vintage: str, lang: str, expected: str | None) -> None:
    assert correspondence_note(compute_correspondence(OLD, NEW), code, vintage, lang) == expected


@pytest.fixture(scope="module")
def stockholm_2018(shared_dir: Path) -> gpd.GeoDataFrame:
    path = shared_dir / "data" / "geo" / "deso_2018_stockholms_lan_simplified_with_pop.json"
    frame = gpd.read_file(path).rename(columns={"id": "region_code"})
    # Three kommuner keep the overlay fast: Upplands Väsby, Vallentuna, Österåker.
    return frame.loc[frame["kommun"].isin(["0114", "0115", "0117"]), ["region_code", "geometry"]]


@pytest.mark.shared
def test_real_2018_polygons_against_synthetic_2025_variants(
    stockholm_2018: gpd.GeoDataFrame,
) -> None:
    old = stockholm_2018.reset_index(drop=True)
    assert len(old) > 40
    unchanged = compute_correspondence(old, old)
    # The shared copy was simplified polygon by polygon, so neighbours overlap; the
    # comparison must still see every area as unchanged and nothing else.
    assert set(unchanged["status"]) == {"oförändrad"}
    assert (unchanged["code_2018"] == unchanged["code_2025"]).all()

    metric = old.to_crs("EPSG:3006")
    new = metric.copy()
    # A split: the first area ends and becomes two new ones (west and east halves).
    split_code = new.loc[0, "region_code"]
    geom = new.geometry.iloc[0]
    minx, miny, maxx, maxy = geom.bounds
    middle = (minx + maxx) / 2
    west = shapely.intersection(geom, box(minx - 1, miny - 1, middle, maxy + 1))
    east = shapely.intersection(geom, box(middle, miny - 1, maxx + 1, maxy + 1))
    new = new.drop(index=0)
    new.loc[len(metric)] = [split_code[:4] + "C9990", west]
    new.loc[len(metric) + 1] = [split_code[:4] + "C9980", east]
    # A moved boundary: the neighbour with the longest shared border takes a strip.
    target = metric.geometry.iloc[5]
    touching = metric.loc[metric.index != 5]
    shared = touching.geometry.intersection(target.boundary).length
    neighbour = int(shared.idxmax())
    strip = shapely.intersection(target, metric.geometry.loc[neighbour].buffer(300))
    new.loc[5, "geometry"] = shapely.difference(target, strip)
    new.loc[neighbour, "geometry"] = shapely.union(metric.geometry.loc[neighbour], strip)
    new = gpd.GeoDataFrame(new, geometry="geometry", crs="EPSG:3006")

    table = compute_correspondence(old, new)
    split = table.loc[table["code_2018"] == split_code]
    assert set(split["code_2025"]) == {split_code[:4] + "C9990", split_code[:4] + "C9980"}
    assert set(split["status"]) == {"ny"}
    assert split["overlap_share_of_2018"].sum() == pytest.approx(1.0, abs=0.02)
    moved = metric.loc[5, "region_code"]
    taker = metric.loc[neighbour, "region_code"]
    statuses = {(r.code_2018, r.code_2025): r.status for r in table.itertuples()}
    assert statuses[moved, moved] == "ändrad"
    assert statuses[taker, taker] == "ändrad"
    assert statuses[moved, taker] == "gränsändring"
    untouched = set(old["region_code"]) - {split_code, moved, taker}
    assert all(statuses[code, code] == "oförändrad" for code in untouched)
    note = correspondence_note(table, split_code, "2018", "sv")
    assert note is not None and note.startswith("Området ändrades 2025: ytan ingår nu i ")


@pytest.mark.shared
def test_karlstad_2025_polygons_match_the_key_file(shared_dir: Path) -> None:
    geo = shared_dir / "data" / "geo"
    areas = json.loads((geo / "karlstad_deso2025_am-dashboard.json").read_text())["areas"]
    keys = parse_kopplingstabell((geo / "deso2025_regso2025_mapping.json").read_bytes())
    karlstad = keys.loc[keys["kommun_code"] == "1780"]
    polygons = {a["code"].removesuffix("_DeSO2025"): a["regso"] for a in areas}
    assert len(polygons) == len(karlstad) == 57
    by_key = dict(zip(karlstad["deso_code"], karlstad["regso_code"], strict=True))
    assert {code: regso.removesuffix("_RegSO2025") for code, regso in polygons.items()} == by_key
    assert len(set(by_key.values())) == 31


def test_profile_shows_the_note_when_both_vintages_are_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    from sodd.store import Store
    from tests.conftest import PROJECT_ROOT

    def cell(i: float, width: float = 0.01) -> Polygon:
        return box(13.5 + i * 0.01, 59.38, 13.5 + i * 0.01 + width, 59.39)

    rows = [
        ("1780C1010", "2018", "deso", cell(0)),
        ("1780C1020", "2018", "deso", cell(1)),
        ("1780C1010", "2025", "deso", cell(0)),
        ("1780C1020", "2025", "deso", cell(1, 0.006)),
        ("1780C1030", "2025", "deso", cell(1.6, 0.004)),
        ("1780", "", "kommun", box(13.4, 59.3, 13.6, 59.5)),
    ]
    regions = gpd.GeoDataFrame(
        {
            "region_code": [r[0] for r in rows],
            "geo_vintage": [r[1] for r in rows],
            "level": [r[2] for r in rows],
            "name": [r[0] if r[2] == "deso" else "Karlstad" for r in rows],
            "kommun_code": ["1780"] * len(rows),
            "lan_code": ["17"] * len(rows),
            "parent_code": ["1780R001"] * 5 + ["17"],
        },
        geometry=[r[3] for r in rows],
        crs="EPSG:4326",
    )
    store = Store(tmp_path / "data")
    with store.transaction() as tx:
        tx.write("test__regions", "regions", regions, provider="scb", title="Testområden")
    monkeypatch.setenv("SODD_DATA_DIR", str(tmp_path / "data"))
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    app.run()
    notes = {}
    for code, vintage in (("1780C1010", "2025"), ("1780C1030", "2025"), ("1780C1020", "2018")):
        app.query_params.update({"area": code, "level": "deso", "vintage": vintage})
        app.switch_page("views/omradesprofil.py").run()
        assert not app.exception, [e.value for e in app.exception]
        notes[code] = [c.value for c in app.caption if "DeSO 20" in c.value]
    assert notes["1780C1010"] == ["Området är oförändrat mellan DeSO 2018 och DeSO 2025."]
    assert notes["1780C1030"] == [
        "Området ändrades 2025: ytan kommer från 1780C1020 (100 %) i DeSO 2018."
    ]
    assert notes["1780C1020"] == [
        "Området ändrades 2025: ytan ingår nu i 1780C1020 (60 %) och 1780C1030 (40 %) i DeSO 2025."
    ]
