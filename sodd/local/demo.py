"""The kommun's own data saved against the demo leaves with the demo; real rows stay.

A local dataset is flagged ``demo`` when every row is on a demo district (see
:func:`sodd.local.store.demo_only`), so :func:`sodd.pipeline.remove_demo_datasets`
removes it with the demo. A dataset mixing demo districts with kommun-level rows is not
flagged: the kommun's own totals for a real kommun code are real data the kommun typed
in. :func:`drop_demo_local_rows` removes the demo-district rows from such datasets and
rebuilds the derived indicator values, in the transaction that removes the demo.
"""

from __future__ import annotations

import pandas as pd

from sodd.demo import is_demo_code
from sodd.local.store import DATASETS, PROVIDER, VALUES_ID, VALUES_TITLE
from sodd.local.values import build_local_values
from sodd.store import Transaction


def drop_demo_local_rows(tx: Transaction, *, disclosure_min: int | None = None) -> list[str]:
    """Stage the removal of the local rows on demo districts, keeping the real ones.

    Call it in the transaction that removes the demo, after the demo-flagged datasets
    were staged for removal (they count as gone here).

    Parameters
    ----------
    tx
        The open transaction.
    disclosure_min
        For the rebuilt indicator values; ``Settings.disclosure_min`` when omitted.

    Returns
    -------
    list of str
        The dataset ids removed entirely (those left with no rows).
    """
    datasets = tx.base.datasets
    frames: dict[str, pd.DataFrame | None] = {}
    removed: list[str] = []
    touched = any(datasets[d].demo for d in (*DATASETS.values(), VALUES_ID) if d in datasets)
    for kind, dataset_id in DATASETS.items():
        entry = datasets.get(dataset_id)
        if entry is None or entry.demo:  # absent, or leaving with the demo already
            frames[kind] = None
            continue
        frame = tx.store.read("observations", dataset_ids=[dataset_id])
        on_demo = frame["region_code"].astype(str).map(is_demo_code).astype(bool)
        if on_demo.any():
            touched = True
            frame = frame.loc[~on_demo].reset_index(drop=True)
            if frame.empty:
                tx.remove(dataset_id)
                removed.append(dataset_id)
            else:
                tx.write(
                    dataset_id,
                    "observations",
                    frame,
                    provider=entry.provider,
                    table_id=entry.table_id,
                    title=entry.title,
                    fetched_at=entry.fetched_at,
                )
        frames[kind] = None if frame.empty else frame
    if not touched:
        return removed
    if disclosure_min is None:
        from sodd.config import load_settings

        disclosure_min = load_settings().disclosure_min
    values = build_local_values(
        frames["kartlaggning"], frames["indikator"], disclosure_min=disclosure_min
    )
    if not values.empty:
        tx.write(VALUES_ID, "indicator_values", values, provider=PROVIDER, title=VALUES_TITLE)
    elif VALUES_ID in datasets:
        tx.remove(VALUES_ID)
        removed.append(VALUES_ID)
    return removed
