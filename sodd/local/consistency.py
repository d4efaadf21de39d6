"""Checks across rows of the kommun's own data: duplicates, parts above totals, consistency.

Each function gets the parsed rows (one per file row that read cleanly, with its ``row``
number) and returns problems naming the row, the file's header and the value.
"""

from __future__ import annotations

from typing import Any, Final

import pandas as pd

from sodd.local.problems import Problem, shown_value
from sodd.local.read import RawTable
from sodd.local.templates import COUNT_UNITS, INTERVENTION_PARTS, INTERVENTIONS, TOTAL

# Dimensions of each kind besides area and period (the key together with them).
DIMS: Final = {
    "kartlaggning": ("situation", "kon", "alder", "barn", "tid"),
    "insatser": ("insats", "enhet"),
    "indikator": ("indicator_id",),
}


def _n(value: Any) -> int:
    """A parsed count or row number as int (pandas scalars are typed loosely)."""
    return int(value)


def _n_float(value: Any) -> float:
    return float(value)


_NAMES: Final = {
    "situation": "situationerna",
    "kon": "könen",
    "alder": "åldersgrupperna",
    "barn": "grupperna med och utan barn",
    "tid": "tiderna i hemlöshet",
}


def table_problems(kind: str, rows: pd.DataFrame, table: RawTable) -> list[Problem]:
    """Every problem of the table as a whole (the cells are already read).

    Parameters
    ----------
    kind
        The kind of table.
    rows
        The parsed rows (see :class:`sodd.local.validate.LocalTable`).
    table
        The file's table, for its headers.

    Returns
    -------
    list of Problem
        In no particular order.
    """
    problems = _duplicates(kind, rows, table)
    if kind == "kartlaggning":
        for dim in DIMS[kind]:
            problems += _parts_above_total(rows, dim, table)
    elif kind == "insatser":
        problems += _intervention_parts(rows, table)
        problems += _months_above_year(rows, table)
    else:
        problems += _indicator_consistency(rows, table)
    return problems


def _duplicates(kind: str, rows: pd.DataFrame, table: RawTable) -> list[Problem]:
    key = ["region_code", "period", *DIMS[kind]]
    repeated = rows.loc[rows.duplicated(key, keep=False)]
    problems = []
    for _, group in repeated.groupby(key, sort=False):
        first = _n(group["row"].iloc[0])
        for number in group["row"].iloc[1:]:
            problems.append(
                Problem(_n(number), table.header_of("region"), str(group["region_code"].iloc[0]),
                        f"Samma område, period och grupp finns redan på rad {first}.")
            )  # fmt: skip
    return problems


def _parts_above_total(rows: pd.DataFrame, dim: str, table: RawTable) -> list[Problem]:
    others = ["region_code", "period", *(d for d in DIMS["kartlaggning"] if d != dim)]
    totals = rows.loc[rows[dim] == TOTAL]
    parts = rows.loc[rows[dim] != TOTAL]
    if totals.empty or parts.empty:
        return []
    sums = parts.groupby(others, sort=False)["value"].sum().rename("parts")
    joined = totals.join(sums, on=others, how="inner")
    problems = []
    for record in joined.loc[joined["parts"] > joined["value"]].itertuples():
        problems.append(
            Problem(_n(record.row), table.header_of("value"), shown_value(record.value),
                    f"Summan för {_NAMES[dim]} ({_n(record.parts)}) är större än totalen "
                    f"({_n(record.value)}) på denna rad.")
        )  # fmt: skip
    return problems


def _intervention_parts(rows: pd.DataFrame, table: RawTable) -> list[Problem]:
    problems = []
    key = ["region_code", "period", "enhet"]
    for part, whole in INTERVENTION_PARTS.items():
        wholes = rows.loc[rows["insats"] == whole, [*key, "value"]]
        parts = rows.loc[rows["insats"] == part]
        joined = parts.merge(wholes, on=key, suffixes=("", "_whole"))
        for record in joined.loc[joined["value"] > joined["value_whole"]].itertuples():
            problems.append(
                Problem(_n(record.row), table.header_of("value"), shown_value(record.value),
                        f"{INTERVENTIONS[part]} kan inte vara fler än {INTERVENTIONS[whole]} "
                        f"({_n(record.value_whole)}) samma period.")
            )  # fmt: skip
    return problems


def _months_above_year(rows: pd.DataFrame, table: RawTable) -> list[Problem]:
    months = rows.loc[rows["period"].str.len() == 7].assign(year=lambda f: f["period"].str[:4])
    years = rows.loc[rows["period"].str.len() == 4]
    if months.empty or years.empty:
        return []
    key = ["region_code", "insats", "enhet"]
    sums = months.groupby([*key, "year"], sort=False)["value"].sum().rename("months")
    joined = years.join(sums, on=[*key, "period"], how="inner")
    return [
        Problem(_n(record.row), table.header_of("value"), shown_value(record.value),
                f"Månaderna summerar till {_n(record.months)}, mer än helåret "
                f"({_n(record.value)}).")
        for record in joined.loc[joined["months"] > joined["value"]].itertuples()
    ]  # fmt: skip


def _indicator_consistency(rows: pd.DataFrame, table: RawTable) -> list[Problem]:
    problems = []
    counts = rows.loc[rows["unit"].isin(COUNT_UNITS)]
    for record in counts.itertuples():
        value = float(_n_float(record.value))
        if value < 0 or not value.is_integer():
            problems.append(
                Problem(_n(record.row), table.header_of("value"), shown_value(record.value),
                        f"Med enheten {record.unit} måste värdet vara ett heltal, 0 eller mer.")
            )  # fmt: skip
    for _, group in rows.groupby("indicator_id", sort=False):
        if group["name"].nunique() > 1:
            first = group.iloc[0]
            for record in group.loc[group["name"] != first["name"]].itertuples():
                problems.append(
                    Problem(_n(record.row), table.header_of("name"), shown_value(record.name),
                            f'Namnet liknar "{first["name"]}" på rad {_n(first["row"])} för '
                            "mycket; ge indikatorerna tydligt olika namn.")
                )  # fmt: skip
        for key in ("unit", "description", "source"):
            first = group.iloc[0]
            for record in group.loc[group[key] != first[key]].itertuples():
                problems.append(
                    Problem(_n(record.row), table.header_of(key),
                            shown_value(getattr(record, key)),
                            f'Indikatorn "{first["name"]}" har ett annat värde här än på rad '
                            f"{_n(first['row'])}; en indikator har en enhet, en beskrivning "
                            "och en källa.")
                )  # fmt: skip
    return problems
