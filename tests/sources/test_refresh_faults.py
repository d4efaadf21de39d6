"""Fault injection over a full refresh (SCB tables, WFS polygons, Kolada) against stand-ins.

After a refresh through 429s, 5xx, stalls past a short SODD_HTTP_TIMEOUT and cut or
garbled bodies, every dataset is either its complete new version (equal, cell by cell,
to a fault-free refresh from a stand-in with the same seed) or byte-identical to its
previous version, and the report says which. Two full refreshes of one store serialise,
and a reader during a refresh always sees whole datasets.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest

from sodd.config import load_settings
from sodd.errors import StoreLockedError
from sodd.refresh_all import REFRESH_LOCK_NAME, refresh_all, refresh_lock
from sodd.refresh_all_cli import main as cli_main
from sodd.refresh_all_report import (
    OUTCOME_FAILED_KEPT,
    OUTCOME_FAILED_NONE,
    OUTCOME_NEW,
    OUTCOME_NOTHING,
    OUTCOME_UNCHANGED,
    FullRefreshReport,
)
from sodd.sources.http import RetryPolicy
from sodd.sources.kolada import KoladaClient
from sodd.sources.pxweb import PxWebClient
from sodd.sources.scb import Scope
from sodd.store import Store
from tests.conftest import StandIn, start_standin, stop_standin
from tests.sources.kolada_stub import kolada_stub

pytestmark = pytest.mark.shared

SEED = 5  # the values of the faulted runs and of the reference
# A few SCB tables keep each fresh stand-in quick (it builds a table on first use):
# suppressed small counts, RegSO only, DeSO 2025 only, and a many-dimension table.
TABLES = ["TAB6253", "TAB6586", "TAB6684", "TAB6065"]
FAST = ("--warm", "--calls", "1000", "--window", "1")
KOMMUN = Scope("kommun", "1780")
# The Kolada stub serves Karlstad for 2022-2023; SCB gives every year from 2022 on.
YEARS = {"first_year": 2022, "last_year": 2023}


@dataclass
class Run:
    store: Store
    report: FullRefreshReport
    faults: list[str]


def _refresh(
    store: Store, standin: StandIn, *, timeout: float = 5.0, attempts: int = 4, **kwargs: Any
) -> FullRefreshReport:
    """A full refresh of Karlstad with quick retries; Kolada from the loopback stub."""
    with kolada_stub(throttle_once=True) as kolada:
        env = {
            "SODD_SCB_API_URL": standin.api_url,
            "SODD_SCB_WFS_URL": standin.wfs_url,
            "SODD_KOLADA_API_URL": kolada.base,
            "SODD_HTTP_TIMEOUT": str(timeout),
        }
        settings = load_settings(env)
        policy = RetryPolicy(
            attempts=attempts,
            backoff_seconds=0.02,
            max_wait_seconds=0.1,
            timeout_seconds=settings.http_timeout_seconds,
        )
        kwargs.setdefault("tables", TABLES)
        years = {**YEARS, **{k: kwargs.pop(k) for k in ("first_year",) if k in kwargs}}
        return refresh_all(
            store, settings, KOMMUN, **years,
            pxweb_client=PxWebClient(settings.scb_api_url, policy=policy),
            kolada_client=KoladaClient(settings.kolada_api_url, policy=policy, min_interval=0),
            geo_policy=policy, **kwargs,
        )  # fmt: skip


@pytest.fixture(scope="module")
def reference_standin(shared_dir: Path) -> Iterator[StandIn]:
    standin = start_standin(shared_dir, "--seed", str(SEED), *FAST)
    try:
        yield standin
    finally:
        stop_standin(standin)


@pytest.fixture(scope="module")
def reference(reference_standin: StandIn, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The complete new version: a fault-free refresh from a stand-in with SEED."""
    store = Store(tmp_path_factory.mktemp("reference"))
    report = _refresh(store, reference_standin)
    assert report.ok, report.summary_sv()
    return Run(store, report, [])


