"""The embedded store: round trips, the manifest, atomic commits, locking and crashes."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal
from pandas.testing import assert_frame_equal
from shapely.geometry import box

import sodd
from sodd.config import Settings
from sodd.errors import StoreError, StoreLockedError
from sodd.schema import (
    AGENDA_COLUMNS,
    GOAL_COLUMNS,
    INDICATOR_VALUE_COLUMNS,
    NOTE_COLUMNS,
    OBSERVATION_COLUMNS,
    REGION_COLUMNS,
)
from sodd.store import SCHEMA_VERSION, Store, utc_now_iso

FETCHED = "2026-11-30T12:00:00Z"


def observations(
    value: float = 1.0, *, periods: tuple[str, ...] = ("2023", "2024")
) -> pd.DataFrame:
    rows = []
    for period in periods:
        rows += [
            ("0180", "kommun", period, value, None),
            ("0180C1010", "deso", period, None, ".."),
            ("1780", "kommun", period, value + 1, "."),
        ]
    return pd.DataFrame(
        {
            "provider": "scb",
            "table_id": "TAB6574",
            "variable": "BE0101N1",
            "region_code": [r[0] for r in rows],
            "geo_vintage": "2025",
            "level": [r[1] for r in rows],
            "period": [r[2] for r in rows],
            "dims": '{"Kon": "1+2"}',
            "value": [r[3] for r in rows],
            "status": [r[4] for r in rows],
            "unit": "antal",
            "fetched_at": FETCHED,
        }
    )


def indicator_values() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": ["andel_lag_inkomst", "andel_lag_inkomst", "befolkning"],
            "region_code": ["0180", "0180C1010", "0180"],
            "geo_vintage": "2025",
            "level": ["kommun", "deso", "kommun"],
            "period": ["2024", "2024", "2023"],
            "value": [12.5, None, 984_000.0],
            "numerator": [125.0, None, 984_000.0],
            "denominator": [1000.0, 3.0, None],
            "status": [None, "few", None],
            "provenance": "scb TAB6574",
        }
    )


def regions() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "region_code": ["0180", "0180C1010", "01"],
            "geo_vintage": "2025",
            "level": ["kommun", "deso", "lan"],
            "name": ["Stockholm", "Stockholm C 1010", "Stockholms län"],
            "kommun_code": ["0180", "0180", None],
            "lan_code": ["01", "01", "01"],
            "parent_code": ["01", "0180", None],
        },
        geometry=[
            box(18.0, 59.3, 18.1, 59.4),
            box(18.05, 59.32, 18.06, 59.33),
            box(17, 59, 19, 60),
        ],
        crs="EPSG:4326",
    )


def write_one(store: Store, dataset_id: str, kind: str, frame: pd.DataFrame, **meta: object):
    with store.transaction() as txn:
        return txn.write(dataset_id, kind, frame, provider="scb", title="Test", **meta)


def all_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def data_files(root: Path) -> set[str]:
    return {f for f in all_files(root) if f.startswith(("files/", "raw/"))}


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# Round trips -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "make", "columns"),
    [
        ("observations", observations, OBSERVATION_COLUMNS),
        ("indicator_values", indicator_values, INDICATOR_VALUE_COLUMNS),
    ],
)
def test_round_trip_keeps_values_nulls_status_and_text_codes(tmp_path, kind, make, columns):
    store = Store(tmp_path)
    frame = make()
    write_one(store, "scb__tab6574", kind, frame)
    back = store.read(kind)
    assert_frame_equal(back, frame)
    assert tuple(back.columns) == columns
    assert pd.api.types.is_string_dtype(back["region_code"])
    assert back["region_code"].iloc[0] == "0180"
    assert back["status"].isna().tolist() == frame["status"].isna().tolist()
    assert back["value"].isna().tolist() == frame["value"].isna().tolist()


def test_round_trip_regions_is_geoparquet_in_wgs84(tmp_path):
    store = Store(tmp_path)
    frame = regions()
    write_one(store, "demo__regions", "regions", frame, demo=True)
    back = store.read_regions()
    assert_geodataframe_equal(back, frame)
    assert back.crs.to_epsg() == 4326
    assert pd.api.types.is_string_dtype(back["region_code"])
    assert back["kommun_code"].isna().tolist() == [False, False, True]
    # read() of kind "regions" gives the same GeoDataFrame.
    assert_geodataframe_equal(store.read("regions"), frame)


def test_read_regions_stacks_datasets(tmp_path):
    store = Store(tmp_path)
    with store.transaction() as txn:
        txn.write("r2", "regions", regions().iloc[[2]], provider="p", title="t")
        txn.write("r1", "regions", regions().iloc[:2], provider="p", title="t")
    back = store.read_regions()
    assert_geodataframe_equal(back, regions())
    only = store.read_regions(dataset_ids=["r2"])
    assert only["region_code"].tolist() == ["01"]


def test_extra_columns_are_kept_and_int_values_stored_as_float(tmp_path):
    store = Store(tmp_path)
    frame = indicator_values().assign(value=[1, 2, 3], note=["a", "b", "c"])
    write_one(store, "x", "indicator_values", frame)
    back = store.read("indicator_values")
    assert back["value"].dtype == "float64"
    assert back["value"].tolist() == [1.0, 2.0, 3.0]
    assert back["note"].tolist() == ["a", "b", "c"]


def test_all_null_text_column_is_read_back_as_text(tmp_path):
    store = Store(tmp_path)
    frame = indicator_values().assign(status=np.nan)
    write_one(store, "x", "indicator_values", frame)
    back = store.read("indicator_values")
    assert pd.api.types.is_string_dtype(back["status"])
    assert back["status"].isna().all()


# Manifest ------------------------------------------------------------------------------


def test_manifest_records_provenance_and_counts(tmp_path):
    store = Store(tmp_path)
    assert store.is_empty()
    assert store.manifest().generation == 0
    raw = {"response.json": b'{"value": [1]}'}
    entry = write_one(
        store,
        "scb__tab6574",
        "observations",
        observations(),
        table_id="TAB6574",
        url="https://example.org/api",
        query='{"selection": []}',
        fetched_at=FETCHED,
        raw=raw,
    )
    manifest = store.manifest()
    assert manifest.generation == 1
    assert manifest.schema_version == SCHEMA_VERSION
    assert manifest.updated_at is not None
    assert manifest.datasets["scb__tab6574"] == entry
    assert not manifest.is_demo
    assert entry.rows == 6
    assert entry.periods == ("2023", "2024")
    assert entry.levels == ("deso", "kommun")
    assert entry.fetched_at == FETCHED
    assert (entry.table_id, entry.url, entry.query) == (
        "TAB6574",
        "https://example.org/api",
        '{"selection": []}',
    )
    assert entry.sha256 == sha256_of(tmp_path / entry.file)
    assert entry.file == f"files/observations/scb__tab6574.{entry.sha256[:16]}.parquet"
    assert len(entry.raw_files) == 1
    assert (tmp_path / entry.raw_files[0]).read_bytes() == raw["response.json"]
    assert entry.raw_files[0].endswith("/response.json")
    assert manifest.of_kind("observations") == [entry]
    assert manifest.of_kind("regions") == []
    assert not store.is_empty()

    demo = write_one(store, "demo__regions", "regions", regions(), demo=True)
    manifest = store.manifest()
    assert manifest.generation == 2
    assert manifest.is_demo
    assert demo.periods == ()
    assert demo.levels == ("deso", "kommun", "lan")
    assert set(manifest.datasets) == {"scb__tab6574", "demo__regions"}
    # The file on disk is plain JSON that names every dataset.
    on_disk = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk["generation"] == 2
    assert on_disk["datasets"]["demo__regions"]["demo"] is True


def test_rewrite_replaces_entry_and_remove_drops_it(tmp_path):
    store = Store(tmp_path, gc_grace_seconds=0)
    first = write_one(store, "a", "observations", observations(1.0))
    second = write_one(store, "a", "observations", observations(5.0))
    assert first.file != second.file
    assert store.manifest().datasets["a"] == second
    assert_frame_equal(store.read("observations"), observations(5.0))
    assert data_files(tmp_path) == {second.file}  # grace 0: the old file is gone
    with store.transaction() as txn:
        txn.remove("a")
    assert store.is_empty()
    assert store.manifest().generation == 3
    assert data_files(tmp_path) == set()
    with pytest.raises(StoreError, match="'nope' finns inte"), store.transaction() as txn:
        txn.remove("nope")


def test_utc_now_iso_format():
    assert len(utc_now_iso()) == len(FETCHED)
    assert utc_now_iso().endswith("Z")


def test_from_settings_uses_data_dir_and_lock_timeout(tmp_path):
    store = Store.from_settings(Settings(data_dir=tmp_path, lock_timeout_seconds=3.5))
    assert store.data_dir == tmp_path
    assert store.lock_timeout == 3.5


# Reading -------------------------------------------------------------------------------


def test_read_stacks_datasets_and_selects_by_id(tmp_path):
    store = Store(tmp_path)
    with store.transaction() as txn:
        txn.write("b", "observations", observations(2.0), provider="scb", title="B")
        txn.write("a", "observations", observations(1.0), provider="scb", title="A")
    both = store.read("observations")
    expected = pd.concat([observations(1.0), observations(2.0)], ignore_index=True)
    assert_frame_equal(both, expected)  # ordered by dataset id
    assert_frame_equal(store.read("observations", dataset_ids=["b"]), observations(2.0))
    with pytest.raises(StoreError, match="'c' finns inte"):
        store.read("observations", dataset_ids=["c"])
    with pytest.raises(StoreError, match="av typen 'observations'"):
        store.read("indicator_values", dataset_ids=["a"])


def test_filters_and_columns_are_pushed_down(tmp_path):
    store = Store(tmp_path)
    write_one(store, "iv", "indicator_values", indicator_values())
    got = store.read(
        "indicator_values",
        columns=["region_code", "value"],
        filters=[("indicator_id", "==", "andel_lag_inkomst"), ("period", "==", "2024")],
    )
    expected = pd.DataFrame({"region_code": ["0180", "0180C1010"], "value": [12.5, None]})
    assert_frame_equal(got, expected)

    write_one(store, "geo", "regions", regions())
    shapes = store.read_regions(columns=["name"], filters=[("level", "==", "kommun")])
    assert list(shapes.columns) == ["name", "geometry"]  # geometry is always read
    assert shapes["name"].tolist() == ["Stockholm"]
    assert shapes.crs.to_epsg() == 4326


def test_empty_store_reads_typed_empty_frames(tmp_path):
    store = Store(tmp_path / "not-yet")
    obs = store.read("observations")
    assert obs.empty
    assert tuple(obs.columns) == OBSERVATION_COLUMNS
    assert obs["value"].dtype == "float64"
    assert pd.api.types.is_string_dtype(obs["region_code"])
    assert list(store.read("indicator_values", columns=["value"]).columns) == ["value"]
    shapes = store.read_regions()
    assert shapes.empty
    assert tuple(shapes.columns) == REGION_COLUMNS
    assert shapes.crs.to_epsg() == 4326
    assert not (tmp_path / "not-yet").exists()  # reading creates nothing


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        ("{not json", "ogiltig JSON"),
        ("[]", "inte ett JSON-objekt"),
        ('{"schema_version": 1, "generation": 1}', "'datasets'"),
        (
            '{"schema_version": 1, "generation": 1, "datasets": {"a": {"dataset_id": "a"}}}',
            "saknar fältet 'kind'",
        ),
    ],
)
def test_corrupt_manifest_raises_naming_the_file(tmp_path, content, detail):
    (tmp_path / "manifest.json").write_text(content, encoding="utf-8")
    store = Store(tmp_path)
    with pytest.raises(StoreError, match=r"manifest\.json") as info:
        store.manifest()
    assert detail in str(info.value)
    with pytest.raises(StoreError, match=r"manifest\.json"):
        store.read("observations")


def test_manifest_from_newer_sodd_is_refused(tmp_path):
    payload = {"schema_version": SCHEMA_VERSION + 1, "generation": 1, "datasets": {}}
    (tmp_path / "manifest.json").write_text(json.dumps(payload), encoding="utf-8")
    with pytest.raises(StoreError, match="Uppdatera sodd"):
        Store(tmp_path).manifest()


# Validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dataset_id", "kind", "frame", "message"),
    [
        ("ok", "observations", observations().drop(columns=["period"]), "kolumnen period"),
        (
            "ok",
            "observations",
            observations().drop(columns=["unit", "dims"]),
            "kolumnerna dims, unit",
        ),
        ("ok", "observations", observations().assign(region_code=180), "region_code"),
        ("ok", "observations", observations().assign(value="1 234"), "måste innehålla tal"),
        ("ok", "indicator_values", indicator_values().assign(period=2024), "period"),
        ("ok", "regions", pd.DataFrame(regions()), "måste vara en GeoDataFrame"),
        ("ok", "regions", regions().to_crs("EPSG:3006"), "EPSG:4326"),
        ("ok", "regions", regions().set_crs(None, allow_override=True), "saknas"),
        ("ok", "regions", regions().assign(lan_code=1), "lan_code"),
        ("SCB__TAB", "observations", observations(), "Ogiltigt dataset-id 'SCB__TAB'"),
        ("../x", "observations", observations(), "Ogiltigt dataset-id"),
        ("ok", "tables", observations(), "Okänd datatyp 'tables'"),
    ],
)
def test_bad_input_is_refused_with_swedish_message_and_nothing_stored(
    tmp_path, dataset_id, kind, frame, message
):
    store = Store(tmp_path)
    with pytest.raises(StoreError, match=message), store.transaction() as txn:
        txn.write(dataset_id, kind, frame, provider="scb", title="T")
    assert store.manifest().generation == 0
    assert data_files(tmp_path) == set()


def test_bad_raw_name_and_timestamp_are_refused(tmp_path):
    store = Store(tmp_path)
    with pytest.raises(StoreError, match=r"filnamn '\.\./x'"), store.transaction() as txn:
        txn.write("a", "observations", observations(), provider="p", title="t", raw={"../x": b""})
    with pytest.raises(StoreError, match="hämtningstid '2026-11-30'"), store.transaction() as txn:
        txn.write(
            "a", "observations", observations(), provider="p", title="t", fetched_at="2026-11-30"
        )
    assert data_files(tmp_path) == set()


# Transactions, garbage collection and locking -----------------------------------------


def test_exception_in_transaction_leaves_snapshot_byte_identical(tmp_path):
    store = Store(tmp_path, gc_grace_seconds=0)
    first = write_one(store, "a", "observations", observations(1.0), raw={"r.json": b"1"})
    manifest_bytes = (tmp_path / "manifest.json").read_bytes()
    files_before = all_files(tmp_path)

    with pytest.raises(RuntimeError, match="boom"), store.transaction() as txn:
        txn.write("b", "regions", regions(), provider="p", title="t", raw={"r.json": b"2"})
        txn.write("c", "observations", observations(9.0), provider="p", title="t")
        # The very same bytes again: the live file is reused, and must survive the rollback.
        same = txn.write(
            "a", "observations", observations(1.0), provider="p", title="t", raw={"r.json": b"1"}
        )
        assert (same.file, same.raw_files) == (first.file, first.raw_files)
        txn.remove("a")
        assert len(data_files(tmp_path)) > len(data_files(tmp_path) & files_before)
        raise RuntimeError("boom")

    assert (tmp_path / "manifest.json").read_bytes() == manifest_bytes
    assert all_files(tmp_path) == files_before
    assert_frame_equal(store.read("observations"), observations(1.0))
    # A later commit's clean-up finds nothing stray either.
    write_one(store, "d", "indicator_values", indicator_values())
    assert data_files(tmp_path) == set(store.manifest().referenced_files())


def test_transaction_is_closed_after_exit(tmp_path):
    store = Store(tmp_path)
    with store.transaction() as txn:
        pass
    assert store.manifest().generation == 0  # nothing staged, nothing written
    with pytest.raises(StoreError, match="redan avslutad"):
        txn.write("a", "observations", observations(), provider="p", title="t")


def test_unreferenced_files_survive_the_grace_period(tmp_path):
    store = Store(tmp_path)  # default grace: ten minutes
    old = write_one(store, "a", "observations", observations(1.0))
    new = write_one(store, "a", "observations", observations(2.0))
    assert {old.file, new.file} <= data_files(tmp_path)
    leftover = tmp_path / "files" / "observations" / ".tmp-a.dead.parquet"
    leftover.write_bytes(b"half")
    # Files the snapshot left long ago go; temporary files of dead writers go at once.
    long_ago = time.time() - 3600
    os.utime(tmp_path / old.file, (long_ago, long_ago))
    removed = store.collect_garbage()
    assert sorted(removed) == sorted([old.file, "files/observations/.tmp-a.dead.parquet"])
    assert data_files(tmp_path) == {new.file}


def test_second_writer_gets_store_locked_error(tmp_path):
    holder = Store(tmp_path)
    waiter = Store(tmp_path, lock_timeout=0.2)
    with holder.transaction() as txn:
        txn.write("a", "observations", observations(), provider="p", title="t")
        started = time.monotonic()
        with pytest.raises(StoreLockedError, match="Datalagret är låst av en annan uppdatering"):
            with waiter.transaction():
                pass
        assert time.monotonic() - started < 5
    assert store_generation(tmp_path) == 1
    with waiter.transaction():  # released on exit
        pass


def store_generation(path: Path) -> int:
    return Store(path).manifest().generation


def test_readers_see_whole_snapshots_while_a_writer_commits(tmp_path):
    store = Store(tmp_path, gc_grace_seconds=0)  # old files vanish at once: readers must retry
    generations = 8
    expected = {
        float(k): pd.concat([observations(float(k)), observations(float(k))], ignore_index=True)
        for k in range(1, generations + 1)
    }
    done = threading.Event()
    errors: list[BaseException] = []
    seen: list[float] = []

    def writer() -> None:
        try:
            for k in range(1, generations + 1):
                with store.transaction() as txn:
                    for dataset_id in ("a", "b"):
                        txn.write(
                            dataset_id,
                            "observations",
                            observations(float(k)),
                            provider="p",
                            title="t",
                        )
                time.sleep(0.01)
        except BaseException as exc:
            errors.append(exc)
        finally:
            done.set()

    def reader() -> None:
        try:
            while not done.is_set():
                frame = store.read("observations")
                if frame.empty:
                    continue
                version = float(frame["value"].iloc[0])
                assert_frame_equal(frame, expected[version])  # a mix of a and b would fail
                seen.append(version)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer), threading.Thread(target=reader)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert seen, "the reader never saw a snapshot"
    assert store.manifest().generation == generations
    assert_frame_equal(store.read("observations"), expected[float(generations)])


# Crash safety --------------------------------------------------------------------------

_CHILD = textwrap.dedent(
    """
    import pathlib, sys, time
    import numpy as np, pandas as pd
    from sodd.store import Store

    data_dir, phase, marker = pathlib.Path(sys.argv[1]), sys.argv[2], pathlib.Path(sys.argv[3])

    def frame(n, value):
        codes = pd.Series(np.arange(n)).astype("str")
        return pd.DataFrame({
            "provider": "scb", "table_id": "TAB1", "variable": "v", "region_code": codes,
            "geo_vintage": "2025", "level": "deso", "period": "2024",
            "dims": '{"Kon": "' + codes + '"}', "value": np.full(n, value),
            "status": pd.Series([None] * n, dtype="str"), "unit": "antal",
            "fetched_at": "2026-11-30T12:00:00Z",
        })

    store = Store(data_dir)
    if phase == "first":
        with store.transaction() as txn:
            txn.write("scb__big", "observations", frame(3, 1.0), provider="scb", title="t")
    else:
        big = frame(2_500_000, 2.0)
        with store.transaction() as txn:
            marker.touch()  # the lock is held; the parent starts watching for the write
            txn.write("scb__big", "observations", big, provider="scb", title="t")
            txn.write("scb__other", "observations", frame(3, 3.0), provider="scb", title="t")
            marker.with_suffix(".written").touch()
            time.sleep(60)  # never reached the commit: the parent kills us first
    """
)


def run_child(data_dir: Path, phase: str, marker: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(Path(sodd.__file__).resolve().parent.parent))
    return subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(data_dir), phase, str(marker)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL and flock are POSIX")
def test_killed_writer_leaves_previous_snapshot_and_no_lock(tmp_path):
    data_dir = tmp_path / "data"
    marker = tmp_path / "started"
    first = run_child(data_dir, "first", marker)
    _, err = first.communicate(timeout=60)
    assert first.returncode == 0, err.decode()
    before = Store(data_dir).read("observations")
    manifest_bytes = (data_dir / "manifest.json").read_bytes()

    child = run_child(data_dir, "big", marker)
    folder = data_dir / "files" / "observations"
    deadline = time.monotonic() + 60
    try:
        # Kill mid-write (a temporary file exists) or, at the latest, before the commit.
        while not (marker.exists() and any(folder.glob(".tmp-*"))):
            assert child.poll() is None, child.communicate()[1].decode()
            if marker.with_suffix(".written").exists():
                break
            assert time.monotonic() < deadline, "the child never started writing"
            time.sleep(0.002)
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL

    # Something was half done...
    assert len(list(folder.iterdir())) > 1
    # ...but the manifest and the data it points at are the previous snapshot.
    assert (data_dir / "manifest.json").read_bytes() == manifest_bytes
    json.loads(manifest_bytes)
    store = Store(data_dir, lock_timeout=5, gc_grace_seconds=0)
    assert store.manifest().generation == 1
    assert_frame_equal(store.read("observations"), before)

    # The OS released the dead writer's lock, and the next commit clears its debris.
    write_one(store, "scb__small", "indicator_values", indicator_values())
    assert store.manifest().generation == 2
    assert data_files(data_dir) == store.manifest().referenced_files()
    assert_frame_equal(store.read("observations"), before)


def test_user_written_kinds_round_trip_with_numeric_target(tmp_path):
    """Goals, notes and agendas are stored like statistics: typed, whole, per dataset."""
    store = Store(tmp_path)
    goals = pd.DataFrame(
        [
            (
                "g1",
                "bostadslosa",
                "1780",
                "kommun",
                None,
                120,
                "at_most",
                "2030-12-31",
                "2024",
                "Socialnämnden",
                "Halvera",
                "2026-11-30T12:00:00Z",
            )
        ],
        columns=list(GOAL_COLUMNS),
    )
    notes = pd.DataFrame(
        [
            (
                "n1",
                "1780C1010",
                "deso",
                "2025",
                "trygghet",
                "<b>Mörk gångtunnel</b>",
                "AB",
                "2026-11-30",
            )
        ],
        columns=list(NOTE_COLUMNS),
    )
    with store.transaction() as txn:
        txn.write("lokal__mal", "goals", goals, provider="kommun", title="Mål")
        txn.write("lokal__anteckningar", "notes", notes, provider="kommun", title="Anteckningar")
    back = store.read("goals")
    assert back["target_value"].dtype == "float64" and back["target_value"].iloc[0] == 120.0
    assert back["region_code"].iloc[0] == "1780"
    assert store.read("notes")["text"].iloc[0] == "<b>Mörk gångtunnel</b>"
    assert store.read("agendas").columns.tolist()[: len(AGENDA_COLUMNS)] == list(AGENDA_COLUMNS)
    with pytest.raises(StoreError, match="goal_id"):
        with store.transaction() as txn:
            txn.write(
                "lokal__mal", "goals", goals.drop(columns="goal_id"), provider="kommun", title="Mål"
            )
