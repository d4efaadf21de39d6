"""Measuring clients against the shared SCB stand-in: start it, time a run, read its log.

Used by ``bench/scb_refresh.py``, which puts the project root on ``sys.path``. A run's
requests are the stand-in's log lines from the loopback address; set-up and warm-up
requests carry an ``X-Forwarded-For`` key of their own, so they are neither counted nor
in the measured client's rate-limit window.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from sodd.sources.pxweb import plan_batches

LOOPBACK = "127.0.0.1"


def spaced(number: int) -> str:
    """``89963`` → ``89 963``, as the rest of sodd's bench prints numbers."""
    return f"{number:,}".replace(",", " ")


@dataclass(frozen=True)
class Limits:
    """A server's ``maxDataCells`` and ``maxCallsPerTimeWindow`` per ``timeWindow``."""

    max_cells: int
    calls: int
    window: float

    def label(self) -> str:
        return f"{spaced(self.max_cells)} cells, {self.calls} calls / {self.window:g} s"

    def bound(self, limited_requests: int) -> float:
        """Least wall time the rate limit allows for this many counted requests."""
        return max(0, math.ceil(limited_requests / self.calls) - 1) * self.window


class StandIn:
    """The shared stand-in on a free loopback port, logging one JSON line per request."""

    def __init__(self, shared: Path, limits: Limits, folder: Path, name: str) -> None:
        self.limits = limits
        self.log = folder / f"{name}.jsonl"
        self.output = folder / f"{name}.out"
        command = [
            sys.executable, str(shared / "tools" / "scb-standin" / "standin.py"), "serve",
            "--port", "0", "--data-dir", str(shared / "data"), "--warm", "--log", str(self.log),
            "--max-cells", str(limits.max_cells), "--calls", str(limits.calls),
            "--window", f"{limits.window:g}",
        ]  # fmt: skip
        # Output goes to a file: a pipe nobody reads once the server is up could fill.
        with self.output.open("w") as sink:
            self.process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
        self.api_url = ""
        self.idle_since = 0.0

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while "PxWebApi 2.0:" not in (text := self.output.read_text()):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the stand-in did not start: {text.strip()[-300:]}")
            time.sleep(0.1)
        self.api_url = text.split("PxWebApi 2.0:", 1)[1].split()[0]

    def lines(self) -> list[dict[str, Any]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines() if line]

    def drain(self) -> None:
        """Wait until the calls of the previous run have left the server's window."""
        time.sleep(max(0.0, self.idle_since + self.limits.window - time.monotonic()))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Waits:
    """A ``sleep`` that adds up how long a client chose to wait (rate limit, Retry-After).

    It also has ``monotonic``, so it can stand in for pxwebpy's ``time`` module.
    """

    def __init__(self) -> None:
        self.seconds = 0.0
        self.monotonic = time.monotonic

    def sleep(self, seconds: float) -> None:
        self.seconds += max(0.0, seconds)
        time.sleep(seconds)


@dataclass
class Run:
    """One measured run: its requests as the server logged them, and its times."""

    label: str
    limits: Limits
    minimum: int  # fewest requests the work needs, /config included
    wall: float
    waited: float
    lines: list[dict[str, Any]]
    client_count: int | None  # what the client says it sent (sodd's request_count)
    error: str | None

    def row(self) -> str:
        too_many = sum(line["status"] == 429 for line in self.lines)
        cells = sum(line["cells"] or 0 for line in self.lines if line["status"] == 200)
        server = sum(line["ms"] for line in self.lines) / 1000
        client = "–" if self.client_count is None else str(self.client_count)
        head = f"  {self.label:<38}{len(self.lines):>5}{client:>7}{self.minimum:>5}{too_many:>5}"
        if self.error:
            return f"{head}  failed after {self.wall:.1f} s – {self.error}"
        bound = self.limits.bound(self.minimum - 1)  # /config is not rate-limited
        times = f"{self.wall:8.1f}{bound:7.1f}{server:7.1f}{self.waited:7.1f}"
        return f"{head}{spaced(cells):>9}{times}"


def measure(
    server: StandIn,
    label: str,
    minimum: int,
    action: Callable[[Waits], int | None],
    *,
    drain: bool = True,
) -> Run:
    """Time ``action`` and collect the stand-in's log lines of the requests it sent."""
    if drain:
        server.drain()
    first = len(server.lines())
    waits = Waits()
    error = None
    count = None
    start = time.perf_counter()
    try:
        count = action(waits)
    except Exception as exc:  # a benchmark reports a failure instead of stopping
        error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:100]}"
    wall = time.perf_counter() - start
    server.idle_since = time.monotonic()
    time.sleep(0.3)  # the stand-in writes a log line after sending the answer
    lines = [line for line in server.lines()[first:] if line["client"] == LOOPBACK]
    return Run(label, server.limits, minimum, wall, waits.seconds, lines, count, error)


def warm(
    server: StandIn, selections: Mapping[str, Mapping[str, Sequence[str]]], errors: list[str]
) -> None:
    """Send every request once, so the stand-in's lazily built tables cost no measured time.

    Each request comes from its own X-Forwarded-For key: none is rate-limited, none
    counts against the measured client's window.
    """
    url = server.api_url
    number = 0

    def key() -> dict[str, str]:
        nonlocal number
        number += 1
        return {"X-Forwarded-For": f"10.1.{number // 200}.{number % 200 + 1}"}

    params = {"lang": "sv", "outputFormat": "json-stat2"}
    try:
        with requests.Session() as session:
            for table, selection in selections.items():
                path = f"{url}/tables/{table}"
                session.get(f"{path}/metadata", headers=key(), timeout=120).raise_for_status()
                for batch in plan_batches(selection, server.limits.max_cells):
                    query = [{"variableCode": k, "valueCodes": v} for k, v in batch.items()]
                    session.post(
                        f"{path}/data",
                        params=params,
                        json={"selection": query},
                        headers=key(),
                        timeout=120,
                    ).raise_for_status()
    except Exception as exc:
        errors.append(f"warm-up of {url}: {exc}")
