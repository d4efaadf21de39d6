"""JSON-stat 2.0 parsing, metadata parsing and SCB region codes.

Real recorded SCB responses are read from ../shared by path (marked ``shared``); the
small cubes under tests/fixtures/http/scb/ are handwritten (see the README there).
"""

from __future__ import annotations

import itertools
import json
import math
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sodd.errors import SourceError
from sodd.schema import OBSERVATION_COLUMNS
from sodd.sources.jsonstat import dimension_labels, parse_jsonstat
from sodd.sources.pxweb import parse_metadata
from sodd.sources.scb_codes import classify_region_code, query_region_code

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "http" / "scb"
FETCHED = "2026-11-30T12:00:00Z"


def _fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return data


def _parse(payload: Any, table_id: str = "TAB1") -> pd.DataFrame:
    return parse_jsonstat(payload, table_id=table_id, fetched_at=FETCHED)


# -- real recorded responses ---------------------------------------------------------------


@pytest.mark.shared
def test_real_tab6471_data_response(shared_dir: Path) -> None:
    body = (shared_dir / "data/scb/pxweb_v2_pxwebpy/TAB6471_data.json").read_bytes()
    frame = _parse(body, "TAB6471")
    assert list(frame.columns) == list(OBSERVATION_COLUMNS)
    assert len(frame) == 21 * 11 * 3 * 1 * 4
    assert set(frame["level"]) == {"lan"} and set(frame["geo_vintage"]) == {""}
    assert frame["region_code"].nunique() == 21
    assert set(frame["variable"]) == {"000007SF"} and set(frame["unit"]) == {"antal"}
    assert frame["status"].isna().all() and frame["value"].notna().all()
    # Cells looked up by hand in the JSON file (positions in row-major order).
    first = frame.iloc[0]
    assert (first["region_code"], first["period"], first["value"]) == ("01", "2026M01", 245284)
    assert first["dims"] == '{"Alder": "0-9", "Kon": "TotSa"}'
    cell = frame[
        (frame["region_code"] == "17")
        & (frame["dims"] == '{"Alder": "20-29", "Kon": "1"}')
        & (frame["period"] == "2026M01")
    ]
    assert cell["value"].tolist() == [16050.0]  # value[1612]: Värmlands län, 20-29 år, män
    last = frame.iloc[-1]
    assert (last["region_code"], last["period"], last["value"]) == ("25", "2026M04", 54)
    assert last["dims"] == '{"Alder": "100+10", "Kon": "2"}'
    labels = dimension_labels(body)
    assert labels["Region"]["17"] == "Värmlands län"
    assert list(labels["Kon"]) == ["TotSa", "1", "2"]


@pytest.mark.shared
def test_real_deso2025_excerpt_with_suppressed_cell(shared_dir: Path) -> None:
    folder = shared_dir / "data/scb/pxweb_v2_deso_fixture_legendary-umbrella"
    body = (folder / "scb-tenure_HushallT33Deso_0180C3130_DeSO2025.json").read_bytes()
    frame = _parse(body, "TAB6253")
    assert len(frame) == 4
    assert set(frame["region_code"]) == {"0180C3130"}  # suffix stripped
    assert set(frame["level"]) == {"deso"} and set(frame["geo_vintage"]) == {"2025"}
    tenure = [json.loads(text)["Upplatelseform"] for text in frame["dims"]]
    assert tenure == ["ÄG/ANDEL", "BOSTADSRÄTT", "HYRESRÄTT", "ÖVRIGT"]
    assert math.isnan(frame["value"].iloc[0]) and frame["status"].iloc[0] == ".."
    assert frame["value"].iloc[1:].tolist() == [1275.0, 315.0, 26.0]
    assert frame["status"].iloc[1:].isna().all()
    assert set(frame["unit"]) == {""}  # the excerpt carries no unit


