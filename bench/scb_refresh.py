"""`make bench`, SCB part: requests and wall time of an SCB refresh against the shared stand-in.

Kommun 1780 at DeSO + RegSO, every catalog table, from 2015, under SCB's limits, and the
hardest tables again under tight ones (batching and rate limiting at work). Each run is
set beside what the server's limits allow: the fewest requests (``/config``; per table
its entry, its metadata and ceil(cells / maxDataCells) data requests) and the rate-limit
bound (ceil(rate-limited requests / calls) - 1) x window. pxwebpy 0.6.0, the client we did
not adopt (docs/decisions.md §7), fetches the same data requests for comparison.

Prints figures; asserts nothing. Runs alone or from ``bench/run.py``; where the shared
stand-in is missing it says so and does nothing.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# A sibling module: a bench script's own folder is first on sys.path.
from standin_runs import Limits, Run, StandIn, Waits, measure, spaced, warm

from sodd.errors import SoddError
from sodd.refresh_scb import refresh_scb
from sodd.refresh_scb_report import STATUS_FAILED
from sodd.sources.http import make_session
from sodd.sources.jsonstat import parse_jsonstat
from sodd.sources.pxweb import PxWebClient
from sodd.sources.pxweb_model import count_cells
from sodd.sources.scb import (
    DISTRICT_LEVELS,
    Scope,
    build_selection,
    build_table_specs,
    validate_spec,
)
from sodd.store import Store

ROOT = Path(__file__).resolve().parent.parent
SCOPE = Scope("kommun", "1780")
FIRST_YEAR = 2015
PRODUCTION = Limits(150_000, 30, 10.0)  # SCB's own /config (data-sources §2.8)
# Tight enough that batching and the rate limit both work hard; a 1 s window and the
# TIGHT_TABLES tables that need the most requests keep `make bench` short.
TIGHT = Limits(2_000, 5, 1.0)
TIGHT_TABLES = 4
Selections = dict[str, dict[str, tuple[str, ...]]]


# ------------------------------------------------------------------------ the work


def build_selections(server: StandIn) -> Selections:
    """The selection refresh_scb builds for every table, from the tables' metadata."""
    session = make_session()
    session.headers["X-Forwarded-For"] = "10.0.0.1"  # outside the measured client's window
    client = PxWebClient(server.api_url, session=session)
    selections = {}
    for spec in build_table_specs():
        metadata = client.metadata(spec.table_id)
        validate_spec(spec, metadata)
        selection = build_selection(spec, metadata, SCOPE, DISTRICT_LEVELS, FIRST_YEAR)
        selections[spec.table_id] = selection
    return selections


def minimum(selections: Selections, limits: Limits, *, per_table: int, data: bool = True) -> int:
    """``/config`` plus ``per_table`` calls and (``data``) the fewest data requests per table."""
    fewest = sum(math.ceil(count_cells(s) / limits.max_cells) for s in selections.values())
    return 1 + per_table * len(selections) + (fewest if data else 0)


def refresh(
    store: Store, url: str, tables: tuple[str, ...] | None = None
) -> Callable[[Waits], int]:
    def action(waits: Waits) -> int:
        client = PxWebClient(url, sleep=waits.sleep)
        report = refresh_scb(
            store, client, SCOPE, levels=DISTRICT_LEVELS, first_year=FIRST_YEAR, tables=tables
        )
        if not report.ok:
            failed = [t.message for t in report.tables if t.status == STATUS_FAILED]
            raise RuntimeError("; ".join(failed))
        return client.request_count

    return action


def sodd_fetch(url: str, selections: Selections) -> Callable[[Waits], int]:
    def action(waits: Waits) -> int:
        client = PxWebClient(url, sleep=waits.sleep)
        for table, selection in selections.items():
            for response in client.fetch(table, selection):
                parse_jsonstat(response.body, table_id=table, fetched_at=response.fetched_at)
        return client.request_count

    return action


