"""``sodd kopplingstabell --hamta``: SCB's DeSO page read, newest key files stored.

A loopback server plays scb.se: the DeSO page is a fixture written for these tests
(tests/fixtures/http/scb_keys), the key files are built in SCB's XLSX layout from the
real key tables in ../shared (by path, never copied) or, for the failure cases, from a
few rows written here.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import openpyxl
import pytest

from sodd.crosswalk import add_parser, crosswalk_dataset_id, import_crosswalk, load_crosswalk
from sodd.crosswalk_fetch import fetch_crosswalks
from sodd.errors import SourceError
from sodd.sources.http import RetryPolicy
from sodd.sources.scb_keys_page import parse_key_links
from sodd.store import Store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "http" / "scb_keys"
PAGE = "/vara-tjanster/oppna-data/oppna-geodata/deso--demografiska-statistikomraden/"
FOLDER = "/contentassets/923c3627a8a042a5b9215e8ff3bde0a3/"
NEW_2025 = FOLDER + "Koppling-DeSO2025-RegSO2025_2026-03-25.xlsx"
NEW_2018 = FOLDER + "koppling-deso2018-regso2020%5F2026-03-25.xlsx"
OLD_2025 = "/contentassets/0ld/koppling-deso2025-regso2025_2025-03-18.xlsx"
FAST = RetryPolicy(attempts=2, backoff_seconds=0.0, timeout_seconds=10.0)


@dataclass
class Site:
    """What the stand-in serves, by path (query strings ignored), and what was asked."""

    base: str = ""
    pages: dict[str, tuple[int, bytes, str]] = field(default_factory=dict)
    requested: list[str] = field(default_factory=list)
    # Path -> how many more times it answers 503 before its real answer.
    busy: dict[str, int] = field(default_factory=dict)

    @property
    def page_url(self) -> str:
        return self.base + PAGE

    def html(self, fixture: str, path: str = PAGE) -> None:
        text = (FIXTURES / fixture).read_text(encoding="utf-8").replace("__BASE__", self.base)
        self.pages[path] = (200, text.encode(), "text/html; charset=utf-8")

    def xlsx(self, path: str, data: bytes) -> None:
        self.pages[path] = (200, data, "application/vnd.ms-excel")


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            state.requested.append(path)
            status, body, kind = state.pages.get(path, (404, b"<h1>Finns inte</h1>", "text/html"))
            if state.busy.get(path, 0) > 0:
                state.busy[path] -= 1
                status, body = 503, b"upptagen"
            self.send_response(status)
            if status in (301, 302):
                self.send_header("Location", body.decode())
                body = b""
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


def _xlsx(vintage: str, rows: list[list[object]], *, header: list[str] | None = None) -> bytes:
    """A key file in SCB's layout: a title row, a blank row, the header, the rows."""
    regso = {"2018": "2020", "2025": "2025"}[vintage]
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append([f"Koppling mellan DeSO {vintage} och RegSO {regso}"])
    sheet.append([])
    sheet.append(
        header or ["Kommun", "Kommunnamn", f"DeSO_{vintage}", f"RegSOkod_{regso}", f"RegSO_{regso}"]
    )
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


SMALL_2025 = _xlsx(
    "2025",
    [
        ["1780", "Karlstad", "1780C1010", "1780R012", "Haga"],
        ["1780", "Karlstad", "1780C1020", "1780R012", "Haga"],
    ],
)


@pytest.fixture(scope="module")
def scb_files(shared_dir: Path) -> dict[str, bytes]:
    """SCB's two key tables from ../shared, written out in SCB's XLSX layout."""
    geo = shared_dir / "data" / "geo"
    with (geo / "koppling-deso2018-regso2020.csv").open(encoding="utf-8-sig", newline="") as f:
        old = [
            [r["Kommun"], r["Kommunnamn"], r["DeSO_2018"], r["RegSOkod_2020"], r["RegSO_2020"]]
            for r in csv.DictReader(f)
        ]
    mapping = json.loads((geo / "deso2025_regso2025_mapping.json").read_text(encoding="utf-8"))
    new = [
        [v["kommun_code"], v["kommun_name"], deso, v["regso_code"], v["regso_name"]]
        for deso, v in mapping.items()
        if deso != "DeSO_2025"
    ]
    return {"2018": _xlsx("2018", old), "2025": _xlsx("2025", new)}


def _karlstad(store: Store, vintage: str) -> tuple[int, int]:
    keys = load_crosswalk(store, vintage)
    karlstad = keys.loc[keys["kommun_code"] == "1780"]
    return len(karlstad), karlstad["regso_code"].nunique()