@pytest.fixture(scope="module")
def previous(
    reference_standin: StandIn, reference: Run, tmp_path_factory: pytest.TempPathFactory
) -> Store:
    """A store holding a previous version of every dataset: SCB from 2023 on, not 2022."""
    store = Store(tmp_path_factory.mktemp("previous"))
    report = _refresh(store, reference_standin, first_year=2023, sources=("scb", "geo"))
    assert report.ok, report.summary_sv()
    report = _refresh(store, reference_standin, sources=("kolada",))
    assert report.ok, report.summary_sv()
    return store


def _copy(store: Store, target: Path) -> Store:
    shutil.copytree(store.data_dir, target)
    return Store(target, lock_timeout=store.lock_timeout)


def _content(store: Store, dataset_id: str) -> pd.DataFrame:
    """A dataset's rows in a canonical order, without the fetch time (it differs per run)."""
    entry = store.manifest().datasets[dataset_id]
    frame = pd.read_parquet(store.data_dir / entry.file)
    frame = frame.drop(columns=[c for c in ("fetched_at", "provenance") if c in frame])
    if "geometry" in frame:
        frame["geometry"] = frame["geometry"].map(lambda g: hashlib.sha256(g).hexdigest())
    text = frame.astype("string").fillna("<NA>")
    return text.sort_values(list(text.columns)).reset_index(drop=True)


def _faulted(shared: Path, tmp_path: Path, start_from: Store | None, *flags: str, **kw: Any) -> Run:
    log = tmp_path / "requests.jsonl"
    store = _copy(start_from, tmp_path / "store") if start_from else Store(tmp_path / "store")
    standin = start_standin(shared, "--seed", str(SEED), *FAST, "--log", str(log), *flags)
    try:
        report = _refresh(store, standin, attempts=2, **kw)
    finally:
        stop_standin(standin)
    faults = [json.loads(line)["fault"] for line in log.read_text().splitlines()]
    return Run(store, report, [fault for fault in faults if fault])


def _check_never_partial(run: Run, before: Store | None, reference: Run) -> None:
    """Each dataset is the complete new version or the untouched previous one; report agrees."""
    old = before.manifest().datasets if before else {}
    new = run.store.manifest().datasets
    summary = run.report.summary_sv()
    reported = {item.dataset_id: item for item in run.report.datasets}
    for dataset_id in set(old) | set(new):
        if (old.get(dataset_id) is None) != (new.get(dataset_id) is None) or (
            dataset_id in old and old[dataset_id].sha256 != new[dataset_id].sha256
        ):
            assert dataset_id in reported, f"{dataset_id} changed but is not in the report"
    for dataset_id, item in reported.items():
        entry, was = new.get(dataset_id), old.get(dataset_id)
        if item.outcome == OUTCOME_NEW:
            assert entry is not None and (was is None or was.fetched_at != entry.fetched_at)
            if item.source != "härledd":
                pd.testing.assert_frame_equal(
                    _content(run.store, dataset_id), _content(reference.store, dataset_id)
                )
        elif item.outcome in (OUTCOME_FAILED_KEPT, OUTCOME_UNCHANGED):
            assert entry is not None and was is not None, dataset_id
            assert (entry.sha256, entry.fetched_at, entry.file) == (
                was.sha256,
                was.fetched_at,
                was.file,
            ), dataset_id
        else:
            assert item.outcome in (OUTCOME_FAILED_NONE, OUTCOME_NOTHING), item
            assert entry is None, dataset_id
        if item.failed:
            assert item.message and dataset_id in summary and item.message in summary
            assert not run.report.ok