def pxwebpy_fetch(url: str, selections: Selections, workers: int | None) -> Callable[[Waits], None]:
    def action(waits: Waits) -> None:
        from pxweb import PxApi
        from pxweb._internal import client as pxweb_client

        original = pxweb_client.time
        pxweb_client.time = waits  # type: ignore[assignment]  # count its sleeps, as ours
        try:
            # Its cache would answer repeats from memory: off, for a fair number.
            api = PxApi(url, disable_cache=True, max_workers=workers)
            for table, selection in selections.items():
                codes = {name: list(values) for name, values in selection.items()}
                api.get_table_data(table, value_codes=codes)  # flattened to one dict per cell
        finally:
            pxweb_client.time = original

    return action


def pxwebpy_missing() -> str | None:
    try:
        import pxweb  # noqa: F401
    except ImportError as exc:
        return f"pxwebpy is not installed ({exc}); `make bench` installs requirements-dev.txt"
    return None


# ------------------------------------------------------------------------ running


def hardest(selections: Selections, limits: Limits, count: int) -> Selections:
    """The ``count`` tables that need the most data requests under ``limits``."""
    ranked = sorted(selections, key=lambda t: -count_cells(selections[t]) / limits.max_cells)
    return {table: selections[table] for table in ranked[:count]}


def measure_all(
    production: StandIn, tight: StandIn, folder: Path
) -> tuple[Selections, Selections, list[Run]]:
    """Warm both stand-ins, then measure every run in the printed order."""
    selections = build_selections(production)
    # Under tight limits only the hardest tables: they carry most of the batching and keep
    # the stand-in's warm-up and the rate-limited runs short.
    few = hardest(selections, TIGHT, TIGHT_TABLES)
    errors: list[str] = []
    warmers = [
        threading.Thread(target=warm, args=(server, chosen, errors))
        for server, chosen in ((production, selections), (tight, few))
    ]
    for thread in warmers:
        thread.start()
    for thread in warmers:
        thread.join()
    if errors:
        raise RuntimeError("; ".join(errors))
    chosen = {PRODUCTION: selections, TIGHT: few}
    full = {lim: minimum(sel, lim, per_table=2) for lim, sel in chosen.items()}
    fetch = {lim: minimum(sel, lim, per_table=0) for lim, sel in chosen.items()}
    unchanged = minimum(selections, PRODUCTION, per_table=1, data=False)
    store = Store(folder / "store")
    at_production, at_tight = production.api_url, tight.api_url
    runs = [
        measure(
            production, "(a,b) sodd refresh, run 1", full[PRODUCTION], refresh(store, at_production)
        ),
        # Right after run 1 from the same address, as when someone presses refresh twice.
        measure(
            production,
            "(c)   sodd refresh, run 2: nothing new",
            unchanged,
            refresh(store, at_production),
            drain=False,
        ),
        measure(
            tight,
            "(d)   sodd refresh, tight limits",
            full[TIGHT],
            refresh(Store(folder / "tight"), at_tight, tables=tuple(few)),
        ),
        measure(
            production,
            "(e)   sodd PxWebClient, production",
            fetch[PRODUCTION],
            sodd_fetch(at_production, selections),
        ),
        measure(tight, "      sodd PxWebClient, tight", fetch[TIGHT], sodd_fetch(at_tight, few)),
    ]
    missing = pxwebpy_missing()
    for server, label, workers in (
        (production, "      pxwebpy 0.6.0, production", None),
        (tight, "      pxwebpy 0.6.0, tight, 1 worker", 1),
        (tight, "      pxwebpy 0.6.0, tight, default", None),
    ):
        if missing:
            runs.append(Run(label, server.limits, fetch[server.limits], 0, 0, [], None, missing))
        else:
            action = pxwebpy_fetch(server.api_url, chosen[server.limits], workers)
            runs.append(measure(server, label, fetch[server.limits], action))
    return selections, few, runs


def data_requests(run: Run, table: str) -> int:
    path = f"/tables/{table}/data"
    return sum(line["path"].endswith(path) and line["status"] == 200 for line in run.lines)


