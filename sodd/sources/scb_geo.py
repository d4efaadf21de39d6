"""SCB's open geodata WFS: DeSO and RegSO polygons as GeoJSON pages.

:func:`fetch_features` asks SCB's GeoServer (``SODD_SCB_WFS_URL``) for one layer in one
scope (a kommun, a län or the whole country), page by page, and returns the pages as
received. :func:`parse_features` (in :mod:`sodd.sources.scb_geo_parse`, re-exported
here) turns them into regions. See data-sources.md §5 for the service.
"""

from __future__ import annotations

import json
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from typing import Any, Final

import requests

from sodd.errors import SourceError
from sodd.sources.http import RetryPolicy, SourceHTTPError, request_with_retries
from sodd.sources.scb_geo_model import (
    LAYERS,
    VINTAGE_LAYERS,
    GeoScope,
    WfsLayer,
    get_layer,
    load_page,
)
from sodd.sources.scb_geo_parse import ParsedLayer, parse_features, parse_layer

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "LAYERS",
    "VINTAGE_LAYERS",
    "GeoScope",
    "ParsedLayer",
    "WfsLayer",
    "build_params",
    "exception_text",
    "fetch_features",
    "get_layer",
    "parse_features",
    "parse_layer",
]

DEFAULT_PAGE_SIZE: Final = 1000
# A server that ignores startIndex and sends no numberMatched would page forever;
# the whole country is 7 pages of 1 000 DeSO, so this bound is never reached honestly.
_MAX_PAGES: Final = 10_000
_XML_START: Final = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?<")

_DEFAULT_POLICY: Final = RetryPolicy()

Progress = Callable[[str], None]


def build_params(layer: WfsLayer, scope: GeoScope, start_index: int, count: int) -> dict[str, str]:
    """The GetFeature query for one page.

    WFS 2.0.0 paging (``count`` + ``startIndex``) needs a ``sortBy`` so that pages do
    not overlap or skip features when the server's natural order is not stable.
    """
    params = {
        "service": "WFS",
        "version": "2.0.0",
        "request": "GetFeature",
        "typeNames": layer.type_name,
        "outputFormat": "application/json",
        "srsName": "EPSG:4326",
        "count": str(count),
        "startIndex": str(start_index),
        "sortBy": layer.code_attribute,
    }
    cql = scope.cql_filter()
    if cql is not None:
        params["CQL_FILTER"] = cql
    return params


def exception_text(body: bytes) -> str | None:
    """The message of an OWS ``ExceptionReport``, or ``None`` when ``body`` is not one.

    GeoServer sends these with status 400, and for some requests with status 200, so the
    body is checked whatever the status.
    """
    if not _XML_START.match(body[:512]) or b"ExceptionReport" not in body[:4096]:
        return None
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", body.decode("utf-8", "replace")))[
            :500
        ].strip()
    messages = []
    for element in root.iter():
        if not element.tag.endswith("Exception"):
            continue
        texts = [
            " ".join((child.text or "").split())
            for child in element.iter()
            if child.tag.endswith("ExceptionText")
        ]
        code = element.get("exceptionCode", "")
        locator = element.get("locator")
        head = f"{code} ({locator})" if code and locator else code
        messages.append(": ".join(part for part in (head, " ".join(texts)) if part))
    return "; ".join(m for m in messages if m) or "okänt fel (tom ExceptionReport)"


def _report_error(layer: WfsLayer, text: str) -> SourceError:
    return SourceError(f"SCB:s WFS avvisade frågan om lagret {layer.type_name}: {text}")


def _fetch_page(
    session: requests.Session,
    base_url: str,
    layer: WfsLayer,
    params: Mapping[str, str],
    number: int,
    policy: RetryPolicy,
    sleep: Callable[[float], None],
) -> tuple[bytes, dict[str, Any]]:
    """One page as received and as JSON; a cut or garbled body is fetched again."""
    seen: list[requests.Response] = []

    def keep(response: requests.Response, *args: object, **kwargs: object) -> None:
        seen.append(response)

    decoded: list[dict[str, Any]] = []

    def check(response: requests.Response) -> None:
        # A cut body raises (ValueError) and is retried like a 5xx; an ExceptionReport
        # passes, to be reported below, since asking again cannot change it.
        if exception_text(response.content) is None:
            decoded.append(load_page(response.content))

    try:
        response = request_with_retries(
            session,
            "GET",
            base_url,
            policy=policy,
            sleep=sleep,
            what=f"WFS-lagret {layer.type_name} (sida {number})",
            check_body=check,
            params=dict(params),
            hooks={"response": keep},
        )
    except SourceHTTPError as error:
        # The shared helper cuts the body to 300 characters; the ExceptionReport's own
        # text (kept by the hook) says what was wrong with the query.
        text = exception_text(seen[-1].content) if seen else None
        if text is not None:
            raise _report_error(layer, text) from error
        raise
    body = response.content
    text = exception_text(body)
    if text is not None:
        raise _report_error(layer, text)
    return body, decoded[-1]


def fetch_features(
    session: requests.Session,
    base_url: str,
    layer: str,
    scope: GeoScope,
    *,
    page_size: int = DEFAULT_PAGE_SIZE,
    policy: RetryPolicy = _DEFAULT_POLICY,
    sleep: Callable[[float], None] = time.sleep,
    progress: Progress | None = None,
) -> list[bytes]:
    """Fetch every feature of one WFS layer in a scope, as GeoJSON pages.

    Parameters
    ----------
    session
        Session from :func:`sodd.sources.http.make_session`.
    base_url
        The WFS endpoint, e.g. ``https://geodata.scb.se/geoserver/stat/wfs``.
    layer
        Layer name, e.g. ``"stat:DeSO_2025"`` (see :data:`LAYERS`).
    scope
        Which areas: one kommun, one län or the whole country.
    page_size
        Features per request (``count``).
    policy, sleep
        Retry settings, passed to :func:`sodd.sources.http.request_with_retries`.
    progress
        Receives one Swedish line per page.

    Returns
    -------
    list of bytes
        The response bodies in page order, each a valid GeoJSON FeatureCollection.

    Raises
    ------
    SourceError
        When the WFS rejects the query (ExceptionReport, naming the layer and the
        server's text).
    SourceUnavailable
        When the service cannot be reached, or a page stays cut short or malformed,
        after every retry.
    """
    spec = get_layer(layer)
    if page_size < 1:
        raise ValueError(f"page_size måste vara minst 1, men är {page_size}.")
    pages: list[bytes] = []
    start = 0
    for number in range(1, _MAX_PAGES + 1):
        params = build_params(spec, scope, start, page_size)
        body, page = _fetch_page(session, base_url, spec, params, number, policy, sleep)
        pages.append(body)
        returned = len(page["features"])
        matched = page.get("numberMatched")
        start += returned
        if progress is not None:
            total = f" av {matched}" if isinstance(matched, int) else ""
            progress(f"  {spec.type_name}, {scope.label}: sida {number}, {start}{total} objekt")
        # Stop on a short page, or once every matched feature has arrived (a last page
        # that is exactly full would otherwise cost one more, empty request).
        if returned < page_size or (isinstance(matched, int) and start >= matched):
            return pages
    raise SourceError(
        f"WFS-lagret {spec.type_name}: fler än {_MAX_PAGES} sidor för {scope.label}; "
        f"servern verkar inte respektera startIndex ({json.dumps(dict(params))})."
    )
