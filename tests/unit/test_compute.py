"""Observations → indicator values: kinds, suppression, joins, sources and output shape."""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd
import pytest

from sodd.errors import CatalogError
from sodd.indicators.catalog import Catalog, load_catalog, parse_catalog
from sodd.indicators.compute import compute_indicator_values
from sodd.schema import INDICATOR_VALUE_COLUMNS, OBSERVATION_COLUMNS


def _indicator(
    ident: str, kind: str, sources: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    return {
        "id": ident,
        "theme": "tema",
        "name_sv": ident,
        "name_en": ident,
        "description_sv": "-",
        "description_en": "-",
        "kind": kind,
        "unit": {"share": "procent", "rate": "per_10000", "count": "personer"}.get(kind, "tkr"),
        "direction": "neutral",
        "lowest_level": "deso",
        "attribution": "Källa: test",
        "disclosure_threshold": 0,
        "decimals": 1,
        "source": sources,
        **extra,
    }


TOTAL = {"variable": "v", "dims": {"Alder": ["tot"], "Kon": ["t"]}}
YOUNG = {"variable": "v", "dims": {"Alder": ["a", "b"], "Kon": ["t"]}}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return parse_catalog(
        {
            "schema_version": 1,
            "theme": [{"id": "tema", "name_sv": "Tema", "name_en": "Theme"}],
            "indicator": [
                _indicator(
                    "andel",
                    "share",
                    [
                        {
                            "provider": "scb",
                            "table_id": "T1",
                            "numerator": YOUNG,
                            "denominator": TOTAL,
                        }
                    ],
                    disclosure_threshold=50,
                ),
                _indicator(
                    "antal",
                    "count",
                    [{"provider": "scb", "table_id": "T1", "numerator": YOUNG}],
                ),
                _indicator(
                    "avhysningar",
                    "rate",
                    [
                        {
                            "provider": "kfm",
                            "table_id": "avh",
                            "numerator": {"variable": "verk", "dims": {}},
                            "denominator": {"provider": "scb", "table_id": "T1", **TOTAL},
                        }
                    ],
                    per=10000,
                ),
                _indicator(
                    "median",
                    "published",
                    [
                        {
                            "provider": "scb",
                            "table_id": "T2",
                            "value": {"variable": "med", "dims": {}},
                            "weight": {"variable": "pers", "dims": {}},
                        }
                    ],
                ),
                _indicator(
                    "median_utan_vikt",
                    "published",
                    [
                        {
                            "provider": "scb",
                            "table_id": "T2",
                            "value": {"variable": "med", "dims": {}},
                        }
                    ],
                ),
                _indicator(
                    "tva_kallor",
                    "count",
                    [
                        {"provider": "scb", "table_id": "OLD", "numerator": TOTAL},
                        {"provider": "scb", "table_id": "NEW", "numerator": TOTAL},
                    ],
                ),
            ],
        },
        "test.toml",
    )


def cell(
    dims: dict[str, str],
    value: float | None,
    status: str | None = None,
    *,
    region: str = "0114C1010",
    period: str = "2024",
    level: str = "deso",
    vintage: str = "2025",
    provider: str = "scb",
    table: str = "T1",
    variable: str = "v",
) -> dict[str, Any]:
    return {
        "provider": provider,
        "table_id": table,
        "variable": variable,
        "region_code": region,
        "geo_vintage": vintage,
        "level": level,
        "period": period,
        "dims": json.dumps(dims, sort_keys=True),
        "value": math.nan if value is None else float(value),
        "status": status,
        "unit": "antal",
        "fetched_at": "2026-01-01T00:00:00Z",
    }


def age(code: str, value: float | None, status: str | None = None, **kw: Any) -> dict[str, Any]:
    return cell({"Alder": code, "Kon": "t"}, value, status, **kw)


def population(a: float | None = 30, b: float | None = 20, tot: float | None = 200, **kw: Any):
    return [age("a", a, **kw), age("b", b, **kw), age("tot", tot, **kw)]


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(OBSERVATION_COLUMNS))


def compute(rows: list[dict[str, Any]], catalog: Catalog, *ids: str) -> pd.DataFrame:
    return compute_indicator_values(frame(rows), catalog, indicator_ids=list(ids) or None)


def one(result: pd.DataFrame, indicator_id: str, **where: str) -> dict[str, Any]:
    rows = result[result["indicator_id"] == indicator_id]
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, rows
    record: dict[str, Any] = rows.iloc[0].to_dict()
    return record