@pytest.mark.shared
def test_real_tab6471_metadata(shared_dir: Path) -> None:
    raw = (shared_dir / "data/scb/pxweb_v2_pxwebpy/TAB6471_metadata.json").read_bytes()
    meta = parse_metadata(raw, table_id="TAB6471")
    assert meta.table_id == "TAB6471" and meta.raw == raw
    assert [v.code for v in meta.variables] == ["Region", "Alder", "Kon", "ContentsCode", "Tid"]
    assert [len(v.values) for v in meta.variables] == [312, 134, 3, 1, 16]
    assert meta.variable("Region").role == "geo" and meta.variable("Tid").role == "time"
    assert meta.variable("ContentsCode").role == "metric"
    assert meta.variable("Region").elimination and not meta.variable("Alder").elimination
    assert meta.variable("Region").labels["1780"].endswith("Karlstad")
    assert meta.units == {"000007SF": "antal"}
    assert meta.updated == "2026-06-08T06:00:00Z" and len(meta.notes) == 4
    with pytest.raises(SourceError, match=r"TAB6471.*'Alder2'"):
        meta.variable("Alder2")
    with pytest.raises(SourceError, match="gäller tabell TAB6471, inte TAB9999"):
        parse_metadata(raw, table_id="TAB9999")


def _excerpt_as_jsonstat(excerpt: dict[str, Any]) -> dict[str, Any]:
    """Rebuild a metadata answer from a hand-written excerpt (Region is only a sample)."""
    dimension: dict[str, Any] = {}
    for dim in excerpt["id"]:
        info = excerpt["dimensions"][dim]
        category: dict[str, Any] = {
            "index": {code: pos for pos, code in enumerate(info["categories"])},
            "label": info["categories"],
        }
        if "units" in info:
            category["unit"] = info["units"]
        dimension[dim] = {
            "label": info["label"],
            "category": category,
            "extension": info["extension"],
        }
    return {
        "version": "2.0",
        "class": "dataset",
        "label": excerpt["label"],
        "updated": excerpt["updated"],
        "note": excerpt["notes"],
        "role": excerpt["role"],
        "id": excerpt["id"],
        "size": [len(excerpt["dimensions"][dim]["categories"]) for dim in excerpt["id"]],
        "dimension": dimension,
        "extension": excerpt["extension"],
        "value": [],
    }


@pytest.mark.shared
def test_every_metadata_excerpt_parses(shared_dir: Path) -> None:
    files = sorted((shared_dir / "data/scb/v2_metadata_excerpts").glob("TAB*.json"))
    assert len(files) == 16
    for path in files:
        excerpt = json.loads(path.read_text(encoding="utf-8"))
        meta = parse_metadata(_excerpt_as_jsonstat(excerpt), table_id=path.stem)
        assert meta.table_id == path.stem
        assert [v.code for v in meta.variables] == excerpt["id"], path.name
        for variable, size in zip(meta.variables, excerpt["size"], strict=True):
            info = excerpt["dimensions"][variable.code]
            assert info["n_categories"] == size, (path.name, variable.code)
            if info.get("categories_complete"):
                assert variable.values == tuple(info["categories"]), (path.name, variable.code)
                assert len(variable.values) == size
        # §13.1: Region, ContentsCode and Tid are mandatory in every table.
        for code in ("Region", "ContentsCode", "Tid"):
            assert not meta.variable(code).elimination, (path.name, code)
        assert meta.variable("Tid").role == "time" and meta.variable("Region").role == "geo"
        units = excerpt["dimensions"]["ContentsCode"]["units"]
        assert meta.units == {code: unit["base"] for code, unit in units.items()}
        # Every sampled Region code is one SCB uses; the suffix always means vintage 2025.
        for code in meta.variable("Region").values:
            plain, level, vintage = classify_region_code(code)
            assert (vintage == "2025") == code.endswith(("_DeSO2025", "_RegSO2025"))
            assert query_region_code(plain, level, vintage) == code


@pytest.mark.shared
def test_karlstad_codes_of_both_vintages(shared_dir: Path) -> None:
    excerpt = json.loads(
        (shared_dir / "data/scb/v2_metadata_excerpts/TAB6574.json").read_text(encoding="utf-8")
    )
    kinds = [classify_region_code(c) for c in excerpt["dimensions"]["Region"]["categories"]]
    karlstad = [k for k in kinds if k[0].startswith("1780") and k[1] == "deso"]
    # data-sources §13.1: 53 DeSO 2018 and 57 DeSO 2025 codes in Karlstad.
    assert sum(k[2] == "2018" for k in karlstad) == 53
    assert sum(k[2] == "2025" for k in karlstad) == 57


# -- handwritten cubes -----------------------------------------------------------------------

