"""Security in the running app: the upload size limit, and the offline path with no network.

The offline test blocks every socket connection and name lookup that is not loopback,
then builds the demo, renders every page and makes every export: nothing may even try
to reach the outside (no map tiles, fonts, CDNs or telemetry).
"""

from __future__ import annotations

import ipaddress
import re
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from sodd.config import load_settings
from sodd.export import FORMATS, build_export_context, render
from sodd.export.cli import load_profile
from sodd.export.report_files import REPORT_FORMATS, load_kommun_report, render_report
from sodd.export.tidy import ExportContext
from sodd.pipeline import install_demo
from sodd.refresh_all import refresh_all
from sodd.refresh_all_report import OUTCOME_FAILED_KEPT
from sodd.sources.http import RetryPolicy
from sodd.sources.kolada import KoladaClient
from sodd.sources.pxweb import PxWebClient
from sodd.sources.scb import Scope
from sodd.store import Store
from tests.conftest import PROJECT_ROOT

APP = str(PROJECT_ROOT / "app.py")
# Every page app.py lists, so a new page is covered without editing this test.
PAGES = re.findall(r'"(views/[a-z_]+\.py)"', (PROJECT_ROOT / "app.py").read_text(encoding="utf-8"))


def _is_loopback(host: object) -> bool:
    text = str(host)
    if text in {"localhost", ""}:
        return True
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        return False


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Refuse every non-loopback connection and name lookup; yield what was attempted."""
    attempts: list[str] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def guard(address: Any) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(address, (str, bytes)):  # a Unix socket path
            return
        if not _is_loopback(host):
            attempts.append(str(address))
            raise OSError(f"network blocked in this test: {address!r}")

    def connect(self: socket.socket, address: Any) -> None:
        guard(address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        guard(address)
        return int(real_connect_ex(self, address))

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not _is_loopback(host):
            attempts.append(f"lookup {host}")
            raise socket.gaierror(f"name lookup blocked in this test: {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield attempts


def test_the_guard_really_blocks_the_outside(no_network: list[str]) -> None:
    with pytest.raises(OSError):
        socket.create_connection(("93.184.215.14", 443), timeout=1)
    with pytest.raises(OSError):
        socket.create_connection(("statistikdatabasen.scb.se", 443), timeout=1)
    assert len(no_network) == 2
    no_network.clear()


def test_demo_pages_and_exports_work_with_the_network_blocked(
    no_network: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "store")
    install_demo(store, lan_codes=["17"], districts_per_kommun=3)
    monkeypatch.setenv("SODD_DATA_DIR", str(store.data_dir))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert len(PAGES) >= 4, PAGES
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
    profile, regions = load_profile(store, "1780X0010", "deso", None)
    context = build_export_context(profile, store.manifest(), regions)
    sizes = {fmt: len(render(profile, context, fmt)) for fmt in FORMATS}
    report = load_kommun_report(store, "1780")
    report_context = ExportContext(entries=tuple(store.manifest().datasets.values()))
    sizes |= {
        f"rapport.{fmt}": len(render_report(report, report_context, fmt)) for fmt in REPORT_FORMATS
    }
    assert all(size > 500 for size in sizes.values()), sizes
    assert no_network == [], no_network


def test_a_refresh_with_the_network_blocked_keeps_the_data_and_says_why(
    no_network: list[str], demo_store_dir: Path, tmp_path: Path
) -> None:
    shutil.copytree(demo_store_dir, tmp_path / "store")
    store = Store(tmp_path / "store")
    before = store.manifest()
    settings = load_settings({})  # the real SCB, geodata and Kolada addresses
    policy = RetryPolicy(attempts=1, backoff_seconds=0.01, timeout_seconds=1)
    report = refresh_all(
        store, settings, Scope("kommun", "1780"), first_year=2024, tables=["TAB6586"],
        pxweb_client=PxWebClient(settings.scb_api_url, policy=policy),
        kolada_client=KoladaClient(settings.kolada_api_url, policy=policy, min_interval=0),
        geo_policy=policy,
    )  # fmt: skip
    assert not report.ok and store.manifest() == before
    assert report.outcome_of("scb__tab6586").outcome == "misslyckades, inga tidigare data"
    assert "Kolada:" in report.summary_sv()
    assert {item.outcome for item in report.datasets} <= {
        "misslyckades, inga tidigare data",
        OUTCOME_FAILED_KEPT,
    }
    hosts = {attempt.split()[-1] for attempt in no_network}
    assert hosts <= {"statistikdatabasen.scb.se", "geodata.scb.se", "api.kolada.se"}, hosts


# ------------------------------------------------------------------ upload limit


def _sources_page(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("SODD_DATA_DIR", str(data_dir))
    monkeypatch.setenv("SODD_MAX_UPLOAD_MB", "1")
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("views/datakallor.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_an_upload_over_the_limit_gets_a_clear_message_and_nothing_is_read(
    demo_store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(demo_store_dir, tmp_path / "data")
    before = Store(tmp_path / "data").manifest()
    at = _sources_page(tmp_path / "data", monkeypatch)
    header = "Kommun;År;Ansökningar om avhysning;Verkställda avhysningar;Barn berörda\n"
    big = (header + "Karlstad;2023;98;40;11\n" * 60_000).encode()  # about 1.4 MB
    at.file_uploader(key="import_file").set_value(("avhysningar.csv", big, "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert any(
        "Filen 'avhysningar.csv' är 1,3 MB, men största tillåtna storlek är 1 MB." in e
        for e in errors
    ), errors
    assert not [b for b in at.button if b.label == "Spara"]  # nothing recognised or offered
    assert Store(tmp_path / "data").manifest() == before

    small = (header + "Karlstad;2023;98;40;11\n").encode()
    at.file_uploader(key="import_file").set_value(("avhysningar.csv", small, "text/csv"))
    at.run()
    assert not [e for e in at.error if "största tillåtna" in e.value]
    assert [b for b in at.button if b.label == "Spara"]
