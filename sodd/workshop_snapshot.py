"""Spara workshop: a dated ZIP bundle of a workshop's agenda, notes and views, for later.

The bundle holds everything needed to revisit the workshop after the data has been
refreshed: a copy of the manifest (the exact dataset versions: id, sha256, fetch time,
file), the agenda rows and the notes (CSV and JSON), one offline HTML file per agenda
view (:mod:`sodd.workshop_views`), an ``index.html`` linking them and a Swedish
``README.txt``. Without an agenda it holds one HTML profile per area that has notes.
Every file lies in one folder named like the ZIP, so unpacking never scatters files.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

import pandas as pd

from sodd.config import load_settings
from sodd.errors import SoddError
from sodd.manifest import Manifest, render_manifest
from sodd.notes import Note, category_label
from sodd.notes_store import load_all_notes
from sodd.schema import NOTE_COLUMNS
from sodd.store import Store
from sodd.workshop_index import render_index, render_readme
from sodd.workshop_views import render_view

__all__ = [
    "Snapshot",
    "add_parser",
    "build_snapshot",
    "load_agenda",
    "main",
    "run",
    "write_snapshot",
]

VERSION_COLUMNS: Final = ("dataset_id", "kind", "provider", "table_id", "sha256", "fetched_at")
_AGENDA_SORT: Final = ("agenda_id", "position")


@dataclass(frozen=True)
class Snapshot:
    """A built bundle: its file name and the ZIP bytes."""

    filename: str
    data: bytes


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower()[:40]


def load_agenda(store: Store, agenda_id: str) -> pd.DataFrame:
    """The views of one agenda, in agenda order.

    Raises
    ------
    SoddError
        When the store has no agenda with that id.
    """
    rows = store.read("agendas")
    rows = rows.loc[rows["agenda_id"] == agenda_id]
    if rows.empty:
        known = sorted(set(store.read("agendas")["agenda_id"].dropna()))
        listed = ", ".join(known) if known else "inga"
        raise SoddError(f"Det finns ingen agenda med id {agenda_id!r} (sparade: {listed}).")
    order = pd.to_numeric(rows["position"], errors="coerce")
    return rows.assign(_order=order).sort_values(["_order", "title"]).drop(columns="_order")


def _csv(rows: list[dict[str, str]], columns: tuple[str, ...] | list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), delimiter=";", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    # With a byte-order mark, so Swedish Excel reads å, ä and ö (as the CSV export does).
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _json(payload: object) -> bytes:
    return (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _note_rows(notes: list[Note]) -> list[dict[str, str]]:
    return [{**asdict(n), "category_name": category_label(n.category)} for n in notes]


def _version_rows(manifest: Manifest) -> list[dict[str, str]]:
    return [
        {
            **{key: str(getattr(entry, key) or "") for key in VERSION_COLUMNS},
            "file": entry.file,
            "demo": "ja" if entry.demo else "nej",
        }
        for _, entry in sorted(manifest.datasets.items())
    ]


def _view_files(
    store: Store, agenda: pd.DataFrame | None, notes: list[Note], lang: str
) -> list[tuple[str, str, bytes]]:
    """``(file name, title, html)`` per view: the agenda's, or one per area with notes."""
    files = []
    if agenda is not None:
        for number, row in enumerate(agenda.itertuples(), start=1):
            title = str(row.title or row.page)
            html = render_view(store, title, str(row.page), str(row.query or ""), lang)
            files.append((f"vyer/{number:02d}_{_slug(title) or 'vy'}.html", title, html))
        return files
    areas = sorted({(n.level, n.geo_vintage, n.region_code) for n in notes})
    for number, (level, vintage, code) in enumerate(areas, start=1):
        query = f"area={code}&level={level}" + (f"&vintage={vintage}" if vintage else "")
        html = render_view(store, code, "omradesprofil", query, lang)
        files.append((f"vyer/{number:02d}_{_slug(code)}.html", f"{code} ({level})", html))
    return files


def _bundle_name(store: Store, agenda: pd.DataFrame | None, notes: list[Note]) -> str:
    if agenda is not None:
        return _slug(str(agenda["agenda_name"].iloc[0])) or "agenda"
    kommuner = {n.region_code[:4] for n in notes if n.level != "custom"}
    if len(kommuner) == 1:
        code = kommuner.pop()
        found = store.read_regions(
            columns=["name"], filters=[("region_code", "==", code), ("level", "==", "kommun")]
        )
        if not found.empty:
            return _slug(str(found["name"].iloc[0])) or code
    return "anteckningar"