EXPECTED_ROWS = [  # (region_code, level, geo_vintage, variable, period, value, status, unit)
    ("1780", "kommun", "", "A", "2023", 111, None, "antal"),
    ("1780", "kommun", "", "A", "2024", 112, None, "antal"),
    ("1780", "kommun", "", "B", "2023", 121, "*", "procent"),
    ("1780", "kommun", "", "B", "2024", 122, None, "procent"),
    ("1780C1010", "deso", "2025", "A", "2023", None, "..", "antal"),
    ("1780C1010", "deso", "2025", "A", "2024", 212, None, "antal"),
    ("1780C1010", "deso", "2025", "B", "2023", 221.5, None, "procent"),
    ("1780C1010", "deso", "2025", "B", "2024", 222, None, "procent"),
    ("1780R001", "regso", "2020", "A", "2023", 311, None, "antal"),
    ("1780R001", "regso", "2020", "A", "2024", None, "..", "antal"),
    ("1780R001", "regso", "2020", "B", "2023", 321, None, "procent"),
    ("1780R001", "regso", "2020", "B", "2024", None, ".", "procent"),
]


def _rows(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    columns = ["region_code", "level", "geo_vintage", "variable", "period", "value", "status"]
    out = []
    for row in frame[[*columns, "unit"]].itertuples(index=False):
        value = None if math.isnan(row.value) else row.value
        status = None if pd.isna(row.status) else row.status
        out.append((*row[:5], value, status, row.unit))
    return out


def test_row_major_order_follows_index_not_key_or_label_order() -> None:
    frame = _parse(_fixture("cube_index_object.json"))
    assert _rows(frame) == EXPECTED_ROWS
    assert set(frame["dims"]) == {"{}"}
    assert set(frame["provider"]) == {"scb"} and set(frame["table_id"]) == {"TAB1"}
    assert set(frame["fetched_at"]) == {FETCHED}


def test_index_and_status_as_arrays_parse_the_same() -> None:
    by_object = _parse(json.dumps(_fixture("cube_index_object.json")).encode())
    by_array = _parse(json.dumps(_fixture("cube_index_array.json")))
    pd.testing.assert_frame_equal(by_object, by_array)


def test_sparse_values_and_single_category_without_index() -> None:
    data = _fixture("cube_index_object.json")
    data["value"] = {
        str(pos): value for pos, value in enumerate(data["value"]) if value is not None
    }
    assert _rows(_parse(data)) == EXPECTED_ROWS
    one = _fixture("cube_index_object.json")
    one["size"] = [3, 2, 1]
    one["dimension"]["Tid"]["category"] = {"label": {"2024": "2024"}}
    one["value"] = [1, 2, 3, 4, 5, 6]
    one["status"] = {}
    assert _parse(one)["period"].tolist() == ["2024"] * 6


def test_value_count_must_match_sizes() -> None:
    data = _fixture("cube_index_object.json")
    data["value"] = data["value"][:-1]
    with pytest.raises(SourceError, match=r"SCB-tabell TAB1: svaret har 11 värden.*12 celler"):
        _parse(data)
    data = _fixture("cube_index_object.json")
    data["size"] = [3, 2, 3]
    with pytest.raises(SourceError, match="'Tid' har size 3 men 2 kategorier"):
        _parse(data)


def test_every_truncation_is_refused_as_incomplete() -> None:
    # Cut after every byte: inside strings, numbers, null, and in the middle of "Ä".
    body = (FIXTURES / "cube_index_object.json").read_bytes()
    body = body.replace(b'"Karlstad (Centrum)"', '"Karlstad (Älvgatan)"'.encode())
    for cut in range(len(body.rstrip())):
        with pytest.raises(SourceError, match="TAB1: ofullständigt svar"):
            _parse(body[:cut])


def test_garbled_or_non_object_body_is_refused() -> None:
    body = json.dumps(_fixture("cube_index_object.json")).encode()
    with pytest.raises(SourceError, match="TAB1: trasigt svar"):
        _parse(body.replace(b'"size"', b'<html>"size"'))
    with pytest.raises(SourceError, match="trasigt svar"):
        _parse(b"\xff\xfe" + body)
    with pytest.raises(SourceError, match="inte ett JSON-objekt"):
        _parse(b"[1, 2]")
    with pytest.raises(SourceError, match="ofullständigt svar"):
        _parse(b"")


def test_missing_dimension_is_refused() -> None:
    data = _fixture("cube_index_object.json")
    del data["dimension"]["Tid"]
    with pytest.raises(SourceError, match="dimensionen 'Tid' saknas"):
        _parse(data)
    data = _fixture("cube_index_object.json")
    data["id"], data["size"] = ["Region", "ContentsCode"], [3, 2]
    with pytest.raises(SourceError, match="saknar dimensionen 'Tid'"):
        _parse(data)


@pytest.mark.parametrize("bad", ["12", True, [1], {"v": 1}])
def test_values_must_be_numbers_or_null(bad: object) -> None:
    data = _fixture("cube_index_object.json")
    data["value"][5] = bad
    with pytest.raises(SourceError, match="värdet på position 5"):
        _parse(data)


def test_index_must_number_the_categories() -> None:
    data = _fixture("cube_index_object.json")
    data["dimension"]["Tid"]["category"]["index"] = {"2023": 0, "2024": 2}
    with pytest.raises(SourceError, match="'Tid' har ett index som inte numrerar"):
        _parse(data)


def test_status_out_of_range_is_refused() -> None:
    data = _fixture("cube_index_object.json")
    data["status"] = {"12": ".."}
    with pytest.raises(SourceError, match="status på position '12'"):
        _parse(data)


def test_region_code_scb_does_not_use_is_refused() -> None:
    data = _fixture("cube_index_object.json")
    data["dimension"]["Region"]["category"]["index"] = {"1780": 0, "1780X0010": 1, "1780R001": 2}
    with pytest.raises(SourceError, match="'1780X0010'"):
        _parse(data)


# -- region codes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("00", ("00", "riket", "")),
        ("17", ("17", "lan", "")),
        ("01", ("01", "lan", "")),
        ("1780", ("1780", "kommun", "")),
        ("0180", ("0180", "kommun", "")),
        ("1780C1010", ("1780C1010", "deso", "2018")),
        ("0114A0010", ("0114A0010", "deso", "2018")),
        ("1780C1010_DeSO2025", ("1780C1010", "deso", "2025")),
        ("2584B2010_DeSO2025", ("2584B2010", "deso", "2025")),
        ("1780R001", ("1780R001", "regso", "2020")),
        ("1780R001_RegSO2025", ("1780R001", "regso", "2025")),
    ],
)
def test_classify_region_code(code: str, expected: tuple[str, str, str]) -> None:
    assert classify_region_code(code) == expected
    assert query_region_code(*expected) == code


