"""The file importers by name, recognition of an unnamed file, and ``sodd import``.

Shared by the app's "Importera fil" (preview first, then store) and the command line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import sodd.local.cli as local_cli
from sodd.errors import SoddError, SourceError
from sodd.file_import import ImportResult, Progress, import_observations, read_source
from sodd.sources import boverket, kronofogden, socialstyrelsen
from sodd.sources.tabular_obs import Parsed
from sodd.store import Store


@dataclass(frozen=True)
class Importer:
    """One kind of file sodd can import."""

    name: str  # command-line name and widget option
    label_sv: str
    label_en: str
    provider: str
    table_id: str
    title: str
    read: Callable[[bytes, str], Parsed]


IMPORTERS: Final = {
    importer.name: importer
    for importer in (
        Importer(
            "kronofogden", "Kronofogden: avhysningar per kommun",
            "Enforcement Authority: evictions per municipality",
            kronofogden.PROVIDER, kronofogden.TABLE_ID, kronofogden.TITLE,
            kronofogden.read_kronofogden,
        ),
        Importer(
            "boverket-bme", "Boverket: bostadsmarknadsenkäten (marknadsläge per kommun)",
            "Boverket: housing market survey (market status per municipality)",
            boverket.PROVIDER, boverket.BME_TABLE_ID, boverket.BME_TITLE, boverket.read_bme,
        ),
        Importer(
            "boverket-bostadsbrist", "Boverket: behovsbaserad bostadsbrist (åtta mått)",
            "Boverket: need-based housing shortage (eight measures)",
            boverket.PROVIDER, boverket.SHORTAGE_TABLE_ID, boverket.SHORTAGE_TITLE,
            boverket.read_shortage,
        ),
        Importer(
            "socialstyrelsen", "Socialstyrelsen: hemlöshetskartläggning per kommun",
            "National Board of Health and Welfare: homelessness mapping per municipality",
            socialstyrelsen.PROVIDER, socialstyrelsen.TABLE_ID, socialstyrelsen.TITLE,
            socialstyrelsen.read_socialstyrelsen,
        ),
    )
}  # fmt: skip


def recognise(data: bytes, filename: str, name: str | None = None) -> tuple[Importer, Parsed]:
    """Parse a file with the named importer, or with the one that recognises most columns.

    Parameters
    ----------
    data, filename
        The file and its name.
    name
        A key of :data:`IMPORTERS`; ``None`` tries each in turn.

    Returns
    -------
    tuple
        The importer used and what it parsed (not stored yet).

    Raises
    ------
    SourceError
        When the file fits no importer; the message holds each importer's reason,
        including the expected and found headers.
    """
    if name is not None:
        importer = IMPORTERS[name]
        return importer, importer.read(data, filename)
    reasons: list[str] = []
    best: tuple[Importer, Parsed] | None = None
    for importer in IMPORTERS.values():
        try:
            parsed = importer.read(data, filename)
        except SourceError as error:
            reasons.append(f"• {importer.label_sv}: {error}")
            continue
        # The importer that recognises most columns wins: a word such as "barn" can
        # occur in more than one agency's headers.
        if best is None or len(parsed.matched) > len(best[1].matched):
            best = (importer, parsed)
    if best is None:
        raise SourceError(
            f"Filen {filename} kändes inte igen som någon av källorna.\n" + "\n".join(reasons)
        )
    return best


def store_parsed(
    store: Store,
    importer: Importer,
    parsed: Parsed,
    data: bytes,
    filename: str,
    *,
    progress: Progress | None = None,
) -> ImportResult:
    """Store what :func:`recognise` parsed (one transaction; raw file kept)."""
    return import_observations(
        store, parsed.observations, provider=importer.provider, table_id=importer.table_id,
        title=importer.title, raw=data, filename=filename, progress=progress,
    )  # fmt: skip


# ----------------------------------------------------------------- command line


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``import`` command (``sodd import <källa> FIL``) to sodd's subparsers.

    Returns
    -------
    argparse.ArgumentParser
        The new parser; its ``func`` default is :func:`run`.
    """
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "import",
        help="läs in en fil från Kronofogden, Boverket eller Socialstyrelsen",
        description="Läser en CSV- eller Excelfil (eller en adress till en), visar vad som "
        "känns igen och sparar den i datalagret. Kolumnerna hittas på sina svenska namn.",
    )
    parser.add_argument(
        "source",
        choices=[*IMPORTERS, "auto", *local_cli.COMMANDS],
        help="källa (auto = gissa; lokal = kommunens egna uppgifter; mall = skriv en mall; "
        "ta-bort = ta bort sparade egna uppgifter)",
    )
    parser.add_argument(
        "file", metavar="FIL", help="sökväg eller http(s)-adress (ta-bort: perioden)"
    )
    local_cli.configure_import_parser(parser)
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run ``sodd import`` with parsed arguments; 0 when the file was stored."""
    from sodd.config import load_settings

    if args.source in local_cli.COMMANDS:
        return local_cli.run(args)
    data, filename = read_source(
        args.file if str(args.file).startswith(("http://", "https://")) else Path(args.file),
        None,
    )
    importer, parsed = recognise(data, filename, None if args.source == "auto" else args.source)
    summary = parsed.summary()
    print(f"{importer.label_sv}: {summary.rows} värden, år {', '.join(summary.years)}")
    for label, headers in parsed.matched.items():
        print(f"  {label}: {', '.join(headers)}")
    result = store_parsed(
        Store.from_settings(load_settings()), importer, parsed, data, filename,
        progress=lambda line: print(line, file=sys.stderr, flush=True),
    )  # fmt: skip
    print(f"Sparat: {result.dataset_id}, {result.rows_total} rader.", flush=True)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` as the arguments after ``sodd`` (``import …``) and run."""
    parser = argparse.ArgumentParser(prog="sodd")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except SoddError as error:
        print(f"Fel: {error}", file=sys.stderr)
        return 2
