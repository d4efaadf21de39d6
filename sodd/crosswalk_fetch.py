"""``sodd kopplingstabell --hamta``: SCB's newest key files, fetched and stored.

The page is read and the files downloaded by :mod:`sodd.sources.scb_keys_page`; each
file is checked against SCB's own XLSX layout and then stored exactly as a file given
on the command line would be (:func:`sodd.crosswalk.stage_crosswalk`), all vintages in
one transaction so a bad file leaves the key files stored before untouched.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import requests

from sodd.crosswalk import stage_crosswalk
from sodd.manifest import DatasetEntry
from sodd.sources.http import RetryPolicy
from sodd.sources.scb_keys import VINTAGES
from sodd.sources.scb_keys_page import DEFAULT_DESO_PAGE_URL, fetch_key_files, parse_key_file
from sodd.store import Store


def fetch_crosswalks(
    store: Store,
    vintages: Sequence[str] = VINTAGES,
    page_url: str = DEFAULT_DESO_PAGE_URL,
    *,
    session: requests.Session | None = None,
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[DatasetEntry]:
    """Fetch the newest key files from SCB's DeSO page and store them in one transaction.

    Parameters
    ----------
    store
        Target store.
    vintages
        ``"2018"`` and/or ``"2025"``.
    page_url
        SCB's DeSO page, whose links name the dated key files.
    session, policy, sleep
        HTTP session, retry policy and waiting function.

    Returns
    -------
    list[DatasetEntry]
        The stored datasets, one per vintage.

    Raises
    ------
    SourceError
        When the page, a link or a file is missing or wrong; then nothing is stored and
        the key files stored before are kept.
    """
    files = fetch_key_files(vintages, page_url, session=session, policy=policy, sleep=sleep)
    parsed = [(parse_key_file(file), file) for file in files]
    with store.transaction() as tx:
        return [
            stage_crosswalk(tx, frame, file.link.name, file.data, url=file.link.url)
            for frame, file in parsed
        ]


__all__ = ["fetch_crosswalks"]