@pytest.mark.parametrize(
    "code",
    [
        "",
        "0",
        "178",
        "17800",
        "1780D1010",
        "1780C101",
        "1780X0010",
        "1780C1010_DeSO2018",
        "1780R001_DeSO2025",
        "1780C1010_RegSO2025",
        "1780r001",
        "1780c1010",
        " 1780",
        "1780C1010_deso2025",
        "Karlstad",
    ],
)
def test_classify_region_code_refuses_other_codes(code: str) -> None:
    with pytest.raises(SourceError, match=f"Okänd regionkod {code!r}"):
        classify_region_code(code)


def test_classify_region_code_refuses_non_text() -> None:
    with pytest.raises(SourceError, match="inte text"):
        classify_region_code(1780)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("plain", "level", "vintage"),
    [("1780", "deso", "2025"), ("1780C1010", "regso", "2025"), ("1780C1010", "deso", "2020")],
)
def test_query_region_code_refuses_mismatched_parts(plain: str, level: str, vintage: str) -> None:
    with pytest.raises(SourceError, match=repr(plain)):
        query_region_code(plain, level, vintage)


# -- properties and speed --------------------------------------------------------------------

REGION_POOL = [
    "00",
    "17",
    "1780",
    "1780C1010",
    "1780C1010_DeSO2025",
    "1780R001",
    "1780R002_RegSO2025",
]


