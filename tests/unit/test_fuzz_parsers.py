"""Fuzzed inputs for every parser and importer: only documented errors, never partial writes.

Each target takes arbitrary bytes or a valid document with values, sizes, codes and
headers perturbed, truncated or re-encoded. It must either return its documented
contract or raise :class:`sodd.errors.SourceError` (the only error these parsers
document). ``bench/fuzz.py`` runs the same targets with many more examples.
"""

from __future__ import annotations

import copy
import io
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from sodd.crosswalk import import_crosswalk
from sodd.errors import SourceError
from sodd.importers import IMPORTERS, recognise, store_parsed
from sodd.schema import CROSSWALK_COLUMNS, OBSERVATION_COLUMNS, REGION_COLUMNS
from sodd.sources.jsonstat import parse_jsonstat
from sodd.sources.kolada_model import TARGETS, parse_kolada
from sodd.sources.pxweb_model import TableMetadata, parse_metadata
from sodd.sources.scb_geo_parse import parse_features
from sodd.sources.scb_keys import parse_kopplingstabell
from sodd.sources.tabular import read_sheets
from sodd.store import LOCK_NAME, Store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "http"
FETCHED = "2026-11-30T12:00:00Z"
# Stable in CI: the same examples every run, no example database, no deadline.
FAST = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- seeds: valid documents the mutations start from --------------------------------------


def _json_seed(path: str) -> Any:
    return json.loads((FIXTURES / path).read_text(encoding="utf-8"))


def _deso_page() -> dict[str, Any]:
    """The swapped-axes fixture turned back to [lon, lat]: a well-formed two-DeSO page."""
    page: dict[str, Any] = _json_seed("scb_geo/deso_2025_axes_swapped.json")
    for feature in page["features"]:
        ring = feature["geometry"]["coordinates"][0]
        feature["geometry"]["coordinates"] = [[[y, x] for x, y in ring]]
    return page


CUBES = [_json_seed("scb/cube_index_array.json"), _json_seed("scb/cube_index_object.json")]
KOLADA_PAGES = [
    _json_seed("kolada/data_bistand_p2.json"),
    _json_seed("kolada/data_vrakningar.json"),
]
KOLADA_KPIS = {"N31807": TARGETS[0], "N31816": TARGETS[1], "U00958": TARGETS[2]}
GEO_PAGES = [_deso_page()]

TABLE_ROWS: list[list[list[str]]] = [
    [
        ["Kommun", "År", "Ansökningar om avhysning", "Verkställda avhysningar", "Barn berörda"],
        ["1780 Karlstad", "2023", "1 120", "45", "12"],
        ["Karlstad", "2022", "98", "40", ".."],
        ["Riket", "2023", "6 923", "2 768", "674"],
    ],
    [
        ["Kommunkod", "Kommun", "Län", "Bedömning av bostadsmarknadsläget i kommunen", "År"],
        ["0114", "Upplands Väsby", "Stockholms län", "Underskott", "2024"],
        ["1780", "Karlstad", "Värmlands län", "balans", "2024"],
    ],
    [
        ["Kommun", "År", "Hushållstyp", "Antal hushåll", "Trångbodda", "Flyttar ofta"],
        ["1780", "2021", "Samtliga hushåll", "45 000", "3 100", "1 200"],
        ["1780", "2021", "Ensamstående med barn", "3 000", "400", "200"],
    ],
    [
        ["Kommun", "Akut hemlöshet", "Situation 2", "Situation 3", "Eget ordnat boende"],
        ["Stockholm", "785", "300", "1 300", "300"],
        ["Karlstad", "20", "10", "60", "12"],
    ],
]
KEY_ROWS: list[list[list[str]]] = [
    [
        ["Kommun", "Kommunnamn", "DeSO_2018", "RegSO_2020", "RegSOkod_2020"],
        ["1780", "Karlstad", "1780C1010", "Haga", "1780R012"],
        ["1780", "Karlstad", "1780C1020", "Haga", "1780R012"],
    ],
    [
        ["Kommun", "Kommunnamn", "DeSO_2025", "RegSOkod_2025", "RegSO_2025"],
        ["0114", "Upplands Väsby", "0114C1010", "0114R001", "Bollstanäs"],
        ["1780", "Karlstad", "1780C1010_DeSO2025", "1780R012_RegSO2025", "Haga"],
    ],
]
KEY_JSON = {
    "DeSO_2025": {"regso_code": "RegSOkod_2025", "regso_name": "RegSO_2025"},
    "1780C1010": {"regso_code": "1780R012", "regso_name": "Haga", "kommun_code": "1780"},
    "0114C1010": {"regso_code": "0114R001", "regso_name": "Bollstanäs", "kommun_code": "0114"},
}