class Reader(threading.Thread):
    """Loops over the manifest and every file it names, checking rows and sha256."""

    def __init__(self, store: Store) -> None:
        super().__init__(daemon=True)
        self.store, self.stop, self.snapshots, self.problems = store, False, 0, list[str]()

    def run(self) -> None:
        while not self.stop:
            manifest = self.store.manifest()
            for entry in manifest.datasets.values():
                path = self.store.data_dir / entry.file
                rows = pq.ParquetFile(path).metadata.num_rows
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                if rows != entry.rows or digest != entry.sha256:
                    self.problems.append(f"{entry.dataset_id}: {rows} != {entry.rows}")
            if "scb__tab6586" in manifest.datasets:
                # store.read takes the manifest again: its rows are those of that
                # snapshot or of a newer one, never a mix.
                frame = self.store.read("observations", dataset_ids=["scb__tab6586"])
                rows = {manifest.datasets["scb__tab6586"].rows}
                rows.add(self.store.manifest().datasets["scb__tab6586"].rows)
                if len(frame) not in rows:
                    self.problems.append(f"scb__tab6586: read {len(frame)} rows, not {rows}")
            self.snapshots += 1


# ------------------------------------------------------------------------ faults


def test_5xx_429_and_midstream_cuts_never_leave_a_partial_dataset(
    shared_dir: Path, tmp_path: Path, previous: Store, reference: Run
) -> None:
    run_store_dir = tmp_path / "run"
    run_store_dir.mkdir()
    flags = (
        "--fault-5xx", "0.2", "--fault-429", "0.1", "--fault-truncate", "0.2",
        "--truncate-mode", "midstream", "--fault-scope", "all",
    )  # fmt: skip
    store = _copy(previous, run_store_dir / "store")
    reader = Reader(store)
    reader.start()
    log = run_store_dir / "requests.jsonl"
    standin = start_standin(shared_dir, "--seed", str(SEED), *FAST, "--log", str(log), *flags)
    try:
        report = _refresh(store, standin, attempts=2)
    finally:
        stop_standin(standin)
        reader.stop = True
        reader.join(timeout=30)
    faults = {json.loads(line)["fault"] for line in log.read_text().splitlines()}
    assert {"5xx", "429", "truncate-midstream"} <= faults, faults
    run = Run(store, report, sorted(f for f in faults if f))
    _check_never_partial(run, previous, reference)
    outcomes = {item.outcome for item in report.datasets}
    assert OUTCOME_FAILED_KEPT in outcomes and OUTCOME_NEW in outcomes, report.summary_sv()
    assert reader.snapshots > 3 and not reader.problems, reader.problems


def test_stalls_past_the_timeout_and_honest_cuts_from_an_empty_store(
    shared_dir: Path, tmp_path: Path, reference: Run
) -> None:
    flags = ("--fault-timeout", "0.25", "--timeout-s", "0.4", "--fault-truncate", "0.25")
    run = _faulted(shared_dir, tmp_path, None, *flags, timeout=0.4)
    assert {"timeout", "truncate-honest"} <= set(run.faults), run.faults
    _check_never_partial(run, None, reference)
    failed = [item for item in run.report.datasets if item.failed]
    assert failed and all(item.outcome == OUTCOME_FAILED_NONE for item in failed)
    assert any("ReadTimeout" in item.message for item in failed), run.report.summary_sv()


def test_a_clean_refresh_after_faults_reaches_the_new_version(
    tmp_path: Path, previous: Store, reference_standin: StandIn, reference: Run
) -> None:
    store = _copy(previous, tmp_path / "store")
    report = _refresh(store, reference_standin)
    assert report.ok and report.count(OUTCOME_NEW) >= len(TABLES) + 2, report.summary_sv()
    _check_never_partial(Run(store, report, []), previous, reference)
    again = _refresh(store, reference_standin, sources=("scb",))
    assert {item.outcome for item in again.datasets} == {OUTCOME_UNCHANGED}, again.summary_sv()
    assert again.generation_after == again.generation_before


# ---------------------------------------------------------------- serialisation


