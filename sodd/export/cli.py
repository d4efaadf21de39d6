"""``sodd export profile`` and ``sodd export report``: write a profile or a social report.

The lead wires :func:`add_parser` into ``sodd/cli.py``; :func:`main` runs it alone.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from sodd.config import LANGUAGES, load_settings
from sodd.errors import SoddError, StoreError
from sodd.export import FORMATS, ExportContext, build_export_context, export_filename, render
from sodd.export.goals_report import add_parser as add_goals_parser
from sodd.export.report_files import (
    REPORT_FORMATS,
    load_kommun_report,
    render_report,
    report_filename,
)
from sodd.geo import name_districts
from sodd.indicators.catalog import load_catalog
from sodd.profile import AreaProfile, build_area_profile, comparator_codes
from sodd.store import Store

# Finest first; a custom area ("custom", a user's own set of DeSO/RegSO) before all.
AREA_LEVELS = ("custom", "deso", "regso", "kommun", "lan")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``export`` (with its ``profile`` command) to the top-level subparsers.

    Parameters
    ----------
    subparsers
        The object returned by ``add_subparsers()`` of the ``sodd`` parser.

    Returns
    -------
    argparse.ArgumentParser
        The new ``export`` parser.
    """
    export: argparse.ArgumentParser = subparsers.add_parser(
        "export", help="exportera en områdesprofil till fil"
    )
    what = export.add_subparsers(dest="what", required=True)
    profile = what.add_parser(
        "profile",
        help="en områdesprofil som PDF, Word, Excel, CSV, GeoPackage eller HTML",
        description="Skriver områdets profil (alla indikatorer, jämförelser, barnperspektiv, "
        "det vet vi inte, källor) till en fil.",
    )
    profile.add_argument(
        "--area",
        required=True,
        metavar="KOD",
        help="områdeskod, t.ex. 1780C1010, eller namnet på ett eget område",
    )
    profile.add_argument(
        "--level",
        choices=AREA_LEVELS,
        default=None,
        help="områdesnivå (standard: den finaste nivå där koden finns)",
    )
    profile.add_argument("--vintage", default=None, help="områdesindelning, t.ex. 2025")
    profile.add_argument(
        "--jamfor",
        default=None,
        metavar="OMRÅDE",
        help="ett område att jämföra med (kod, namnet på ett eget område eller "
        "nivå:indelning:kod, t.ex. deso:2025:1780C1020)",
    )
    profile.add_argument(
        "--format", choices=FORMATS, default="pdf", help="filformat (standard: pdf)"
    )
    profile.add_argument("--lang", choices=LANGUAGES, default=None, help="språk (sv eller en)")
    profile.add_argument(
        "--out", type=Path, default=None, metavar="FIL", help="filnamn (standard: beskrivande namn)"
    )
    profile.set_defaults(func=run)
    report = what.add_parser(
        "report",
        help="en social rapport för en kommun som PDF eller Word",
        description="Skriver kommunens sociala rapport (alla DeSO och RegSO: var skillnaderna "
        "är störst, områden som skiljer sig på flera indikatorer, områdestyper, utveckling).",
    )
    report.add_argument("--kommun", required=True, metavar="KOD", help="kommunkod, t.ex. 1780")
    report.add_argument(
        "--format", choices=REPORT_FORMATS, default="pdf", help="filformat (standard: pdf)"
    )
    report.add_argument("--lang", choices=LANGUAGES, default=None, help="språk (sv eller en)")
    report.add_argument(
        "--out", type=Path, default=None, metavar="FIL", help="filnamn (standard: beskrivande namn)"
    )
    report.set_defaults(func=run_report)
    add_goals_parser(what)
    return export