NOTES = (
    "min: /config + per table 1 entry (`updated`) + 1 metadata + ceil(cells / maxDataCells)"
    " data requests; run 2: /config + 1 entry per table; (e): /config + data requests",
    "bound: (ceil((min - 1) / calls) - 1) x window, the least wall time the rate limit allows"
    " (/config is not rate-limited)",
    "server: the stand-in's own time (sum over requests); waited: the client's sleeps (rate"
    " limit, Retry-After); the rest of wall is the client's own work (parse, store, indicators)",
    "(e): the same data requests, each answer flattened to rows (sodd: parse_jsonstat; pxwebpy:"
    " get_table_data, its cache off; it also calls /tables when it starts); 'default' is"
    " pxwebpy's thread pool (max_workers=None), used when a query is split; its threads'"
    " waits are added up",
)


def print_report(selections: Selections, few: Selections, runs: list[Run], seconds: float) -> None:
    cells = sum(count_cells(s) for s in selections.values())
    print(
        f"SCB refresh bench: kommun {SCOPE.code}, DeSO + RegSO, {len(selections)} tables "
        f"from {FIRST_YEAR}, {spaced(cells)} cells"
    )
    print(f"  production limits: {PRODUCTION.label()}, all tables")
    tight = (
        f"tight limits: {TIGHT.label()}, the {len(few)} tables needing the most requests "
        f"({', '.join(few)}: {spaced(sum(count_cells(s) for s in few.values()))} cells)"
    )
    print(textwrap.fill(tight, width=100, initial_indent="  ", subsequent_indent="    "))
    print("  shared SCB stand-in (synthetic values), warmed by sending every request once first")
    print()
    print(f"  {'':<38}{'requests sent':>17}{'429':>5}{'cells':>9}    wall  bound server waited")
    print(f"  {'':<38}{'log':>5}{'client':>7}{'min':>5}{'':>14}{'s':>8}{'s':>7}{'s':>7}{'s':>7}")
    for run in runs:
        print(run.row())
    print()
    print("  data requests per table, fewest / sent by the refresh")
    print(f"  {'table':<9}{'cells':>8}{'production':>13}{'tight':>10}")
    for table, selection in selections.items():
        number = count_cells(selection)
        sent = [
            f"{math.ceil(number / limits.max_cells)} / {data_requests(run, table)}"
            if table in chosen
            else "–"
            for limits, run, chosen in ((PRODUCTION, runs[0], selections), (TIGHT, runs[2], few))
        ]
        print(f"  {table:<9}{spaced(number):>8}{sent[0]:>13}{sent[1]:>10}")
    print()
    notes = list(NOTES)
    if any(line["status"] == 429 for line in runs[1].lines):
        notes.append(
            "run 2 starts right after run 1 from the same address: the server's window still"
            " holds run 1's calls and the new client's own window starts empty, so it waits"
            " out the 429 answers (Retry-After)"
        )
    for note in notes:
        print(textwrap.fill(note, width=100, initial_indent="  ", subsequent_indent="    "))
    print(f"  SCB bench took {seconds:.0f} s")


def shared_dir() -> Path:
    configured = os.environ.get("SODD_SHARED_DIR")
    return Path(configured) if configured else ROOT.parent / "shared"


def main() -> None:
    shared = shared_dir()
    if not (shared / "tools" / "scb-standin" / "standin.py").is_file():
        print(
            f"SCB refresh bench skipped: no SCB stand-in at {shared}/tools/scb-standin/standin.py"
            " (the shared folder is ../shared, or SODD_SHARED_DIR when set)."
        )
        return
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        servers = [StandIn(shared, PRODUCTION, folder, "production")]
        servers.append(StandIn(shared, TIGHT, folder, "tight"))
        try:
            for server in servers:
                server.wait_ready()
            selections, few, runs = measure_all(servers[0], servers[1], folder)
        except (RuntimeError, SoddError, OSError) as exc:  # no stand-in, or it failed
            print(f"SCB refresh bench stopped: {exc}")
            return
        finally:
            for server in servers:
                server.stop()
    print_report(selections, few, runs, time.perf_counter() - start)


if __name__ == "__main__":
    main()
