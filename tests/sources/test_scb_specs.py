"""SCB table specs: derived from the catalog, checked against real metadata, turned into queries."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sodd.errors import SourceError
from sodd.indicators.catalog import FrozenDims, load_catalog
from sodd.sources.pxweb import TableMetadata, Variable
from sodd.sources.scb import (
    Scope,
    TableSpec,
    build_selection,
    build_table_specs,
    drop_structurally_empty,
    select_region_codes,
    validate_spec,
)

EXCERPTS = Path("data") / "scb" / "v2_metadata_excerpts"
SPECS = {spec.table_id: spec for spec in build_table_specs()}


def metadata_from_excerpt(path: Path) -> TableMetadata:
    """A TableMetadata built from one of the recorded metadata excerpts in ../shared."""
    data = json.loads(path.read_text(encoding="utf-8"))
    roles = {code: role for role, codes in data["role"].items() for code in codes}
    variables = []
    for code in data["id"]:
        dim = data["dimensions"][code]
        labels = dict(dim["categories"])
        variables.append(
            Variable(
                code=code,
                label=dim["label"],
                values=tuple(labels),
                labels=labels,
                elimination=bool(dim["extension"].get("elimination")),
                role=roles.get(code),  # no role.geo, as SCB sends it
            )
        )
    units = {k: v["base"] for k, v in data["dimensions"]["ContentsCode"]["units"].items()}
    return TableMetadata(
        table_id=data["table_id"],
        label=data["label"],
        updated=data["updated"],
        variables=tuple(variables),
        notes=tuple(data.get("notes", ())),
        units=units,
        raw=path.read_bytes(),
    )


def without_code(metadata: TableMetadata, variable: str, code: str) -> TableMetadata:
    """A copy of ``metadata`` in which ``variable`` no longer has ``code``."""
    changed = []
    for var in metadata.variables:
        if var.code == variable:
            var = dataclasses.replace(
                var,
                values=tuple(v for v in var.values if v != code),
                labels={k: v for k, v in var.labels.items() if k != code},
            )
        changed.append(var)
    return dataclasses.replace(metadata, variables=tuple(changed))


def small_metadata(
    regions: list[str], *, years: tuple[str, ...] = ("2023", "2024")
) -> TableMetadata:
    def var(code: str, values: tuple[str, ...], role: str | None) -> Variable:
        return Variable(code, code.lower(), values, {v: v for v in values}, False, role)

    return TableMetadata(
        table_id="TABX",
        label="Testtabell",
        updated="2026-01-01T00:00:00Z",
        variables=(
            var("Region", tuple(regions), None),
            var("Kon", ("1", "2", "1+2"), None),
            var("ContentsCode", ("A", "B"), "metric"),
            var("Tid", years, "time"),
        ),
        notes=(),
        units={"A": "antal", "B": "antal"},
        raw=b"{}",
    )


SMALL_SPEC = TableSpec("TABX", ("B",), FrozenDims({"Kon": ["1+2"]}))


# ------------------------------------------------------------------ derived from the catalog


def test_specs_are_the_union_of_the_catalogs_scb_selections() -> None:
    expected_contents: dict[str, set[str]] = {}
    expected_dims: dict[str, dict[str, set[str]]] = {}
    for sel in load_catalog().selections():
        if sel.provider != "scb":
            continue
        expected_contents.setdefault(sel.table_id, set()).add(sel.variable)
        dims = expected_dims.setdefault(sel.table_id, {})
        for name, codes in sel.dims.items():
            dims.setdefault(name, set()).update(codes)
    assert set(SPECS) == set(expected_contents)
    for table_id, spec in SPECS.items():
        assert set(spec.contents) == expected_contents[table_id]
        assert {k: set(v) for k, v in spec.dims.items()} == expected_dims[table_id]
        assert len(spec.contents) == len(set(spec.contents))


def test_specs_include_the_main_tables_of_both_vintages() -> None:
    for table_id in ("TAB6574", "TAB6571", "TAB6572", "TAB6568", "TAB6683", "TAB6684"):
        assert table_id in SPECS
    # Education and tenure come as an old (DeSO 2018) and a new (DeSO 2025) table.
    assert {"TAB5956", "TAB6534", "TAB6258", "TAB6638"} <= set(SPECS)
    assert SPECS["TAB6574"].dims["Kon"] == ("1+2",)
    assert "totalt" in SPECS["TAB6574"].dims["Alder"]
    assert SPECS["TAB6684"].dims == {}


# ------------------------------------------------------------------ checked against metadata


@pytest.mark.shared
@pytest.mark.parametrize("table_id", sorted(SPECS))
def test_validate_spec_accepts_the_recorded_metadata(shared_dir: Path, table_id: str) -> None:
    path = shared_dir / EXCERPTS / f"{table_id}.json"
    assert path.is_file(), f"no recorded metadata for {table_id}"
    validate_spec(SPECS[table_id], metadata_from_excerpt(path))


@pytest.mark.shared
@pytest.mark.parametrize("table_id", sorted(SPECS))
def test_validate_spec_names_table_and_code_when_a_code_is_gone(
    shared_dir: Path, table_id: str
) -> None:
    metadata = metadata_from_excerpt(shared_dir / EXCERPTS / f"{table_id}.json")
    spec = SPECS[table_id]
    cases = [("ContentsCode", spec.contents[-1])]
    cases += [(name, codes[-1]) for name, codes in spec.dims.items()]
    for variable, code in cases:
        with pytest.raises(SourceError) as caught:
            validate_spec(spec, without_code(metadata, variable, code))
        message = str(caught.value)
        assert table_id in message
        assert repr(code) in message
        assert variable in message


@pytest.mark.shared
def test_validate_spec_refuses_a_variable_the_spec_does_not_select(shared_dir: Path) -> None:
    metadata = metadata_from_excerpt(shared_dir / EXCERPTS / "TAB6684.json")
    extra = Variable("Kon", "kön", ("1", "2", "1+2"), {}, True, None)
    changed = dataclasses.replace(metadata, variables=(*metadata.variables, extra))
    with pytest.raises(SourceError, match=r"TAB6684.*'Kon'.*summeras bort"):
        validate_spec(SPECS["TAB6684"], changed)


@pytest.mark.shared
def test_validate_spec_names_a_variable_that_is_gone(shared_dir: Path) -> None:
    metadata = metadata_from_excerpt(shared_dir / EXCERPTS / "TAB6574.json")
    changed = dataclasses.replace(
        metadata, variables=tuple(v for v in metadata.variables if v.code != "Kon")
    )
    with pytest.raises(SourceError, match=r"TAB6574.*variabeln 'Kon' finns inte"):
        validate_spec(SPECS["TAB6574"], changed)


# ------------------------------------------------------------------ selections


@pytest.mark.shared
def test_build_selection_for_karlstad_takes_both_vintages_and_comparators(
    shared_dir: Path,
) -> None:
    metadata = metadata_from_excerpt(shared_dir / EXCERPTS / "TAB6574.json")
    selection = build_selection(
        SPECS["TAB6574"], metadata, Scope("kommun", "1780"), ("deso", "regso"), 2020
    )
    regions = selection["Region"]
    deso_2018 = [c for c in regions if len(c) == 9 and c[4] in "ABC"]
    deso_2025 = [c for c in regions if c.endswith("_DeSO2025")]
    regso_2020 = [c for c in regions if len(c) == 8 and c[4] == "R"]
    regso_2025 = [c for c in regions if c.endswith("_RegSO2025")]
    assert (len(deso_2018), len(deso_2025), len(regso_2020), len(regso_2025)) == (53, 57, 31, 31)
    assert "1780C1040" in deso_2018 and "1780C1041_DeSO2025" in deso_2025
    assert "1780C1041" not in regions  # a 2025-only area has no plain code
    # Comparators: riket and the kommun; the excerpt has no län 17 row, so none is asked for.
    assert {"00", "1780"} <= set(regions) and "17" not in regions
    assert len(regions) == 2 + 53 + 57 + 31 + 31
    assert all(c in ("00", "1780") or c.startswith("1780") for c in regions)
    assert list(regions) == [c for c in metadata.variable("Region").values if c in set(regions)]
    assert selection["Tid"] == tuple(str(y) for y in range(2020, 2026))
    assert selection["ContentsCode"] == ("000007Y7",)
    assert selection["Kon"] == ("1+2",)
    assert len(selection["Alder"]) == 18 and selection["Alder"][0] == "totalt"
    assert list(selection) == ["Region", "ContentsCode", "Alder", "Kon", "Tid"]


@pytest.mark.shared
def test_build_selection_for_one_level_keeps_the_comparators(shared_dir: Path) -> None:
    metadata = metadata_from_excerpt(shared_dir / EXCERPTS / "TAB6574.json")
    regions = build_selection(
        SPECS["TAB6574"], metadata, Scope("kommun", "1780"), ("regso",), 2024
    )["Region"]
    assert len(regions) == 2 + 31 + 31
    assert not any(c[4:5] in ("A", "B", "C") for c in regions)


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (
            Scope("kommun", "1780"),
            {"00", "17", "1780", "1780C1010", "1780C1010_DeSO2025", "1780R001_RegSO2025"},
        ),
        (
            Scope("lan", "17"),
            {"00", "17", "1780", "1760", "1780C1010", "1780C1010_DeSO2025", "1760A0010",
             "1780R001_RegSO2025"},
        ),
        (
            Scope("riket"),
            {"00", "17", "18", "1780", "1760", "1880", "1780C1010", "1780C1010_DeSO2025",
             "1760A0010", "1880C1010", "1780R001_RegSO2025"},
        ),
    ],
)  # fmt: skip
def test_select_region_codes_by_scope(scope: Scope, expected: set[str]) -> None:
    values = [
        "00", "17", "1760", "1760A0010", "1780", "1780C1010", "1780C1010_DeSO2025",
        "1780R001_RegSO2025", "18", "1880", "1880C1010", "NOT-A-CODE",
    ]  # fmt: skip
    assert set(select_region_codes(values, scope, ("deso", "regso"))) == expected


def test_build_selection_filters_years_and_orders_codes() -> None:
    metadata = small_metadata(["00", "1780", "1780R001"], years=("2019", "2020", "2024"))
    selection = build_selection(SMALL_SPEC, metadata, Scope("kommun", "1780"), ("regso",), 2020)
    assert selection == {
        "Region": ("00", "1780", "1780R001"),
        "ContentsCode": ("B",),
        "Kon": ("1+2",),
        "Tid": ("2020", "2024"),
    }
    later = build_selection(SMALL_SPEC, metadata, Scope("kommun", "1780"), ("regso",), 2030)
    assert later["Tid"] == ()


def test_build_selection_refuses_a_time_code_without_a_year() -> None:
    metadata = small_metadata(["00"], years=("2024", "senaste"))
    with pytest.raises(SourceError, match=r"TABX.*'senaste'"):
        build_selection(SMALL_SPEC, metadata, Scope("riket"), ("deso",), 2020)


@pytest.mark.parametrize(
    ("kind", "code"), [("kommun", "178"), ("kommun", None), ("lan", "1780"), ("by", "1")]
)
def test_scope_refuses_bad_codes(kind: str, code: str | None) -> None:
    with pytest.raises(ValueError):
        Scope(kind, code)


def test_scope_labels() -> None:
    assert Scope("kommun", "1780").label_sv() == "kommun 1780"
    assert Scope("lan", "17").label_sv() == "län 17"
    assert Scope("riket", "00").code is None


# ------------------------------------------------------------------ structurally empty cells


def test_drop_structurally_empty_keeps_suppressed_cells() -> None:
    rows = [
        # region, vintage, level, period, value, status
        ("1780C1010", "2018", "deso", "2023", 10.0, None),
        ("1780C1020", "2018", "deso", "2023", np.nan, ".."),  # suppressed among values
        ("1780C1010", "2018", "deso", "2024", np.nan, ".."),  # 2018 code in 2024: empty
        ("1780C1020", "2018", "deso", "2024", np.nan, ".."),
        ("1780C1010", "2025", "deso", "2023", np.nan, ".."),  # 2025 code before 2024: empty
        ("1780C1010", "2025", "deso", "2024", 12.0, None),
        ("1780R001", "2025", "regso", "2024", np.nan, ".."),  # suppressed, same block
        ("1780", "", "kommun", "2023", np.nan, ".."),  # kommun rows are never dropped
    ]
    frame = pd.DataFrame(
        rows, columns=["region_code", "geo_vintage", "level", "period", "value", "status"]
    )
    kept = drop_structurally_empty(frame)
    assert list(zip(kept["region_code"], kept["geo_vintage"], kept["period"], strict=True)) == [
        ("1780C1010", "2018", "2023"),
        ("1780C1020", "2018", "2023"),
        ("1780C1010", "2025", "2024"),
        ("1780R001", "2025", "2024"),
        ("1780", "", "2023"),
    ]
    assert kept["status"].tolist()[1] == ".." and math.isnan(kept["value"].tolist()[1])
