"""Shared HTTP for every source: timeouts always, retries only where a retry can help.

Retries follow the habit of well-kept API clients (pxwebpy, dlt): 429 and 5xx answers and
connection errors are retried with exponential back-off, and a ``Retry-After`` header is
honoured (capped, so a misbehaving server cannot stall a refresh for hours). Everything
else fails at once with the server's own words in a Swedish message.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import requests

from sodd import __version__
from sodd.errors import SourceError, SourceUnavailable

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
USER_AGENT = f"sodd/{__version__} (sociala områdesbeskrivningar)"


class SourceHTTPError(SourceError):
    """A source answered with a status that retrying cannot fix (4xx); ``status`` holds it."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry.

    Attributes
    ----------
    attempts
        Total tries, the first included.
    backoff_seconds
        First wait; doubled after each failure.
    max_wait_seconds
        Upper bound for any single wait, ``Retry-After`` included.
    timeout_seconds
        Connect and read timeout per request.
    """

    attempts: int = 4
    backoff_seconds: float = 1.0
    max_wait_seconds: float = 60.0
    timeout_seconds: float = 30.0


def make_session() -> requests.Session:
    """A session with sodd's User-Agent, shared by one refresh."""
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    return session


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float | None:
    """Parse ``Retry-After`` (seconds or an HTTP date); ``None`` when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - (time.time() if now is None else now))


def _describe(response: requests.Response) -> str:
    """The server's own words: problem+json ``title``/``detail``, else the body's start."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:300].strip()
    if isinstance(body, Mapping):
        parts = [str(body[k]) for k in ("title", "detail") if body.get(k)]
        if parts:
            return " – ".join(parts)
    return response.text[:300].strip()


def _body_problem(
    response: requests.Response, check_body: Callable[[requests.Response], None] | None
) -> str | None:
    """Why a 2xx body is unusable, or ``None`` when it passes ``check_body``."""
    if check_body is None:
        return None
    try:
        check_body(response)
    except ValueError as error:
        return f"ofullständigt eller trasigt svar ({error})"
    return None


def request_with_retries(
    session: requests.Session,
    method: str,
    url: str,
    *,
    policy: RetryPolicy = RetryPolicy(),
    sleep: Callable[[float], None] = time.sleep,
    what: str = "",
    check_body: Callable[[requests.Response], None] | None = None,
    before_attempt: Callable[[], None] | None = None,
    after_attempt: Callable[[], None] | None = None,
    **kwargs: object,
) -> requests.Response:
    """Send a request, retrying 429, 5xx, connection failures and broken bodies.

    Parameters
    ----------
    session
        Session from :func:`make_session`.
    method, url
        The request.
    policy
        Retry and timeout settings.
    sleep
        Waiting function (tests pass a recorder instead of sleeping).
    what
        Short Swedish description for messages, e.g. ``"SCB-tabell TAB6574"``.
    check_body
        Called with each 2xx response; a ``ValueError`` from it (e.g. JSON cut off in
        transit) makes the attempt count as failed and be retried like a 5xx.
    before_attempt, after_attempt
        Called around every attempt, retries included (a client-side rate limit).
    **kwargs
        Passed to :meth:`requests.Session.request` (``json``, ``params``, ...).

    Returns
    -------
    requests.Response
        A response with a 2xx status.

    Raises
    ------
    SourceUnavailable
        When every attempt failed with a retryable error.
    SourceHTTPError
        On any other error status (4xx), naming the status and the server's detail.
    """
    label = what or url
    wait = policy.backoff_seconds
    last_problem = ""
    for attempt in range(1, policy.attempts + 1):
        if before_attempt is not None:
            before_attempt()
        try:
            response = session.request(method, url, timeout=policy.timeout_seconds, **kwargs)  # type: ignore[arg-type]
        except (requests.ConnectionError, requests.Timeout) as error:
            last_problem = f"ingen kontakt ({type(error).__name__})"
            delay = wait
        except requests.exceptions.ChunkedEncodingError as error:
            # The connection closed before the announced body length had arrived.
            last_problem = f"svaret avbröts under överföringen ({type(error).__name__})"
            delay = wait
        else:
            if response.ok:
                problem = _body_problem(response, check_body)
                if problem is None:
                    return response
                last_problem = problem
                delay = wait
            else:
                detail = _describe(response)
                if response.status_code not in RETRY_STATUSES:
                    raise SourceHTTPError(
                        f"{label}: servern svarade {response.status_code}: {detail}",
                        response.status_code,
                    )
                last_problem = f"status {response.status_code}: {detail}"
                delay = retry_after_seconds(response.headers.get("Retry-After")) or wait
        finally:
            if after_attempt is not None:
                after_attempt()
        if attempt == policy.attempts:
            break
        sleep(min(delay, policy.max_wait_seconds))
        wait *= 2
    raise SourceUnavailable(
        f"{label}: gick inte att hämta efter {policy.attempts} försök ({last_problem})."
    )
