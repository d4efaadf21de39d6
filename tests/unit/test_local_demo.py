"""The kommun's own data on demo districts leaves with the demo; kommun-level rows stay."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from sodd.local import check_upload, load_local, save_local
from sodd.local.cli import region_index
from sodd.local.demo import drop_demo_local_rows
from sodd.local.store import DATASETS, VALUES_ID
from sodd.pipeline import remove_demo_datasets
from sodd.store import Store
from tests.unit.local_helpers import csv_bytes

INDICATOR_HEADER = "Områdeskod;År;Indikator;Värde;Enhet;Beskrivning;Källa"
MAPPING_HEADER = "Områdeskod;År;Situation;Kön;Åldersgrupp;Barn under 18 år;Antal personer"


@pytest.fixture
def store(demo_store_dir: Path, tmp_path: Path) -> Store:
    shutil.copytree(demo_store_dir, tmp_path / "store")
    return Store(tmp_path / "store")


def _districts(store: Store) -> list[str]:
    regions = region_index(store)
    assert regions is not None
    chosen = regions.loc[(regions["level"] == "deso") & (regions["kommun_code"] == "1780")]
    return sorted(chosen["region_code"])[:2]


def _save(store: Store, kind: str, lines: list[str]) -> None:
    table = check_upload(csv_bytes(lines), "f.csv", kind, region_index(store))
    save_local(store, table, disclosure_min=5)


def _indicator_rows(codes: list[str]) -> list[str]:
    return [INDICATOR_HEADER] + [
        f"{code};2024;Vräkningar;{value};antal;Verkställda;Bolaget"
        for code, value in zip(codes, (8, 9, 30), strict=False)
    ]


def test_rows_only_on_demo_districts_are_flagged_demo(store: Store) -> None:
    _save(store, "indikator", _indicator_rows(_districts(store)))
    datasets = store.manifest().datasets
    assert datasets[DATASETS["indikator"]].demo and datasets[VALUES_ID].demo


def test_kommun_level_rows_are_real_data_even_in_a_demo_store(store: Store) -> None:
    _save(store, "kartlaggning", [MAPPING_HEADER, "1780;2024;1;män;totalt;totalt;11"])
    datasets = store.manifest().datasets
    assert not datasets[DATASETS["kartlaggning"]].demo and not datasets[VALUES_ID].demo


def test_removing_the_demo_keeps_real_rows_and_drops_demo_district_rows(store: Store) -> None:
    districts = _districts(store)
    _save(store, "indikator", _indicator_rows([*districts, "1780"]))  # districts + kommun
    _save(store, "kartlaggning", [MAPPING_HEADER, f"{districts[0]};2024;1;män;totalt;totalt;6"])
    datasets = store.manifest().datasets
    assert not datasets[DATASETS["indikator"]].demo  # mixed: not flagged
    assert datasets[DATASETS["kartlaggning"]].demo  # all on a demo district
    with store.transaction() as tx:
        removed = remove_demo_datasets(tx)
    manifest = store.manifest()
    assert DATASETS["kartlaggning"] in removed
    assert DATASETS["kartlaggning"] not in manifest.datasets
    assert not manifest.is_demo  # nothing demo is left behind
    own = load_local(store, "indikator")
    assert own[["region_code", "value"]].values.tolist() == [["1780", 30.0]]
    values = store.read("indicator_values", dataset_ids=[VALUES_ID])
    assert values[["indicator_id", "region_code", "value"]].values.tolist() == [
        ["lokal_vrakningar", "1780", 30.0]
    ]
    assert set(manifest.datasets) == {DATASETS["indikator"], VALUES_ID}


def test_only_demo_rows_in_an_unflagged_dataset_remove_it(store: Store) -> None:
    districts = _districts(store)
    _save(store, "indikator", _indicator_rows(districts))
    frame = load_local(store, "indikator")
    with store.transaction() as tx:  # as if flagged wrongly: not demo
        tx.write(DATASETS["indikator"], "observations", frame, provider="kommun", title="x")
    with store.transaction() as tx:
        removed = drop_demo_local_rows(tx, disclosure_min=5)
    assert removed == [DATASETS["indikator"], VALUES_ID]
    assert not set(removed) & set(store.manifest().datasets)


def test_a_real_store_is_left_alone(tmp_path: Path) -> None:
    store = Store(tmp_path)
    regions = pd.DataFrame(
        {"region_code": ["1780"], "level": ["kommun"], "name": ["Karlstad"],
         "kommun_code": ["1780"], "geo_vintage": [""]}
    )  # fmt: skip
    table = check_upload(
        csv_bytes([MAPPING_HEADER, "1780;2024;1;män;totalt;totalt;11"]), "f.csv",
        "kartlaggning", regions,
    )  # fmt: skip
    save_local(store, table, disclosure_min=5)
    before = store.manifest()
    with store.transaction() as tx:
        assert remove_demo_datasets(tx) == []
    assert store.manifest() == before
