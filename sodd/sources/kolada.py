"""A small client for Kolada's API v3 (RKA): KPI search and data, paged and throttled.

Kolada needs no key and states no rate limit; well-behaved clients keep to about five
requests a second and back off on 429 (data-sources §8.1), which this client does
through :mod:`sodd.sources.http`. A path segment takes at most 25 ids (§8.4), so KPI,
municipality and year lists are split. Pages are followed through ``next_url`` until
it is absent (v3; v2 used ``next_page``). Every page is handed back as raw bytes so the
store can keep it; parsing is in :mod:`sodd.sources.kolada_model`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Final
from urllib.parse import quote

import requests

from sodd.config import load_settings
from sodd.errors import SourceError
from sodd.manifest import utc_now_iso
from sodd.sources.http import RetryPolicy, make_session, request_with_retries
from sodd.sources.kolada_groups import MunicipalityGroup, parse_municipality_groups
from sodd.sources.kolada_model import (
    TARGETS,
    Kpi,
    KpiTarget,
    choose_kpi,
    next_url,
    parse_kolada,
    parse_kpi_list,
    region_of,
)

__all__ = [
    "DEFAULT_API_URL",
    "ENV_API_URL",
    "TARGETS",
    "KoladaClient",
    "KoladaPage",
    "Kpi",
    "KpiTarget",
    "MunicipalityGroup",
    "choose_kpi",
    "kolada_api_url",
    "parse_kolada",
    "region_of",
]

DEFAULT_API_URL: Final = "https://api.kolada.se/v3"
ENV_API_URL: Final = "SODD_KOLADA_API_URL"
MAX_IDS: Final = 25  # per path segment (data-sources §8.4)
MIN_INTERVAL: Final = 0.2  # seconds between requests: about 5 per second


def kolada_api_url(environ: Mapping[str, str] | None = None) -> str:
    """Kolada's base URL: ``SODD_KOLADA_API_URL`` when set, else :data:`DEFAULT_API_URL`."""
    return load_settings(environ).kolada_api_url


@dataclass(frozen=True)
class KoladaPage:
    """One page as received: the URL asked, the bytes, and when."""

    url: str
    body: bytes
    fetched_at: str


def _check_json(response: requests.Response) -> None:
    """Raise ``ValueError`` unless the body is complete JSON (a cut body is retried)."""
    json.loads(response.content)


def chunks(items: Sequence[str], size: int = MAX_IDS) -> Iterator[list[str]]:
    """Split ``items`` into lists of at most ``size`` (Kolada's limit per path segment)."""
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


