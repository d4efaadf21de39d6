"""The PxWebApi 2.0 client: batching, rate limit, retries, errors, and the SCB stand-in.

Most tests run against a small loopback server in this file (127.0.0.1, own thread) that
answers json-stat2 for whatever selection it is sent and can be scripted to fail. The
``shared`` tests run against ../shared's SCB stand-in and compare with its ``dump``.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sodd.config import Settings
from sodd.errors import SourceError, SourceUnavailable
from sodd.sources.http import RetryPolicy
from sodd.sources.jsonstat import parse_jsonstat
from sodd.sources.pxweb import PxWebClient, parse_config, plan_batches
from sodd.sources.scb_codes import query_region_code
from tests.conftest import StandIn, start_standin, stop_standin

# -- plan_batches ----------------------------------------------------------------------------


@st.composite
def selections(draw: st.DrawFn) -> dict[str, list[str]]:
    names = draw(st.lists(st.sampled_from(["Region", "Alder", "Kon", "Tid", "ContentsCode"]),
                          min_size=1, max_size=5, unique=True))  # fmt: skip
    return {name: [f"{name}{k}" for k in range(draw(st.integers(1, 12)))] for name in names}


@settings(max_examples=150, deadline=None)
@given(selections(), st.integers(1, 400))
def test_batches_fit_and_cover_the_selection_exactly_once(
    selection: dict[str, list[str]], max_cells: int
) -> None:
    batches = plan_batches(selection, max_cells)
    cells: list[tuple[str, ...]] = []
    for batch in batches:
        assert list(batch) == list(selection)  # variable order kept
        assert math.prod(len(v) for v in batch.values()) <= max_cells
        cells.extend(itertools.product(*batch.values()))
    assert len(cells) == len(set(cells))  # no cell twice
    assert set(cells) == set(itertools.product(*selection.values()))  # every cell once
    total = math.prod(len(v) for v in selection.values())
    assert len(batches) >= math.ceil(total / max_cells)
    if total <= max_cells:
        assert len(batches) == 1


def test_batches_split_region_first_into_near_equal_chunks() -> None:
    # data-sources §2.8: 6 160 DeSO × 18 ages × 3 sexes = 332 640 cells -> three Region chunks.
    selection = {
        "Region": [f"r{k}" for k in range(6160)],
        "Alder": [f"a{k}" for k in range(18)],
        "Kon": ["1", "2", "1+2"],
        "ContentsCode": ["000007Y7"],
        "Tid": ["2024"],
    }
    batches = plan_batches(selection, 150_000)
    assert [len(b["Region"]) for b in batches] == [2054, 2053, 2053]
    assert all(len(b["Alder"]) == 18 and len(b["Kon"]) == 3 for b in batches)
    # Region split to single codes before Tid is touched; ContentsCode is never split here.
    batches = plan_batches({"Region": ["a", "b"], "ContentsCode": ["x", "y"], "Tid": ["1", "2"]}, 2)
    assert len(batches) == 4 and all(b["ContentsCode"] == ["x", "y"] for b in batches)


def test_batches_drop_duplicates_and_refuse_bad_input() -> None:
    assert plan_batches({"Tid": ["2024", "2024", "2023"]}, 10) == [{"Tid": ["2024", "2023"]}]
    with pytest.raises(ValueError, match="at least 1"):
        plan_batches({"Tid": ["2024"]}, 0)
    with pytest.raises(ValueError, match="'Kon' has no values"):
        plan_batches({"Tid": ["2024"], "Kon": []}, 10)
    with pytest.raises(ValueError, match="empty selection"):
        PxWebClient("http://127.0.0.1:9/api/v2").fetch("TAB1", {})


# -- /config ---------------------------------------------------------------------------------


@pytest.mark.shared
def test_parse_real_recorded_config(shared_dir: Path) -> None:
    config = parse_config((shared_dir / "data/scb/pxweb_v2_pxwebpy/config.json").read_bytes())
    assert (config.api_version, config.max_data_cells) == ("2.2.0", 150_000)
    assert (config.max_calls, config.time_window_seconds) == (3, 1.0)


def test_parse_config_falls_back_and_refuses() -> None:
    config = parse_config(b'{"apiVersion": "2.0.1"}')
    assert (config.max_data_cells, config.max_calls, config.time_window_seconds) == (
        150_000,
        30,
        10,
    )
    with pytest.raises(SourceError, match=r"apiVersion '1\.0'.*PxWebApi 2"):
        parse_config(b'{"apiVersion": "1.0"}')
    with pytest.raises(SourceError, match="maxDataCells = 0"):
        parse_config(b'{"apiVersion": "2.2.0", "maxDataCells": 0}')
    with pytest.raises(SourceError, match="timeWindow = 'tio'"):
        parse_config(b'{"apiVersion": "2.2.0", "timeWindow": "tio"}')
    with pytest.raises(SourceError, match="ofullständigt svar"):
        parse_config(b'{"apiVersion": "2.2')


# -- loopback PxWebApi -----------------------------------------------------------------------

TABLE = "TAB1"
DIMS = {  # the table's own order, which data answers follow whatever the request order
    "Region": ["1780", "1780C1010_DeSO2025", "1780C1020_DeSO2025", "1780R001", "1780R002",
               "1780R003_RegSO2025", "1781", "1782"],
    "Kon": ["1", "2", "1+2"],
    "ContentsCode": ["X1"],
    "Tid": ["2022", "2023", "2024"],
}  # fmt: skip


def cell_value(region: str, kon: str, tid: str) -> float:
    return 1000 * DIMS["Region"].index(region) + 10 * DIMS["Kon"].index(kon) + int(tid) - 2000


class FakeTime:
    """A clock that only moves when the client sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@dataclass
