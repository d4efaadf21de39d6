"""SCB's key files DeSO → RegSO fetched from SCB's DeSO page (data-sources §1.3).

SCB republishes the key files under new dated names
(``koppling-deso2025-regso2025_2026-03-25.xlsx``), so the file URL is never hard-coded:
the DeSO page is read, every link to a key file is collected, and the newest date per
DeSO vintage is downloaded. :func:`parse_key_links` is pure; :func:`fetch_key_files`
does the HTTP through :mod:`sodd.sources.http` (timeouts, retries, Swedish errors).
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Final
from urllib.parse import unquote, urljoin, urlsplit

import pandas as pd
import requests

from sodd.config import Settings
from sodd.errors import SourceError
from sodd.sources.http import RetryPolicy, SourceHTTPError, make_session, request_with_retries
from sodd.sources.scb_keys import REGSO_VINTAGE, VINTAGES, parse_kopplingstabell

# The setting's default (SODD_SCB_DESO_PAGE_URL), UNVERIFIED against the live site; see
# sodd/config.py.
DEFAULT_DESO_PAGE_URL: Final = Settings().scb_deso_page_url

# The manual way, named in every error. sodd/cli.py registers the command at the top
# level (``sodd kopplingstabell``), whatever older messages call it.
MANUAL_IMPORT: Final = "sodd kopplingstabell FIL"

# SCB's own names use "_" before an ISO date; "-" and an undashed date are accepted
# too because SCB's other files on the page use them (deso-historiska-forandringar-…).
_KEY_NAME: Final = re.compile(
    r"^koppling-deso(?P<deso>\d{4})-regso(?P<regso>\d{4})[_-]"
    r"(?P<date>\d{4}-\d{2}-\d{2}|\d{8})\.xlsx$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class KeyLink:
    """A link on SCB's page to one dated key file."""

    url: str
    name: str
    vintage: str
    date: dt.date


@dataclass(frozen=True)
class KeyFile:
    """A downloaded key file, not yet parsed."""

    link: KeyLink
    data: bytes
    page_url: str


class _Hrefs(HTMLParser):
    """Every ``href`` on the page, whatever the tag; entities are already decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs.extend(value.strip() for name, value in attrs if name == "href" and value)


def expected_name(vintage: str) -> str:
    """The name pattern of a vintage's key file, for messages (``…_<datum>.xlsx``)."""
    return f"koppling-deso{vintage}-regso{REGSO_VINTAGE[vintage]}_<datum>.xlsx"


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text if "-" in text else f"{text[:4]}-{text[4:6]}-{text[6:]}")
    except ValueError:
        return None


def _key_link(href: str, base_url: str) -> KeyLink | None:
    url = urljoin(base_url, href)
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1]).strip()
    match = _KEY_NAME.match(name)
    if match is None:
        return None
    vintage, date = match["deso"], _date(match["date"])
    if vintage not in VINTAGES or REGSO_VINTAGE[vintage] != match["regso"] or date is None:
        return None
    return KeyLink(url=url, name=name, vintage=vintage, date=date)


def parse_key_links(html: str, base_url: str) -> dict[str, KeyLink]:
    """The newest key file per DeSO vintage linked from an HTML page.

    Parameters
    ----------
    html
        The page's text.
    base_url
        The page's own URL (after redirects), against which relative links resolve.

    Returns
    -------
    dict[str, KeyLink]
        ``{"2018": …, "2025": …}`` for the vintages found; on equal dates the first link
        on the page wins. Links are matched on the decoded file name, in any letter case.
    """
    parser = _Hrefs()
    parser.feed(html)
    parser.close()
    newest: dict[str, KeyLink] = {}
    for href in parser.hrefs:
        link = _key_link(href, base_url)
        if link is not None and (
            link.vintage not in newest or link.date > newest[link.vintage].date
        ):
            newest[link.vintage] = link
    return newest


