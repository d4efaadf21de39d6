"""The store's manifest: which file holds each dataset, and where its data came from.

``manifest.json`` is the single source of truth of the store. Writers replace it
atomically (temporary file in the same folder, fsync, rename), so a reader always
sees one complete snapshot, never a half-written one.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from sodd.errors import StoreError

SCHEMA_VERSION: Final = 1
KINDS: Final = (
    "observations",
    "indicator_values",
    "regions",
    "crosswalk",
    "goals",
    "notes",
    "agendas",
)
MANIFEST_NAME: Final = "manifest.json"
# Files being written start with this prefix; a crashed writer leaves them behind.
TEMP_PREFIX: Final = ".tmp-"

_DATASET_ID: Final = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


def utc_now_iso() -> str:
    """Return the current time in UTC as ISO 8601 text, e.g. ``2026-11-30T12:00:00Z``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def validate_dataset_id(dataset_id: str) -> str:
    """Return ``dataset_id`` unchanged, or raise if it cannot name a dataset.

    Raises
    ------
    StoreError
        When the id is not lower-case letters, digits, ``_``, ``.`` and ``-``.
    """
    if not isinstance(dataset_id, str) or not _DATASET_ID.fullmatch(dataset_id):
        raise StoreError(
            f"Ogiltigt dataset-id {dataset_id!r}: det får bara innehålla små bokstäver a–z, "
            "siffror, '_', '.' och '-', och måste börja med en bokstav eller siffra "
            "(till exempel 'scb__tab6574')."
        )
    return dataset_id


def validate_kind(kind: str) -> str:
    """Return ``kind`` unchanged, or raise naming the kinds the store knows.

    Raises
    ------
    StoreError
        When ``kind`` is not one of :data:`KINDS`.
    """
    if kind not in KINDS:
        raise StoreError(f"Okänd datatyp {kind!r}; datalagret känner till {', '.join(KINDS)}.")
    return kind


@dataclass(frozen=True)
class DatasetEntry:
    """One dataset in the manifest: its current file and its provenance."""

    dataset_id: str
    kind: str
    provider: str
    table_id: str | None
    title: str
    url: str | None
    query: str | None  # the query as JSON text
    fetched_at: str  # ISO 8601 UTC
    rows: int
    sha256: str  # of the Parquet file's bytes
    schema_version: int
    demo: bool
    periods: tuple[str, ...]
    levels: tuple[str, ...]
    file: str  # relative to the data folder
    raw_files: tuple[str, ...]  # relative to the data folder


# Field name -> accepted JSON types, used to check a manifest read from disk.
_ENTRY_FIELDS: Final[dict[str, tuple[type, ...]]] = {
    "dataset_id": (str,),
    "kind": (str,),
    "provider": (str,),
    "table_id": (str, type(None)),
    "title": (str,),
    "url": (str, type(None)),
    "query": (str, type(None)),
    "fetched_at": (str,),
    "rows": (int,),
    "sha256": (str,),
    "schema_version": (int,),
    "demo": (bool,),
    "periods": (list,),
    "levels": (list,),
    "file": (str,),
    "raw_files": (list,),
}


@dataclass(frozen=True)
class Manifest:
    """A snapshot of the store: every dataset and the generation that wrote it."""

    schema_version: int = SCHEMA_VERSION
    generation: int = 0
    updated_at: str | None = None
    datasets: Mapping[str, DatasetEntry] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Read-only view, so a snapshot handed to a reader cannot be changed under it.
        object.__setattr__(self, "datasets", MappingProxyType(dict(self.datasets)))

    @property
    def is_demo(self) -> bool:
        """Whether any dataset is flagged as synthetic demo data."""
        return any(entry.demo for entry in self.datasets.values())

    def of_kind(self, kind: str) -> list[DatasetEntry]:
        """Return the datasets of one kind, ordered by dataset id."""
        return sorted(
            (entry for entry in self.datasets.values() if entry.kind == kind),
            key=lambda entry: entry.dataset_id,
        )

    def referenced_files(self) -> set[str]:
        """Return every path (relative to the data folder) this snapshot needs."""
        paths: set[str] = set()
        for entry in self.datasets.values():
            paths.add(entry.file)
            paths.update(entry.raw_files)
        return paths


