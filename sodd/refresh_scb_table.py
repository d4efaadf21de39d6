"""Refresh of one SCB table: skip check, metadata, fetch, parse, one store transaction.

Used by :func:`sodd.refresh_scb.refresh_scb`, which runs it for every table and reports.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any, Final

import pandas as pd

from sodd.errors import SoddError, SourceError
from sodd.pipeline import remove_demo_datasets
from sodd.refresh_geo_stage import ADMIN_REGIONS_ID, stage_admin_regions
from sodd.refresh_scb_report import STATUS_FAILED, STATUS_UNCHANGED, STATUS_UPDATED, TableResult
from sodd.sources.jsonstat import parse_jsonstat
from sodd.sources.pxweb import PxWebClient
from sodd.sources.scb import (
    PROVIDER,
    Scope,
    TableSpec,
    build_selection,
    contents_variable,
    drop_structurally_empty,
    region_variable,
    summarize_selection,
    time_variable,
    validate_spec,
)
from sodd.store import Store

# Keys of the stored query that must all match for a table to be skipped.
__all__ = ["ADMIN_REGIONS_ID", "TableRefresher", "dataset_id"]

_SKIP_KEYS: Final = ("updated", "scope", "levels", "first_year", "spec", "source")
_KEY_COLUMNS: Final = ["variable", "region_code", "geo_vintage", "level", "period", "dims"]

Progress = Callable[[str], None]
TableProgress = Callable[[str, int, int], None]


def dataset_id(table_id: str) -> str:
    """Store dataset id of an SCB table, e.g. ``scb__tab6574``."""
    return f"{PROVIDER}__{table_id.lower()}"


class TableRefresher:
    """The settings of one refresh, applied table by table with :meth:`run_table`."""

    def __init__(
        self,
        store: Store,
        client: PxWebClient,
        scope: Scope,
        levels: tuple[str, ...],
        first_year: int,
        progress: Progress | None,
        table_progress: TableProgress | None,
        force: bool,
    ) -> None:
        self.store = store
        self.client = client
        self.scope = scope
        self.levels = levels
        self.first_year = first_year
        self.progress = progress
        self.table_progress = table_progress
        self.force = force

    def say(self, message: str) -> None:
        """Pass one Swedish progress line on, if anyone listens."""
        if self.progress is not None:
            self.progress(message)

    def run_table(self, spec: TableSpec) -> TableResult:
        """Refresh one table; a SoddError becomes a failed result, the store untouched."""
        start_requests = self.client.request_count
        start = time.monotonic()

        def result(status: str, rows: int, message: str = "") -> TableResult:
            return TableResult(
                spec.table_id,
                status,
                rows,
                self.client.request_count - start_requests,
                message,
                time.monotonic() - start,
            )

        try:
            return self._refresh(spec, result)
        except SoddError as error:
            message = str(error)
            if spec.table_id not in message:
                message = f"{spec.table_id}: {message}"
            self.say(f"{spec.table_id}: misslyckades – {message}")
            return result(STATUS_FAILED, 0, message)

    def _refresh(self, spec: TableSpec, result: Callable[..., TableResult]) -> TableResult:
        table_id = spec.table_id
        self.say(f"{table_id}: kontrollerar när tabellen uppdaterades …")
        updated = self.client.table_updated(table_id)
        fingerprint = {
            "updated": updated,
            "scope": self.scope.as_json(),
            "levels": list(self.levels),
            "first_year": self.first_year,
            "spec": spec.as_json(),
            # Another server (a stand-in, SCB's beta) can report the same `updated`.
            "source": self.client.base_url,
        }
        stored = self.store.manifest().datasets.get(dataset_id(table_id))
        if not self.force and updated is not None and stored is not None:
            if _same_query(stored.query, fingerprint):
                self.say(f"{table_id}: oförändrad sedan {updated}.")
                return result(STATUS_UNCHANGED, stored.rows)
        self.say(f"{table_id}: läser metadata …")
        metadata = self.client.metadata(table_id)
        validate_spec(spec, metadata)
        selection = build_selection(spec, metadata, self.scope, self.levels, self.first_year)
        empty = [name for name, codes in selection.items() if not codes]
        if empty:
            message = (
                f"tabellen har inget att hämta för {self.scope.label_sv()}, nivåerna "
                f"{' och '.join(self.levels)} och åren från {self.first_year} "
                f"(tomt urval i {', '.join(empty)}); tidigare data behålls"
            )
            self.say(f"{table_id}: {message}.")
            return result(STATUS_UNCHANGED, stored.rows if stored else 0, message)
        cells = _cell_count(selection)
        self.say(f"{table_id}: hämtar {cells} celler …")

        def on_progress(done: int, total: int) -> None:
            if self.table_progress is not None:
                self.table_progress(table_id, done, total)

        responses = self.client.fetch(table_id, selection, progress=on_progress)
        frames = [
            parse_jsonstat(
                response.body,
                table_id=table_id,
                fetched_at=response.fetched_at,
                provider=PROVIDER,
                region_dimension=region_variable(metadata).code,
                time_dimension=time_variable(metadata).code,
                contents_dimension=contents_variable(metadata).code,
            )
            for response in responses
        ]
        observations = pd.concat(frames, ignore_index=True) if frames else None
        _check_complete(table_id, observations, cells)
        assert observations is not None  # _check_complete refuses None
        observations = drop_structurally_empty(observations)
        query = {**fingerprint, "selection": summarize_selection(selection)}
        raw = {f"response_{i:03d}.json": response.body for i, response in enumerate(responses)}
        raw["metadata.json"] = metadata.raw
        with self.store.transaction() as tx:
            removed = remove_demo_datasets(tx)
            # Real data gets real kommun/län/riket shapes in the same snapshot.
            if stage_admin_regions(tx):
                self.say("Kommun- och länsgränser sparade.")
            tx.write(
                dataset_id(table_id),
                "observations",
                observations,
                provider=PROVIDER,
                title=metadata.label,
                table_id=table_id,
                url=responses[0].url if responses else None,
                query=json.dumps(query, ensure_ascii=False, sort_keys=True),
                fetched_at=max(response.fetched_at for response in responses),
                raw=raw,
            )
        if removed:
            self.say(f"Exempeldata borttagen ({len(removed)} datamängder).")
        self.say(f"{table_id}: {len(observations)} observationer sparade.")
        return result(STATUS_UPDATED, len(observations))


def _same_query(stored: str | None, fingerprint: dict[str, Any]) -> bool:
    try:
        previous = json.loads(stored or "")
    except json.JSONDecodeError:
        return False
    return isinstance(previous, dict) and all(
        previous.get(key) == fingerprint[key] for key in _SKIP_KEYS
    )


def _cell_count(selection: dict[str, tuple[str, ...]]) -> int:
    count = 1
    for codes in selection.values():
        count *= len(codes)
    return count


def _check_complete(table_id: str, observations: pd.DataFrame | None, cells: int) -> None:
    """Refuse a fetch whose responses do not add up to exactly the selected cells.

    The parser checks each response on its own; this catches a batch that went
    missing or overlapped, so a torn table is never stored.
    """
    rows = 0 if observations is None else len(observations)
    if rows != cells:
        raise SourceError(
            f"Tabellen {table_id}: svaren innehöll {rows} celler men urvalet har {cells}; "
            "tabellen sparas inte."
        )
    assert observations is not None
    if observations.duplicated(_KEY_COLUMNS).any():
        raise SourceError(
            f"Tabellen {table_id}: samma cell kom flera gånger i svaren; tabellen sparas inte."
        )