def _find_area(
    index: pd.DataFrame, code: str, level: str | None, vintage: str | None, option: str
) -> pd.Series:
    """The area a code (or a custom area's name) names: finest level, newest vintage."""
    own_name = (index["level"] == "custom") & (index["name"] == code)
    found = index.loc[(index["region_code"] == code) | own_name]
    found = found.loc[found["level"].isin(AREA_LEVELS)]
    if level is not None:
        found = found.loc[found["level"] == level]
    if vintage is not None:
        found = found.loc[found["geo_vintage"].fillna("") == vintage]
    if found.empty:
        where = f" på nivån {level}" if level else ""
        raise StoreError(f"Området {code!r}{where} finns inte i datalagret ({option}).")
    found = found.assign(order=found["level"].map(AREA_LEVELS.index))
    return found.sort_values(["order", "geo_vintage"], ascending=[True, False]).iloc[0]


def _find_peer(index: pd.DataFrame, text: str) -> pd.Series:
    # "level:vintage:code" as in the page's link, else a code or a custom area's name.
    parts = text.split(":", 2)
    if len(parts) == 3 and parts[0] in AREA_LEVELS:
        return _find_area(index, parts[2], parts[0], parts[1] or None, "--jamfor")
    return _find_area(index, text, None, None, "--jamfor")


def load_profile(
    store: Store,
    code: str,
    level: str | None,
    vintage: str | None,
    peer: str | None = None,
) -> tuple[AreaProfile, pd.DataFrame]:
    """Build the profile of one area from the store; also return the regions read.

    ``peer`` names an area to compare with (a code, a custom area's name or
    ``level:vintage:code``); it becomes the fourth comparator.

    Raises
    ------
    StoreError
        When the store is empty or has no area with that code (and level), or no peer.
    """
    if store.is_empty():
        raise StoreError("Datalagret är tomt. Kör `sodd demo` eller hämta statistik först.")
    regions = store.read_regions()
    index = name_districts(pd.DataFrame(regions.drop(columns="geometry")))
    region = _find_area(index, code, level, vintage, "--area")
    chosen_level, code = str(region["level"]), str(region["region_code"])
    codes = [code, *comparator_codes(region).values()]
    peer_key = None
    if peer is not None:
        other = _find_peer(index, peer)
        other_vintage = other.get("geo_vintage")
        peer_key = (
            str(other["region_code"]),
            str(other["level"]),
            str(other_vintage) if isinstance(other_vintage, str) and other_vintage else None,
        )
        codes.append(peer_key[0])
    values = store.read("indicator_values", filters=[("region_code", "in", codes)])
    profile = build_area_profile(
        code, chosen_level, index, values, load_catalog(), geo_vintage=vintage, peer=peer_key
    )
    return profile, regions


def run(args: argparse.Namespace) -> int:
    """Run ``sodd export profile`` with parsed arguments; returns 0 on success."""
    settings = load_settings()
    store = Store.from_settings(settings)
    try:
        profile, regions = load_profile(
            store, args.area, args.level, args.vintage, getattr(args, "jamfor", None)
        )
    except ValueError as exc:
        raise StoreError(str(exc)) from exc
    lang = args.lang or settings.language
    context = build_export_context(profile, store.manifest(), regions, lang, store=store)
    data = render(profile, context, args.format)
    out: Path = args.out or Path(export_filename(profile, args.format))
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise SoddError(f"Kunde inte skriva filen {out} (--out): {exc.strerror}") from exc
    print(f"Skrev {out} ({len(data)} byte): {profile.name} ({profile.region_code}).")
    return 0


def run_report(args: argparse.Namespace) -> int:
    """Run ``sodd export report`` with parsed arguments; returns 0 on success."""
    settings = load_settings()
    store = Store.from_settings(settings)
    report = load_kommun_report(store, args.kommun)
    context = ExportContext(
        entries=tuple(store.manifest().datasets.values()),
        lang="en" if (args.lang or settings.language) == "en" else "sv",
    )
    data = render_report(report, context, args.format)
    out: Path = args.out or Path(report_filename(report, args.format))
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise SoddError(f"Kunde inte skriva filen {out} (--out): {exc.strerror}") from exc
    print(f"Skrev {out} ({len(data)} byte): social rapport för {report.kommun_name}.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` as the arguments after ``sodd`` and run (for tests and scripts)."""
    parser = argparse.ArgumentParser(prog="sodd")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except SoddError as error:
        print(f"Fel: {error}", file=sys.stderr)
        return 2