class KoladaClient:
    """Kolada v3 client for one refresh (one session, one throttle).

    Parameters
    ----------
    base_url
        API root, e.g. ``https://api.kolada.se/v3`` or a loopback stand-in.
    policy
        Retry and timeout settings.
    session
        A :func:`sodd.sources.http.make_session` session; one is made when omitted.
    sleep, clock
        Waiting and monotonic time; tests pass fakes so throttling costs no time.
    min_interval
        Seconds between the starts of two requests.

    Attributes
    ----------
    request_count
        HTTP requests sent so far, retries included.
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        policy: RetryPolicy | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        min_interval: float = MIN_INTERVAL,
    ) -> None:
        self.base_url = (base_url or kolada_api_url()).rstrip("/")
        self.policy = policy or RetryPolicy()
        self.session = session or make_session()
        self.request_count = 0
        self._sleep = sleep
        self._clock = clock
        self._min_interval = min_interval
        self._last: float | None = None

    def _throttle(self) -> None:
        now = self._clock()
        if self._last is not None and now - self._last < self._min_interval:
            self._sleep(self._min_interval - (now - self._last))
        self._last = self._clock()
        self.request_count += 1

    def get(self, url: str, *, what: str) -> KoladaPage:
        """GET one URL (absolute, or a path below the base URL) with retries and throttle."""
        full = url if url.startswith(("http://", "https://")) else f"{self.base_url}{url}"
        response = request_with_retries(
            self.session,
            "GET",
            full,
            policy=self.policy,
            sleep=self._sleep,
            what=what,
            check_body=_check_json,
            before_attempt=self._throttle,
        )
        return KoladaPage(full, response.content, utc_now_iso())

    def pages(self, path: str, *, what: str) -> list[KoladaPage]:
        """Every page of a listing, following ``next_url`` until it is absent.

        Raises
        ------
        SourceError
            When a page points back to one already read (a loop would never end).
        """
        pages = [self.get(path, what=what)]
        seen = {pages[0].url}
        while (url := next_url(pages[-1].body)) is not None:
            if url in seen:
                raise SourceError(f"{what}: Kolada pekar tillbaka på en redan läst sida ({url}).")
            seen.add(url)
            pages.append(self.get(url, what=what))
        return pages

    def search_kpis(self, title: str) -> tuple[list[Kpi], list[KoladaPage]]:
        """KPIs whose title matches ``title`` (``GET /kpi?title=…``), with the raw pages."""
        pages = self.pages(f"/kpi?title={quote(title)}", what=f"Kolada: sökning {title!r}")
        return [kpi for page in pages for kpi in parse_kpi_list(page.body)], pages

    def municipality_groups(
        self, title_filter: str | None = None
    ) -> tuple[list[MunicipalityGroup], list[KoladaPage]]:
        """Municipality groups (``GET /municipality_groups?title=…``), with the raw pages.

        Parameters
        ----------
        title_filter
            Free-text title search (e.g. ``"Större stad"``); every group when ``None``.
        """
        path = "/municipality_groups"
        if title_filter:
            path += f"?title={quote(title_filter)}"
        pages = self.pages(path, what=f"Kolada: kommungrupper {title_filter or ''}".rstrip())
        return [g for page in pages for g in parse_municipality_groups(page.body)], pages

    def resolve(
        self, targets: Sequence[KpiTarget] = TARGETS
    ) -> tuple[dict[KpiTarget, Kpi], list[KoladaPage]]:
        """Look up and confirm by title a KPI for each target (searches shared).

        Returns
        -------
        tuple
            Target → confirmed KPI (targets without one are absent), and the raw pages.
        """
        found: dict[str, list[Kpi]] = {}
        raw: list[KoladaPage] = []
        for search in dict.fromkeys(s for target in targets for s in target.searches):
            found[search], pages = self.search_kpis(search)
            raw += pages
        chosen: dict[KpiTarget, Kpi] = {}
        for target in targets:
            candidates = [kpi for search in target.searches for kpi in found[search]]
            kpi = choose_kpi(target, candidates)
            if kpi is not None:
                chosen[target] = kpi
        return chosen, raw

    def data(
        self, kpi_ids: Sequence[str], years: Sequence[int], municipalities: Sequence[str] | None
    ) -> list[KoladaPage]:
        """Data pages for KPIs × years, for the given municipality ids or for all.

        Parameters
        ----------
        kpi_ids
            Kolada KPI ids.
        years
            Reference years.
        municipalities
            Kolada municipality ids (``"1780"``, ``"0017"``, ``"0000"``); ``None`` for all.
        """
        pages: list[KoladaPage] = []
        year_codes = [str(year) for year in years]
        places: list[list[str] | None] = (
            [None] if municipalities is None else list(chunks(list(municipalities)))
        )
        for kpis in chunks(list(kpi_ids)):
            for year_chunk in chunks(year_codes):
                for place in places:
                    path = f"/data/kpi/{','.join(kpis)}"
                    if place is not None:
                        path += f"/municipality/{','.join(place)}"
                    path += f"/year/{','.join(year_chunk)}"
                    pages += self.pages(path, what=f"Kolada: data för {','.join(kpis)}")
        return pages