def nan_equal(a: object, b: object) -> bool:
    return (pd.isna(a) and pd.isna(b)) or a == b  # type: ignore[return-value]


# -------------------------------------------------------------------------- kinds


@pytest.mark.parametrize(
    ("indicator_id", "value", "numerator", "denominator", "provenance"),
    [
        ("andel", 25.0, 50.0, 200.0, "scb:T1"),
        ("antal", 50.0, 50.0, None, "scb:T1"),
        ("avhysningar", 7.5, 3.0, 4000.0, "kfm:avh; scb:T1"),
        ("median", 250.5, None, 1200.0, "scb:T2"),
        ("median_utan_vikt", 250.5, None, None, "scb:T2"),
    ],
)
def test_each_kind(
    catalog: Catalog,
    indicator_id: str,
    value: float,
    numerator: float | None,
    denominator: float | None,
    provenance: str,
) -> None:
    kommun = {"region": "0114", "level": "kommun", "vintage": ""}
    rows = [
        *population(),
        *population(a=1, b=1, tot=4000, **kommun),
        cell({}, 3, provider="kfm", table="avh", variable="verk", **kommun),
        cell({}, 250.5, table="T2", variable="med"),
        cell({}, 1200, table="T2", variable="pers"),
    ]
    result = compute(rows, catalog, indicator_id)
    # Evictions exist for the kommun only; the rest is checked on the DeSO.
    row = one(result, indicator_id, level="kommun" if indicator_id == "avhysningar" else "deso")
    assert row["value"] == pytest.approx(value)
    assert nan_equal(row["numerator"], numerator)
    assert nan_equal(row["denominator"], denominator)
    assert pd.isna(row["status"])
    assert row["provenance"] == provenance


def test_rate_has_no_rows_where_only_the_denominator_exists(catalog: Catalog) -> None:
    # The population exists for every DeSO; evictions only for the kommun.
    rows = [*population(), *population(tot=4000, region="0114", level="kommun", vintage="")]
    rows.append(
        cell(
            {},
            3,
            provider="kfm",
            table="avh",
            variable="verk",
            region="0114",
            level="kommun",
            vintage="",
        )
    )
    result = compute(rows, catalog, "avhysningar")
    assert result[["region_code", "level"]].values.tolist() == [["0114", "kommun"]]


# ------------------------------------------------------------ sums and suppression


def test_multi_code_selection_sums_its_codes(catalog: Catalog) -> None:
    result = compute(population(a=7, b=5), catalog)
    assert one(result, "antal")["value"] == 12
    assert one(result, "andel")["numerator"] == 12


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((None, ".."), (20, None), ".."),
        ((None, "."), (None, "."), "."),
        ((None, "."), (None, ".."), ".."),
        ((None, None), (20, None), ".."),  # null without a symbol is still not published
        ((30, "x"), (20, None), "x"),  # a symbol on a value withholds it as well
        ((30, ""), (20, None), None),  # an empty symbol is no symbol
    ],
    ids=["suppressed", "both-dot", "mixed", "null", "flagged", "empty-status"],
)
def test_withheld_part_withholds_the_whole_sum(
    catalog: Catalog,
    a: tuple[float | None, str | None],
    b: tuple[float | None, str | None],
    expected: str | None,
) -> None:
    rows = [age("a", *a), age("b", *b), age("tot", 200)]
    result = compute(rows, catalog, "antal", "andel")
    for indicator_id in ("antal", "andel"):
        row = one(result, indicator_id)
        assert nan_equal(row["status"], expected), indicator_id
        if expected is None:
            assert row["numerator"] == 50
        else:
            # Never the remaining part (20 or 30) alone.
            assert pd.isna(row["value"]) and pd.isna(row["numerator"])


def test_missing_code_makes_the_selection_incomplete(catalog: Catalog) -> None:
    rows = [age("a", 30), age("tot", 200)]  # no row at all for "b"
    result = compute(rows, catalog)
    for indicator_id in ("antal", "andel"):
        row = one(result, indicator_id)
        assert row["status"] == ".."
        assert pd.isna(row["value"]) and pd.isna(row["numerator"])
    assert one(result, "andel")["denominator"] == 200


def test_cells_with_other_dimensions_are_not_matched(catalog: Catalog) -> None:
    rows = [
        *population(),
        cell({"Alder": "a", "Kon": "t", "Extra": "x"}, 1000),  # a breakdown: extra key
        cell({"Alder": "b"}, 1000),  # a key short
        cell({"Alder": "c", "Kon": "t"}, 1000),  # a code not listed
        age("a", 1000, variable="other"),  # another variable
        age("a", 1000, table="T9"),  # another table
    ]
    assert one(compute(rows, catalog), "antal")["value"] == 50


