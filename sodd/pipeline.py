"""Store-level jobs shared by the CLI and the app: install the demo, recompute indicators."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sodd.custom_areas_store import drop_demo_custom_areas, recompute_custom_areas
from sodd.demo import DEMO_FETCHED_AT, DEMO_SEED, build_demo
from sodd.errors import StoreError
from sodd.indicators.catalog import load_catalog
from sodd.indicators.compute import compute_indicator_values
from sodd.store import DatasetEntry, Manifest, Store, Transaction

Progress = Callable[[str], None]


def _quiet(message: str) -> None:
    """Progress sink that drops messages."""


def install_demo(
    store: Store,
    *,
    seed: int = DEMO_SEED,
    districts_per_kommun: int = 20,
    lan_codes: Sequence[str] | None = None,
    kommun_codes: Sequence[str] | None = None,
    replace_real_data: bool = False,
    progress: Progress = _quiet,
) -> Manifest:
    """Build the synthetic demo dataset and write it to the store as one snapshot.

    Parameters
    ----------
    store
        Target store.
    seed, districts_per_kommun, lan_codes, kommun_codes
        Passed to :func:`sodd.demo.build_demo`.
    replace_real_data
        Allow replacing a store that holds real (non-demo) data.
    progress
        Receives one Swedish line per step.

    Returns
    -------
    Manifest
        The manifest after the write.

    Raises
    ------
    StoreError
        When the store holds real data and ``replace_real_data`` is false.
    """
    current = store.manifest()
    if current.datasets and not current.is_demo and not replace_real_data:
        raise StoreError(
            "Datalagret innehåller verklig statistik. Exempeldata skriver inte över den "
            "utan --ersatt (replace_real_data)."
        )
    progress("Bygger exempelområden och exempeldata …")
    dataset = build_demo(
        seed=seed,
        districts_per_kommun=districts_per_kommun,
        lan_codes=lan_codes,
        kommun_codes=kommun_codes,
    )
    progress(
        f"{len(dataset.regions)} områden och {len(dataset.observations)} observationer skapade."
    )
    progress("Beräknar indikatorer …")
    values = compute_indicator_values(dataset.observations, load_catalog())
    progress(f"{len(values)} indikatorvärden beräknade. Skriver till datalagret …")
    with store.transaction() as tx:
        for dataset_id in current.datasets:
            tx.remove(dataset_id)
        tx.write(
            "demo__regions",
            "regions",
            dataset.regions,
            provider="demo",
            title="Exempelområden (påhittade delområden i verkliga kommuner)",
            demo=True,
            fetched_at=DEMO_FETCHED_AT,
        )
        for table in dataset.tables:
            frame = dataset.observations.loc[
                (dataset.observations["provider"] == table.provider)
                & (dataset.observations["table_id"] == table.table_id)
            ].reset_index(drop=True)
            tx.write(
                f"demo__{table.provider}_{table.table_id}".lower(),
                "observations",
                frame,
                provider=table.provider,
                table_id=table.table_id,
                title=table.title,
                demo=True,
                fetched_at=DEMO_FETCHED_AT,
            )
        tx.write(
            "demo__indicator_values",
            "indicator_values",
            values,
            provider="sodd",
            title="Indikatorvärden beräknade ur exempeldata",
            demo=True,
            fetched_at=DEMO_FETCHED_AT,
        )
    progress("Klart.")
    return store.manifest()


INDICATOR_VALUES_ID = "indicator_values"


def remove_demo_datasets(tx: Transaction) -> list[str]:
    """Stage the removal of every demo dataset, so real data never mixes with demo data.

    Call this in the same transaction as the first real write: readers then see either
    the whole demo or real data, never both.

    Returns
    -------
    list of str
        The dataset ids removed.
    """
    removed = [entry.dataset_id for entry in tx.base.datasets.values() if entry.demo]
    for dataset_id in removed:
        tx.remove(dataset_id)
    # The kommun's own rows on demo districts go too; its kommun-level rows stay.
    from sodd.local.demo import drop_demo_local_rows

    removed.extend(d for d in drop_demo_local_rows(tx) if d not in removed)
    # Custom areas of demo districts go with their members.
    removed.extend(drop_demo_custom_areas(tx))
    return removed


def recompute_indicator_values(store: Store, *, progress: Progress = _quiet) -> DatasetEntry | None:
    """Recompute every catalog indicator from all observations in the store.

    Runs after a refresh has committed new observations. The indicator values are a
    pure function of the observations, so recomputing from scratch keeps them exact
    (no incremental bookkeeping to get wrong).

    Parameters
    ----------
    store
        The store.
    progress
        Receives one Swedish line per step.

    Returns
    -------
    DatasetEntry or None
        The written dataset, or ``None`` when the store holds no observations.
    """
    manifest = store.manifest()
    if not manifest.of_kind("observations"):
        return None
    progress("Beräknar indikatorer …")
    values = compute_indicator_values(store.read("observations"), load_catalog())
    with store.transaction() as tx:
        entry = tx.write(
            INDICATOR_VALUES_ID if not manifest.is_demo else "demo__indicator_values",
            "indicator_values",
            values,
            provider="sodd",
            title="Indikatorvärden beräknade ur datalagrets observationer",
            demo=manifest.is_demo,
        )
    progress(f"{len(values)} indikatorvärden beräknade.")
    # Custom areas are computed from their members' values, so they follow them — the
    # kommun's own indicators included (imported here: sodd.local stores through us).
    from sodd.local.indicators import with_local_indicators

    catalog = with_local_indicators(load_catalog(), store)
    recompute_custom_areas(store, catalog=catalog, progress=progress)
    return entry
