"""Refresh SCB statistics into the store: incremental, one atomic transaction per table.

For each table the catalog needs (:func:`sodd.sources.scb.build_table_specs`): ask SCB
when it was last updated; skip it when the stored dataset came from the same update,
scope, levels, first year and spec; otherwise read its metadata, check the spec
against it, fetch the selection in batches, parse every response, and write the
observations with the raw responses in one transaction. A failing table is reported
and keeps its previous data; the others go on. Indicator values are recomputed once
at the end when anything changed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any

from sodd.config import Settings, load_settings
from sodd.errors import SoddError
from sodd.pipeline import recompute_indicator_values
from sodd.refresh_scb_report import STATUS_UPDATED, RefreshReport, TableResult, TextProgressBar
from sodd.refresh_scb_table import (
    ADMIN_REGIONS_ID,
    Progress,
    TableProgress,
    TableRefresher,
    dataset_id,
)
from sodd.sources.pxweb import PxWebClient
from sodd.sources.scb import DISTRICT_LEVELS, Scope, build_table_specs
from sodd.store import Store

__all__ = [
    "ADMIN_REGIONS_ID",
    "RefreshReport",
    "Scope",
    "TableResult",
    "add_parser",
    "dataset_id",
    "main",
    "refresh_scb",
    "run",
]


def refresh_scb(
    store: Store,
    client: PxWebClient,
    scope: Scope,
    *,
    levels: Sequence[str] = DISTRICT_LEVELS,
    first_year: int,
    progress: Progress | None = None,
    table_progress: TableProgress | None = None,
    force: bool = False,
    tables: Sequence[str] | None = None,
) -> RefreshReport:
    """Fetch the catalog's SCB tables for ``scope`` into ``store``.

    Parameters
    ----------
    store
        The store to write to.
    client
        PxWebApi 2.0 client (base URL, limits and retries are its business).
    scope
        Kommun, län or riket.
    levels
        District levels, a non-empty subset of ``("deso", "regso")``. The scope's
        kommun, län and riket rows are always fetched where a table has them.
    first_year
        First reference year.
    progress
        Receives one Swedish line per step.
    table_progress
        Receives ``(table_id, requests done, requests in total)`` during a fetch.
    force
        Fetch every table even when SCB has not updated it.
    tables
        Only these table ids (default: every SCB table in the catalog).

    Returns
    -------
    RefreshReport
        One result per table. A failed table keeps its previous data.

    Raises
    ------
    ValueError
        When ``levels`` is empty or names an unknown level, or ``tables`` names a
        table the catalog does not use.
    """
    wanted = (levels,) if isinstance(levels, str) else tuple(levels)
    if not wanted or not set(wanted) <= set(DISTRICT_LEVELS):
        raise ValueError(f"Ange nivåerna deso och/eller regso, inte {wanted!r}.")
    levels = tuple(level for level in DISTRICT_LEVELS if level in wanted)
    specs = build_table_specs()
    if tables is not None:
        unknown = sorted(set(tables) - {spec.table_id for spec in specs})
        if unknown:
            raise ValueError(f"Tabellerna {', '.join(unknown)} används inte i indikatorkatalogen.")
        specs = tuple(spec for spec in specs if spec.table_id in set(tables))
    job = TableRefresher(store, client, scope, levels, first_year, progress, table_progress, force)
    results = [job.run_table(spec) for spec in specs]
    recomputed = False
    if any(result.status == STATUS_UPDATED for result in results):
        recompute_indicator_values(store, progress=job.say)
        recomputed = True
    return RefreshReport(results, scope.label_sv(), levels, first_year, recomputed)


# ----------------------------------------------------------------- command line


def add_parser(refresh_subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``scb`` command to the subparsers of ``sodd refresh``.

    Parameters
    ----------
    refresh_subparsers
        The object returned by ``add_subparsers()`` of the ``refresh`` parser.

    Returns
    -------
    argparse.ArgumentParser
        The new ``scb`` parser; its ``func`` default is :func:`run`.
    """
    parser: argparse.ArgumentParser = refresh_subparsers.add_parser(
        "scb",
        help="hämta SCB:s DeSO/RegSO-statistik för en kommun, ett län eller riket",
        description="Hämtar indikatorkatalogens SCB-tabeller till datalagret. Tabeller som "
        "SCB inte har uppdaterat sedan förra hämtningen hoppas över.",
    )
    area = parser.add_mutually_exclusive_group(required=True)
    area.add_argument("--kommun", metavar="KOD", type=area_code(4), help="kommunkod, t.ex. 1780")
    area.add_argument("--lan", metavar="KOD", type=area_code(2), help="länskod, t.ex. 17")
    area.add_argument("--riket", action="store_true", help="hela landet")
    parser.add_argument(
        "--level",
        choices=("deso", "regso", "both"),
        default="both",
        help="områdesnivå (standard: both = båda)",
    )
    parser.add_argument(
        "--from",
        dest="first_year",
        metavar="ÅR",
        type=int,
        default=None,
        help="första år (standard: SODD_SCB_FIRST_YEAR)",
    )
    parser.add_argument(
        "--force", action="store_true", help="hämta alla tabeller, även oförändrade"
    )
    parser.set_defaults(func=run)
    return parser


def area_code(digits: int) -> Callable[[str], str]:
    """An argparse type for a kommun (4 digits) or län (2 digits) code, with a Swedish error."""

    def check(text: str) -> str:
        if len(text) != digits or not text.isdigit():
            raise argparse.ArgumentTypeError(
                f"{text!r} är ingen {'kommunkod' if digits == 4 else 'länskod'} "
                f"({digits} siffror, t.ex. {'1780' if digits == 4 else '17'})"
            )
        return text

    return check


def _make_client(settings: Settings) -> PxWebClient:
    return PxWebClient.from_settings(settings)


def run(args: argparse.Namespace) -> int:
    """Run ``sodd refresh scb`` with parsed arguments.

    Returns
    -------
    int
        0 when every table was updated or unchanged, 1 when any table failed.
    """
    settings = load_settings()
    if args.riket:
        scope = Scope("riket")
    elif args.lan:
        scope = Scope("lan", args.lan)
    else:
        scope = Scope("kommun", args.kommun)
    levels = DISTRICT_LEVELS if args.level == "both" else (args.level,)
    first_year = args.first_year if args.first_year is not None else settings.scb_first_year
    report = refresh_scb(
        Store.from_settings(settings),
        _make_client(settings),
        scope,
        levels=levels,
        first_year=first_year,
        progress=lambda line: print(line, file=sys.stderr, flush=True),
        table_progress=TextProgressBar(sys.stderr),
        force=args.force,
    )
    print(report.summary_sv(), flush=True)
    return 0 if report.ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` as the arguments after ``sodd refresh`` and run (for tests and scripts)."""
    parser = argparse.ArgumentParser(prog="sodd refresh")
    add_parser(parser.add_subparsers(dest="source", required=True))
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except SoddError as error:
        print(f"Fel: {error}", file=sys.stderr)
        return 2
