"""``sodd import lokal`` and ``sodd import mall``: the kommun's own data on the command line.

``sodd import lokal --typ kartlaggning FIL`` checks a file and prints what would be
stored (or every problem, exit code 1); with ``--spara`` it also stores it.
``sodd import mall --typ insatser --format xlsx FIL`` writes a template to FIL (the
file is the same positional argument as for the agency importers, so one parser serves
both; an optional positional would be swallowed before the options by argparse).
``sodd import ta-bort --typ kartlaggning --kommun 1780 2024`` removes one stored upload
(the positional argument is then the period; own indicators also need ``--indikator``);
it shows what would go and removes it only with ``--ja``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import pandas as pd

from sodd.errors import SoddError
from sodd.local.delete import delete_local
from sodd.local.problems import LocalDataError, PersonalDataError
from sodd.local.store import load_local, save_local
from sodd.local.templates import KIND_NAMES_SV, KINDS, template_csv, template_xlsx
from sodd.local.validate import check_size, check_upload
from sodd.store import Store

COMMANDS: Final = ("lokal", "mall", "ta-bort")
_PREVIEW_ROWS: Final = 50
_EXAMPLE_KOMMUN: Final = "0180"


def configure_import_parser(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``import lokal`` and ``import mall`` to the ``import`` parser."""
    parser.add_argument("--typ", choices=KINDS, help="lokal/mall: vilken sorts uppgifter")
    parser.add_argument("--spara", action="store_true", help="lokal: spara om filen är felfri")
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv", help="mall: filformat")
    parser.add_argument(
        "--kommun", default=None, help="mall: områdeskod i exempelraderna; ta-bort: kommunkod"
    )
    parser.add_argument("--indikator", default=None, help="ta-bort: egen indikators namn")
    parser.add_argument("--ja", action="store_true", help="ta-bort: ta bort utan fler frågor")


def region_index(store: Store) -> pd.DataFrame | None:
    """Codes, levels, names and kommun of the store's regions (``None`` when it has none)."""
    if not store.manifest().of_kind("regions"):
        return None
    regions = store.read_regions(
        columns=["region_code", "level", "name", "kommun_code", "geo_vintage"]
    )
    return pd.DataFrame(regions.drop(columns="geometry"))


def run(args: argparse.Namespace) -> int:
    """Run ``sodd import lokal|mall``: 0 when done, 1 when the file has problems."""
    from sodd.config import load_settings

    if not args.typ:
        print("Fel: ange --typ (kartlaggning, insatser eller indikator).", file=sys.stderr)
        return 2
    if args.source == "mall":
        make = template_xlsx if args.format == "xlsx" else template_csv
        Path(args.file).write_bytes(make(args.typ, args.kommun or _EXAMPLE_KOMMUN))
        print(f"Mallen skrevs till {args.file}.")
        return 0
    settings = load_settings()
    store = Store.from_settings(settings)
    if args.source == "ta-bort":
        return run_delete(args, store, settings.disclosure_min)
    path = Path(args.file)
    data = path.read_bytes()
    try:
        check_size(data, path.name, settings.max_upload_mb)
        table = check_upload(data, path.name, args.typ, region_index(store))
    except PersonalDataError as refusal:
        print(str(refusal), file=sys.stderr)
        return 1
    except LocalDataError as error:
        print(f"Filen {path.name} har {len(error.problems)} fel; inget sparades.", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem.describe()}", file=sys.stderr)
        return 1
    shown = table.rows.drop(columns=["kommun_code"]).head(_PREVIEW_ROWS)
    print(f"{len(table.rows)} rader kan sparas:")
    print(shown.to_string(index=False))
    if table.ignored:
        print(f"Kolumner som inte används: {', '.join(table.ignored)}")
    if not args.spara:
        print("Inget sparat (lägg till --spara för att spara).")
        return 0
    result = save_local(store, table, disclosure_min=settings.disclosure_min)
    print(
        f"Sparat: {result.rows_saved} rader för {', '.join(result.periods)} i "
        f"{result.dataset_id} ({result.rows_total} rader totalt)."
    )
    return 0


def run_delete(args: argparse.Namespace, store: Store, disclosure_min: int) -> int:
    """``sodd import ta-bort``: show one stored upload, remove it with ``--ja``.

    Returns 0 when shown or removed, 1 when nothing stored matches, 2 for missing options.
    """
    if not args.kommun:
        print("Fel: ange --kommun (kommunkoden vars uppgifter tas bort).", file=sys.stderr)
        return 2
    period = str(args.file)
    stored = load_local(store, args.typ)
    match = (stored["kommun_code"] == args.kommun) & (stored["period"] == period)
    if args.typ == "indikator":
        if not args.indikator:
            print("Fel: ange --indikator (den egna indikatorns namn).", file=sys.stderr)
            return 2
        match &= (stored["variable"] == args.indikator) | (stored["name"] == args.indikator)
    rows = stored.loc[match]
    what = f"{KIND_NAMES_SV[args.typ]}, kommun {args.kommun}, period {period}"
    if rows.empty:
        print(f"Det finns inga sparade uppgifter ({what}) att ta bort.", file=sys.stderr)
        return 1
    print(f"{len(rows)} sparade rader ({what}), källa {rows['source'].iloc[0]}.")
    if not args.ja:
        print("Inget togs bort (lägg till --ja för att ta bort).")
        return 0
    result = delete_local(store, args.typ, args.kommun, period, disclosure_min=disclosure_min,
                          indicator=args.indikator)  # fmt: skip
    print(
        f"Borttaget: {result.rows_removed} rader ur {result.dataset_id} "
        f"({result.rows_left} rader kvar)."
    )
    return 0


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """A stand-alone ``import`` command with only ``lokal`` and ``mall`` (for tests).

    The app's real ``sodd import`` keeps its agency sources; see the module docstring
    of :mod:`sodd.local.cli` for how both share one parser.
    """
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "import", help="läs in, skriv en mall för eller ta bort kommunens egna uppgifter"
    )
    parser.add_argument("source", choices=COMMANDS)
    parser.add_argument(
        "file",
        metavar="FIL",
        help="lokal: filen som läses; mall: filen som skrivs; ta-bort: perioden",
    )
    configure_import_parser(parser)
    parser.set_defaults(func=run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (``import lokal …``) and run; 2 on other sodd errors."""
    parser = argparse.ArgumentParser(prog="sodd")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except SoddError as error:
        print(f"Fel: {error}", file=sys.stderr)
        return 2
