"""Storing the kommun's own data, its indicators in profiles and custom areas, and the CLI."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
import pytest

from sodd.custom_areas import CustomArea
from sodd.custom_areas_aggregate import aggregate_indicator_values
from sodd.export.tidy import status_symbol
from sodd.formatting import format_status
from sodd.indicators.catalog import load_catalog
from sodd.local import (
    check_upload,
    load_local,
    local_indicators,
    save_local,
    stored_summary,
    with_local_indicators,
)
from sodd.local.cli import main
from sodd.local.compare import beside_official
from sodd.local.store import VALUES_ID
from sodd.local.values import MAPPING_ID
from sodd.profile import build_area_profile
from sodd.schema import STATUS_NOT_AGGREGATABLE, STATUS_SUPPRESSED
from sodd.store import Store
from tests.unit.local_helpers import MAPPING_HEADER, REGIONS, csv_bytes

WHEN = "2026-11-30T12:00:00Z"
INDICATOR_HEADER = "Områdeskod;År;Indikator;Värde;Enhet;Beskrivning;Källa"


def _save(store: Store, kind: str, lines: list[str], when: str = WHEN) -> None:
    table = check_upload(csv_bytes(lines), "fil.csv", kind, REGIONS)
    save_local(store, table, disclosure_min=5, uploaded_at=when)


def _values(store: Store) -> pd.DataFrame:
    return store.read("indicator_values", dataset_ids=[VALUES_ID])


def test_mapping_is_stored_as_observations_and_its_total_as_an_indicator(tmp_path: Path) -> None:
    store = Store(tmp_path)
    _save(store, "kartlaggning", [
        MAPPING_HEADER,
        "1780;2024;1;kvinnor;25–34;med barn;6",
        "1780;2024;1;män;25–34;utan barn;14",
        "1780;2024;3;totalt;totalt;totalt;41",
        "1780;2024;3;kvinnor;totalt;totalt;20",
    ])  # fmt: skip
    stored = load_local(store, "kartlaggning")
    assert len(stored) == 4
    assert set(stored["provider"]) == {"kommun"}
    assert stored["dims"].iloc[0].startswith('{"alder": ')
    assert set(stored["uploaded_at"]) == {WHEN}
    values = _values(store)
    total = values.loc[values["indicator_id"] == MAPPING_ID]
    assert total[["region_code", "period", "value"]].values.tolist() == [["1780", "2024", 61.0]]
    assert total["provenance"].tolist() == ["kommun:kartlaggning"]
    entry = store.manifest().datasets["kommun__kartlaggning"]
    assert entry.raw_files == ()  # the upload itself is never kept
    assert not (tmp_path / "raw").exists()


def test_a_new_upload_replaces_its_periods_and_keeps_the_others(tmp_path: Path) -> None:
    store = Store(tmp_path)
    _save(store, "kartlaggning", [
        MAPPING_HEADER, "1780;2023;1;män;totalt;totalt;10", "1715;2024;1;män;totalt;totalt;7",
        "1780;2024;1;män;totalt;totalt;11",
    ])  # fmt: skip
    _save(store, "kartlaggning", [MAPPING_HEADER, "1780;2024;2;män;totalt;totalt;12"],
          "2026-12-01T08:00:00Z")  # fmt: skip
    stored = load_local(store, "kartlaggning")
    kept = stored[["region_code", "period", "value"]].values.tolist()
    assert sorted(kept) == [["1715", "2024", 7.0], ["1780", "2023", 10.0], ["1780", "2024", 12.0]]
    summary = stored_summary(store)
    assert summary.loc[summary["period"] == "2023", "uploaded_at"].tolist() == [WHEN]


def test_a_failing_save_leaves_the_store_unchanged(tmp_path: Path) -> None:
    store = Store(tmp_path)
    _save(store, "kartlaggning", [MAPPING_HEADER, "1780;2024;1;män;totalt;totalt;10"])
    before = store.manifest()
    table = check_upload(
        csv_bytes([MAPPING_HEADER, "1780;2025;1;män;totalt;totalt;9"]), "f.csv", "kartlaggning",
        REGIONS,
    )  # fmt: skip
    with pytest.raises(Exception, match="hämtningstid"):
        save_local(store, table, disclosure_min=5, uploaded_at="inte en tid")
    assert store.manifest() == before


def test_small_district_counts_are_withheld_with_a_secondary_cell(tmp_path: Path) -> None:
    store = Store(tmp_path)
    _save(store, "indikator", [
        INDICATOR_HEADER,
        "1780C1010;2024;Vräkningar;3;antal;Verkställda;Bolaget",
        "1780C1020;2024;Vräkningar;8;antal;Verkställda;Bolaget",
        "1780C1030;2024;Vräkningar;20;antal;Verkställda;Bolaget",
        "1780;2024;Vräkningar;31;antal;Verkställda;Bolaget",
    ])  # fmt: skip
    values = _values(store).set_index("region_code")
    assert values.loc["1780C1010", "status"] == "<5"  # shown as such on screen and in exports
    assert format_status("<5") == "<5 (färre än 5, skyddat)"
    assert status_symbol("<5") == "<5"
    assert values.loc["1780C1020", "status"] == STATUS_SUPPRESSED  # else 31 − 20 − 8 = 3
    assert pd.isna(values.loc["1780C1010", "value"]) and pd.isna(
        values.loc["1780C1020", "numerator"]
    )
    assert values.loc["1780C1030", "value"] == 20.0
    assert values.loc["1780", "value"] == 31.0


def test_local_indicators_join_the_catalog_in_their_own_theme(tmp_path: Path) -> None:
    store = Store(tmp_path)
    assert local_indicators(store) == []
    catalog = load_catalog()
    assert with_local_indicators(catalog, store) is catalog
    _save(store, "indikator", [
        INDICATOR_HEADER,
        "1780C1010;2024;Andel med hyresskuld;12,5;procent;Andel hushåll med skuld;Bolaget",
        "1780C1020;2024;Andel med hyresskuld;7;procent;Andel hushåll med skuld;Bolaget",
    ])  # fmt: skip
    _save(store, "kartlaggning", [MAPPING_HEADER, "1780;2024;1;män;totalt;totalt;10"])
    extended = with_local_indicators(catalog, store)
    theme, indicators = extended.by_theme()[-1]
    assert theme.id == "egna_uppgifter" and theme.name_sv == "Kommunens egna uppgifter"
    by_id = {indicator.id: indicator for indicator in indicators}
    assert set(by_id) == {MAPPING_ID, "lokal_andel_med_hyresskuld"}
    share = by_id["lokal_andel_med_hyresskuld"]
    assert (share.kind, share.unit, share.lowest_level) == ("published", "procent", "deso")
    assert share.description_sv == "Andel hushåll med skuld"
    assert share.attribution == "Källa: Bolaget, uppladdad 2026-11-30"
    assert by_id[MAPPING_ID].lowest_level == "kommun"
    assert len(extended.indicators) == len(catalog.indicators) + 2


def test_profile_of_a_district_shows_its_local_indicator(tmp_path: Path) -> None:
    store = Store(tmp_path)
    _save(store, "indikator", [
        INDICATOR_HEADER,
        "1780C1010;2024;Andel med hyresskuld;12,5;procent;Andel hushåll;Bolaget",
        "1780;2024;Andel med hyresskuld;9;procent;Andel hushåll;Bolaget",
    ])  # fmt: skip
    catalog = with_local_indicators(load_catalog(), store)
    regions = REGIONS.assign(lan_code="17", parent_code=None)
    profile = build_area_profile("1780C1010", "deso", regions, _values(store), catalog,
                                 geo_vintage="2025")  # fmt: skip
    theme, rows = profile.themes[-1]
    assert theme.id == "egna_uppgifter"
    [row] = rows
    assert row.area is not None and row.area.value == 12.5
    assert row.area.provenance == "kommun:indikator"
    assert row.comparators["kommun"].value == 9.0
    assert row.period == "2024"


def test_custom_areas_sum_local_counts_but_not_other_units(tmp_path: Path) -> None:
    store = Store(tmp_path)
    _save(store, "indikator", [
        INDICATOR_HEADER,
        "1780C1010;2024;Vräkningar;6;antal;Verkställda;Bolaget",
        "1780C1020;2024;Vräkningar;8;antal;Verkställda;Bolaget",
        "1780C1010;2024;Andel;12,5;procent;Andel hushåll;Bolaget",
        "1780C1020;2024;Andel;7;procent;Andel hushåll;Bolaget",
    ])  # fmt: skip
    catalog = with_local_indicators(load_catalog(), store)
    area = CustomArea("Eget", "EGET-eget", "deso", "2025", ("1780C1010", "1780C1020"), WHEN)
    result = aggregate_indicator_values(_values(store), area, catalog).set_index("indicator_id")
    assert result.loc["lokal_vrakningar", "value"] == 14.0
    assert result.loc["lokal_andel", "status"] == STATUS_NOT_AGGREGATABLE
    missing = CustomArea("Tre", "EGET-tre", "deso", "2025", ("1780C1010", "1780C1030"), WHEN)
    partial = aggregate_indicator_values(_values(store), missing, catalog).set_index("indicator_id")
    assert partial.loc["lokal_vrakningar", "status"] == STATUS_SUPPRESSED


def test_mapping_beside_official_figures() -> None:
    lines = [MAPPING_HEADER, "1780;2023;1;män;totalt;totalt;3", "1780;2023;3;män;totalt;totalt;30"]
    mapping_rows = check_upload(csv_bytes(lines), "f.csv", "kartlaggning", REGIONS)
    from sodd.local.store import to_observations

    mapping = to_observations(mapping_rows, source="Kommunen", uploaded_at=WHEN)
    official = pd.DataFrame({
        "provider": "socialstyrelsen", "table_id": "hemloshetskartlaggning", "region_code": "1780",
        "variable": "personer", "period": "2023", "value": [5.0, 1.0, 12.0, 7.0],
        "dims": [f'{{"situation": "{n}"}}' for n in "1234"],
    })  # fmt: skip
    table = beside_official(mapping, official, "1780", minimum=5).set_index("situation")
    assert table.loc["1", "own_protection"] == "small"
    assert table.loc["3", "own_protection"] == "hidden"  # else 33 − 30 gives the 3
    assert table.loc["totalt", "own"] == 33.0
    assert table.loc["totalt", "official"] == 25.0
    assert table.loc["2", "official"] == 1.0 and pd.isna(table.loc["2", "own"])


def test_cli_checks_previews_saves_and_writes_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SODD_DATA_DIR", str(tmp_path / "data"))
    template = tmp_path / "mall.xlsx"
    assert main(["import", "mall", "--typ", "insatser", "--format", "xlsx", str(template),
                 "--kommun", "1780"]) == 0  # fmt: skip
    assert template.read_bytes()[:2] == b"PK"
    assert main(["import", "lokal", "--typ", "insatser", str(template)]) == 0
    assert "3 rader kan sparas" in capsys.readouterr().out
    assert not (tmp_path / "data" / "manifest.json").exists()
    assert main(["import", "lokal", "--typ", "insatser", str(template), "--spara"]) == 0
    assert "Sparat: 3 rader" in capsys.readouterr().out
    bad = tmp_path / "fel.csv"
    bad.write_bytes(csv_bytes(["Områdeskod;Period;Insats;Antal", "1780;2024;Bostad först;-1"]))
    assert main(["import", "lokal", "--typ", "insatser", str(bad), "--spara"]) == 1
    assert 'Rad 2, kolumn "Antal", värdet "-1"' in capsys.readouterr().err
    assert len(load_local(Store(tmp_path / "data"), "insatser")) == 3


def test_cli_needs_a_kind() -> None:
    from sodd.local.cli import run

    args = argparse.Namespace(source="lokal", file="x.csv", typ=None)
    assert run(args) == 2
