"""Deleting one stored upload of the kommun's own data: store, custom areas and CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from sodd.custom_areas_store import CUSTOM_VALUES_ID, save_custom_area
from sodd.indicators.catalog import load_catalog
from sodd.local import (
    NothingToDeleteError,
    check_upload,
    delete_local,
    load_local,
    save_local,
    with_local_indicators,
)
from sodd.local.cli import main, region_index
from sodd.local.store import DATASETS, VALUES_ID
from sodd.local.values import MAPPING_ID
from sodd.store import Store
from tests.unit.local_helpers import MAPPING_HEADER, REGIONS, csv_bytes

WHEN = "2026-11-30T12:00:00Z"
INDICATOR_HEADER = "Områdeskod;År;Indikator;Värde;Enhet;Beskrivning;Källa"


def _save(store: Store, kind: str, lines: list[str], regions: pd.DataFrame = REGIONS) -> None:
    table = check_upload(csv_bytes(lines), "fil.csv", kind, regions)
    save_local(store, table, disclosure_min=5, uploaded_at=WHEN)


def _values(store: Store) -> pd.DataFrame:
    return store.read("indicator_values", dataset_ids=[VALUES_ID])


def _mapping_two_years(store: Store) -> None:
    _save(store, "kartlaggning", [
        MAPPING_HEADER, "1780;2023;1;män;totalt;totalt;10", "1780;2024;1;män;totalt;totalt;11",
        "1780;2024;2;män;totalt;totalt;12", "1715;2024;1;män;totalt;totalt;7",
    ])  # fmt: skip


def test_delete_removes_one_period_of_one_kommun_and_rebuilds_the_values(tmp_path: Path) -> None:
    store = Store(tmp_path)
    _mapping_two_years(store)
    before = store.manifest()
    result = delete_local(store, "kartlaggning", "1780", "2024", disclosure_min=5)
    assert (result.dataset_id, result.rows_removed, result.rows_left) == (
        DATASETS["kartlaggning"], 2, 2,
    )  # fmt: skip
    kept = load_local(store, "kartlaggning")[["region_code", "period", "value"]]
    assert sorted(kept.values.tolist()) == [["1715", "2024", 7.0], ["1780", "2023", 10.0]]
    totals = _values(store).loc[lambda f: f["indicator_id"] == MAPPING_ID]
    assert sorted(totals[["region_code", "period", "value"]].values.tolist()) == [
        ["1715", "2024", 7.0],
        ["1780", "2023", 10.0],
    ]
    after = store.manifest()
    assert after.generation == before.generation + 1  # one snapshot: rows and values
    changed = {d for d in after.datasets if after.datasets[d] != before.datasets.get(d)}
    assert changed == {DATASETS["kartlaggning"], VALUES_ID}


def test_deleting_the_last_rows_removes_the_datasets(tmp_path: Path) -> None:
    store = Store(tmp_path)
    _save(store, "kartlaggning", [MAPPING_HEADER, "1780;2024;1;män;totalt;totalt;11"])
    delete_local(store, "kartlaggning", "1780", "2024", disclosure_min=5)
    assert DATASETS["kartlaggning"] not in store.manifest().datasets
    assert VALUES_ID not in store.manifest().datasets
    assert with_local_indicators(load_catalog(), store) == load_catalog()


def test_an_own_indicator_is_deleted_by_name_and_the_others_stay(tmp_path: Path) -> None:
    store = Store(tmp_path)
    _save(store, "indikator", [
        INDICATOR_HEADER,
        "1780;2024;Vräkningar;31;antal;Verkställda;Bolaget",
        "1780;2023;Vräkningar;28;antal;Verkställda;Bolaget",
        "1780;2024;Andel med hyresskuld;7;procent;Andel;Bolaget",
    ])  # fmt: skip
    with pytest.raises(NothingToDeleteError, match="indikator"):
        delete_local(store, "indikator", "1780", "2024", disclosure_min=5)
    delete_local(store, "indikator", "1780", "2024", disclosure_min=5, indicator="Vräkningar")
    stored = load_local(store, "indikator")
    assert sorted(stored[["name", "period"]].values.tolist()) == [
        ["Andel med hyresskuld", "2024"],
        ["Vräkningar", "2023"],
    ]
    values = _values(store)
    assert sorted(values[["indicator_id", "period"]].values.tolist()) == [
        ["lokal_andel_med_hyresskuld", "2024"],
        ["lokal_vrakningar", "2023"],
    ]
    # The id works as well as the name.
    delete_local(store, "indikator", "1780", "2023", disclosure_min=5, indicator="lokal_vrakningar")
    assert set(load_local(store, "indikator")["name"]) == {"Andel med hyresskuld"}


def test_nothing_to_delete_names_what_and_changes_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path)
    _mapping_two_years(store)
    before = store.manifest()
    with pytest.raises(NothingToDeleteError, match="kommun 1780, period 2022"):
        delete_local(store, "kartlaggning", "1780", "2022", disclosure_min=5)
    with pytest.raises(NothingToDeleteError, match="boendeinsatser"):
        delete_local(store, "insatser", "1780", "2024", disclosure_min=5)
    assert store.manifest() == before


def test_saved_custom_areas_lose_the_deleted_local_values(
    demo_store_dir: Path, tmp_path: Path
) -> None:
    shutil.copytree(demo_store_dir, tmp_path / "store")
    store = Store(tmp_path / "store")
    regions = region_index(store)
    assert regions is not None
    districts = sorted(
        regions.loc[(regions["level"] == "deso") & (regions["kommun_code"] == "1780"),
                    "region_code"]
    )[:2]  # fmt: skip
    _save(store, "indikator", [
        INDICATOR_HEADER,
        f"{districts[0]};2024;Vräkningar;6;antal;Verkställda;Bolaget",
        f"{districts[1]};2024;Vräkningar;8;antal;Verkställda;Bolaget",
    ], regions)  # fmt: skip
    area = save_custom_area(
        store, "Eget", districts, catalog=with_local_indicators(load_catalog(), store)
    )

    def custom_local() -> pd.DataFrame:
        values = store.read("indicator_values", dataset_ids=[CUSTOM_VALUES_ID])
        return values.loc[
            (values["region_code"] == area.code) & (values["indicator_id"] == "lokal_vrakningar")
        ]

    assert custom_local()["value"].tolist() == [14.0]
    delete_local(store, "indikator", "1780", "2024", disclosure_min=5, indicator="Vräkningar")
    assert custom_local().empty
    assert CUSTOM_VALUES_ID in store.manifest().datasets  # the area itself stays


def test_cli_shows_then_deletes_with_ja(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SODD_DATA_DIR", str(tmp_path / "data"))
    store = Store(tmp_path / "data")
    _mapping_two_years(store)
    before = store.manifest()
    assert main(["import", "ta-bort", "--typ", "kartlaggning", "--kommun", "1780", "2024"]) == 0
    out = capsys.readouterr().out
    assert "2 sparade rader (Hemlöshetskartläggning, kommun 1780, period 2024)" in out
    assert "Inget togs bort (lägg till --ja" in out
    assert store.manifest() == before
    assert main(["import", "ta-bort", "--typ", "kartlaggning", "--kommun", "1780", "2024",
                 "--ja"]) == 0  # fmt: skip
    assert "Borttaget: 2 rader ur kommun__kartlaggning (2 rader kvar)." in capsys.readouterr().out
    assert sorted(load_local(store, "kartlaggning")["period"]) == ["2023", "2024"]
    assert main(["import", "ta-bort", "--typ", "kartlaggning", "--kommun", "1780", "2024",
                 "--ja"]) == 1  # fmt: skip
    assert "inga sparade uppgifter" in capsys.readouterr().err
    assert main(["import", "ta-bort", "--typ", "kartlaggning", "2023"]) == 2
    assert "--kommun" in capsys.readouterr().err
    assert main(["import", "ta-bort", "--typ", "indikator", "--kommun", "1780", "2024"]) == 2
    assert "--indikator" in capsys.readouterr().err


def test_cli_template_still_defaults_to_an_example_kommun(tmp_path: Path) -> None:
    target = tmp_path / "mall.csv"
    assert main(["import", "mall", "--typ", "kartlaggning", str(target)]) == 0
    assert target.read_bytes().splitlines()[1].startswith(b"0180;")