@pytest.mark.shared
def test_the_newest_file_of_each_vintage_is_fetched_and_stored(
    tmp_path: Path, site: Site, scb_files: dict[str, bytes]
) -> None:
    site.html("deso_page.html")
    site.xlsx(NEW_2025, scb_files["2025"])
    site.xlsx(NEW_2018.replace("%5F", "_"), scb_files["2018"])
    site.xlsx(OLD_2025, SMALL_2025)  # served, but an older edition must not be chosen
    store = Store(tmp_path)
    entries = fetch_crosswalks(store, ("2018", "2025"), site.page_url, policy=FAST)
    assert [(e.dataset_id, e.rows) for e in entries] == [
        ("scb__deso_regso_2018", 5984),
        ("scb__deso_regso_2025", 6160),
    ]
    assert site.requested == [PAGE, NEW_2018.replace("%5F", "_"), NEW_2025]
    assert entries[1].url == site.base + NEW_2025
    assert "Koppling-DeSO2025-RegSO2025_2026-03-25.xlsx" in entries[1].title
    assert (tmp_path / entries[1].raw_files[0]).read_bytes() == scb_files["2025"]
    assert _karlstad(store, "2018") == (53, 31)
    assert _karlstad(store, "2025") == (57, 31)


@pytest.mark.shared
def test_cli_fetches_one_vintage(
    tmp_path: Path,
    site: Site,
    scb_files: dict[str, bytes],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SODD_DATA_DIR", str(tmp_path / "data"))
    site.html("deso_page.html")
    site.xlsx(NEW_2025, scb_files["2025"])
    parser = argparse.ArgumentParser(prog="sodd import")
    add_parser(parser.add_subparsers())
    args = parser.parse_args(
        ["kopplingstabell", "--hamta", "--vintage", "2025", "--sida", site.page_url]
    )
    assert args.func(args) == 0
    assert "6160 DeSO sparade i scb__deso_regso_2025" in capsys.readouterr().out
    store = Store(tmp_path / "data")
    assert list(store.manifest().datasets) == ["scb__deso_regso_2025"]
    assert _karlstad(store, "2025") == (57, 31)


def _cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="sodd import")
    add_parser(parser.add_subparsers())
    args = parser.parse_args(["kopplingstabell", *argv])
    result: int = args.func(args)
    return result


def test_cli_refuses_a_file_together_with_hamta_and_neither(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SODD_DATA_DIR", str(tmp_path / "data"))
    assert _cli(["k.xlsx", "--hamta"]) == 2
    assert "antingen FIL eller --hamta" in capsys.readouterr().out
    assert _cli([]) == 2
    assert "--hamta" in capsys.readouterr().out
    assert _cli(["k.xlsx", "--vintage", "both"]) == 2
    assert not (tmp_path / "data" / "manifest.json").exists()


def test_a_page_without_key_links_stores_nothing(tmp_path: Path, site: Site) -> None:
    site.html("deso_page_without_keys.html")
    store = Store(tmp_path)
    with pytest.raises(SourceError) as caught:
        fetch_crosswalks(store, ("2025",), site.page_url, policy=FAST)
    assert str(caught.value) == (
        f"SCB:s sida {site.page_url} har ingen länk till "
        "koppling-deso2025-regso2025_<datum>.xlsx; "
        "ladda ned filen och kör sodd kopplingstabell FIL."
    )
    assert site.requested == [PAGE]
    assert store.manifest().datasets == {}


def test_a_missing_vintage_stops_both_before_any_download(tmp_path: Path, site: Site) -> None:
    site.pages[PAGE] = (200, f'<a href="{NEW_2025}">2025</a>'.encode(), "text/html")
    site.xlsx(NEW_2025, SMALL_2025)
    store = Store(tmp_path)
    with pytest.raises(SourceError, match=r"koppling-deso2018-regso2020_<datum>\.xlsx"):
        fetch_crosswalks(store, ("2018", "2025"), site.page_url, policy=FAST)
    assert site.requested == [PAGE]
    assert store.manifest().datasets == {}


def test_a_moved_page_gives_a_clear_error(
    tmp_path: Path, site: Site, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SODD_DATA_DIR", str(tmp_path / "data"))
    assert _cli(["--hamta", "--sida", site.page_url]) == 1
    out = capsys.readouterr().out
    assert f"SCB:s sida {site.page_url} gick inte att läsa (status 404)" in out
    assert "sidan kan ha flyttats" in out and "sodd kopplingstabell FIL" in out
    assert not (tmp_path / "data" / "manifest.json").exists()


NO_HEADER = _xlsx("2025", [["1780", "Karlstad", "1780C1010"]], header=["Län", "Namn", "Kod"])
NO_CODES = _xlsx(
    "2025",
    [["1780", "Karlstad", "1780C1010", "Haga"]],
    header=["Kommun", "Kommunnamn", "DeSO_2025", "RegSO_2025"],
)
OTHER_VINTAGE = _xlsx("2018", [["1780", "Karlstad", "1780C1010", "1780R012", "Haga"]])


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html>Tillf\xc3\xa4lligt fel</html>", "är ingen Excel-fil"),
        (NO_HEADER, "rubrikraden"),
        (NO_CODES, "kolumnen RegSOkod_2025 saknas"),
        (OTHER_VINTAGE, "gäller DeSO 2018"),
    ],
    ids=["html", "no-header", "no-regso-codes", "other-vintage"],
)
def test_a_file_with_the_wrong_layout_leaves_the_stored_table_untouched(
    tmp_path: Path, site: Site, body: bytes, message: str
) -> None:
    store = Store(tmp_path / "data")
    before = tmp_path / "koppling-deso2025-regso2025_2025-03-18.xlsx"
    before.write_bytes(SMALL_2025)
    kept = import_crosswalk(store, before)
    site.html("deso_page.html")
    site.xlsx(NEW_2025, body)
    with pytest.raises(SourceError, match=message) as caught:
        fetch_crosswalks(store, ("2025",), site.page_url, policy=FAST)
    assert "Koppling-DeSO2025-RegSO2025_2026-03-25.xlsx" in str(caught.value)
    assert "sodd kopplingstabell FIL" in str(caught.value)
    assert store.manifest().datasets == {crosswalk_dataset_id("2025"): kept}
    assert load_crosswalk(store, "2025")["deso_code"].tolist() == ["1780C1010", "1780C1020"]


