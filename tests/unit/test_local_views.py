"""Local indicators on the map and in the social report, on the demo store's districts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from sodd.indicators.catalog import load_catalog
from sodd.local import check_upload, save_local, with_local_indicators
from sodd.map_view import Scope, build_map_view
from sodd.report import build_kommun_report
from sodd.store import Store


def test_district_indicator_is_drawn_on_the_map_and_reported(
    demo_store_dir: Path, tmp_path: Path
) -> None:
    shutil.copytree(demo_store_dir, tmp_path / "data")
    store = Store(tmp_path / "data")
    regions = store.read_regions()
    index = pd.DataFrame(regions.drop(columns="geometry"))
    districts = index.loc[(index["level"] == "deso") & (index["kommun_code"] == "1780")]
    codes = sorted(districts["region_code"])
    lines = ["Områdeskod;År;Indikator;Värde;Enhet;Beskrivning;Källa"] + [
        f"{code};2024;Andel med hyresskuld;{4 + n},5;procent;Andel hushåll;Bolaget"
        for n, code in enumerate(codes)
    ]
    table = check_upload(("\n".join(lines) + "\n").encode(), "f.csv", "indikator", index)
    save_local(store, table, disclosure_min=5)
    catalog = with_local_indicators(load_catalog(), store)
    indicator = catalog.get("lokal_andel_med_hyresskuld")
    values = store.read(
        "indicator_values",
        filters=[("indicator_id", "==", indicator.id), ("level", "==", "deso")],
    )
    view = build_map_view(
        values, regions, index, indicator, "deso", "2024",
        Scope("kommun", "1780", "Karlstad"), "quantiles", "sv",
    )  # fmt: skip
    assert sorted(view.areas["region_code"]) == codes
    assert view.deck is not None
    assert view.areas["value"].min() == 4.5

    all_values = store.read("indicator_values")
    report = build_kommun_report("1780", index, all_values, catalog)
    assert any(spread.indicator.id == indicator.id for spread in report.spreads)


def test_saving_local_counts_recomputes_saved_custom_areas(
    demo_store_dir: Path, tmp_path: Path
) -> None:
    from sodd.custom_areas_store import CUSTOM_VALUES_ID, save_custom_area

    shutil.copytree(demo_store_dir, tmp_path / "data")
    store = Store(tmp_path / "data")
    index = pd.DataFrame(store.read_regions().drop(columns="geometry"))
    codes = sorted(index.loc[(index["level"] == "deso") & (index["kommun_code"] == "1780"),
                             "region_code"])[:2]  # fmt: skip
    area = save_custom_area(store, "Två områden", codes)
    lines = ["Områdeskod;År;Indikator;Värde;Enhet;Beskrivning;Källa"] + [
        f"{code};2024;Vräkningar;{n};antal;Verkställda;Bolaget"
        for n, code in zip((6, 9), codes, strict=True)
    ]
    save_local(store, check_upload(("\n".join(lines) + "\n").encode(), "f.csv", "indikator", index),
               disclosure_min=5)  # fmt: skip
    values = store.read("indicator_values", dataset_ids=[CUSTOM_VALUES_ID])
    mine = values.loc[(values["indicator_id"] == "lokal_vrakningar")]
    assert mine[["region_code", "value"]].values.tolist() == [[area.code, 15.0]]
