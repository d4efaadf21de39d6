"""A small Kolada v3 stand-in on loopback: KPI and group search and data, paged, one 429."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "http" / "kolada"

SEARCHES = {
    ("ekonomiskt bistånd", "1"): "kpi_ekonomiskt_bistand_p1.json",
    ("ekonomiskt bistånd", "2"): "kpi_ekonomiskt_bistand_p2.json",
    ("långvarigt ekonomiskt bistånd", "1"): "kpi_langvarigt.json",
    ("vräkningar", "1"): "kpi_vrakningar.json",
    ("avhysningar", "1"): "kpi_vrakningar.json",
}
GROUPS = {
    ("Större stad", "1"): "groups_storre_stad_p1.json",
    ("Större stad", "2"): "groups_storre_stad_p2.json",
    ("Landsbygdskommun", "1"): "groups_landsbygd.json",
    ("Landsbygdskommun med besöksnäring", "1"): "groups_landsbygd.json",
}
DATA = {
    ("/v3/data/kpi/N31807,N31816/municipality/1780,0017,0000/year/2022,2023", "1"): (
        "data_bistand_p1.json"
    ),
    ("/v3/data/kpi/N31807,N31816/municipality/1780,0017,0000/year/2022,2023", "2"): (
        "data_bistand_p2.json"
    ),
    ("/v3/data/kpi/U00958/municipality/1780,0017,0000/year/2022,2023", "1"): (
        "data_vrakningar.json"
    ),
}


@dataclass
class Stub:
    """The stand-in's state: requests seen (path with query) and faults still to give."""

    base: str = ""
    requests: list[str] = field(default_factory=list)
    throttle_once: bool = True  # answer the first data request with 429 + Retry-After
    kpi_overrides: dict[str, str] = field(default_factory=dict)  # title → fixture
    no_groups: bool = False  # answer every group search with an empty list


@contextmanager
def kolada_stub(*, throttle_once: bool = True) -> Iterator[Stub]:
    """Run the stand-in; yields its state, whose ``base`` is the ``/v3`` URL."""
    stub = Stub(throttle_once=throttle_once)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            stub.requests.append(self.path)
            parts = urlsplit(self.path)
            query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
            page = query.get("page", "1")
            name: str | None
            if parts.path == "/v3/kpi":
                title = query.get("title", "")
                name = stub.kpi_overrides.get(title) or SEARCHES.get(
                    (title, page), "kpi_empty.json"
                )
            elif parts.path == "/v3/municipality_groups":
                title = query.get("title", "")
                name = GROUPS.get((title, page), "groups_empty.json")
                name = "groups_empty.json" if stub.no_groups else name
            elif parts.path.startswith("/v3/data/"):
                if stub.throttle_once:
                    stub.throttle_once = False
                    self._send(429, b'{"detail": "too many requests"}', {"Retry-After": "2"})
                    return
                name = DATA.get((parts.path, page))
            else:
                name = None
            if name is None:
                self._send(404, b'{"detail": "not found"}')
                return
            body = (FIXTURES / name).read_text(encoding="utf-8").replace("{base}", stub.base)
            self._send(200, body.encode("utf-8"))

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    stub.base = f"http://127.0.0.1:{httpd.server_address[1]}/v3"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        httpd.shutdown()
        httpd.server_close()