def test_two_refreshes_at_once_serialise(
    tmp_path: Path, previous: Store, reference_standin: StandIn, reference: Run
) -> None:
    store = _copy(previous, tmp_path / "store")
    spans: dict[str, list[float]] = {"a": [], "b": []}
    reports: dict[str, FullRefreshReport] = {}

    def one(name: str) -> None:
        reports[name] = _refresh(
            Store(store.data_dir, lock_timeout=60), reference_standin,
            sources=("scb", "geo"), tables=["TAB6586", "TAB6253"], force=True,
            progress=lambda _line: spans[name].append(time.monotonic()),
        )  # fmt: skip
        # No timestamp after the return: the lock is already released by then, and the
        # other refresh may rightly have begun.

    threads = [threading.Thread(target=one, args=(name,)) for name in spans]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert set(reports) == {"a", "b"} and all(r.ok for r in reports.values())
    first, second = sorted(spans.values(), key=min)
    assert max(first) <= min(second), "the two refreshes overlapped"
    generations = sorted((r.generation_before, r.generation_after) for r in reports.values())
    assert generations[0][1] == generations[1][0]  # the second began where the first ended
    for dataset_id in ("scb__tab6586", "scb__tab6253", "scb_geo__deso_2025"):
        pd.testing.assert_frame_equal(
            _content(store, dataset_id), _content(reference.store, dataset_id)
        )


def test_a_second_refresh_waits_for_the_first(
    tmp_path: Path, reference_standin: StandIn, reference: Run
) -> None:
    store = Store(tmp_path / "store", lock_timeout=60)
    done: list[FullRefreshReport] = []
    with refresh_lock(store):
        worker = threading.Thread(
            target=lambda: done.append(
                _refresh(store, reference_standin, sources=("scb",), tables=["TAB6586"])
            )
        )
        worker.start()
        time.sleep(0.8)
        assert not done and store.manifest().generation == 0  # waiting, nothing written
    worker.join(timeout=60)
    assert done and done[0].ok and store.manifest().datasets["scb__tab6586"].rows > 0


def test_a_refresh_gives_up_in_swedish_when_another_process_holds_the_lock(
    tmp_path: Path, reference_standin: StandIn
) -> None:
    store = Store(tmp_path / "store", lock_timeout=0.3)
    store.data_dir.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(store.data_dir / REFRESH_LOCK_NAME)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreLockedError) as caught:
            _refresh(store, reference_standin, sources=("scb",), tables=["TAB6586"])
    finally:
        holder.terminate()
        holder.wait(timeout=10)
    message = str(caught.value)
    assert "En annan uppdatering av datalagret pågår" in message
    assert "0.3 s" in message and "SODD_LOCK_TIMEOUT" in message
    assert store.manifest().generation == 0


_HOLD_LOCK = """
import sys, time
from filelock import FileLock
lock = FileLock(sys.argv[1], preserve_lock_file=True)
lock.acquire()
print("held", flush=True)
time.sleep(60)
"""


# ------------------------------------------------------------------ command line


def test_cli_prints_the_report_and_exits_1_on_a_failure(
    tmp_path: Path,
    reference_standin: StandIn,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with kolada_stub(throttle_once=False) as kolada:
        monkeypatch.setenv("SODD_DATA_DIR", str(tmp_path / "store"))
        monkeypatch.setenv("SODD_SCB_API_URL", reference_standin.api_url)
        # A WFS URL that answers 404: the polygons fail, everything else works.
        monkeypatch.setenv("SODD_SCB_WFS_URL", reference_standin.api_url + "/inget-wfs")
        monkeypatch.setenv("SODD_KOLADA_API_URL", kolada.base)
        code = cli_main(["alla", "--kommun", "1780", "--from", "2022", "--to", "2023"])
    out = capsys.readouterr().out
    assert code == 1
    assert "Uppdatering av alla källor för kommun 1780:" in out
    assert "scb_geo__deso_2025" in out and "misslyckades, inga tidigare data" in out
    assert "scb__tab6574" in out and "ny version" in out
