"""`make bench`: build the full demo, then time the national district map and measure its payload.

Then the SCB refresh against the shared stand-in (``bench/scb_refresh.py``): requests and
wall time beside what SCB's limits allow, and pxwebpy on the same requests.

Prints figures; asserts nothing. A baseline for later work (issue 2), not a target.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import faults  # a sibling module: issue 9's fault injection over full refreshes
import fuzz  # a sibling module: issue 9's fuzzing of parsers and importers
import load  # a sibling module: issue 9's concurrent-user load test
import map_payload  # sibling modules: a bench script's own folder is first on sys.path
import report_bench  # a sibling module: issue 6's export timings
import scb_refresh  # a sibling module: a bench script's own folder is first on sys.path

from sodd.geo import join_values, regions_in_scope, simplify_for_display
from sodd.indicators.catalog import load_catalog
from sodd.maps import build_deck, classify, payload_size
from sodd.pipeline import install_demo
from sodd.store import Store


@contextmanager
def _timed(label: str, results: list[tuple[str, str]]) -> Iterator[None]:
    start = time.perf_counter()
    yield
    results.append((label, f"{time.perf_counter() - start:8.2f} s"))


def main() -> None:
    results: list[tuple[str, str]] = []
    catalog = load_catalog()
    indicator = catalog.get("lag_ekonomisk_standard")
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder))
        with _timed("demo build + store write (290 kommuner x 20)", results):
            manifest = install_demo(store)
        rows = {e.kind: 0 for e in manifest.datasets.values()}
        for entry in manifest.datasets.values():
            rows[entry.kind] += entry.rows
        with _timed("read regions", results):
            regions = store.read_regions()
        with _timed("read one indicator (deso, all years)", results):
            values = store.read(
                "indicator_values",
                filters=[("indicator_id", "==", indicator.id), ("level", "==", "deso")],
            )
        period = sorted(values["period"].unique())[-1]
        for scope in ("riket", "kommun"):
            code = None if scope == "riket" else "1780"
            start = time.perf_counter()
            districts = regions_in_scope(regions, "deso", kommun_code=code)
            joined = join_values(districts, values.loc[values["period"] == period])
            classification = classify(joined["value"], "quantiles", indicator)
            deck = build_deck(simplify_for_display(joined, scope), indicator, classification, "sv")
            size = payload_size(deck)
            elapsed = time.perf_counter() - start
            label = "national DeSO map" if scope == "riket" else "one kommun's DeSO map (1780)"
            results.append(
                (f"{label}: build (join, classify, simplify, deck, json)", f"{elapsed:8.2f} s")
            )
            results.append((f"{label}: payload ({len(districts)} areas)", f"{size / 1e6:8.2f} MB"))
        map_payload.main(store)  # payload and re-render against naive ways, real polygons too
        print()
    results.append(
        (
            "peak memory (max RSS)",
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:8.0f} MB",
        )
    )
    for kind, count in sorted(rows.items()):
        results.append((f"rows: {kind}", f"{count:>10,}".replace(",", " ")))
    width = max(len(label) for label, _ in results)
    print("sodd bench")
    for label, figure in results:
        print(f"  {label:<{width}}  {figure}")
    print()
    scb_refresh.main()
    report_bench.main()
    load.main(["--seconds", "60"])  # issue 9: 5 browser contexts for 60 s
    fuzz.main()
    faults.main()


if __name__ == "__main__":
    main()