def build_snapshot(
    store: Store, agenda_id: str | None = None, *, lang: str = "sv", now: datetime | None = None
) -> Snapshot:
    """Build the workshop bundle from the store's current snapshot.

    Parameters
    ----------
    store
        The store.
    agenda_id
        The agenda whose views to save; ``None`` saves the notes and one profile per
        area with notes.
    lang
        ``"sv"`` or ``"en"`` for the HTML views (the README is in Swedish).
    now
        The bundle's time (UTC now when omitted).

    Returns
    -------
    Snapshot
        ``workshop_<agenda or kommun>_<YYYY-MM-DD_HHMM>.zip`` and its bytes.

    Raises
    ------
    SoddError
        When the agenda does not exist or the store cannot be read.
    """
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    manifest = store.manifest()
    agenda = load_agenda(store, agenda_id) if agenda_id else None
    notes = load_all_notes(store)
    stem = f"workshop_{_bundle_name(store, agenda, notes)}_{moment:%Y-%m-%d_%H%M}"
    views = _view_files(store, agenda, notes, lang)
    agenda_rows: list[dict[str, str]] = []
    if agenda is not None:
        agenda_rows = [
            {str(k): "" if pd.isna(v) else str(v) for k, v in record.items()}
            for record in agenda.to_dict("records")
        ]
    files: dict[str, bytes] = {
        "manifest.json": render_manifest(manifest).encode("utf-8"),
        "dataversioner.csv": _csv(_version_rows(manifest), [*VERSION_COLUMNS, "file", "demo"]),
        "anteckningar.csv": _csv(_note_rows(notes), [*NOTE_COLUMNS, "category_name"]),
        "anteckningar.json": _json(_note_rows(notes)),
    }
    if agenda is not None:
        files["agenda.csv"] = _csv(agenda_rows, list(agenda.columns))
        files["agenda.json"] = _json(agenda_rows)
    files.update({name: html for name, _, html in views})
    title = str(agenda["agenda_name"].iloc[0]) if agenda is not None else None
    files["index.html"] = render_index(
        title, moment, manifest, [(n, t) for n, t, _ in views], notes, lang
    )
    files["README.txt"] = render_readme(title, moment, manifest, len(notes), len(views))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, data in files.items():
            bundle.writestr(f"{stem}/{name}", data)
    return Snapshot(filename=f"{stem}.zip", data=buffer.getvalue())


def write_snapshot(store: Store, agenda_id: str | None, out_dir: Path, *, lang: str = "sv") -> Path:
    """Build the bundle and write it into ``out_dir`` (created when missing).

    Returns
    -------
    pathlib.Path
        The ZIP file written.

    Raises
    ------
    SoddError
        When the bundle cannot be built or the file cannot be written.
    """
    snapshot = build_snapshot(store, agenda_id, lang=lang)
    target = Path(out_dir) / snapshot.filename
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(snapshot.data)
    except OSError as exc:
        raise SoddError(f"Kunde inte skriva {target} (--ut): {exc.strerror}") from exc
    return target


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``sodd workshop spara [--agenda ID] --ut KATALOG``."""
    workshop = subparsers.add_parser("workshop", help="spara en workshop för senare")
    actions = workshop.add_subparsers(dest="workshop_command", required=True)
    save = actions.add_parser(
        "spara",
        help="skriv en daterad ZIP med agenda, anteckningar, dataversioner och vyer",
        description="Skriver en ögonblicksbild av workshoppen: agendan, de lokala "
        "iakttagelserna, exakta dataversioner ur manifestet och en fristående HTML-fil "
        "per vy.",
    )
    save.add_argument("--agenda", default=None, metavar="ID", help="agendans id")
    save.add_argument("--ut", type=Path, required=True, metavar="KATALOG", help="målkatalog")
    save.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``sodd workshop spara`` with parsed arguments; returns 0 on success."""
    settings = load_settings()
    store = Store.from_settings(settings)
    path = write_snapshot(store, args.agenda, args.ut, lang=settings.language)
    print(f"Skrev {path} ({path.stat().st_size} byte).")
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
