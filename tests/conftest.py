"""Shared fixtures: the small demo store, ../shared access, and Streamlit cache hygiene."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# A small but complete demo: Värmlands län (16 kommuner) with 6 districts each keeps the
# page and browser tests fast while exercising every level and indicator.
SMALL_DEMO = {"lan_codes": ["17"], "districts_per_kommun": 6}


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip() not in {"", "0", "false", "False"}


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only ../shared folder with recorded real responses and data files.

    Skips with a reason where it is absent (a fresh clone elsewhere); under
    SODD_REQUIRE_SHARED=1 (set by .ci/run) a missing folder fails the test instead.
    """
    configured = os.environ.get("SODD_SHARED_DIR")
    path = Path(configured) if configured else PROJECT_ROOT.parent / "shared"
    if not (path / "data").is_dir():
        message = f"../shared (recorded data) not found at {path.name!r}; set SODD_SHARED_DIR"
        if _flag("SODD_REQUIRE_SHARED"):
            pytest.fail(message + " (SODD_REQUIRE_SHARED=1)")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def demo_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the small demo, built once per test session."""
    from sodd.pipeline import install_demo
    from sodd.store import Store

    data_dir = tmp_path_factory.mktemp("demo-store")
    install_demo(Store(data_dir), **SMALL_DEMO)  # type: ignore[arg-type]
    return data_dir


@pytest.fixture(autouse=True)
def _clear_streamlit_caches() -> Iterator[None]:
    """st.cache_data outlives one AppTest (streamlit issue 9139); start each test clean."""
    yield
    try:
        import streamlit as st
    except ImportError:  # pragma: no cover
        return
    st.cache_data.clear()
    st.cache_resource.clear()


class StandIn:
    """A running SCB stand-in (../shared/tools/scb-standin) on a free loopback port."""

    def __init__(self, process: subprocess.Popen[str], api_url: str, wfs_url: str) -> None:
        self.process = process
        self.api_url = api_url
        self.wfs_url = wfs_url


def start_standin(shared: Path, *extra_args: str, timeout: float = 30.0) -> StandIn:
    """Start the shared SCB stand-in with extra flags and wait for its ready lines."""
    script = shared / "tools" / "scb-standin" / "standin.py"
    command = [
        sys.executable,
        str(script),
        "serve",
        "--port",
        "0",
        "--data-dir",
        str(shared / "data"),
    ]
    process = subprocess.Popen(
        [*command, *extra_args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    urls: dict[str, str] = {}
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    while len(urls) < 2:
        line = process.stdout.readline()
        if not line:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the SCB stand-in did not start")
            continue
        if line.startswith("PxWebApi 2.0:"):
            urls["api"] = line.split(":", 1)[1].strip()
        elif line.startswith("WFS:"):
            urls["wfs"] = line.split(":", 1)[1].strip()
    return StandIn(process, urls["api"], urls["wfs"])


def stop_standin(standin: StandIn) -> None:
    """Stop a stand-in started with :func:`start_standin`."""
    standin.process.terminate()
    try:
        standin.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        standin.process.kill()


@pytest.fixture(scope="session")
def scb_standin(shared_dir: Path) -> Iterator[StandIn]:
    """The shared SCB stand-in with its default limits and no faults, for the session."""
    standin = start_standin(shared_dir, "--warm")
    try:
        yield standin
    finally:
        stop_standin(standin)
