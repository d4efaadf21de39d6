"""Store the kommun's own data: observations per kind plus derived indicator values.

Three observation datasets (provider ``kommun``): ``kommun__kartlaggning``,
``kommun__insatser`` and ``kommun__indikator``, with the extra columns ``kommun_code``,
``source``, ``description``, ``uploaded_at`` (and ``name`` for own indicators). A save
replaces the kommun's rows for the periods it covers (for an own indicator: that
indicator's periods) and keeps the rest; ``kommun__indikatorvarden`` (kind
``indicator_values``) is rebuilt from all of them in the same transaction, and saved
custom areas are recomputed afterwards. Deletions (:mod:`sodd.local.delete`) take the
same path, :func:`rewrite_local`. A dataset is flagged ``demo`` when every row is on a
demo district (see :mod:`sodd.local.demo`). The uploaded file itself is never kept: only
the validated aggregate rows are written.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

import pandas as pd

from sodd.demo import is_demo_code
from sodd.local.consistency import DIMS
from sodd.local.templates import KIND_NAMES_SV
from sodd.local.validate import LocalTable
from sodd.local.values import build_local_values
from sodd.manifest import utc_now_iso
from sodd.schema import OBSERVATION_COLUMNS
from sodd.store import Store

PROVIDER: Final = "kommun"
DATASETS: Final = {kind: f"kommun__{kind}" for kind in DIMS}
VALUES_ID: Final = "kommun__indikatorvarden"
EXTRA_COLUMNS: Final = ("kommun_code", "source", "description", "uploaded_at", "name")
DEFAULT_SOURCE: Final = "Kommunens egna uppgifter"
VALUES_TITLE: Final = "Indikatorvärden ur kommunens egna uppgifter"
_DESCRIPTIONS: Final = {
    "kartlaggning": "Kommunens egen kartläggning av hemlöshet (Socialstyrelsens fyra "
    "situationer) per kön, åldersgrupp och barn.",
    "insatser": "Kommunens inventering av socialtjänstens boendeinsatser.",
}


@dataclass(frozen=True)
class SaveResult:
    """What a save stored.

    Attributes
    ----------
    dataset_id
        The observations dataset written.
    rows_saved, rows_total
        Rows of this save and rows in the dataset afterwards.
    periods
        Periods replaced.
    """

    dataset_id: str
    rows_saved: int
    rows_total: int
    periods: tuple[str, ...]


def to_observations(table: LocalTable, *, source: str, uploaded_at: str) -> pd.DataFrame:
    """The validated rows in the observations contract, with the extra columns."""
    rows = table.rows
    kind = table.kind
    if kind == "kartlaggning":
        variable = pd.Series("personer", index=rows.index)
        unit = variable
        dims = rows[list(DIMS[kind])].apply(_dims_json, axis=1)
    elif kind == "insatser":
        variable, unit = rows["insats"], rows["enhet"]
        dims = rows[["enhet"]].apply(_dims_json, axis=1)
    else:
        variable, unit = rows["indicator_id"], rows["unit"]
        dims = pd.Series("{}", index=rows.index)
    frame = pd.DataFrame(
        {
            "provider": PROVIDER,
            "table_id": kind,
            "variable": variable.astype(str),
            "region_code": rows["region_code"].astype(str),
            "geo_vintage": rows["geo_vintage"].astype(str),
            "level": rows["level"].astype(str),
            "period": rows["period"].astype(str),
            "dims": dims.astype(str),
            "value": rows["value"].astype("float64"),
            "status": pd.Series([None] * len(rows), index=rows.index, dtype="str"),
            "unit": unit.astype(str),
            "fetched_at": uploaded_at,
            "kommun_code": rows["kommun_code"].astype(str),
            "source": rows["source"].astype(str) if kind == "indikator" else source,
            "description": rows["description"].astype(str)
            if kind == "indikator"
            else _DESCRIPTIONS[kind],
            "uploaded_at": uploaded_at,
            "name": rows["name"].astype(str) if kind == "indikator" else KIND_NAMES_SV[kind],
        }
    )
    return frame.reset_index(drop=True)


def _dims_json(row: pd.Series) -> str:
    return json.dumps({k: str(v) for k, v in row.items()}, sort_keys=True, ensure_ascii=False)


def save_local(
    store: Store,
    table: LocalTable,
    *,
    disclosure_min: int,
    source: str | None = None,
    uploaded_at: str | None = None,
) -> SaveResult:
    """Store a validated table in one transaction (its periods replaced, others kept).

    Parameters
    ----------
    store
        The store.
    table
        From :func:`sodd.local.validate.check_upload` or ``check_frame``.
    disclosure_min
        ``Settings.disclosure_min``: district counts below it are withheld in the
        derived indicator values (with secondary suppression).
    source
        Where mapping and intervention rows come from; by default "Kommunens egna
        uppgifter" and the file name. Own indicators carry their own source column.
    uploaded_at
        ISO 8601 time of the upload; now when omitted.

    Returns
    -------
    SaveResult
        What was stored.

    Raises
    ------
    StoreError
        When the store cannot be written (nothing changes then).
    """
    when = uploaded_at or utc_now_iso()
    origin = source or (
        f"{DEFAULT_SOURCE} (fil {table.filename})" if table.filename else DEFAULT_SOURCE
    )
    new = to_observations(table, source=origin, uploaded_at=when)
    replace_key = _replace_key(table.kind)

    def merge(old: pd.DataFrame | None) -> pd.DataFrame:
        if old is not None:
            covered = set(new[replace_key].itertuples(index=False, name=None))
            keep = [
                key not in covered for key in old[replace_key].itertuples(index=False, name=None)
            ]
            old = old.loc[keep]
        return pd.concat([f for f in (old, new) if f is not None and not f.empty] or [new],
                         ignore_index=True)  # fmt: skip

    merged = rewrite_local(store, table.kind, merge, disclosure_min=disclosure_min, when=when)
    periods = tuple(sorted(set(new["period"])))
    return SaveResult(DATASETS[table.kind], len(new), len(merged), periods)


def _replace_key(kind: str) -> list[str]:
    """The columns one upload is identified by: kommun and period (and own indicator)."""
    return ["kommun_code", "period"] + (["variable"] if kind == "indikator" else [])


def rewrite_local(
    store: Store,
    kind: str,
    change: Callable[[pd.DataFrame | None], pd.DataFrame],
    *,
    disclosure_min: int,
    when: str,
) -> pd.DataFrame:
    """Replace one kind's observations by ``change(stored)`` and rebuild what follows.

    The one write path of saves and deletions: in one transaction the kind's dataset
    (removed when ``change`` leaves no rows) and the derived indicator values; then
    the saved custom areas are recomputed. Each dataset is flagged ``demo`` when every
    row is on a demo district, so it leaves with the demo.

    Returns
    -------
    pandas.DataFrame
        The kind's observations as stored now.
    """
    with store.transaction() as tx:
        frames = {k: _read_stored(store, dataset) for k, dataset in DATASETS.items()}
        changed = change(frames[kind])
        changed = changed.sort_values(["kommun_code", "period", "variable", "region_code", "dims"])
        changed = changed.reset_index(drop=True)
        frames[kind] = changed if not changed.empty else None
        if changed.empty:
            tx.remove(DATASETS[kind])
        else:
            tx.write(
                DATASETS[kind],
                "observations",
                changed,
                provider=PROVIDER,
                table_id=kind,
                title=f"{KIND_NAMES_SV[kind]} (kommunens egna uppgifter)",
                demo=demo_only(changed),
                fetched_at=when,
            )
        values = build_local_values(
            frames["kartlaggning"], frames["indikator"], disclosure_min=disclosure_min
        )
        if not values.empty:
            tx.write(
                VALUES_ID,
                "indicator_values",
                values,
                provider=PROVIDER,
                title=VALUES_TITLE,
                demo=demo_only(values),
                fetched_at=when,
            )
        elif VALUES_ID in tx.base.datasets:
            tx.remove(VALUES_ID)
    _recompute_custom_areas(store)
    return changed


def demo_only(frame: pd.DataFrame) -> bool:
    """Whether there are rows and every one is on a demo district (a kommun never is)."""
    return not frame.empty and bool(frame["region_code"].astype(str).map(is_demo_code).all())


def _recompute_custom_areas(store: Store) -> None:
    """Give saved custom areas the new local values (summed counts, see custom_areas_aggregate)."""
    # Imported here: sodd.local.indicators reads the datasets this module writes.
    from sodd.custom_areas_store import recompute_custom_areas
    from sodd.indicators.catalog import load_catalog
    from sodd.local.indicators import with_local_indicators

    recompute_custom_areas(store, catalog=with_local_indicators(load_catalog(), store))


def _read_stored(store: Store, dataset_id: str) -> pd.DataFrame | None:
    if dataset_id not in store.manifest().datasets:
        return None
    return store.read("observations", dataset_ids=[dataset_id])


def load_local(store: Store, kind: str) -> pd.DataFrame:
    """The stored observations of one kind (empty with the contract's columns if none)."""
    frame = _read_stored(store, DATASETS[kind])
    if frame is None:
        return pd.DataFrame(columns=[*OBSERVATION_COLUMNS, *EXTRA_COLUMNS])
    return frame


def stored_summary(store: Store, kinds: Sequence[str] = tuple(DATASETS)) -> pd.DataFrame:
    """What is stored: one row per kind, kommun, period, name and source.

    Returns
    -------
    pandas.DataFrame
        Columns ``kind``, ``kommun_code``, ``period``, ``name``, ``source``,
        ``uploaded_at``, ``rows``.
    """
    parts = []
    for kind in kinds:
        frame = load_local(store, kind)
        if frame.empty:
            continue
        grouped = (
            frame.groupby(["kommun_code", "period", "name", "source"], sort=True)
            .agg(uploaded_at=("uploaded_at", "max"), rows=("value", "size"))
            .reset_index()
        )
        parts.append(grouped.assign(kind=kind))
    columns = ["kind", "kommun_code", "period", "name", "source", "uploaded_at", "rows"]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns]