# ------------------------------------------------------------------ denominators


@pytest.mark.parametrize(
    ("tot", "tot_status", "expected_status", "expected_value"),
    [
        (0, None, ".", None),
        (1, None, "few", None),
        (40, None, "few", None),
        (49, None, "few", None),
        (50, None, None, 100.0),
        (None, "..", "..", None),
    ],
    ids=["zero", "one", "few", "just-below", "at-threshold", "suppressed"],
)
def test_denominator_rules(
    catalog: Catalog,
    tot: float | None,
    tot_status: str | None,
    expected_status: str | None,
    expected_value: float | None,
) -> None:
    rows = [age("a", 30), age("b", 20), age("tot", tot, tot_status)]
    row = one(compute(rows, catalog, "andel"), "andel")
    assert nan_equal(row["status"], expected_status)
    assert nan_equal(row["value"], expected_value)
    # Numerator and denominator are published cells and stay stored.
    assert row["numerator"] == 50
    assert nan_equal(row["denominator"], tot)


def test_missing_denominator_row_withholds_the_value(catalog: Catalog) -> None:
    row = one(compute([age("a", 30), age("b", 20)], catalog, "andel"), "andel")
    assert row["status"] == ".."
    assert pd.isna(row["value"]) and pd.isna(row["denominator"])
    assert row["numerator"] == 50


def test_published_value_is_kept_when_the_weight_is_withheld(catalog: Catalog) -> None:
    rows = [
        cell({}, 250.5, table="T2", variable="med"),
        cell({}, None, "..", table="T2", variable="pers"),
    ]
    row = one(compute(rows, catalog, "median"), "median")
    assert row["value"] == 250.5 and pd.isna(row["status"]) and pd.isna(row["denominator"])
    rows = [
        cell({}, None, "..", table="T2", variable="med"),
        cell({}, 3, table="T2", variable="pers"),
    ]
    row = one(compute(rows, catalog, "median"), "median")
    assert row["status"] == ".." and pd.isna(row["value"]) and row["denominator"] == 3


# --------------------------------------------------------------------- vintages


def test_deso_vintages_are_never_mixed(catalog: Catalog) -> None:
    rows = [
        *population(a=10, b=10, tot=100, vintage="2018"),
        *population(a=30, b=20, tot=200, vintage="2025"),
        age("a", 5, region="0114C1020", vintage="2025"),
        age("b", 5, region="0114C1020", vintage="2025"),
        age("tot", 100, region="0114C1020", vintage="2018"),  # other vintage only
    ]
    result = compute(rows, catalog, "andel")
    assert one(result, "andel", region_code="0114C1010", geo_vintage="2018")["value"] == 20
    assert one(result, "andel", region_code="0114C1010", geo_vintage="2025")["value"] == 25
    other = one(result, "andel", region_code="0114C1020", geo_vintage="2025")
    assert other["status"] == ".." and pd.isna(other["denominator"])


def test_kommun_denominator_joins_regardless_of_vintage(catalog: Catalog) -> None:
    kommun = {"region": "0114", "level": "kommun"}
    rows = [
        cell({}, 3, provider="kfm", table="avh", variable="verk", vintage="2025", **kommun),
        age("tot", 4000, vintage="", **kommun),
    ]
    row = one(compute(rows, catalog, "avhysningar"), "avhysningar")
    assert row["value"] == pytest.approx(7.5)
    assert row["geo_vintage"] == "2025"  # the numerator's


# ---------------------------------------------------------------------- sources


def test_two_sources_across_years(catalog: Catalog) -> None:
    total = {"Alder": "tot", "Kon": "t"}
    rows = [
        cell(total, 100, table="OLD", period="2022", vintage="2018"),
        cell(total, 120, table="NEW", period="2024", vintage="2025"),
        # Kommun rows in both tables for 2023: the first source with a value wins.
        cell(total, 900, table="OLD", period="2023", region="0114", level="kommun", vintage=""),
        cell(total, 950, table="NEW", period="2023", region="0114", level="kommun", vintage=""),
        cell(
            total, None, "..", table="OLD", period="2021", region="0114", level="kommun", vintage=""
        ),
        cell(total, 800, table="NEW", period="2021", region="0114", level="kommun", vintage=""),
    ]
    result = compute(rows, catalog, "tva_kallor")
    got = result[["region_code", "period", "value", "provenance"]].values.tolist()
    assert got == [
        ["0114C1010", "2022", 100.0, "scb:OLD"],
        ["0114C1010", "2024", 120.0, "scb:NEW"],
        ["0114", "2021", 800.0, "scb:NEW"],
        ["0114", "2023", 900.0, "scb:OLD"],
    ]


