"""``sodd refresh alla``: SCB statistics, SCB polygons and Kolada for a kommun or län."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from sodd.config import load_settings
from sodd.errors import SoddError
from sodd.refresh_all import refresh_all
from sodd.refresh_scb import area_code
from sodd.refresh_scb_report import TextProgressBar
from sodd.sources.scb import Scope
from sodd.store import Store

__all__ = ["add_parser", "main", "run"]


def add_parser(refresh_subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``alla`` command to the subparsers of ``sodd refresh``.

    Parameters
    ----------
    refresh_subparsers
        The object returned by ``add_subparsers()`` of the ``refresh`` parser.

    Returns
    -------
    argparse.ArgumentParser
        The new ``alla`` parser; its ``func`` default is :func:`run`.
    """
    parser: argparse.ArgumentParser = refresh_subparsers.add_parser(
        "alla",
        help="hämta SCB-statistik, DeSO/RegSO-gränser och Kolada för en kommun eller ett län",
        description="Uppdaterar alla källor för en kommun eller ett län och skriver en rad "
        "per datamängd: ny version, oförändrad eller misslyckad (då behålls den tidigare "
        "versionen). Två uppdateringar av samma datalager körs aldrig samtidigt.",
    )
    area = parser.add_mutually_exclusive_group(required=True)
    area.add_argument("--kommun", metavar="KOD", type=area_code(4), help="kommunkod, t.ex. 1780")
    area.add_argument("--lan", metavar="KOD", type=area_code(2), help="länskod, t.ex. 17")
    parser.add_argument(
        "--from",
        dest="first_year",
        metavar="ÅR",
        type=int,
        default=None,
        help="första år (standard: SODD_SCB_FIRST_YEAR)",
    )
    parser.add_argument(
        "--to",
        dest="last_year",
        metavar="ÅR",
        type=int,
        default=None,
        help="sista år för Kolada (standard: i år)",
    )
    parser.add_argument(
        "--force", action="store_true", help="hämta alla SCB-tabeller, även oförändrade"
    )
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run ``sodd refresh alla`` with parsed arguments.

    Returns
    -------
    int
        0 when nothing failed, 1 when any dataset or source failed (the report
        is printed either way).
    """
    settings = load_settings()
    scope = Scope("lan", args.lan) if args.lan else Scope("kommun", args.kommun)
    report = refresh_all(
        Store.from_settings(settings),
        settings,
        scope,
        first_year=args.first_year,
        last_year=args.last_year,
        force=args.force,
        progress=lambda line: print(line, file=sys.stderr, flush=True),
        table_progress=TextProgressBar(sys.stderr),
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
