"""Shared fixtures: the small demo store, ../shared access, and Streamlit cache hygiene."""

from __future__ import annotations

import os
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