@st.composite
def cubes(draw: st.DrawFn) -> dict[str, Any]:
    """A random small json-stat2 cube with shuffled index order and random nulls."""
    extra = draw(st.integers(0, 2))
    ids = ["Region", *[f"D{k}" for k in range(extra)], "ContentsCode", "Tid"]
    pools = {
        "Region": REGION_POOL,
        "ContentsCode": ["C1", "C2", "C3"],
        "Tid": ["2022", "2023", "2024", "2024M01"],
    }
    dimension: dict[str, Any] = {}
    sizes = []
    for dim in ids:
        pool = pools.get(dim, [f"{dim}v{k}" for k in range(3)])
        codes = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True))
        as_list = draw(st.booleans())
        shuffled = draw(st.permutations(codes))  # key order in the object differs from index
        index: Any = codes if as_list else {c: codes.index(c) for c in shuffled}
        dimension[dim] = {"category": {"index": index, "label": {c: c.lower() for c in shuffled}}}
        sizes.append(len(codes))
    n = math.prod(sizes)
    values = draw(
        st.lists(
            st.one_of(st.none(), st.integers(-(10**6), 10**6), st.floats(-1e6, 1e6)),
            min_size=n,
            max_size=n,
        )
    )
    symbols = draw(st.lists(st.sampled_from([None, "..", ".", "-"]), min_size=n, max_size=n))
    status = {str(p): s for p, s in enumerate(symbols) if s is not None}
    return {"id": ids, "size": sizes, "dimension": dimension, "value": values, "status": status}


def _codes(cube: dict[str, Any], dim: str) -> list[str]:
    index = cube["dimension"][dim]["category"]["index"]
    return list(index) if isinstance(index, list) else sorted(index, key=index.__getitem__)


@settings(max_examples=50, deadline=None)
@given(cubes())
def test_every_cell_is_found_at_its_coordinates(cube: dict[str, Any]) -> None:
    frame = _parse(json.dumps(cube).encode())
    ids = cube["id"]
    coordinates = list(itertools.product(*(_codes(cube, dim) for dim in ids)))
    assert len(frame) == len(coordinates) == len(cube["value"])
    for position, (coords, row) in enumerate(zip(coordinates, frame.itertuples(), strict=True)):
        cell = dict(zip(ids, coords, strict=True))
        plain, level, vintage = classify_region_code(cell["Region"])
        assert (row.region_code, row.level, row.geo_vintage) == (plain, level, vintage)
        assert (row.variable, row.period) == (cell["ContentsCode"], cell["Tid"])
        others = {d: c for d, c in cell.items() if d not in ("Region", "ContentsCode", "Tid")}
        assert json.loads(row.dims) == others
        value, symbol = cube["value"][position], cube["status"].get(str(position))
        if value is None:
            assert math.isnan(row.value) and row.status == (symbol or "..")
        else:
            assert row.value == value
            assert (None if pd.isna(row.status) else row.status) == symbol


def test_150000_cells_parse_well_under_a_second() -> None:
    regions = [f"{k:04d}C{i:04d}_DeSO2025" for k in range(100, 200) for i in range(62)]
    sizes = [len(regions), 8, 3, 1, 1]  # 148 800 cells, just under maxDataCells
    rng = np.random.default_rng(3)
    values: list[Any] = rng.integers(0, 5000, math.prod(sizes)).tolist()
    for position in range(0, len(values), 17):
        values[position] = None
    payload = {
        "id": ["Region", "Alder", "Kon", "ContentsCode", "Tid"],
        "size": sizes,
        "dimension": {
            "Region": {"category": {"index": {c: i for i, c in enumerate(regions)}}},
            "Alder": {"category": {"index": [f"{a}-{a + 9}" for a in range(0, 80, 10)]}},
            "Kon": {"category": {"index": ["1", "2", "1+2"]}},
            "ContentsCode": {
                "category": {"index": ["000007Y7"], "unit": {"000007Y7": {"base": "antal"}}}
            },
            "Tid": {"category": {"index": ["2024"]}},
        },
        "value": values,
        "status": {str(p): ".." for p in range(0, len(values), 17)},
    }
    body = json.dumps(payload).encode()
    start = time.perf_counter()
    frame = _parse(body, "TAB6574")
    elapsed = time.perf_counter() - start
    assert len(frame) == 148_800
    assert frame["status"].eq("..").sum() == math.ceil(148_800 / 17)
    assert frame.iloc[-1]["region_code"] == "0199C0061" and frame.iloc[-1]["dims"] == (
        '{"Alder": "70-79", "Kon": "1+2"}'
    )
    assert elapsed < 1.0, f"parsing 148 800 cells took {elapsed:.2f} s"
