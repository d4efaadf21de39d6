"""A scripted WFS on loopback for the scb_geo tests: one answer per request, in order."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "http" / "scb_geo"


@dataclass
class Answer:
    """``cut``: declare the full length but send only this many bytes, then hang up."""

    body: bytes
    status: int = 200
    content_type: str = "application/json"
    cut: int | None = None


@dataclass
class Script:
    answers: list[Answer] = field(default_factory=list)
    requests: list[dict[str, str]] = field(default_factory=list)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@contextmanager
def wfs_stub() -> Iterator[tuple[str, Script]]:
    """Yield the WFS URL and the script; an exhausted script answers 500."""
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            query = parse_qs(urlsplit(self.path).query)
            script.requests.append({key: values[-1] for key, values in query.items()})
            answer = script.answers.pop(0) if script.answers else Answer(b"no more", 500)
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            if answer.cut is None:
                self.wfile.write(answer.body)
            else:
                self.wfile.write(answer.body[: answer.cut])
                self.close_connection = True

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/geoserver/stat/wfs", script
    finally:
        httpd.shutdown()
        httpd.server_close()