def test_a_busy_page_is_retried_and_a_redirect_followed(tmp_path: Path, site: Site) -> None:
    moved = "/hitta-statistik/ny-plats/deso/"
    name = "koppling-deso2025-regso2025_2026-04-01.xlsx"
    site.pages["/gammal/"] = (301, moved.encode(), "text/html")
    site.busy["/gammal/"] = 1
    # A relative link resolves against the address the redirect led to.
    site.pages[moved] = (200, f'<a href="{name}">ny</a>'.encode(), "text/html")
    site.xlsx(moved + name, SMALL_2025)
    waits: list[float] = []
    store = Store(tmp_path)
    entries = fetch_crosswalks(
        store, ("2025",), site.base + "/gammal/", policy=FAST, sleep=waits.append
    )
    assert [(e.dataset_id, e.rows, e.url) for e in entries] == [
        ("scb__deso_regso_2025", 2, site.base + moved + name)
    ]
    assert site.requested == ["/gammal/", "/gammal/", moved, moved + name]
    assert len(waits) == 1


def test_links_are_found_relative_absolute_encoded_and_in_any_case() -> None:
    base = "https://www.scb.se/a/b/deso/"
    html = (FIXTURES / "deso_page.html").read_text(encoding="utf-8")
    links = parse_key_links(html.replace("__BASE__", "https://www.scb.se"), base)
    assert {v: (link.url, link.name, link.date.isoformat()) for v, link in links.items()} == {
        "2025": (
            "https://www.scb.se" + NEW_2025,
            "Koppling-DeSO2025-RegSO2025_2026-03-25.xlsx",
            "2026-03-25",
        ),
        "2018": (
            "https://www.scb.se" + NEW_2018 + "?v=2&lang=sv",
            "koppling-deso2018-regso2020_2026-03-25.xlsx",
            "2026-03-25",
        ),
    }
    older = '<A HREF="../../f/KOPPLING-DESO2018-REGSO2020_20211004.XLSX">x</A>'
    again = '<a href="/g/koppling-deso2018-regso2020-2021-10-04.xlsx">y</a>'
    found = parse_key_links(older + again, base)["2018"]
    # The first of two links with the same date wins; ../ climbs from the page's folder.
    assert (found.url, found.date.isoformat()) == (
        "https://www.scb.se/a/f/KOPPLING-DESO2018-REGSO2020_20211004.XLSX",
        "2021-10-04",
    )
    assert parse_key_links((FIXTURES / "deso_page_without_keys.html").read_text(), base) == {}
