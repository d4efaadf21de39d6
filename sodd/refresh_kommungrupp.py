"""Refresh SKR's kommungrupper from Kolada into the store (``kolada``/``kommungrupp``).

Each of SKR's nine group names is searched among Kolada's municipality groups; only
groups whose titles name an SKR group are kept (:mod:`sodd.sources.kolada_groups`).
The membership replaces the stored one in one transaction, with the raw pages kept.
The page "Bostadslöshet och avhysningar" uses it to compare a kommun with the
unweighted mean of the other kommuner of its group.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sodd.errors import SourceError
from sodd.file_import import write_merged
from sodd.sources.http import RetryPolicy
from sodd.sources.kolada import KoladaClient, KoladaPage, kolada_api_url
from sodd.sources.kolada_groups import (
    PROVIDER,
    SKR_GROUPS,
    TABLE_ID,
    MunicipalityGroup,
    choose_groups,
    membership_observations,
    skr_group_number,
)
from sodd.store import Store

TITLE = "Kommungrupper enligt SKR (Kolada)"


@dataclass(frozen=True)
class GroupReport:
    """What a refresh stored: kommuner per SKR group number and the Kolada groups used."""

    kommuner: int
    groups: dict[str, str]  # Kolada id → title

    def summary_sv(self) -> str:
        """A few Swedish lines for the command line."""
        lines = [f"{gid}: {title}" for gid, title in sorted(self.groups.items())]
        return "\n".join([*lines, f"{self.kommuner} kommuner med kommungrupp sparade."])


def refresh_kommungrupper(
    store: Store, client: KoladaClient, *, progress: Callable[[str], None] | None = None
) -> GroupReport:
    """Fetch SKR's kommungrupper from Kolada and store each kommun's group.

    Parameters
    ----------
    store
        The store to write to.
    client
        Kolada v3 client.
    progress
        Receives one Swedish line per step.

    Returns
    -------
    GroupReport

    Raises
    ------
    SourceError
        When no Kolada group title names an SKR kommungrupp (nothing is stored).
    """
    say = progress or (lambda _line: None)
    found: dict[str, MunicipalityGroup] = {}
    pages: list[KoladaPage] = []
    for _, name, _ in SKR_GROUPS:
        say(f"Kolada: söker kommungruppen {name!r} …")
        groups, raw = client.municipality_groups(name)
        pages += raw
        found |= {group.id: group for group in groups}
    chosen = choose_groups(list(found.values()))
    if not chosen:
        raise SourceError(
            "Kolada: ingen kommungrupp vars titel namnger en av SKR:s nio kommungrupper "
            "hittades; inget sparades."
        )
    fetched_at = max(page.fetched_at for page in pages)
    observations = membership_observations(chosen, period=fetched_at[:4], fetched_at=fetched_at)
    used = {group.id: group.title for group in chosen.values()}
    write_merged(
        store, observations, provider=PROVIDER, table_id=TABLE_ID, title=TITLE,
        # The membership is one snapshot: a new one replaces the old one entirely.
        keep_old=lambda old: pd.Series(False, index=old.index),
        raw={f"groups_{i:03d}.json": page.body for i, page in enumerate(pages)},
        query_item={
            "source": client.base_url,
            "groups": {gid: skr_group_number(title) for gid, title in sorted(used.items())},
            "fetched_at": fetched_at,
        },
        url=pages[0].url,
    )  # fmt: skip
    say(f"Kommungrupper: {len(chosen)} kommuner sparade.")
    return GroupReport(len(chosen), used)


def add_parser(refresh_subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``kommungrupp`` command to the subparsers of ``sodd refresh``.

    Parameters
    ----------
    refresh_subparsers
        The object returned by ``add_subparsers()`` of the ``refresh`` parser.

    Returns
    -------
    argparse.ArgumentParser
        The new parser; its ``func`` default is :func:`run`.
    """
    parser: argparse.ArgumentParser = refresh_subparsers.add_parser(
        "kommungrupp",
        help="hämta SKR:s kommungruppsindelning från Kolada",
        description="Söker SKR:s nio kommungrupper bland Koladas kommungrupper och sparar "
        "vilken grupp varje kommun tillhör (för jämförelse med kommuner av samma typ).",
    )
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run ``sodd refresh kommungrupp``; 0 when the membership was stored."""
    from sodd.config import load_settings

    settings = load_settings()
    client = KoladaClient(
        kolada_api_url(), policy=RetryPolicy(timeout_seconds=settings.http_timeout_seconds)
    )
    try:
        report = refresh_kommungrupper(
            Store.from_settings(settings),
            client,
            progress=lambda line: print(line, file=sys.stderr, flush=True),
        )
    except SourceError as error:
        print(str(error), file=sys.stderr, flush=True)
        return 1
    print(report.summary_sv(), flush=True)
    return 0