# --- strategies ---------------------------------------------------------------------------

# Values that reach deep into the parsers: real codes, symbols, odd numbers and types.
INTERESTING = st.sampled_from(
    [
        "1780", "0114", "00", "1780C1010", "1780C1010_DeSO2025", "1780R001", "G33952",
        "Region", "Tid", "ContentsCode", "2023", "2023K1", "..", "-", "", " ", "x" * 300,
        "EPSG:3006", "T", "K", "Polygon", "MultiPolygon", "Situation 1", "Kommun", "År",
        "1 234,5", "1e309", "NaN", "\u2212", "\x00", "Å",
    ]
)  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**64),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    INTERESTING,
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=6), INTERESTING), inner, max_size=4),
    ),
    max_leaves=8,
)
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1", "ascii")


def _slots(node: Any, out: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Every (container, key) in a JSON tree, so a mutation can pick any of them."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, child in list(items):
        out.append((node, key))
        if isinstance(child, (dict, list)):
            _slots(child, out)
    return out


@st.composite
def _byte_mutation(draw: st.DrawFn, data: bytes) -> bytes:
    """Truncate, overwrite, insert, delete or re-encode a few spots of ``data``."""
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["truncate", "overwrite", "insert", "delete", "encode"]))
        # A position as a fraction keeps the draws the same when the seed's length is not
        # (an XLSX file carries its save time).
        at = len(data) * draw(st.integers(0, 1000)) // 1000
        if kind == "truncate":
            data = data[:at]
        elif kind == "overwrite":
            data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at + 8 :]
        elif kind == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 16)) :]
        else:
            text = data.decode("utf-8", errors="replace")
            data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    return data


@st.composite
def mutated_json(draw: st.DrawFn, seeds: list[Any]) -> bytes:
    """A seed document with a few values replaced, dropped or duplicated, maybe broken too."""
    doc = copy.deepcopy(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 4))):
        slots = _slots(doc, [])
        if not slots:
            break
        container, key = draw(st.sampled_from(slots))
        kind = draw(st.sampled_from(["replace", "replace", "drop", "duplicate"]))
        if kind == "replace":
            container[key] = draw(JSON_VALUES)
        elif kind == "drop":
            del container[key]
        elif isinstance(container, list):
            container.insert(key, copy.deepcopy(container[key]))
        else:
            container[draw(INTERESTING)] = copy.deepcopy(container[key])
    data = json.dumps(doc, ensure_ascii=draw(st.booleans())).encode()
    return draw(_byte_mutation(data)) if draw(st.integers(0, 3)) == 0 else data


@st.composite
def mutated_rows(draw: st.DrawFn, seeds: list[list[list[str]]]) -> list[list[Any]]:
    """A seed table with cells, rows and headers perturbed."""
    rows: list[list[Any]] = [list(row) for row in draw(st.sampled_from(seeds))]
    cell = st.one_of(st.text(max_size=10), INTERESTING, st.integers(-(10**6), 10**6), st.none())
    for _ in range(draw(st.integers(1, 5))):
        r = draw(st.integers(0, len(rows) - 1))
        kind = draw(st.sampled_from(["cell", "cell", "drop_row", "dup_row", "drop_col"]))
        if kind == "cell" and rows[r]:
            rows[r][draw(st.integers(0, len(rows[r]) - 1))] = draw(cell)
        elif kind == "drop_row" and len(rows) > 1:
            del rows[r]
        elif kind == "dup_row":
            rows.insert(r, list(rows[r]))
        elif kind == "drop_col" and rows[r]:
            del rows[r][draw(st.integers(0, len(rows[r]) - 1))]
    return rows


