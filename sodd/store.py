"""The embedded store: Parquet/GeoParquet files under a data folder, plus a manifest.

Layout under the data folder::

    manifest.json                              the current snapshot (see sodd.manifest)
    .lock                                      held by the one writer at a time
    files/<kind>/<dataset_id>.<sha16>.parquet  content-addressed, never changed once written
    raw/<dataset_id>/<sha16>/<name>            responses as received, content-addressed

A writer stages new files, then switches the manifest in one atomic rename, so a
reader sees either the old snapshot or the new one. Files that no snapshot needs
any more are deleted after a grace period, which lets readers holding the old
manifest finish; a reader that still misses a file re-reads the manifest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Final, TypeVar

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from filelock import FileLock, Timeout

from sodd.errors import StoreError, StoreLockedError
from sodd.manifest import (
    KINDS,
    SCHEMA_VERSION,
    DatasetEntry,
    Manifest,
    load_manifest,
    utc_now_iso,
    validate_kind,
)
from sodd.store_frames import empty_frame, empty_regions
from sodd.store_transaction import Transaction, collect_garbage

if TYPE_CHECKING:
    from sodd.config import Settings

__all__ = [
    "KINDS",
    "SCHEMA_VERSION",
    "DatasetEntry",
    "Manifest",
    "Store",
    "Transaction",
    "utc_now_iso",
]

Filters = list[tuple[str, str, object]]
_T = TypeVar("_T")

LOCK_NAME: Final = ".lock"
# A reader that loses a file to a concurrent writer's clean-up tries a fresh manifest;
# losing five times in a row means something else is wrong.
_READ_ATTEMPTS: Final = 5


class Store:
    """Read and write the embedded store in ``data_dir``.

    Parameters
    ----------
    data_dir
        The data folder; created on the first write.
    lock_timeout
        Seconds a writer waits for another writer before giving up.
    gc_grace_seconds
        How long a file no snapshot needs is kept, so readers still holding the
        previous manifest can finish.
    """

    def __init__(
        self, data_dir: Path, *, lock_timeout: float = 60.0, gc_grace_seconds: float = 600.0
    ) -> None:
        self.data_dir = Path(data_dir)
        self.lock_timeout = lock_timeout
        self.gc_grace_seconds = gc_grace_seconds

    @classmethod
    def from_settings(cls, settings: Settings) -> Store:
        """Open the store the settings point at."""
        return cls(settings.data_dir, lock_timeout=settings.lock_timeout_seconds)

    def manifest(self) -> Manifest:
        """Return the current snapshot; an empty one (generation 0) when nothing is stored.

        Raises
        ------
        StoreError
            When ``manifest.json`` is unreadable or corrupt; the message names the file.
        """
        return load_manifest(self.data_dir)

    def is_empty(self) -> bool:
        """Whether the store holds no dataset at all."""
        return not self.manifest().datasets

    def read(
        self,
        kind: str,
        *,
        columns: Sequence[str] | None = None,
        filters: Filters | None = None,
        dataset_ids: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Return all datasets of one kind in the current snapshot, stacked.

        Parameters
        ----------
        kind
            ``observations``, ``indicator_values`` or ``regions`` (the latter as
            :meth:`read_regions` does).
        columns
            Columns to read; all when omitted.
        filters
            pyarrow filters pushed down to the files, e.g.
            ``[("indicator_id", "==", "x"), ("period", "==", "2024")]``.
        dataset_ids
            Only these datasets; all of ``kind`` when omitted.

        Returns
        -------
        pandas.DataFrame
            The rows, with a fresh index; empty with the contract's columns when
            the store holds none.

        Raises
        ------
        StoreError
            When a named dataset is missing or a file cannot be read.
        """
        validate_kind(kind)
        if kind == "regions":
            regions: pd.DataFrame = self.read_regions(
                filters=filters, columns=columns, dataset_ids=dataset_ids
            )
            return regions
        cols = list(columns) if columns is not None else None

        def load(source: pa.NativeFile) -> pa.Table:
            return pq.read_table(source, columns=cols, filters=filters)

        tables = self._read_files(kind, dataset_ids, load)
        if not tables:
            return empty_frame(kind, cols)
        table = (
            tables[0]
            if len(tables) == 1
            else pa.concat_tables(tables, promote_options="permissive")
        )
        return _to_pandas(table)

    def read_regions(
        self,
        *,
        filters: Filters | None = None,
        columns: Sequence[str] | None = None,
        dataset_ids: Sequence[str] | None = None,
    ) -> gpd.GeoDataFrame:
        """Return the region polygons (kind ``regions``), in EPSG:4326.

        The ``geometry`` column is always read, whether or not ``columns`` names it.
        See :meth:`read` for the parameters.
        """
        cols = list(columns) if columns is not None else None
        if cols is not None and "geometry" not in cols:
            cols.append("geometry")

        def load(source: pa.NativeFile) -> gpd.GeoDataFrame:
            return gpd.read_parquet(source, columns=cols, filters=filters)

        frames = self._read_files("regions", dataset_ids, load)
        if not frames:
            return empty_regions(cols)
        if len(frames) == 1:
            return frames[0]
        return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)

    def _read_files(
        self,
        kind: str,
        dataset_ids: Sequence[str] | None,
        load: Callable[[pa.NativeFile], _T],
    ) -> list[_T]:
        for _ in range(_READ_ATTEMPTS):
            entries = _select(self.manifest(), kind, dataset_ids)
            try:
                return [self._load_entry(entry, load) for entry in entries]
            except FileNotFoundError:
                # A writer committed and cleaned up after we read the manifest.
                continue
        raise StoreError(
            f"Filerna i datalagret {self.data_dir} byttes ut medan de lästes "
            f"({_READ_ATTEMPTS} försök). Försök igen."
        )

    def _load_entry(self, entry: DatasetEntry, load: Callable[[pa.NativeFile], _T]) -> _T:
        path = self.data_dir / entry.file
        # Opening the file first pins it: a clean-up that unlinks it now cannot hurt us.
        with pa.OSFile(str(path)) as source:
            try:
                return load(source)
            except (pa.ArrowException, OSError, ValueError) as exc:
                raise StoreError(
                    f"Kunde inte läsa filen {entry.file} (datamängd {entry.dataset_id!r}) "
                    f"i datalagret: {exc}"
                ) from exc

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Take the write lock and yield a :class:`Transaction`.

        On normal exit the staged datasets become the new snapshot in one atomic
        step (the generation goes up by one; a transaction that staged nothing
        leaves the manifest alone). On an exception the staged files are deleted
        and the previous snapshot stays exactly as it was. Either way, files no
        snapshot needs are then cleaned up (see ``gc_grace_seconds``).

        Raises
        ------
        StoreLockedError
            When another writer holds the lock for longer than ``lock_timeout``.
        """
        with self._locked():
            txn = Transaction(self, self.manifest())
            try:
                yield txn
            except BaseException:
                txn._rollback()
                raise
            txn._commit()

    def collect_garbage(self) -> list[str]:
        """Take the lock and delete files no snapshot needs; return their relative paths."""
        with self._locked():
            return self._collect_garbage(self.manifest())

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        lock_path = self.data_dir / LOCK_NAME
        # preserve_lock_file keeps a pure flock lock (no "soft" marker-file fallback),
        # which the OS releases when a writer dies, so a crash never leaves it locked.
        lock = FileLock(lock_path, timeout=self.lock_timeout, preserve_lock_file=True)
        try:
            lock.acquire()
        except Timeout:
            raise StoreLockedError(
                f"Datalagret är låst av en annan uppdatering (låsfilen {lock_path}). "
                f"Väntade {self.lock_timeout:g} s. Försök igen när den är klar, "
                "eller höj SODD_LOCK_TIMEOUT."
            ) from None
        except OSError as exc:
            raise StoreError(f"Kunde inte låsa datalagret med {lock_path}: {exc}") from exc
        try:
            yield
        finally:
            lock.release()

    def _collect_garbage(self, manifest: Manifest) -> list[str]:
        """Delete files ``manifest`` does not need; the caller holds the lock."""
        return collect_garbage(self.data_dir, manifest, self.gc_grace_seconds)


def _select(manifest: Manifest, kind: str, dataset_ids: Sequence[str] | None) -> list[DatasetEntry]:
    if dataset_ids is None:
        return manifest.of_kind(kind)
    entries = []
    for dataset_id in dataset_ids:
        entry = manifest.datasets.get(dataset_id)
        if entry is None:
            raise StoreError(f"Datamängden {dataset_id!r} finns inte i datalagret.")
        if entry.kind != kind:
            raise StoreError(
                f"Datamängden {dataset_id!r} är av typen {entry.kind!r}, inte {kind!r}."
            )
        entries.append(entry)
    return entries


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    frame: pd.DataFrame = table.to_pandas()
    return frame
