"""Custom areas in the store: save, delete, load, and recompute their indicator values.

Two datasets hold them: ``custom__areas`` (kind ``regions``, level ``custom``, one row per
area with the union of its members' polygons and the extra columns ``members``,
``member_level``, ``member_vintage`` and ``created_at``) and ``custom__indicator_values``
(kind ``indicator_values``). The values are recomputed from the members' values in the
same transaction whenever an area is saved or deleted, and after every refresh
(:func:`recompute_custom_areas`, called by :func:`sodd.pipeline.recompute_indicator_values`).
Both are flagged ``demo`` when built on demo districts, so the demo banner stays and they
leave with the demo.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

import geopandas as gpd
import pandas as pd

from sodd.custom_areas import (
    MEMBER_LEVELS,
    CustomArea,
    CustomAreaError,
    custom_area_region,
    custom_areas_frame,
    custom_areas_from_frame,
    new_custom_area,
)
from sodd.custom_areas_aggregate import aggregate_custom_areas
from sodd.demo import is_demo_code
from sodd.indicators.catalog import Catalog, load_catalog
from sodd.store import Store, Transaction

__all__ = [
    "CUSTOM_AREAS_ID",
    "CUSTOM_VALUES_ID",
    "delete_custom_area",
    "drop_demo_custom_areas",
    "load_custom_areas",
    "recompute_custom_areas",
    "save_custom_area",
]

CUSTOM_AREAS_ID: Final = "custom__areas"
CUSTOM_VALUES_ID: Final = "custom__indicator_values"
_AREAS_TITLE: Final = "Egna områden (sammanslagna DeSO/RegSO)"
_VALUES_TITLE: Final = "Indikatorvärden för egna områden, beräknade ur delområdena"

Progress = Callable[[str], None]


def _quiet(message: str) -> None:
    """Progress sink that drops messages."""


def _read_rows(store: Store) -> gpd.GeoDataFrame | None:
    if CUSTOM_AREAS_ID not in store.manifest().datasets:
        return None
    return store.read_regions(dataset_ids=[CUSTOM_AREAS_ID])


def load_custom_areas(store: Store) -> list[CustomArea]:
    """Return the saved custom areas, sorted by name (none when nothing is saved).

    Raises
    ------
    CustomAreaError
        When the stored member list of an area is damaged.
    """
    rows = _read_rows(store)
    return [] if rows is None else custom_areas_from_frame(rows)


def save_custom_area(
    store: Store,
    name: str,
    members: Sequence[str],
    *,
    level: str | None = None,
    geo_vintage: str | None = None,
    catalog: Catalog | None = None,
) -> CustomArea:
    """Validate, save a new custom area and compute its indicator values, in one transaction.

    Parameters
    ----------
    store
        The store.
    name, members, level, geo_vintage
        As for :func:`sodd.custom_areas.new_custom_area`.
    catalog
        The indicator catalog; the packaged one when omitted.

    Returns
    -------
    CustomArea
        The saved area (with its generated code).

    Raises
    ------
    CustomAreaError
        When the name or the members are not acceptable (Swedish message).
    StoreError
        When the store cannot be written.
    """
    with store.transaction() as tx:
        rows = _read_rows(store)
        existing = [] if rows is None else custom_areas_from_frame(rows)
        # Only the chosen codes: a national store holds thousands of district polygons.
        wanted = sorted({str(code) for code in members}) or [""]
        districts = store.read_regions(
            filters=[("region_code", "in", wanted), ("level", "in", list(MEMBER_LEVELS))]
        )
        area = new_custom_area(
            name, members, districts, existing, level=level, geo_vintage=geo_vintage
        )
        new_row = custom_area_region(area, districts)
        kept = [] if rows is None else [rows]
        _stage(tx, store, custom_areas_frame([*kept, new_row]), catalog)
    return area


def delete_custom_area(store: Store, code: str, *, catalog: Catalog | None = None) -> None:
    """Delete a custom area and its values.

    Raises
    ------
    CustomAreaError
        When no custom area has that code.
    """
    with store.transaction() as tx:
        rows = _read_rows(store)
        if rows is None or code not in set(rows["region_code"]):
            raise CustomAreaError(f"Det finns inget eget område med koden {code!r}.")
        _stage(tx, store, rows.loc[rows["region_code"] != code], catalog)


def recompute_custom_areas(
    store: Store, *, catalog: Catalog | None = None, progress: Progress = _quiet
) -> list[CustomArea]:
    """Recompute the custom areas' indicator values from their members' current values.

    Called after a refresh. An area whose members have no values any more is kept; its
    values are then withheld (``..``) by the aggregation rules. Does nothing (no new
    snapshot) when no custom area is saved.

    Returns
    -------
    list of CustomArea
        The areas recomputed.
    """
    if CUSTOM_AREAS_ID not in store.manifest().datasets:
        return []
    with store.transaction() as tx:
        rows = _read_rows(store)
        if rows is None:  # removed between the check and the lock
            return []
        progress(f"Beräknar {len(rows)} egna områden …")
        areas = _stage(tx, store, rows, catalog)
    return areas


def drop_demo_custom_areas(tx: Transaction) -> list[str]:
    """Stage the removal of custom areas made of demo districts that are not flagged demo.

    :func:`sodd.pipeline.remove_demo_datasets` removes the demo-flagged datasets (and so
    custom areas built on the demo) itself; this catches rows of demo districts in a
    dataset not flagged as demo, so no custom area outlives its members.

    Returns
    -------
    list of str
        The dataset ids removed entirely.
    """
    entry = tx.base.datasets.get(CUSTOM_AREAS_ID)
    if entry is None or entry.demo:
        return []
    rows = tx.store.read_regions(dataset_ids=[CUSTOM_AREAS_ID])
    areas = custom_areas_from_frame(rows)
    demo_codes = {a.code for a in areas if any(is_demo_code(m) for m in a.members)}
    if not demo_codes:
        return []
    kept_rows = rows.loc[~rows["region_code"].isin(demo_codes)]
    if kept_rows.empty:
        return _remove_all(tx)
    tx.write(CUSTOM_AREAS_ID, "regions", kept_rows, provider="sodd", title=_AREAS_TITLE)
    if CUSTOM_VALUES_ID in tx.base.datasets:
        values = tx.store.read("indicator_values", dataset_ids=[CUSTOM_VALUES_ID])
        tx.write(
            CUSTOM_VALUES_ID,
            "indicator_values",
            values.loc[~values["region_code"].isin(demo_codes)].reset_index(drop=True),
            provider="sodd",
            title=_VALUES_TITLE,
        )
    return []


def _remove_all(tx: Transaction) -> list[str]:
    removed = [d for d in (CUSTOM_AREAS_ID, CUSTOM_VALUES_ID) if d in tx.base.datasets]
    for dataset_id in removed:
        tx.remove(dataset_id)
    return removed


def _stage(
    tx: Transaction, store: Store, rows: gpd.GeoDataFrame, catalog: Catalog | None
) -> list[CustomArea]:
    """Stage ``rows`` as the custom areas and their freshly computed values."""
    if rows.empty:
        _remove_all(tx)
        return []
    rows = rows.reset_index(drop=True)
    areas = custom_areas_from_frame(rows)
    members = sorted({code for area in areas for code in area.members})
    values = store.read(
        "indicator_values",
        filters=[("region_code", "in", members), ("level", "in", list(MEMBER_LEVELS))],
    )
    aggregated = aggregate_custom_areas(values, areas, catalog or load_catalog())
    demo = any(is_demo_code(code) for code in members)
    tx.write(CUSTOM_AREAS_ID, "regions", rows, provider="sodd", title=_AREAS_TITLE, demo=demo)
    tx.write(
        CUSTOM_VALUES_ID,
        "indicator_values",
        pd.DataFrame(aggregated),
        provider="sodd",
        title=_VALUES_TITLE,
        demo=demo,
    )
    return areas
