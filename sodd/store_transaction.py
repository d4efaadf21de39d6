"""Writing to the store: a :class:`Transaction` stages datasets and commits them.

Obtain one from :meth:`sodd.store.Store.transaction`, which holds the write lock.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import time
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Final

import pandas as pd
import pyarrow.parquet as pq

from sodd.errors import StoreError
from sodd.manifest import (
    SCHEMA_VERSION,
    TEMP_PREFIX,
    DatasetEntry,
    Manifest,
    fsync_dir,
    fsync_file,
    save_manifest,
    utc_now_iso,
    validate_dataset_id,
    validate_kind,
)
from sodd.store_frames import prepare_regions, prepare_table

if TYPE_CHECKING:
    from sodd.store import Store

log = logging.getLogger(__name__)

_RAW_NAME: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class Transaction:
    """Datasets staged for the next snapshot; obtained from :meth:`Store.transaction`."""

    def __init__(self, store: Store, base: Manifest) -> None:
        self.store = store
        self.base = base  # the snapshot current when the lock was taken
        self._staged: dict[str, DatasetEntry | None] = {}  # None: remove
        self._created: list[Path] = []
        self._closed = False

    def write(
        self,
        dataset_id: str,
        kind: str,
        frame: pd.DataFrame,
        *,
        provider: str,
        title: str,
        table_id: str | None = None,
        url: str | None = None,
        query: str | None = None,
        demo: bool = False,
        fetched_at: str | None = None,
        raw: Mapping[str, bytes] | None = None,
    ) -> DatasetEntry:
        """Stage ``frame`` as the new content of dataset ``dataset_id``.

        The frame is checked against the column contract of ``kind`` (see
        :mod:`sodd.schema`); its index is not stored. ``raw`` maps file names to
        the responses as received, kept beside the data for tracing.

        Returns
        -------
        DatasetEntry
            The manifest entry the dataset will have once the transaction commits.

        Raises
        ------
        StoreError
            When the id, kind, a column, the CRS or a raw file name is not acceptable.
        """
        self._check_open()
        validate_dataset_id(dataset_id)
        validate_kind(kind)
        fetched_at = _check_timestamp(fetched_at or utc_now_iso(), dataset_id)
        # Check everything before the first byte is written.
        regions = prepare_regions(frame, dataset_id) if kind == "regions" else None
        table = None if regions is not None else prepare_table(frame, kind, dataset_id)
        for name in raw or {}:
            _check_raw_name(name, dataset_id)
        data_dir = self.store.data_dir
        folder = data_dir / "files" / kind
        folder.mkdir(parents=True, exist_ok=True)
        temp = folder / f"{TEMP_PREFIX}{dataset_id}.{os.urandom(8).hex()}.parquet"
        self._created.append(temp)
        if regions is not None:
            regions.to_parquet(temp, index=False)
        else:
            pq.write_table(table, temp)
        fsync_file(temp)
        sha256 = _sha256_file(temp)
        target = folder / f"{dataset_id}.{sha256[:16]}.parquet"
        self._place(temp, target)
        raw_files = tuple(
            self._write_raw(dataset_id, name, data) for name, data in (raw or {}).items()
        )
        entry = DatasetEntry(
            dataset_id=dataset_id,
            kind=kind,
            provider=provider,
            table_id=table_id,
            title=title,
            url=url,
            query=query,
            fetched_at=fetched_at,
            rows=len(frame),
            sha256=sha256,
            schema_version=SCHEMA_VERSION,
            demo=demo,
            periods=_distinct(frame, "period"),
            levels=_distinct(frame, "level"),
            file=target.relative_to(data_dir).as_posix(),
            raw_files=raw_files,
        )
        self._staged[dataset_id] = entry
        return entry

    def remove(self, dataset_id: str) -> None:
        """Stage the removal of a dataset.

        Raises
        ------
        StoreError
            When the dataset is neither stored nor staged.
        """
        self._check_open()
        if self._staged.get(dataset_id) is None and dataset_id not in self.base.datasets:
            raise StoreError(f"Datamängden {dataset_id!r} finns inte i datalagret.")
        self._staged[dataset_id] = None

    def _place(self, source: Path, target: Path) -> None:
        """Move a finished temporary file to its content-addressed name."""
        if target.exists():
            # Same bytes already stored (maybe by the current snapshot): keep that file.
            source.unlink()
        else:
            os.replace(source, target)
            self._created.append(target)
        fsync_dir(target.parent)

    def _write_raw(self, dataset_id: str, name: str, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()[:16]
        folder = self.store.data_dir / "raw" / dataset_id / digest
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
        temp = folder / f"{TEMP_PREFIX}{name}.{os.urandom(8).hex()}"
        self._created.append(temp)
        with temp.open("xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        self._place(temp, target)
        return target.relative_to(self.store.data_dir).as_posix()

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("Transaktionen mot datalagret är redan avslutad.")

    def _rollback(self) -> None:
        self._closed = True
        keep = self.base.referenced_files()
        for path in self._created:
            if path.relative_to(self.store.data_dir).as_posix() not in keep:
                path.unlink(missing_ok=True)
        _remove_empty_dirs(self.store.data_dir / "raw")

    def _commit(self) -> None:
        self._closed = True
        data_dir = self.store.data_dir
        if self._staged:
            datasets = dict(self.base.datasets)
            for dataset_id, entry in self._staged.items():
                if entry is None:
                    datasets.pop(dataset_id, None)
                else:
                    datasets[dataset_id] = entry
            new = Manifest(SCHEMA_VERSION, self.base.generation + 1, utc_now_iso(), datasets)
            try:
                save_manifest(data_dir, new)
            except BaseException:
                self._rollback()
                raise
        else:
            new = self.base
        # The new snapshot is live; a failed clean-up must not make the commit look
        # failed, and whatever is left over goes at the next commit.
        try:
            self._clean_up(new)
        except OSError as exc:
            log.warning("Städningen av datalagret %s misslyckades: %s", data_dir, exc)

    def _clean_up(self, new: Manifest) -> None:
        data_dir = self.store.data_dir
        keep = new.referenced_files()
        # Files written and then replaced within this transaction were never visible.
        for path in self._created:
            if path.relative_to(data_dir).as_posix() not in keep:
                path.unlink(missing_ok=True)
        # The grace period of a file counts from the moment it leaves the snapshot,
        # not from when it was written (which may be long ago).
        now = time.time()
        for relative in self.base.referenced_files() - keep:
            try:
                os.utime(data_dir / relative, (now, now))
            except FileNotFoundError:
                continue
        self.store._collect_garbage(new)


def collect_garbage(data_dir: Path, manifest: Manifest, grace_seconds: float) -> list[str]:
    """Delete files under ``data_dir`` that ``manifest`` does not need.

    Unreferenced data and raw files go once they are older than ``grace_seconds``;
    temporary files go at once. The caller must hold the store's lock.

    Returns
    -------
    list of str
        The deleted paths, relative to ``data_dir``.
    """
    referenced = manifest.referenced_files()
    cutoff = time.time() - grace_seconds
    removed: list[str] = []
    candidates = list(data_dir.glob(f"{TEMP_PREFIX}*"))
    for top in ("files", "raw"):
        candidates.extend(p for p in (data_dir / top).rglob("*") if p.is_file())
    for path in sorted(candidates):
        relative = path.relative_to(data_dir).as_posix()
        if relative in referenced:
            continue
        try:
            # Temporary files can only be a dead writer's: we hold the lock.
            if path.name.startswith(TEMP_PREFIX) or path.stat().st_mtime <= cutoff:
                path.unlink()
                removed.append(relative)
        except FileNotFoundError:
            continue
        except OSError as exc:  # e.g. a file open on Windows; try again next time
            log.warning("Kunde inte ta bort %s: %s", path, exc)
    _remove_empty_dirs(data_dir / "raw")
    return removed


def _check_timestamp(value: str, dataset_id: str) -> str:
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise StoreError(
            f"Ogiltig hämtningstid {value!r} för datamängden {dataset_id!r}: ange ISO 8601 "
            "med tidszon, till exempel '2026-11-30T12:00:00Z'."
        )
    return value


def _check_raw_name(name: str, dataset_id: str) -> None:
    if not isinstance(name, str) or not _RAW_NAME.fullmatch(name):
        raise StoreError(
            f"Ogiltigt filnamn {name!r} för rådata till datamängden {dataset_id!r}: "
            "använd bokstäver a–z, siffror, '_', '.' och '-'."
        )


def _distinct(frame: pd.DataFrame, column: str) -> tuple[str, ...]:
    if column not in frame.columns:
        return ()
    return tuple(sorted({str(value) for value in frame[column].dropna().unique()}))


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _remove_empty_dirs(root: Path) -> None:
    if not root.is_dir():
        return
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        try:
            folder.rmdir()
        except OSError:  # not empty
            continue