class Api:
    url: str
    time: FakeTime
    max_cells: int = 20  # reported by /config
    enforce_cells: int = 20  # what the server refuses above
    calls: int = 100  # the rate-limit test lowers it; others see only their retry waits
    window: float = 5.0
    faults: list[str] = field(default_factory=list)  # consumed by data requests, in order
    data_times: list[float] = field(default_factory=list)  # fake time at arrival
    cells: list[int] = field(default_factory=list)
    config_calls: int = 0

    def client(self, **kwargs: Any) -> PxWebClient:
        kwargs.setdefault("policy", RetryPolicy(attempts=4, backoff_seconds=1.0, timeout_seconds=5))
        return PxWebClient(self.url, sleep=self.time.sleep, clock=self.time.clock, **kwargs)


def _jsonstat(selected: dict[str, list[str]]) -> dict[str, Any]:
    ids = [d for d in DIMS if d in selected]
    codes = [[c for c in DIMS[d] if c in selected[d]] for d in ids]
    values = [
        cell_value(cell["Region"], cell["Kon"], cell["Tid"])
        for cell in (dict(zip(ids, combo, strict=True)) for combo in itertools.product(*codes))
    ]
    return {
        "version": "2.0",
        "class": "dataset",
        "id": ids,
        "size": [len(c) for c in codes],
        "dimension": {
            d: {"category": {"index": {c: k for k, c in enumerate(cs)}}}
            for d, cs in zip(ids, codes, strict=True)
        },
        "value": values,
    }


def _metadata() -> dict[str, Any]:
    return {
        "version": "2.0",
        "class": "dataset",
        "label": "Testtabell",
        "updated": "2026-03-24T07:00:00Z",
        "role": {"time": ["Tid"], "metric": ["ContentsCode"]},
        "id": list(DIMS),
        "size": [len(v) for v in DIMS.values()],
        "dimension": {
            d: {
                "label": d.lower(),
                "category": {"index": {c: k for k, c in enumerate(cs)}},
                "extension": {"elimination": d == "Kon"},
            }
            for d, cs in DIMS.items()
        },
        "extension": {"px": {"tableid": TABLE}},
        "value": [],
    }