def _csv(rows: list[list[Any]], sep: str) -> str:
    return "".join(sep.join("" if c is None else str(c) for c in row) + "\n" for row in rows)


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@st.composite
def tabular_file(draw: st.DrawFn, seeds: list[list[list[str]]]) -> tuple[bytes, str]:
    """(bytes, file name): mutated CSV or XLSX, a broken XLSX, or plain garbage."""
    name = draw(st.sampled_from(["fil", "hemloshet_2023", "bme-2024", "koppling_deso2025"]))
    kind = draw(st.sampled_from(["csv", "csv", "xlsx", "garbage"]))
    if kind == "garbage":
        ext = draw(st.sampled_from(["csv", "xlsx", "txt", "json"]))
        return draw(st.binary(max_size=600)), f"{name}.{ext}"
    rows = draw(mutated_rows(seeds))
    if kind == "xlsx":
        data = _xlsx(rows)
        return (draw(_byte_mutation(data)) if draw(st.booleans()) else data), f"{name}.xlsx"
    text = _csv(rows, draw(st.sampled_from([";", ",", "\t"])))
    data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    return (draw(_byte_mutation(data)) if draw(st.booleans()) else data), f"{name}.csv"


def _json_or_bytes(seeds: list[Any]) -> st.SearchStrategy[bytes]:
    return st.one_of(mutated_json(seeds), st.binary(max_size=600))


# --- targets: call, then check the contract -----------------------------------------------


def check_jsonstat(data: bytes) -> None:
    try:
        frame = parse_jsonstat(data, table_id="TAB1", fetched_at=FETCHED)
    except SourceError:
        return
    assert tuple(frame.columns) == tuple(OBSERVATION_COLUMNS)
    assert all(isinstance(code, str) for code in frame["region_code"])


def check_metadata(data: bytes) -> None:
    try:
        meta = parse_metadata(data)
    except SourceError:
        return
    assert isinstance(meta, TableMetadata)


def check_geo(data: bytes) -> None:
    try:
        frame = parse_features([data], "stat:DeSO_2025")
    except SourceError:
        return
    assert set(REGION_COLUMNS) <= set(frame.columns)
    assert all(isinstance(code, str) for code in frame["region_code"])


def check_kolada(data: bytes) -> None:
    try:
        frame = parse_kolada(data, KOLADA_KPIS, fetched_at=FETCHED)
    except SourceError:
        return
    assert tuple(frame.columns) == tuple(OBSERVATION_COLUMNS)


def check_tabular(file: tuple[bytes, str]) -> None:
    data, filename = file
    try:
        sheets = read_sheets(data, filename)
    except SourceError:
        pass
    else:
        assert isinstance(sheets, list)
    for importer in IMPORTERS.values():
        try:
            parsed = importer.read(data, filename)
        except SourceError:
            continue
        assert tuple(parsed.observations.columns) == tuple(OBSERVATION_COLUMNS)


def check_keys(file: tuple[bytes, str]) -> None:
    data, filename = file
    try:
        frame = parse_kopplingstabell(data, name=filename)
    except SourceError:
        return
    assert tuple(frame.columns) == tuple(CROSSWALK_COLUMNS)


@st.composite
def key_file(draw: st.DrawFn) -> tuple[bytes, str]:
    """A mutated key file: CSV/XLSX rows or the JSON variant."""
    if draw(st.integers(0, 3)) == 0:
        return draw(mutated_json([KEY_JSON])), "koppling.json"
    return draw(tabular_file(KEY_ROWS))


@dataclass(frozen=True)
class FuzzTarget:
    """One parser under fuzzing: its inputs and the check of one input."""

    name: str
    inputs: st.SearchStrategy[Any]
    check: Callable[[Any], None]