def render_manifest(manifest: Manifest) -> str:
    """Return the manifest as JSON text (keys sorted, so unchanged data diffs cleanly)."""
    payload = {
        "schema_version": manifest.schema_version,
        "generation": manifest.generation,
        "updated_at": manifest.updated_at,
        "datasets": {key: asdict(entry) for key, entry in sorted(manifest.datasets.items())},
    }
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def parse_manifest(text: str, source: str = MANIFEST_NAME) -> Manifest:
    """Parse manifest JSON text.

    Parameters
    ----------
    text
        The JSON text.
    source
        Name of the file, used in error messages.

    Raises
    ------
    StoreError
        When the text is not a manifest this version of sodd can read.
    """

    def broken(detail: str) -> StoreError:
        return StoreError(
            f"Manifestet {source} i datalagret är skadat: {detail}. "
            "Hämta data på nytt (sodd refresh) eller återställ filen från en säkerhetskopia."
        )

    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        raise broken(f"ogiltig JSON ({exc})") from None
    if not isinstance(payload, dict):
        raise broken("innehållet är inte ett JSON-objekt")
    version = payload.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise broken("fältet 'schema_version' saknas eller är inte ett heltal")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"Manifestet {source} har schemaversion {version}, men den här versionen av sodd "
            f"kan bara läsa version {SCHEMA_VERSION}. Uppdatera sodd."
        )
    generation = payload.get("generation")
    if not isinstance(generation, int) or isinstance(generation, bool) or generation < 0:
        raise broken("fältet 'generation' saknas eller är inte ett heltal ≥ 0")
    updated_at = payload.get("updated_at")
    if updated_at is not None and not isinstance(updated_at, str):
        raise broken("fältet 'updated_at' är inte text")
    raw_datasets = payload.get("datasets")
    if not isinstance(raw_datasets, dict):
        raise broken("fältet 'datasets' saknas eller är inte ett JSON-objekt")
    datasets = {key: _parse_entry(key, value, broken) for key, value in raw_datasets.items()}
    return Manifest(version, generation, updated_at, datasets)


def _parse_entry(key: str, value: Any, broken: Callable[[str], StoreError]) -> DatasetEntry:
    if not isinstance(value, dict):
        raise broken(f"datamängden {key!r} är inte ett JSON-objekt")
    fields: dict[str, Any] = {}
    for name, types in _ENTRY_FIELDS.items():
        if name not in value:
            raise broken(f"datamängden {key!r} saknar fältet {name!r}")
        item = value[name]
        # bool is an int in Python; only 'demo' may be one.
        if not isinstance(item, types) or (isinstance(item, bool) and bool not in types):
            raise broken(f"fältet {name!r} i datamängden {key!r} har fel typ")
        if isinstance(item, list):
            if not all(isinstance(part, str) for part in item):
                raise broken(f"fältet {name!r} i datamängden {key!r} får bara innehålla text")
            item = tuple(item)
        fields[name] = item
    if fields["dataset_id"] != key:
        raise broken(f"datamängden {key!r} har dataset_id {fields['dataset_id']!r}")
    if fields["kind"] not in KINDS:
        raise broken(f"datamängden {key!r} har okänd typ {fields['kind']!r}")
    return DatasetEntry(**fields)


def load_manifest(data_dir: Path) -> Manifest:
    """Read the manifest of a data folder; a missing file means an empty store.

    Raises
    ------
    StoreError
        When ``manifest.json`` exists but cannot be read or parsed.
    """
    path = data_dir / MANIFEST_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Manifest()
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(f"Kunde inte läsa manifestet {path}: {exc}") from exc
    return parse_manifest(text, str(path))


def save_manifest(data_dir: Path, manifest: Manifest) -> None:
    """Replace ``manifest.json`` atomically with ``manifest``."""
    write_bytes_atomic(data_dir / MANIFEST_NAME, render_manifest(manifest).encode("utf-8"))


def temp_path_for(target: Path) -> Path:
    """Return a fresh temporary path beside ``target`` (same folder, so rename is atomic)."""
    return target.parent / f"{TEMP_PREFIX}{target.name}.{uuid.uuid4().hex}"


def write_bytes_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` so that readers see the old file or the new, never half."""
    temp = temp_path_for(target)
    try:
        with temp.open("xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)


def fsync_file(path: Path) -> None:
    """Flush a written file's bytes to disk."""
    with path.open("r+b") as handle:
        os.fsync(handle.fileno())


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries (a rename) to disk, where the platform allows it."""
    if os.name == "nt":  # Windows cannot open a folder for fsync; NTFS journals renames.
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
