"""`make bench`, fault part: full refreshes through many seeds and higher fault rates.

The fast checks are in ``tests/sources/test_refresh_faults.py`` (four tables, two fault
mixes); this runs every SCB table the catalog uses, both WFS vintages and Kolada, for
Karlstad, from a store holding a previous version, through 429s, 5xx, stalls past a
short timeout and honest and mid-stream cut bodies at several rates and seeds. After
each run every dataset must be its complete new version (equal to a fault-free
refresh from a stand-in with the same seed) or byte-identical to its previous one, and
the report must agree with the manifest. Prints a table and adds rows to
``bench/results/results.json``; exits non-zero when an invariant broke.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from bench.map_payload import write_results  # noqa: E402
from sodd.config import load_settings  # noqa: E402
from sodd.refresh_all import refresh_all  # noqa: E402
from sodd.refresh_all_report import OUTCOME_NEW, FullRefreshReport  # noqa: E402
from sodd.sources.http import RetryPolicy  # noqa: E402
from sodd.sources.kolada import KoladaClient  # noqa: E402
from sodd.sources.pxweb import PxWebClient  # noqa: E402
from sodd.sources.scb import Scope  # noqa: E402
from sodd.store import Store  # noqa: E402
from tests.conftest import StandIn, start_standin, stop_standin  # noqa: E402
from tests.sources.kolada_stub import kolada_stub  # noqa: E402

FAST = ("--warm", "--calls", "1000", "--window", "1")
# Longer than the stand-in needs to build a table on first use (about 1 s), so only
# the stall fault times out.
TIMEOUT = 3.0
MIXES: dict[str, tuple[str, ...]] = {
    "5xx+429 20 %": ("--fault-5xx", "0.1", "--fault-429", "0.1"),
    "mid-stream cuts 25 %": ("--fault-truncate", "0.25", "--truncate-mode", "midstream"),
    "stalls 20 % + honest cuts 10 %": (
        "--fault-timeout", "0.2", "--timeout-s", str(TIMEOUT), "--fault-truncate", "0.1",
    ),
    "everything 40 %": (
        "--fault-5xx", "0.1", "--fault-429", "0.1", "--fault-timeout", "0.1",
        "--timeout-s", str(TIMEOUT), "--fault-truncate", "0.1", "--truncate-mode", "midstream",
    ),
}  # fmt: skip
SEEDS = (2, 7)  # about 3 minutes each


def _refresh(
    store: Store, standin: StandIn, attempts: int, timeout: float = TIMEOUT, **kwargs: Any
) -> FullRefreshReport:
    with kolada_stub(throttle_once=True) as kolada:
        settings = load_settings(
            {
                "SODD_SCB_API_URL": standin.api_url,
                "SODD_SCB_WFS_URL": standin.wfs_url,
                "SODD_KOLADA_API_URL": kolada.base,
                "SODD_HTTP_TIMEOUT": str(timeout),
            }
        )
        policy = RetryPolicy(
            attempts=attempts, backoff_seconds=0.02, max_wait_seconds=0.2, timeout_seconds=timeout
        )
        years = {"first_year": 2022, "last_year": 2023, **kwargs}
        return refresh_all(
            store, settings, Scope("kommun", "1780"), **years,
            pxweb_client=PxWebClient(standin.api_url, policy=policy),
            kolada_client=KoladaClient(kolada.base, policy=policy, min_interval=0),
            geo_policy=policy,
        )  # fmt: skip


def _content(store: Store, dataset_id: str) -> pd.DataFrame:
    entry = store.manifest().datasets[dataset_id]
    frame = pd.read_parquet(store.data_dir / entry.file)
    frame = frame.drop(columns=[c for c in ("fetched_at", "geometry") if c in frame])
    text = frame.astype("string").fillna("<NA>")
    return text.sort_values(list(text.columns)).reset_index(drop=True)


def violations(
    report: FullRefreshReport, before: Store, after: Store, reference: Store
) -> list[str]:
    """Every broken invariant: a partial dataset, or a report that disagrees with the manifest."""
    old, new = before.manifest().datasets, after.manifest().datasets
    reported = {item.dataset_id: item for item in report.datasets}
    found = [
        f"{d}: changed but not reported"
        for d in set(old) | set(new)
        if d not in reported and (old.get(d) is None or new.get(d) is None
                                  or old[d].sha256 != new[d].sha256)
    ]  # fmt: skip
    for dataset_id, item in reported.items():
        entry, was = new.get(dataset_id), old.get(dataset_id)
        if item.outcome == OUTCOME_NEW:
            if entry is None:
                found.append(f"{dataset_id}: reported new but missing")
            elif item.source != "härledd" and not _content(after, dataset_id).equals(
                _content(reference, dataset_id)
            ):
                found.append(f"{dataset_id}: new version differs from the fault-free one")
        elif entry is not None or was is not None:
            if entry is None or was is None or entry.sha256 != was.sha256:
                found.append(f"{dataset_id}: {item.outcome!r} but the manifest entry changed")
        if item.failed and item.message not in report.summary_sv():
            found.append(f"{dataset_id}: failure not in the report text")
    return found


def main() -> int:
    """Run every seed and fault mix; print a table and write the results."""
    shared = Path(os.environ.get("SODD_SHARED_DIR", ROOT.parent / "shared"))
    if not (shared / "tools" / "scb-standin" / "standin.py").is_file():
        print(f"fault bench skipped: no SCB stand-in under {shared}")
        return 0
    rows: list[dict[str, Any]] = []
    broken: list[str] = []
    print("sodd fault injection over full refreshes (Karlstad, all SCB tables, WFS, Kolada)")
    print(f"  {'seed':>4}  {'faults':<32} {'new':>4} {'kept':>5} {'failed':>6} {'s':>6}  broken")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for seed in SEEDS:
            clean = start_standin(shared, "--seed", str(seed), *FAST)
            try:
                reference = Store(folder / f"reference-{seed}")
                first = _refresh(reference, clean, 4, 30.0)
                assert first.ok, first.summary_sv()
                previous = Store(folder / f"previous-{seed}")
                _refresh(previous, clean, 4, 30.0, first_year=2023, sources=("scb", "geo"))
                _refresh(previous, clean, 4, 30.0, sources=("kolada",))
            finally:
                stop_standin(clean)
            for label, flags in MIXES.items():
                target = folder / f"run-{seed}-{len(rows)}"
                shutil.copytree(previous.data_dir, target)
                store = Store(target)
                standin = start_standin(shared, "--seed", str(seed), *FAST, *flags)
                start = time.perf_counter()
                try:
                    report = _refresh(store, standin, 2)
                finally:
                    stop_standin(standin)
                seconds = time.perf_counter() - start
                bad = violations(report, previous, store, reference)
                broken += [f"seed {seed}, {label}: {b}" for b in bad]
                failed = len(report.failures)
                new = report.count(OUTCOME_NEW)
                kept = len(report.datasets) - new - failed
                print(f"  {seed:>4}  {label:<32} {new:>4} {kept:>5} {failed:>6} {seconds:>6.1f}  "
                      f"{len(bad)}")  # fmt: skip
                rows.append(
                    {
                        "name": f"fault refresh seed {seed}, {label}: broken invariants",
                        "value": len(bad),
                        "unit": "count",
                        "datasets_new": new,
                        "datasets_failed": failed,
                        "seconds": round(seconds, 2),
                        "requests": report.requests_by_source,
                    }
                )
    for line in broken:
        print(f"  ! {line}")
    write_results(rows)
    print(f"  results written to {Path('bench/results/results.json')}\n")
    return 1 if broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
