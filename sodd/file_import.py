"""Store observations parsed from an agency's file: one dataset, one transaction, raw kept.

Shared by the Kronofogden, Boverket and Socialstyrelsen importers. A dataset holds one
provider table; importing a file replaces the stored rows of the periods the file
covers and keeps the other periods (Boverket publishes one BME file per year), and the
raw files of every import stay beside the data. The demo is removed in the same
transaction, and indicator values are recomputed after the commit.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sodd.manifest import utc_now_iso
from sodd.pipeline import recompute_indicator_values, remove_demo_datasets
from sodd.refresh_geo_stage import stage_admin_regions
from sodd.schema import OBSERVATION_COLUMNS
from sodd.sources.tabular import fetch_file
from sodd.sources.tabular_obs import OBSERVATION_KEY as _KEY
from sodd.store import Store

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ImportResult:
    """What an import stored.

    Attributes
    ----------
    dataset_id
        Store dataset id, e.g. ``kronofogden__avhysningar``.
    rows_imported
        Observations read from the file.
    rows_total
        Observations in the dataset after the import (other periods kept).
    periods
        Periods the file covered (replaced in the store).
    """

    dataset_id: str
    rows_imported: int
    rows_total: int
    periods: tuple[str, ...]


def file_dataset_id(provider: str, table_id: str) -> str:
    """Dataset id of a provider table imported from files, e.g. ``boverket__bme``."""
    return f"{provider}__{table_id}".lower()


def safe_raw_name(filename: str) -> str:
    """A file name the store accepts for raw files (ASCII letters, digits, ``_.-``)."""
    folded = unicodedata.normalize("NFKD", Path(filename).name)
    ascii_name = folded.encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", ascii_name).strip("._-")
    return name or "fil"


def read_source(path_or_bytes: str | Path | bytes, filename: str | None) -> tuple[bytes, str]:
    """The bytes and file name of an import source: a path, a URL, or bytes plus a name.

    Raises
    ------
    ValueError
        When bytes come without a file name.
    """
    if isinstance(path_or_bytes, bytes):
        if not filename:
            raise ValueError("Ange filnamnet när filen ges som bytes.")
        return path_or_bytes, filename
    if str(path_or_bytes).startswith(("http://", "https://")):
        data, name = fetch_file(str(path_or_bytes))
        return data, filename or name
    path = Path(path_or_bytes)
    return path.read_bytes(), filename or path.name


def import_observations(
    store: Store,
    observations: pd.DataFrame,
    *,
    provider: str,
    table_id: str,
    title: str,
    raw: bytes,
    filename: str,
    progress: Progress | None = None,
) -> ImportResult:
    """Write parsed observations of one file as the new snapshot of their dataset.

    Parameters
    ----------
    store
        Target store.
    observations
        Rows in the observations contract, all of ``provider``/``table_id``.
    provider, table_id, title
        Identity and title of the dataset.
    raw, filename
        The file as received and its name (kept as raw file).
    progress
        Receives one Swedish line per step.

    Returns
    -------
    ImportResult
        What was stored.
    """
    say = progress or (lambda _line: None)
    periods = tuple(sorted(observations["period"].unique()))
    sha = hashlib.sha256(raw).hexdigest()
    dataset_id, total, removed = write_merged(
        store,
        observations,
        provider=provider,
        table_id=table_id,
        title=title,
        keep_old=lambda old: ~old["period"].isin(periods),
        raw={safe_raw_name(filename): raw},
        query_item={"name": filename, "sha256": sha, "periods": list(periods)},
    )
    if removed:
        say(f"Exempeldata borttagen ({len(removed)} datamängder).")
    say(f"{title}: {len(observations)} observationer sparade ({', '.join(periods)}).")
    recompute_indicator_values(store, progress=say)
    return ImportResult(dataset_id, len(observations), total, periods)


def write_merged(
    store: Store,
    observations: pd.DataFrame,
    *,
    provider: str,
    table_id: str,
    title: str,
    keep_old: Callable[[pd.DataFrame], pd.Series],
    raw: Mapping[str, bytes],
    query_item: dict[str, Any],
    url: str | None = None,
) -> tuple[str, int, list[str]]:
    """Merge new observations into their dataset in one transaction, raw files kept.

    Parameters
    ----------
    store
        Target store.
    observations
        New rows in the observations contract.
    provider, table_id, title
        Identity and title of the dataset (id: :func:`file_dataset_id`).
    keep_old
        Stored rows → mask of rows to keep (the others are replaced by the new rows).
    raw
        Raw files of this import; the raw files of earlier imports stay while any of
        their rows is kept.
    query_item
        Description of this import, appended to the dataset's ``query`` list.
    url
        Source URL, when there is one.

    Returns
    -------
    tuple
        Dataset id, rows in the dataset after the write, and the demo datasets removed.
    """
    dataset_id = file_dataset_id(provider, table_id)
    with store.transaction() as tx:
        previous = tx.base.datasets.get(dataset_id)
        kept = observations.iloc[0:0]
        raw_files: dict[str, bytes] = {}
        items: list[dict[str, Any]] = []
        if previous is not None and not previous.demo:
            old = store.read("observations", dataset_ids=[dataset_id])
            kept = old.loc[keep_old(old).to_numpy(dtype=bool)]
            if not kept.empty:
                raw_files = _previous_raw(store, previous.raw_files)
                items = _previous_items(previous.query)
        for name, data in raw.items():
            if name in raw_files and raw_files[name] != data:
                name = f"{hashlib.sha256(data).hexdigest()[:8]}_{name}"
            raw_files[name] = data
        items = [*[item for item in items if item != query_item][-49:], query_item]
        frames = [frame for frame in (kept, observations) if not frame.empty]
        merged = pd.concat(frames, ignore_index=True) if frames else observations
        merged = merged[list(OBSERVATION_COLUMNS)].sort_values(_KEY, ignore_index=True)
        removed = remove_demo_datasets(tx)
        stage_admin_regions(tx)
        tx.write(
            dataset_id,
            "observations",
            merged,
            provider=provider,
            title=title,
            table_id=table_id,
            url=url,
            query=json.dumps({"imports": items}, ensure_ascii=False, sort_keys=True),
            fetched_at=utc_now_iso(),
            raw=raw_files,
        )
    return dataset_id, len(merged), removed


def _previous_raw(store: Store, relatives: Sequence[str]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for relative in relatives:
        path = store.data_dir / relative
        if path.is_file():
            files[path.name] = path.read_bytes()
    return files


def _previous_items(query: str | None) -> list[dict[str, Any]]:
    try:
        items = json.loads(query or "{}").get("imports", [])
    except (json.JSONDecodeError, AttributeError):
        return []
    return [item for item in items if isinstance(item, dict)]