def fetch_key_page(
    page_url: str,
    *,
    session: requests.Session | None = None,
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[str, str]:
    """Fetch SCB's DeSO page; return its final URL (after redirects) and its text.

    Raises
    ------
    SourceError
        When the page is gone (4xx, e.g. moved) or cannot be reached after retries.
    """
    try:
        response = request_with_retries(
            session or make_session(), "GET", page_url, policy=policy or RetryPolicy(),
            sleep=sleep, what=f"SCB:s sida {page_url}",
        )  # fmt: skip
    except SourceHTTPError as error:
        raise SourceHTTPError(
            f"SCB:s sida {page_url} gick inte att läsa (status {error.status}); sidan kan ha "
            "flyttats. Ange den nya adressen med --sida, eller ladda ned kopplingstabellen "
            f"och kör {MANUAL_IMPORT}.",
            error.status,
        ) from error
    return response.url or page_url, response.text


def fetch_key_files(
    vintages: Iterable[str],
    page_url: str = DEFAULT_DESO_PAGE_URL,
    *,
    session: requests.Session | None = None,
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[KeyFile]:
    """Download the newest key file of each vintage linked from SCB's DeSO page.

    Parameters
    ----------
    vintages
        ``"2018"`` and/or ``"2025"``.
    page_url
        SCB's DeSO page (see :data:`DEFAULT_DESO_PAGE_URL`).
    session, policy, sleep
        HTTP session, retry policy and waiting function (tests pass their own).

    Returns
    -------
    list[KeyFile]
        One downloaded file per vintage, in the order asked for; not yet checked.

    Raises
    ------
    SourceError
        When the page cannot be read, lacks a link for a vintage, or a file cannot be
        downloaded. Nothing is downloaded unless the page links every vintage asked for.
    """
    wanted = list(dict.fromkeys(vintages))
    for vintage in wanted:
        if vintage not in VINTAGES:
            raise SourceError(f"Okänd DeSO-årgång {vintage!r}; välj 2018 eller 2025.")
    http = session or make_session()
    policy = policy or RetryPolicy()
    final_url, html = fetch_key_page(page_url, session=http, policy=policy, sleep=sleep)
    links = parse_key_links(html, final_url)
    for vintage in wanted:
        if vintage not in links:
            raise SourceError(
                f"SCB:s sida {page_url} har ingen länk till {expected_name(vintage)}; "
                f"ladda ned filen och kör {MANUAL_IMPORT}."
            )
    files: list[KeyFile] = []
    for vintage in wanted:
        link = links[vintage]
        response = request_with_retries(
            http, "GET", link.url, policy=policy, sleep=sleep,
            what=f"Kopplingstabellen {link.name} ({link.url})",
        )  # fmt: skip
        files.append(KeyFile(link=link, data=response.content, page_url=final_url))
    return files


def parse_key_file(file: KeyFile) -> pd.DataFrame:
    """Parse a downloaded key file, insisting on SCB's own XLSX layout.

    A file picked by :func:`parse_key_links` must be SCB's sheet: an Excel file whose
    header names the DeSO column and the RegSO codes of the link's vintage. Anything
    else (an HTML error page served as 200, the old file without RegSO codes, the other
    vintage) is refused rather than stored.

    Returns
    -------
    pandas.DataFrame
        :data:`sodd.schema.CROSSWALK_COLUMNS`, see :func:`sodd.sources.scb_keys.parse_key_rows`.

    Raises
    ------
    SourceError
        Naming the file and its URL, and pointing to the manual import.
    """
    link = file.link
    where = f"Kopplingstabellen {link.name} från {link.url}"
    if not file.data.startswith(b"PK"):
        start = " ".join(file.data[:60].decode("utf-8", "replace").split())
        raise SourceError(
            f"{where} är ingen Excel-fil (svaret börjar {start!r}); ladda ned filen och "
            f"kör {MANUAL_IMPORT}."
        )
    manual = (
        "sodd kan inte läsa den automatiskt; spara en kopplingstabell i SCB:s format och "
        f"kör {MANUAL_IMPORT}."
    )
    try:
        frame = parse_kopplingstabell(file.data, name=link.name, vintage=link.vintage)
    except SourceError as error:
        # The parser names the file itself; said once is enough.
        detail = str(error).removeprefix(f"Kopplingstabellen {link.name}").strip(" ,:.")
        raise SourceError(f"{where} har inte SCB:s väntade upplägg ({detail}); {manual}") from error
    if frame["regso_code"].isna().any():
        raise SourceError(
            f"{where} har inte SCB:s väntade upplägg (kolumnen RegSOkod_"
            f"{REGSO_VINTAGE[link.vintage]} saknas); {manual}"
        )
    return frame


__all__ = [
    "DEFAULT_DESO_PAGE_URL",
    "MANUAL_IMPORT",
    "KeyFile",
    "KeyLink",
    "expected_name",
    "fetch_key_files",
    "fetch_key_page",
    "parse_key_file",
    "parse_key_links",
]