# ------------------------------------------------------------------ output shape


def test_output_columns_dtypes_and_order(catalog: Catalog) -> None:
    rows = population(region="0114C1010") + population(region="0114", level="kommun", vintage="")
    for row in rows:
        row["period"] = 2024  # an integer period still comes out as text
    result = compute_indicator_values(frame(rows), catalog)
    assert list(result.columns) == list(INDICATOR_VALUE_COLUMNS)
    for column in ("indicator_id", "region_code", "geo_vintage", "level", "period", "status"):
        assert pd.api.types.is_string_dtype(result[column]), column
    for column in ("value", "numerator", "denominator"):
        assert result[column].dtype == "float64", column
    assert set(result["period"]) == {"2024"}
    assert "0114" in set(result["region_code"])  # leading zero kept
    keys = result[["indicator_id", "level", "region_code", "period"]].values.tolist()
    assert keys == sorted(keys)


def test_output_is_deterministic(catalog: Catalog) -> None:
    rows = []
    for i, region in enumerate(["0114C1010", "0114C1020", "1780C1010"]):
        for period in ("2023", "2024"):
            rows += population(a=10 + i, b=5, tot=100 + i, region=region, period=period)
    rows += [cell({}, 250.5, table="T2", variable="med"), cell({}, 12, table="T2", variable="pers")]
    first = compute(rows, catalog)
    again = compute(list(reversed(rows)), catalog)
    pd.testing.assert_frame_equal(first, again)
    assert len(first) == 6 * 2 + 2


def test_empty_observations_give_an_empty_typed_frame(catalog: Catalog) -> None:
    result = compute([], catalog)
    assert list(result.columns) == list(INDICATOR_VALUE_COLUMNS)
    assert result.empty
    assert pd.api.types.is_string_dtype(result["region_code"])
    assert result["value"].dtype == "float64"


def test_input_frame_is_not_modified(catalog: Catalog) -> None:
    observations = frame([age("a", None, ".."), age("b", 20), age("tot", 200)])
    before = observations.copy()
    compute_indicator_values(observations, catalog)
    pd.testing.assert_frame_equal(observations, before)


def test_real_catalog_on_population_cells() -> None:
    def pop(code: str, value: float) -> dict[str, Any]:
        return cell({"Alder": code, "Kon": "1+2"}, value, table="TAB6574", variable="000007Y7")

    ages = {"totalt": 400, "65-69": 20, "70-74": 20, "75-79": 10, "80-": 10}
    result = compute_indicator_values(
        frame([pop(code, value) for code, value in ages.items()]), load_catalog()
    )
    assert one(result, "andel_65_plus")["value"] == 15
    assert one(result, "andel_80_plus")["value"] == 2.5
    assert one(result, "folkmangd")["value"] == 400
    assert "andel_0_19" not in set(result["indicator_id"])  # no cells for it


# ----------------------------------------------------------------------- errors


@pytest.mark.parametrize("column", ["provider", "region_code", "geo_vintage", "dims", "status"])
def test_missing_column_is_named(catalog: Catalog, column: str) -> None:
    observations = frame(population()).drop(columns=column)
    with pytest.raises(ValueError, match=f"observations saknar kolumnen '{column}'"):
        compute_indicator_values(observations, catalog)


def test_unknown_indicator_id(catalog: Catalog) -> None:
    with pytest.raises(CatalogError, match='"finns_inte"'):
        compute(population(), catalog, "finns_inte")


def test_subset_of_indicators(catalog: Catalog) -> None:
    result = compute(population(), catalog, "antal", "antal")
    assert result["indicator_id"].tolist() == ["antal"]


def test_duplicate_cell_is_refused(catalog: Catalog) -> None:
    with pytest.raises(ValueError, match=r"samma cell mer än en gång: scb:T1.*0114C1010"):
        compute([*population(), age("a", 30)], catalog, "antal")


def test_dims_must_be_json(catalog: Catalog) -> None:
    rows = population()
    rows[0]["dims"] = "Alder=a"
    with pytest.raises(ValueError, match="ogiltig JSON: 'Alder=a'"):
        compute(rows, catalog, "antal")