TARGETS_UNDER_FUZZ = (
    FuzzTarget("jsonstat.parse_jsonstat", _json_or_bytes(CUBES), check_jsonstat),
    FuzzTarget("pxweb_model.parse_metadata", _json_or_bytes(CUBES), check_metadata),
    FuzzTarget("scb_geo_parse.parse_features", _json_or_bytes(GEO_PAGES), check_geo),
    FuzzTarget("kolada_model.parse_kolada", _json_or_bytes(KOLADA_PAGES), check_kolada),
    FuzzTarget("tabular + agency read_*", tabular_file(TABLE_ROWS), check_tabular),
    FuzzTarget("scb_keys.parse_kopplingstabell", key_file(), check_keys),
)


# --- no partial writes ----------------------------------------------------------------------


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (except the lock file, which a writer may create) as bytes."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != LOCK_NAME
    }


def seeded_store(folder: Path) -> Store:
    """A store holding one imported file, so a failed import has something to spoil."""
    store = Store(folder / "data")
    data = _csv(TABLE_ROWS[3], ";").encode()
    importer, parsed = recognise(data, "hemloshet_2023.csv")
    store_parsed(store, importer, parsed, data, "hemloshet_2023.csv")
    return store


def check_no_partial_write(store: Store, file: tuple[bytes, str], folder: Path) -> None:
    """Import ``file`` both ways; a refused file must leave the store byte-identical."""
    data, filename = file
    before = snapshot(store.data_dir)
    try:
        importer, parsed = recognise(data, filename)
        store_parsed(store, importer, parsed, data, filename)
    except SourceError:
        assert snapshot(store.data_dir) == before
    before = snapshot(store.data_dir)
    source = folder / "upload" / filename
    source.parent.mkdir(exist_ok=True)
    source.write_bytes(data)
    try:
        import_crosswalk(store, source)
    except SourceError:
        assert snapshot(store.data_dir) == before


# --- the fast subset ------------------------------------------------------------------------


@pytest.mark.parametrize("target", TARGETS_UNDER_FUZZ, ids=lambda t: t.name)
def test_parser_returns_its_contract_or_a_source_error(target: FuzzTarget) -> None:
    @FAST
    @given(target.inputs)
    def run(value: Any) -> None:
        target.check(value)

    run()


def test_refused_imports_leave_store_byte_identical() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        store = seeded_store(folder)
        assert snapshot(store.data_dir)  # there is something to spoil

        @settings(FAST, max_examples=25)
        @given(st.one_of(tabular_file(TABLE_ROWS), key_file()))
        def run(file: tuple[bytes, str]) -> None:
            check_no_partial_write(store, file, folder)

        run()


# --- regressions: crashes the fuzzing found, now refused with a SourceError ----------------


def _cube(**changes: Any) -> bytes:
    return json.dumps({**CUBES[0], **changes}).encode()


def test_found_crashes_are_source_errors() -> None:
    with pytest.raises(SourceError, match="saknar dimensionen 'Region'"):
        parse_jsonstat(_cube(id=[None, "ContentsCode", "Tid"]), table_id="T", fetched_at=FETCHED)
    with pytest.raises(SourceError, match="'id' innehåller annat än texter"):
        parse_metadata(_cube(id=[["Region"], "ContentsCode", "Tid"]))
    assert parse_metadata(_cube(note=5)).notes == ()
    page = {**GEO_PAGES[0], "crs": {"type": "name", "properties": None}}
    with pytest.raises(SourceError, match="koordinatsystemet"):
        parse_features([json.dumps(page).encode()], "stat:DeSO_2025")
    row = {"kpi": "N31807", "municipality": "1780", "period": 2023}
    for cells, message in (([None], "felaktigt värde"), ([{"gender": "T", "value": "x"}], "tal")):
        with pytest.raises(SourceError, match=message):
            parse_kolada({"values": [{**row, "values": cells}]}, KOLADA_KPIS, fetched_at=FETCHED)
    with pytest.raises(SourceError, match="varken UTF-8 eller Windows-1252"):
        parse_kopplingstabell(b"Kommun;DeSO_2025\n1780;\x81\xff\n", name="k.csv")
    short_row = "Kommun;Verkställda avhysningar;År\n1780;45\n".encode()
    with pytest.raises(SourceError, match="inget år"):
        IMPORTERS["kronofogden"].read(short_row, "avhysningar.csv")
