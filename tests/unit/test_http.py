"""The shared HTTP helper against a real loopback server (127.0.0.1 only)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sodd.errors import SourceError, SourceUnavailable
from sodd.sources.http import RetryPolicy, make_session, request_with_retries, retry_after_seconds


class _Script:
    """Answers to give, one per request, then 200 forever."""

    def __init__(self) -> None:
        self.answers: list[tuple[int, dict[str, str], bytes]] = []
        self.seen = 0


@pytest.fixture
def server() -> Iterator[tuple[str, _Script]]:
    script = _Script()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            script.seen += 1
            status, headers, body = (
                script.answers.pop(0) if script.answers else (200, {}, b'{"ok": true}')
            )
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/", script
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_429_then_success_honours_retry_after(server: tuple[str, _Script]) -> None:
    url, script = server
    script.answers = [(429, {"Retry-After": "7"}, b""), (503, {}, b"busy")]
    waits: list[float] = []
    response = request_with_retries(make_session(), "GET", url, sleep=waits.append)
    assert response.json() == {"ok": True}
    assert waits == [7.0, 2.0]  # Retry-After first, then the doubled back-off
    assert script.seen == 3


def test_gives_up_after_attempts(server: tuple[str, _Script]) -> None:
    url, script = server
    script.answers = [(502, {}, b"bad gateway")] * 5
    waits: list[float] = []
    with pytest.raises(SourceUnavailable, match=r"efter 3 försök.*502"):
        request_with_retries(
            make_session(),
            "GET",
            url,
            policy=RetryPolicy(attempts=3),
            sleep=waits.append,
            what="test",
        )
    assert len(waits) == 2


def test_client_error_fails_at_once_with_problem_detail(server: tuple[str, _Script]) -> None:
    url, script = server
    problem = {"type": "about:blank", "title": "Bad Request", "detail": "Variabeln Alder saknas"}
    script.answers = [
        (400, {"Content-Type": "application/problem+json"}, json.dumps(problem).encode())
    ]
    with pytest.raises(SourceError, match="400: Bad Request – Variabeln Alder saknas"):
        request_with_retries(
            make_session(), "GET", url, sleep=lambda s: None, what="SCB-tabell TAB6574"
        )
    assert script.seen == 1


def test_connection_refused_is_unavailable() -> None:
    with pytest.raises(SourceUnavailable, match="ingen kontakt"):
        request_with_retries(
            make_session(),
            "GET",
            "http://127.0.0.1:9/",
            policy=RetryPolicy(attempts=2, timeout_seconds=1),
            sleep=lambda s: None,
        )


@pytest.mark.parametrize(
    ("header", "expected"),
    [("120", 120.0), (None, None), ("soon", None), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)],
)
def test_retry_after_parsing(header: str | None, expected: float | None) -> None:
    assert retry_after_seconds(header) == expected
