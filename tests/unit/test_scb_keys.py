"""SCB's kopplingstabeller: parsing every variant, storing them, and using them."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
from shapely.geometry import box

from sodd.crosswalk import add_parser, fill_parent_codes, import_crosswalk, load_crosswalk
from sodd.errors import SourceError
from sodd.geo import join_values
from sodd.geo_vintage import check_vintage
from sodd.schema import CROSSWALK_COLUMNS, INDICATOR_VALUE_COLUMNS
from sodd.sources.scb_keys import parse_kopplingstabell
from sodd.store import Store


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


XLSX_2025 = _xlsx(
    [
        ["Koppling mellan DeSO 2025 och RegSO 2025"],
        [],
        ["Kommun", "Kommunnamn", "DeSO_2025", "RegSOkod_2025", "RegSO_2025"],
        # Excel keeps kommun codes as numbers: 0114 arrives as 114.
        [114, "Upplands Väsby", "0114C1010", "0114R001", "Bollstanäs"],
        ["1780", "Karlstad", "1780C1010_DeSO2025", "1780R012_RegSO2025", "Haga"],
        [None, None, None, None, None],
    ]
)
CSV_2018 = (
    "\ufeffKommun,Kommunnamn,DeSO_2018,RegSO_2020,RegSOkod_2020\r\n"
    "1780,Karlstad,1780C1010,Haga,1780R012\r\n"
    "1780,Karlstad,1780C1020,Haga,1780R012\r\n"
).encode()
CSV_OLD = (
    "\ufeffbro;Kommunnamn;DeSO;RegSO;;;;\n1780;Karlstad;1780C1010;Haga;;;;\n;;;;;;;\n".encode()
)


def test_xlsx_finds_the_header_row_and_restores_leading_zeros() -> None:
    frame = parse_kopplingstabell(XLSX_2025, name="koppling-deso2025-regso2025_2026-03-25.xlsx")
    assert list(frame.columns) == list(CROSSWALK_COLUMNS)
    assert frame.to_dict("records") == [
        {
            "deso_code": "0114C1010",
            "regso_code": "0114R001",
            "regso_name": "Bollstanäs",
            "kommun_code": "0114",
            "vintage": "2025",
        },
        {
            "deso_code": "1780C1010",
            "regso_code": "1780R012",
            "regso_name": "Haga",
            "kommun_code": "1780",
            "vintage": "2025",
        },
    ]


def test_comma_csv_with_bom_and_crlf() -> None:
    frame = parse_kopplingstabell(CSV_2018, name="koppling-deso2018-regso2020.csv")
    assert frame["vintage"].unique().tolist() == ["2018"]
    assert frame["regso_code"].tolist() == ["1780R012", "1780R012"]
    assert frame["regso_name"].tolist() == ["Haga", "Haga"]


def test_old_semicolon_file_is_dated_by_its_name_and_has_no_regso_codes() -> None:
    frame = parse_kopplingstabell(CSV_OLD, name="kopplingstabell-deso-regso-20210702.csv")
    assert frame["vintage"].tolist() == ["2018"]
    assert frame["regso_code"].isna().all()
    assert frame["regso_name"].tolist() == ["Haga"]
    with pytest.raises(SourceError, match="säger inte vilken DeSO-årgång"):
        parse_kopplingstabell(CSV_OLD, name="nyckel.csv")
    assert parse_kopplingstabell(CSV_OLD, name="nyckel.csv", vintage="2018").shape[0] == 1


@pytest.mark.parametrize(
    ("data", "vintage", "message"),
    [
        (CSV_2018.replace(b"1780C1020", b"1780C102"), None, r"rad 3 har DeSO-koden '1780C102'"),
        (CSV_2018.replace(b"1780C1020", b"1780C1010"), None, "förekommer två gånger"),
        (CSV_2018.replace(b"1780,Karlstad,1780C1020", b"1781,Karlstad,1780C1020"), None, "1781"),
        (CSV_2018, "2025", "gäller DeSO 2018, men årgången 2025 angavs"),
        (b"a,b\r\n1,2\r\n", None, "saknar rubrikraden"),
    ],
)
def test_bad_files_are_refused_naming_row_and_value(
    data: bytes, vintage: str | None, message: str
) -> None:
    with pytest.raises(SourceError, match=message):
        parse_kopplingstabell(data, name="k.csv", vintage=vintage)


@pytest.mark.shared
def test_shared_key_files_give_karlstads_counts(shared_dir: Path) -> None:
    geo = shared_dir / "data" / "geo"
    old = parse_kopplingstabell(
        (geo / "koppling-deso2018-regso2020.csv").read_bytes(), name="koppling-deso2018-regso2020"
    )
    new = parse_kopplingstabell(
        (geo / "deso2025_regso2025_mapping.json").read_bytes(), name="mapping.json"
    )
    dated = parse_kopplingstabell(
        (geo / "kopplingstabell-deso-regso-20210702.csv").read_bytes(),
        name="kopplingstabell-deso-regso-20210702.csv",
    )
    assert (len(old), len(new), len(dated)) == (5984, 6160, 5984)
    assert set(old["vintage"]) == set(dated["vintage"]) == {"2018"}
    assert set(new["vintage"]) == {"2025"}
    karlstad_old = old.loc[old["kommun_code"] == "1780"]
    karlstad_new = new.loc[new["kommun_code"] == "1780"]
    assert (len(karlstad_old), karlstad_old["regso_code"].nunique()) == (53, 31)
    assert (len(karlstad_new), karlstad_new["regso_code"].nunique()) == (57, 31)
    # The SCB-dated 2021 file and the 2020 CSV hold the same DeSO; about 1 % of the
    # RegSO names differ (SCB renamed a few RegSO between the two editions).
    merged = old.merge(dated, on="deso_code", suffixes=("", "_dated"))
    assert len(merged) == 5984
    assert (merged["regso_name"] == merged["regso_name_dated"]).mean() > 0.98


def test_import_stores_a_crosswalk_dataset_with_its_file(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    source = tmp_path / "koppling-deso2025-regso2025_2026-03-25.xlsx"
    source.write_bytes(XLSX_2025)
    entry = import_crosswalk(store, source)
    assert (entry.dataset_id, entry.kind, entry.rows) == ("scb__deso_regso_2025", "crosswalk", 2)
    assert (tmp_path / "data" / entry.raw_files[0]).read_bytes() == XLSX_2025
    back = load_crosswalk(store, "2025")
    assert back["deso_code"].tolist() == ["0114C1010", "1780C1010"]
    assert back["kommun_code"].tolist() == ["0114", "1780"]
    assert load_crosswalk(store, "2018").empty


def test_import_of_a_bad_file_stores_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    source = tmp_path / "k.csv"
    source.write_bytes(CSV_2018.replace(b"1780C1020", b"X"))
    with pytest.raises(SourceError):
        import_crosswalk(store, source)
    assert store.manifest().datasets == {}


def test_cli_imports_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SODD_DATA_DIR", str(tmp_path / "data"))
    source = tmp_path / "nyckel.csv"
    source.write_bytes(CSV_OLD)
    parser = argparse.ArgumentParser(prog="sodd import")
    add_parser(parser.add_subparsers())
    args = parser.parse_args(["kopplingstabell", str(source), "--vintage", "2018"])
    assert args.func(args) == 0
    assert "scb__deso_regso_2018" in Store(tmp_path / "data").manifest().datasets


def _regions() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "region_code": ["1780C1010", "1780C1010", "1780C1020"],
            "geo_vintage": ["2018", "2025", "2025"],
            "level": ["deso"] * 3,
            "name": ["1780C1010", "1780C1010", "1780C1020"],
            "kommun_code": ["1780"] * 3,
            "lan_code": ["17"] * 3,
            "parent_code": ["", None, "1780R099"],
        },
        geometry=[box(0, 0, 1, 1), box(0, 0, 1, 1), box(1, 0, 2, 1)],
        crs="EPSG:4326",
    )


def test_parent_codes_are_filled_from_the_key_file_of_the_same_vintage() -> None:
    keys = pd.DataFrame(
        {
            "deso_code": ["1780C1010", "1780C1010", "1780C1020"],
            "regso_code": ["1780R012", "1780R013", "1780R014"],
            "regso_name": ["Haga", "Haga ny", "Övrigt"],
            "kommun_code": ["1780"] * 3,
            "vintage": ["2018", "2025", "2025"],
        }
    )
    filled = fill_parent_codes(_regions(), keys)
    # The WFS gave 1780C1020 its parent: the key file only fills gaps.
    assert filled["parent_code"].tolist() == ["1780R012", "1780R013", "1780R099"]


def _values(vintage: str) -> pd.DataFrame:
    frame = pd.DataFrame({column: [None] for column in INDICATOR_VALUE_COLUMNS})
    frame = frame.assign(
        indicator_id="x", region_code="1780C1020", geo_vintage=vintage, level="deso",
        period="2023", value=1.0,
    )  # fmt: skip
    return frame


def test_a_2018_table_joined_to_2025_regions_gets_a_clear_error() -> None:
    regions_2025 = _regions().iloc[1:]
    with pytest.raises(ValueError, match="Värdena gäller DeSO 2018, men områdena är DeSO 2025"):
        join_values(regions_2025, _values("2018"))
    joined = join_values(regions_2025, _values("2025"))
    assert joined["value"].tolist()[1] == 1.0


def test_check_vintage_ignores_levels_without_vintage_and_missing_levels() -> None:
    kommun = _values("").assign(level="kommun", region_code="1780")
    check_vintage(kommun, _regions())
    check_vintage(_values("2018").assign(level="regso"), _regions())  # no RegSO regions
    with pytest.raises(ValueError, match="DeSO 2018, 2025"):
        check_vintage(_values("2019"), _regions())
