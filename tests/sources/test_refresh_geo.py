"""``sodd refresh geo``: WFS layers into the store, against a scripted WFS and the stand-in."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from sodd.refresh_geo import ADMIN_REGIONS_ID, GeoScope, add_parser, refresh_geo
from sodd.schema import REGION_COLUMNS
from sodd.sources.http import RetryPolicy
from sodd.store import Store
from tests.conftest import StandIn, start_standin, stop_standin
from tests.sources.wfs_stub import Answer, fixture, wfs_stub

KARLSTAD = GeoScope("kommun", "1780")
NO_WAIT = RetryPolicy(attempts=8, backoff_seconds=0.0, timeout_seconds=10)


def _no_sleep(seconds: float) -> None:
    pass


def _write_demo(store: Store) -> None:
    frame = gpd.GeoDataFrame(
        {c: ["1780X0010"] if c == "region_code" else ["x"] for c in REGION_COLUMNS[:-1]},
        geometry=[shapely.box(13.5, 59.3, 13.6, 59.4)],
        crs="EPSG:4326",
    )
    with store.transaction() as tx:
        tx.write("demo__regions", "regions", frame, provider="demo", title="demo", demo=True)


def _regions(store: Store, dataset_id: str) -> gpd.GeoDataFrame:
    return store.read_regions(dataset_ids=[dataset_id])


def _assert_admin_regions(store: Store) -> None:
    admin = _regions(store, ADMIN_REGIONS_ID)
    assert Counter(admin["level"]) == {"kommun": 290, "lan": 21, "riket": 1}
    kommun = admin[admin["level"] == "kommun"].set_index("region_code")
    assert kommun.loc["1780", "name"] == "Karlstad" and kommun.loc["1780", "parent_code"] == "17"
    assert set(admin.loc[admin["level"] == "lan", "parent_code"]) == {"00"}


def test_layers_admin_regions_and_demo_removal_with_a_scripted_wfs(tmp_path: Path) -> None:
    store = Store(tmp_path)
    _write_demo(store)
    with wfs_stub() as (url, script):
        script.answers = [
            Answer(fixture("deso_2025_axes_swapped.json")),
            Answer(fixture("regso_2025_null_geometry.json")),
        ]
        report = refresh_geo(store, base_url=url, scope=KARLSTAD, vintages=("2025",))
    assert report.ok and report.admin_regions_written
    assert report.demo_removed == ("demo__regions",)
    deso, regso = report.layers
    assert (deso.status, deso.regions, deso.axes_swapped) == ("ok", 2, True)
    assert (regso.status, regso.regions, regso.without_geometry) == ("ok", 1, 1)
    assert "1 utan geometri hoppades över" in regso.message
    manifest = store.manifest()
    assert set(manifest.datasets) == {ADMIN_REGIONS_ID, "scb_geo__deso_2025", "scb_geo__regso_2025"}
    assert not manifest.is_demo
    entry = manifest.datasets["scb_geo__deso_2025"]
    assert [f.rsplit("/", 1)[1] for f in entry.raw_files] == ["kommun_1780_page_001.json"]
    assert json.loads(entry.query or "")["scopes"] == ["kommun_1780"]
    assert (entry.provider, entry.table_id, entry.levels) == ("scb", "stat:DeSO_2025", ("deso",))
    assert list(_regions(store, "scb_geo__deso_2025")["region_code"]) == ["1780C1010", "1780C1020"]
    _assert_admin_regions(store)

    # A layer that fails leaves its previous dataset exactly as it was.
    before = store.manifest().datasets
    with wfs_stub() as (url, script):
        script.answers = [
            Answer(fixture("deso_2025_axes_swapped.json")),
            Answer(fixture("exception_report.xml"), 400, "application/xml"),
        ]
        report = refresh_geo(store, base_url=url, scope=KARLSTAD, vintages=("2025",))
    assert not report.ok and not report.admin_regions_written
    assert [layer.status for layer in report.layers] == ["ok", "failed"]
    assert "avvisade frågan om lagret stat:RegSO_2025" in report.layers[1].message
    after = store.manifest().datasets
    assert after["scb_geo__regso_2025"] == before["scb_geo__regso_2025"]
    assert after[ADMIN_REGIONS_ID] == before[ADMIN_REGIONS_ID]


@pytest.mark.parametrize(
    "argv",
    [
        ["geo"],
        ["geo", "--kommun", "178"],
        ["geo", "--lan", "1"],
        ["geo", "--kommun", "1780", "--riket"],
        ["geo", "--riket", "--vintage", "2020"],
        ["geo", "--riket", "--page-size", "0"],
    ],
)
def test_cli_refuses_bad_arguments(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="sodd refresh")
    add_parser(parser.add_subparsers(dest="what", required=True))
    with pytest.raises(SystemExit) as caught:
        parser.parse_args(argv)
    assert caught.value.code == 2


def _run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="sodd refresh")
    add_parser(parser.add_subparsers(dest="what", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


def test_cli_exits_1_when_a_layer_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SODD_DATA_DIR", str(tmp_path))
    with wfs_stub() as (url, script):
        monkeypatch.setenv("SODD_SCB_WFS_URL", url)
        script.answers = [Answer(fixture("exception_report.xml"), 400, "application/xml")] * 2
        assert _run_cli(["geo", "--lan", "17", "--vintage", "2018"]) == 1
    out = capsys.readouterr().out
    assert "Hämtar stat:DeSO_2018 för län 17" in out
    assert "stat:DeSO_2018, stat:RegSO_2020 misslyckades" in out
    assert script.requests[0]["CQL_FILTER"] == "lanskod='17'"
    assert Store(tmp_path).is_empty()


# --- against the SCB stand-in ---------------------------------------------------------


@pytest.mark.shared
def test_karlstad_both_vintages_from_the_standin(scb_standin: StandIn, tmp_path: Path) -> None:
    paged, whole = Store(tmp_path / "paged"), Store(tmp_path / "whole")
    lines: list[str] = []
    report = refresh_geo(
        paged, base_url=scb_standin.wfs_url, scope=KARLSTAD, page_size=10, progress=lines.append
    )
    assert report.ok and report.admin_regions_written
    by_layer = {layer.layer: layer for layer in report.layers}
    # The stand-in has no DeSO 2018 / RegSO 2020 polygons outside Stockholms län.
    for empty in ("stat:DeSO_2018", "stat:RegSO_2020"):
        assert (by_layer[empty].status, by_layer[empty].regions) == ("empty", 0)
        assert "inga områden med gränser för kommun 1780" in by_layer[empty].message
    assert (by_layer["stat:DeSO_2025"].regions, by_layer["stat:DeSO_2025"].pages) == (57, 6)
    assert (by_layer["stat:RegSO_2025"].regions, by_layer["stat:RegSO_2025"].pages) == (31, 4)
    assert any("sida 6, 57 av 57 objekt" in line for line in lines)
    assert "scb_geo__deso_2018" not in paged.manifest().datasets
    assert len(paged.manifest().datasets["scb_geo__deso_2025"].raw_files) == 6

    deso = _regions(paged, "scb_geo__deso_2025")
    assert len(deso) == 57 and (deso["kommun_code"] == "1780").all()
    assert deso["region_code"].str.fullmatch(r"1780[ABC]\d{4}").all()
    assert deso.geometry.is_valid.all()
    minx, miny, maxx, maxy = deso.total_bounds
    assert 13.0 < minx < maxx < 14.2 and 59.1 < miny < maxy < 59.9
    regso = _regions(paged, "scb_geo__regso_2025")
    assert len(regso) == 31 and set(regso["region_code"]) == set(deso["parent_code"])
    assert regso.geometry.is_valid.all() and (regso["parent_code"] == "1780").all()
    # Each RegSO is its DeSO put together (the stand-in composes it from them).
    unions = deso.dissolve("parent_code").geometry
    for code, geometry in zip(regso["region_code"], regso.geometry, strict=True):
        assert geometry.symmetric_difference(unions[code]).area < 1e-6 * geometry.area
    _assert_admin_regions(paged)

    refresh_geo(whole, base_url=scb_standin.wfs_url, scope=KARLSTAD)
    for dataset_id in ("scb_geo__deso_2025", "scb_geo__regso_2025"):
        assert_geodataframe_equal(_regions(paged, dataset_id), _regions(whole, dataset_id))


@pytest.mark.shared
def test_scopes_add_up_and_a_covering_scope_replaces(scb_standin: StandIn, tmp_path: Path) -> None:
    store = Store(tmp_path)
    for scope in (KARLSTAD, GeoScope("kommun", "1480")):
        refresh_geo(store, base_url=scb_standin.wfs_url, scope=scope, vintages=("2025",))
    deso = _regions(store, "scb_geo__deso_2025")
    assert Counter(deso["kommun_code"]) == {"1480": 320, "1780": 57}
    assert len(_regions(store, "scb_geo__regso_2025")) == 31 + 147
    entry = store.manifest().datasets["scb_geo__deso_2025"]
    assert json.loads(entry.query or "")["scopes"] == ["kommun_1480", "kommun_1780"]
    assert {f.rsplit("/", 1)[1] for f in entry.raw_files} == {
        "kommun_1480_page_001.json",
        "kommun_1780_page_001.json",
    }
    report = refresh_geo(
        store, base_url=scb_standin.wfs_url, scope=GeoScope("lan", "17"), vintages=("2025",)
    )
    assert report.ok and len(_regions(store, "scb_geo__deso_2025")) == 377
    entry = store.manifest().datasets["scb_geo__deso_2025"]
    assert json.loads(entry.query or "")["scopes"] == ["kommun_1480", "lan_17"]
    assert {f.rsplit("/", 1)[1] for f in entry.raw_files} == {
        "kommun_1480_page_001.json",
        "lan_17_page_001.json",
    }


@pytest.mark.shared
@pytest.mark.parametrize("mode", ["honest", "midstream"])
def test_faults_give_the_same_regions(
    shared_dir: Path, scb_standin: StandIn, tmp_path: Path, mode: str
) -> None:
    log = tmp_path / "requests.jsonl"
    faulty = start_standin(
        shared_dir,
        *("--fault-5xx", "0.3", "--fault-truncate", "0.2", "--fault-scope", "wfs"),
        *("--truncate-mode", mode, "--log", str(log), "--warm"),
    )
    try:
        clean, shaken = Store(tmp_path / "clean"), Store(tmp_path / "shaken")
        refresh_geo(clean, base_url=scb_standin.wfs_url, scope=KARLSTAD, vintages=("2025",))
        report = refresh_geo(
            shaken,
            base_url=faulty.wfs_url,
            scope=KARLSTAD,
            vintages=("2025",),
            page_size=10,
            policy=NO_WAIT,
            sleep=_no_sleep,
        )
    finally:
        stop_standin(faulty)
    assert report.ok, [layer.message for layer in report.layers]
    faults = Counter(json.loads(line)["fault"] for line in log.read_text().splitlines())
    assert faults["5xx"] > 0 and faults[f"truncate-{mode}"] > 0
    for dataset_id in ("scb_geo__deso_2025", "scb_geo__regso_2025"):
        assert_geodataframe_equal(_regions(shaken, dataset_id), _regions(clean, dataset_id))


@pytest.mark.shared
def test_cli_refreshes_from_the_standin(
    scb_standin: StandIn,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SODD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SODD_SCB_WFS_URL", scb_standin.wfs_url)
    assert _run_cli(["geo", "--kommun", "1780", "--vintage", "2025", "--page-size", "20"]) == 0
    out = capsys.readouterr().out
    assert "Hämtar stat:DeSO_2025 för kommun 1780" in out and "sida 3, 57 av 57 objekt" in out
    assert "57 områden sparade i scb_geo__deso_2025" in out and out.rstrip().endswith("Klart.")
    assert len(_regions(Store(tmp_path), "scb_geo__deso_2025")) == 57
