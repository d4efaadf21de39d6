"""A small client for PxWebApi 2.0 (SCB's Statistikdatabasen): config, metadata, data.

Why our own and not pxwebpy: see docs/decisions.md §7. The client reads its limits from
``/config`` once, splits data requests under ``maxDataCells`` (:func:`plan_batches`),
keeps to ``maxCallsPerTimeWindow`` with a sliding window of its own, retries 429/5xx,
dropped connections and cut-off bodies through :mod:`sodd.sources.http`, and hands back
the raw bytes so the store can keep every response as received. Parsing is elsewhere
(:mod:`sodd.sources.jsonstat`, :mod:`sodd.sources.pxweb_model`), pure.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import requests

from sodd.config import Settings
from sodd.errors import SourceError
from sodd.manifest import utc_now_iso
from sodd.sources.http import RetryPolicy, SourceHTTPError, make_session, request_with_retries
from sodd.sources.pxweb_model import (
    ApiConfig,
    RawResponse,
    TableMetadata,
    Variable,
    count_cells,
    describe_selection,
    parse_config,
    parse_metadata,
    plan_batches,
)

__all__ = [
    "DEFAULT_API_URL",
    "ApiConfig",
    "ProgressCallback",
    "PxWebClient",
    "RawResponse",
    "TableMetadata",
    "Variable",
    "parse_config",
    "parse_metadata",
    "plan_batches",
]

DEFAULT_API_URL: Final = "https://statistikdatabasen.scb.se/api/v2"
ProgressCallback = Callable[[int, int], None]  # (requests done, requests planned)
_TABLE_ID: Final = re.compile(r"[A-Za-z0-9_]+")


def _check_json(response: requests.Response) -> None:
    """Raise ``ValueError`` unless the body is complete JSON (a cut body is retried)."""
    json.loads(response.content)


# SCB limits calls per client address, not per client object: a refresh started right
# after another (or two app users refreshing at once) must share one window, or the
# second client starts empty and runs into 429s. Clients with an injected clock (tests)
# keep a private window.
_SHARED_WINDOWS: dict[str, tuple[deque[float], threading.Lock]] = {}
_SHARED_WINDOWS_LOCK = threading.Lock()


def _window_for(base_url: str, clock: Callable[[], float]) -> tuple[deque[float], threading.Lock]:
    if clock is not time.monotonic:
        return deque(), threading.Lock()
    with _SHARED_WINDOWS_LOCK:
        return _SHARED_WINDOWS.setdefault(base_url, (deque(), threading.Lock()))


class PxWebClient:
    """PxWebApi 2.0 client for one refresh (one session, one rate-limit window).

    Parameters
    ----------
    base_url
        API root, e.g. ``https://statistikdatabasen.scb.se/api/v2`` or a loopback stand-in.
    lang
        ``sv`` or ``en``: the language of labels (codes are the same in both).
    policy
        Retry and timeout settings.
    session
        A :func:`sodd.sources.http.make_session` session; one is made when omitted.
    sleep, clock
        Waiting and monotonic time; tests pass fakes so the rate limit costs no time.

    Attributes
    ----------
    request_count
        HTTP requests sent so far, retries and ``/config`` included.

    Notes
    -----
    Not thread-safe: requests go one at a time, which also keeps the rate limit simple.
    """

    def __init__(
        self,
        base_url: str,
        *,
        lang: str = "sv",
        policy: RetryPolicy | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.lang = lang
        self.policy = policy or RetryPolicy()
        self.session = session or make_session()
        self.request_count = 0
        self._sleep = sleep
        self._clock = clock
        self._config: ApiConfig | None = None
        self._window, self._window_lock = _window_for(self.base_url, clock)

    @classmethod
    def from_settings(cls, settings: Settings, **kwargs: Any) -> PxWebClient:
        """A client for ``settings.scb_api_url`` with ``settings.http_timeout_seconds``."""
        kwargs.setdefault("policy", RetryPolicy(timeout_seconds=settings.http_timeout_seconds))
        return cls(settings.scb_api_url, **kwargs)

    # -- rate limit --------------------------------------------------------------------------
    def _wait_for_slot(self) -> None:
        """Sleep until one more call fits in the window, then take the slot."""
        config = self.config()
        limit, window = config.max_calls, config.time_window_seconds
        if limit <= 0:  # the server sets no limit
            return
        while True:
            with self._window_lock:
                now = self._clock()
                while self._window and now - self._window[0] >= window:
                    self._window.popleft()
                if len(self._window) < limit:
                    self._window.append(now)
                    return
                wait = window - (now - self._window[0])
            # At least a millisecond, so float rounding can never spin this loop.
            self._sleep(max(wait, 0.001))

    def _release_slot(self) -> None:
        # The server counts a call when it arrives, which is between our send and our
        # receipt of the answer; dating the slot at receipt keeps us on the safe side even
        # when one request travels slower than the next.
        with self._window_lock:
            if self._window:
                self._window[-1] = max(self._window[-1], self._clock())

    def _request(
        self, method: str, path: str, *, what: str, limited: bool = True, **kwargs: Any
    ) -> requests.Response:
        def before() -> None:
            if limited:
                self._wait_for_slot()
            self.request_count += 1

        return request_with_retries(
            self.session,
            method,
            f"{self.base_url}{path}",
            policy=self.policy,
            sleep=self._sleep,
            what=what,
            check_body=_check_json,
            before_attempt=before,
            after_attempt=self._release_slot if limited else None,
            **kwargs,
        )

    # -- endpoints ---------------------------------------------------------------------------
    def config(self) -> ApiConfig:
        """The server's limits from ``GET /config`` (fetched once, then cached).

        Raises
        ------
        SourceError
            When the answer is not a PxWebApi 2 config with usable limits.
        SourceUnavailable
            When the server cannot be reached.
        """
        if self._config is None:
            # SCB's rate limiter whitelists /config, so it does not take a slot.
            response = self._request("GET", "/config", what="SCB:s /config", limited=False)
            self._config = parse_config(response.content)
        return self._config

    def _table_path(self, table_id: str) -> str:
        if not _TABLE_ID.fullmatch(table_id):
            raise SourceError(f"Ogiltigt tabell-id {table_id!r}: bara bokstäver och siffror.")
        return f"/tables/{table_id}"

    def table_updated(self, table_id: str) -> str | None:
        """When SCB last updated the table (``updated`` of ``GET /tables/{id}``), or None."""
        response = self._request(
            "GET",
            self._table_path(table_id),
            what=f"SCB-tabell {table_id}",
            params={"lang": self.lang},
        )
        entry = json.loads(response.content)
        updated = entry.get("updated") if isinstance(entry, Mapping) else None
        return updated if isinstance(updated, str) else None

    def metadata(self, table_id: str) -> TableMetadata:
        """Variables, codes, labels, notes and units of a table (``/tables/{id}/metadata``).

        Raises
        ------
        SourceError
            Unknown table (404) or a malformed answer, naming the table.
        SourceUnavailable
            When every attempt failed.
        """
        response = self._request(
            "GET",
            self._table_path(table_id) + "/metadata",
            what=f"Metadata för SCB-tabell {table_id}",
            params={"lang": self.lang},
        )
        return parse_metadata(response.content, table_id=table_id)

    def fetch(
        self,
        table_id: str,
        selection: Mapping[str, Sequence[str]],
        *,
        progress: ProgressCallback | None = None,
    ) -> list[RawResponse]:
        """Fetch the cells of ``selection`` as json-stat2, in as many requests as needed.

        Parameters
        ----------
        table_id
            Table id, e.g. ``"TAB6574"``.
        selection
            Variable code → value codes, in the order to send. List concrete codes: the
            cell count (and so the batching) counts an expression as one value.
        progress
            Called as ``progress(done, planned)`` before the first and after each request.

        Returns
        -------
        list of RawResponse
            One per batch, each body checked to be complete JSON.

        Raises
        ------
        ValueError
            When the selection is empty.
        SourceError
            On a 4xx answer, naming the table, the batch (variables and value counts)
            and the API's title and detail.
        SourceUnavailable
            When a batch still fails after every retry.
        """
        if not selection:
            # With no selection the server answers its default slice, never what we want.
            raise ValueError(f"empty selection for {table_id}")
        path = self._table_path(table_id) + "/data"
        config = self.config()
        batches = plan_batches(selection, config.max_data_cells)
        params = {"lang": self.lang, "outputFormat": "json-stat2"}
        if progress is not None:
            progress(0, len(batches))
        responses: list[RawResponse] = []
        for done, batch in enumerate(batches, start=1):
            body = {"selection": [{"variableCode": k, "valueCodes": v} for k, v in batch.items()]}
            query = json.dumps(body, ensure_ascii=False)
            what = f"SCB-tabell {table_id} ({describe_selection(batch)})"
            try:
                response = self._request(
                    "POST",
                    path,
                    what=what,
                    params=params,
                    data=query.encode("utf-8"),
                    headers={"Content-Type": "application/json; charset=utf-8"},
                )
            except SourceHTTPError as error:
                if error.status == 403 or "too many cells" in str(error).lower():
                    raise SourceError(
                        f"{error} Frågan valde {count_cells(batch)} celler och servern "
                        f"angav maxDataCells {config.max_data_cells} – servern räknar "
                        "annorlunda än /config säger, eller så innehåller urvalet uttryck "
                        "(t.ex. * eller TOP) som väljer fler värden än de räknades som."
                    ) from error
                raise
            responses.append(RawResponse(response.url, query, response.content, utc_now_iso()))
            if progress is not None:
                progress(done, len(batches))
        return responses
