"""``sodd refresh geo`` fills missing RegSO parents from the stored key file of the same vintage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from sodd.crosswalk import crosswalk_dataset_id, import_crosswalk
from sodd.refresh_geo import GeoScope, refresh_geo
from sodd.schema import CROSSWALK_COLUMNS
from sodd.store import Store
from tests.sources.wfs_stub import Answer, fixture, wfs_stub

KARLSTAD = GeoScope("kommun", "1780")
EMPTY_PAGE = b'{"type":"FeatureCollection","features":[],"numberMatched":0,"numberReturned":0}'


def _deso_page_without_parents() -> bytes:
    """The two-DeSO fixture with ``regsokod`` left out of one feature and null in the other."""
    page: dict[str, Any] = json.loads(fixture("deso_2025_axes_swapped.json"))
    del page["features"][0]["properties"]["regsokod"]  # 1780C1010
    page["features"][1]["properties"]["regsokod"] = None  # 1780C1020
    return json.dumps(page).encode()


def _write_keys(store: Store, vintage: str, pairs: dict[str, str]) -> None:
    frame = pd.DataFrame(
        {
            "deso_code": list(pairs),
            "regso_code": list(pairs.values()),
            "regso_name": ["Haga"] * len(pairs),
            "kommun_code": ["1780"] * len(pairs),
            "vintage": [vintage] * len(pairs),
        },
        columns=list(CROSSWALK_COLUMNS),
    )
    with store.transaction() as tx:
        tx.write(crosswalk_dataset_id(vintage), "crosswalk", frame, provider="scb", title="nyckel")


def _refresh(store: Store, deso_page: bytes) -> Any:
    with wfs_stub() as (url, script):
        script.answers = [Answer(deso_page), Answer(fixture("regso_2025_null_geometry.json"))]
        return refresh_geo(store, base_url=url, scope=KARLSTAD, vintages=("2025",))


def _parents(store: Store) -> dict[str, str]:
    deso = store.read_regions(dataset_ids=["scb_geo__deso_2025"])
    return dict(zip(deso["region_code"], deso["parent_code"], strict=True))


def test_missing_regsokod_is_filled_from_the_key_file_of_the_same_vintage(
    tmp_path: Path,
) -> None:
    store = Store(tmp_path)
    _write_keys(store, "2025", {"1780C1010": "1780R012"})
    # The 2018 key file knows 1780C1020, but a DeSO 2025 must not get a 2018 parent.
    _write_keys(store, "2018", {"1780C1020": "1780R099"})
    report = _refresh(store, _deso_page_without_parents())
    deso = report.layers[0]
    assert report.ok and (deso.status, deso.regions) == ("ok", 2)
    assert (deso.parents_from_crosswalk, deso.without_parent) == (1, 1)
    assert "1 DeSO saknade regsokod i WFS-svaret" in deso.message
    assert "kopplingstabellen scb__deso_regso_2025" in deso.message
    assert "1 DeSO saknar RegSO (t.ex. 1780C1020)" in deso.message
    assert "sodd kopplingstabell --hamta" in deso.message
    assert _parents(store) == {"1780C1010": "1780R012", "1780C1020": ""}


def test_without_key_file_the_report_says_which_deso_lack_a_regso(tmp_path: Path) -> None:
    store = Store(tmp_path)
    report = _refresh(store, _deso_page_without_parents())
    deso = report.layers[0]
    assert report.ok and (deso.parents_from_crosswalk, deso.without_parent) == (0, 2)
    assert "2 DeSO saknar RegSO (t.ex. 1780C1010)" in deso.message
    assert "kopplingstabell för DeSO 2025" in deso.message
    assert set(_parents(store).values()) == {""}


def test_a_parent_given_by_the_wfs_is_kept_and_nothing_is_reported(tmp_path: Path) -> None:
    store = Store(tmp_path)
    _write_keys(store, "2025", {"1780C1010": "1780R012", "1780C1020": "1780R012"})
    report = _refresh(store, fixture("deso_2025_axes_swapped.json"))
    deso = report.layers[0]
    assert (deso.parents_from_crosswalk, deso.without_parent) == (0, 0)
    assert "RegSO" not in deso.message
    assert _parents(store) == {"1780C1010": "1780R020", "1780C1020": "1780R020"}


@pytest.mark.shared
def test_real_goteborg_answer_without_regsokod_gets_scb_keys(
    shared_dir: Path, tmp_path: Path
) -> None:
    geo = shared_dir / "data" / "geo"
    page = json.loads((geo / "goteborg_deso2025_wfs_response.geojson").read_bytes())
    published = {f["properties"]["desokod"]: f["properties"]["regsokod"] for f in page["features"]}
    for feature in page["features"]:
        del feature["properties"]["regsokod"]
    store = Store(tmp_path)
    import_crosswalk(store, geo / "deso2025_regso2025_mapping.json")
    with wfs_stub() as (url, script):
        script.answers = [Answer(json.dumps(page).encode()), Answer(EMPTY_PAGE)]
        report = refresh_geo(
            store, base_url=url, scope=GeoScope("kommun", "1480"), vintages=("2025",)
        )
    deso = report.layers[0]
    assert (deso.status, deso.regions) == ("ok", 320)
    assert (deso.parents_from_crosswalk, deso.without_parent) == (320, 0)
    assert _parents(store) == published