@pytest.fixture
def api() -> Iterator[Api]:
    state = Api(url="", time=FakeTime())

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _problem(self, status: int, title: str, detail: str) -> None:
            body = {"type": "Parameter error", "title": title, "status": status, "detail": detail}
            self._send(
                status, json.dumps(body).encode(), {"Content-Type": "application/problem+json"}
            )

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            if path == "/api/v2/config":
                state.config_calls += 1
                config = {
                    "apiVersion": "2.2.0",
                    "maxDataCells": state.max_cells,
                    "maxCallsPerTimeWindow": state.calls,
                    "timeWindow": state.window,
                }
                self._send(200, json.dumps(config).encode())
            elif path == f"/api/v2/tables/{TABLE}":
                self._send(
                    200, json.dumps({"id": TABLE, "updated": "2026-03-24T07:00:00Z"}).encode()
                )
            elif path == f"/api/v2/tables/{TABLE}/metadata":
                self._send(200, json.dumps(_metadata()).encode())
            else:
                self._problem(404, "Non-existent table", f"No table at {path}")

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.data_times.append(state.time.now)
            assert "outputFormat=json-stat2" in self.path and "lang=sv" in self.path
            selected = {s["variableCode"]: s["valueCodes"] for s in json.loads(body)["selection"]}
            cells = math.prod(len(v) for v in selected.values())
            state.cells.append(cells)
            fault = state.faults.pop(0) if state.faults else None
            if fault == "429":
                body = b'{"title": "Too Many Requests", "detail": "quota exceeded"}'
                self._send(429, body, {"Retry-After": "3"})
                return
            if fault == "503":
                self._problem(503, "Service Unavailable", "busy")
                return
            if fault == "400":
                self._problem(400, "Non-existent value", "Variable Region has no value 'X'")
                return
            if cells > state.enforce_cells:
                self._problem(400, "Too many cells selected", f"{cells} > {state.enforce_cells}")
                return
            answer = json.dumps(_jsonstat(selected)).encode()
            if fault == "sleep":  # longer than the client's timeout, then answer anyway
                time.sleep(0.6)
            if fault == "truncate":  # a complete HTTP answer whose JSON is cut
                self._send(200, answer[: len(answer) // 2])
                return
            if fault == "midstream":  # announces the full length, sends half, hangs up
                self.send_response(200)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer[: len(answer) // 2])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_WR)
                return
            try:
                self._send(200, answer)
            except (BrokenPipeError, ConnectionResetError):
                pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: Any, client_address: Any) -> None:
            pass  # the timeout test leaves a handler writing to a closed socket

    httpd = Server(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/api/v2"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


SELECTION = {"Tid": ["2022", "2023", "2024"], "Region": DIMS["Region"], "Kon": DIMS["Kon"],
             "ContentsCode": ["X1"]}  # fmt: skip


def _parsed(responses: list[Any], table_id: str = TABLE) -> pd.DataFrame:
    return pd.concat(
        [parse_jsonstat(r.body, table_id=table_id, fetched_at=r.fetched_at) for r in responses],
        ignore_index=True,
    )


def _check_values(frame: pd.DataFrame) -> None:
    seen = set()
    for row in frame.itertuples():
        region = query_region_code(row.region_code, row.level, row.geo_vintage)
        kon = json.loads(row.dims)["Kon"]
        assert row.value == cell_value(region, kon, row.period)
        seen.add((region, kon, row.period))
    assert len(seen) == len(frame) == 8 * 3 * 3


def test_fetch_batches_under_max_cells_and_keeps_raw_responses(api: Api) -> None:
    progress: list[tuple[int, int]] = []
    client = api.client()
    responses = client.fetch(TABLE, SELECTION, progress=lambda d, p: progress.append((d, p)))
    # 72 cells, 20 per request: Region (split first) in chunks of 2 -> 4 requests of 18.
    assert api.cells == [18, 18, 18, 18]
    assert progress == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    _check_values(_parsed(responses))
    first = responses[0]
    assert "/tables/TAB1/data?" in first.url and "outputFormat=json-stat2" in first.url
    sent = json.loads(first.query)["selection"]
    assert [s["variableCode"] for s in sent] == list(SELECTION)  # request order kept
    assert json.loads(first.body)["id"] == list(DIMS)  # the answer has the table's order
    assert first.fetched_at.endswith("Z")
    assert client.request_count == 5 and api.config_calls == 1
    client.config()
    assert api.config_calls == 1  # cached


def test_rate_limit_never_exceeds_calls_per_window(api: Api) -> None:
    api.max_cells = api.enforce_cells = 9  # 8 requests of one region each
    api.calls = 3
    client = api.client()
    _check_values(_parsed(client.fetch(TABLE, SELECTION)))
    times = api.data_times
    assert len(times) == 8
    for first, later in zip(times, times[api.calls :], strict=False):
        assert later - first >= api.window  # never a 4th call within 5 s
    assert times == [0, 0, 0, 5, 5, 5, 10, 10]  # and no waiting beyond that


def test_no_rate_limit_when_config_sets_none(api: Api) -> None:
    api.max_cells = api.enforce_cells = 9
    api.calls = 0  # maxCallsPerTimeWindow 0: no limit
    api.client().fetch(TABLE, SELECTION)
    assert api.data_times == [0] * 8 and api.time.sleeps == []


def test_429_with_retry_after_then_success(api: Api) -> None:
    api.faults = ["429"]
    client = api.client()
    _check_values(_parsed(client.fetch(TABLE, SELECTION)))
    assert len(api.cells) == 5  # one batch sent twice
    assert api.time.sleeps == [3.0]  # Retry-After, not the 1 s back-off


def test_503_twice_then_success(api: Api) -> None:
    api.faults = ["503", "503"]
    client = api.client()
    _check_values(_parsed(client.fetch(TABLE, SELECTION)))
    assert len(api.cells) == 6 and api.time.sleeps == [1.0, 2.0]
    assert client.request_count == 1 + 6


def test_timeout_then_success(api: Api) -> None:
    api.faults = ["sleep"]
    client = api.client(policy=RetryPolicy(attempts=3, backoff_seconds=0.5, timeout_seconds=0.2))
    _check_values(_parsed(client.fetch(TABLE, SELECTION)))
    assert len(api.cells) == 5 and api.time.sleeps == [0.5]


@pytest.mark.parametrize("fault", ["truncate", "midstream"])
def test_cut_off_body_is_retried(api: Api, fault: str) -> None:
    api.faults = [fault]
    client = api.client()
    responses = client.fetch(TABLE, SELECTION)
    _check_values(_parsed(responses))
    assert len(api.cells) == 5 and api.time.sleeps == [1.0]
    assert all(json.loads(r.body) for r in responses)


def test_persistent_400_names_table_request_and_detail(api: Api) -> None:
    api.faults = ["400"] * 3
    with pytest.raises(SourceError) as caught:
        api.client().fetch(TABLE, SELECTION)
    message = str(caught.value)
    assert not isinstance(caught.value, SourceUnavailable)
    assert "SCB-tabell TAB1" in message and "Tid 3, Region 2, Kon 3, ContentsCode 1" in message
    assert "400: Non-existent value – Variable Region has no value 'X'" in message
    assert len(api.cells) == 1  # a 4xx is not retried


def test_all_attempts_failing_is_unavailable(api: Api) -> None:
    api.faults = ["503"] * 10
    with pytest.raises(SourceUnavailable, match=r"SCB-tabell TAB1.*efter 4 försök.*503"):
        api.client().fetch(TABLE, SELECTION)
    assert len(api.cells) == 4


def test_too_many_cells_gives_a_clear_error(api: Api) -> None:
    api.max_cells, api.enforce_cells = 1000, 10  # /config promises more than the server takes
    with pytest.raises(SourceError, match=r"Too many cells selected.*72 celler.*maxDataCells 1000"):
        api.client().fetch(TABLE, SELECTION)


def test_metadata_table_updated_and_unknown_table(api: Api) -> None:
    client = api.client()
    meta = client.metadata(TABLE)
    assert [v.code for v in meta.variables] == list(DIMS)
    assert meta.variable("Region").values == tuple(DIMS["Region"])
    assert meta.variable("Kon").elimination and not meta.variable("Tid").elimination
    assert json.loads(meta.raw)["extension"]["px"]["tableid"] == TABLE
    assert client.table_updated(TABLE) == "2026-03-24T07:00:00Z"
    with pytest.raises(SourceError, match=r"TAB404.*404: Non-existent table"):
        client.metadata("TAB404")
    with pytest.raises(SourceError, match=r"Ogiltigt tabell-id '\.\./config'"):
        client.metadata("../config")


def test_from_settings_uses_url_and_timeout() -> None:
    settings_ = Settings(scb_api_url="http://127.0.0.1:9/api/v2", http_timeout_seconds=2.5)
    client = PxWebClient.from_settings(settings_, lang="en")
    assert client.base_url == "http://127.0.0.1:9/api/v2" and client.lang == "en"
    assert client.policy.timeout_seconds == 2.5


# -- the shared SCB stand-in -----------------------------------------------------------------

YEARS = ["2023", "2024"]


def _karlstad_selection(client: PxWebClient) -> dict[str, list[str]]:
    meta = client.metadata("TAB6574")
    regions = [
        c for c in meta.variable("Region").values if c.startswith("1780") and "DeSO2025" in c
    ]
    assert len(regions) == 57
    return {
        "Region": regions,
        "Alder": list(meta.variable("Alder").values),
        "Kon": list(meta.variable("Kon").values),
        "ContentsCode": ["000007Y7"],
        "Tid": YEARS,
    }


def _dump(shared: Path, tmp_path: Path, *flags: str) -> dict[tuple[str, ...], tuple[str, str]]:
    out = tmp_path / "dump.csv"
    script = shared / "tools" / "scb-standin" / "standin.py"
    subprocess.run(
        [sys.executable, str(script), "dump", "--table", "TAB6574", "--region-prefix", "1780",
         "--years", "2023-2024", "--out", str(out), "--data-dir", str(shared / "data"), *flags],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    with out.open(encoding="utf-8", newline="") as handle:
        return {
            (r["Region"], r["Alder"], r["Kon"], r["ContentsCode"], r["Tid"]): (
                r["value"],
                r["status"],
            )
            for r in csv.DictReader(handle)
        }


def _compare_with_dump(frame: pd.DataFrame, dump: dict[tuple[str, ...], tuple[str, str]]) -> None:
    assert len(frame) == 57 * 18 * 3 * 2
    nulls = 0
    for row in frame.itertuples():
        dims = json.loads(row.dims)
        region = query_region_code(row.region_code, row.level, row.geo_vintage)
        value, status = dump[(region, dims["Alder"], dims["Kon"], row.variable, row.period)]
        if value == "":
            nulls += 1
            assert math.isnan(row.value) and row.status == status == ".."
        else:
            assert row.value == float(value) and pd.isna(row.status) and status == ""
    assert nulls == 57 * 18 * 3  # DeSO 2025 codes have no values before 2024


@pytest.mark.shared
def test_standin_config_and_metadata(scb_standin: StandIn) -> None:
    client = PxWebClient(scb_standin.api_url)
    config = client.config()
    assert (config.max_data_cells, config.max_calls, config.time_window_seconds) == (
        150_000,
        30,
        10,
    )
    meta = client.metadata("TAB6574")
    assert [v.code for v in meta.variables] == ["Region", "Alder", "Kon", "ContentsCode", "Tid"]
    assert meta.variable("ContentsCode").values == ("000007Y7",)
    assert len(meta.variable("Region").values) == 19182
    assert meta.variable("Alder").values[0] == "totalt" and meta.variable("Alder").elimination
    assert meta.variable("Tid").values == tuple(str(y) for y in range(2010, 2026))
    assert client.table_updated("TAB6574") == meta.updated


@pytest.mark.shared
def test_standin_fetch_matches_its_dump(
    scb_standin: StandIn, shared_dir: Path, tmp_path: Path
) -> None:
    client = PxWebClient(scb_standin.api_url)
    responses = client.fetch("TAB6574", _karlstad_selection(client))
    assert len(responses) == 1
    frame = _parsed(responses, "TAB6574")
    assert set(frame["level"]) == {"deso"} and set(frame["geo_vintage"]) == {"2025"}
    _compare_with_dump(frame, _dump(shared_dir, tmp_path))


@pytest.mark.shared
def test_standin_with_faults_still_returns_correct_data(
    scb_standin: StandIn, shared_dir: Path, tmp_path: Path
) -> None:
    selection = _karlstad_selection(PxWebClient(scb_standin.api_url))
    faulty = start_standin(
        shared_dir, "--warm", "--seed", "5", "--calls", "5", "--window", "2",
        "--max-cells", "2500", "--fault-5xx", "0.3", "--fault-429", "0.2",
        "--fault-truncate", "0.2", "--truncate-mode", "midstream",
    )  # fmt: skip
    try:
        policy = RetryPolicy(attempts=12, backoff_seconds=0.05, max_wait_seconds=2.5)
        client = PxWebClient(faulty.api_url, policy=policy)
        started = time.monotonic()
        responses = client.fetch("TAB6574", selection)
        elapsed = time.monotonic() - started
    finally:
        stop_standin(faulty)
    assert len(responses) == 3  # 6 156 cells, at most 2 500 per request
    assert client.request_count > len(responses) + 1  # faults were met and retried
    _compare_with_dump(_parsed(responses, "TAB6574"), _dump(shared_dir, tmp_path, "--seed", "5"))
    assert elapsed < 20


def test_clients_of_one_api_share_the_rate_limit_window() -> None:
    """SCB counts calls per address: a second refresh must not start with an empty window."""
    first = PxWebClient("http://127.0.0.1:9/api/v2")
    second = PxWebClient("http://127.0.0.1:9/api/v2/")
    other = PxWebClient("http://127.0.0.1:9/other")
    faked = PxWebClient("http://127.0.0.1:9/api/v2", clock=lambda: 0.0)
    assert first._window is second._window
    assert first._window is not other._window
    assert faked._window is not first._window
