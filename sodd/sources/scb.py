"""SCB table specs derived from the indicator catalog, and the pure steps around a fetch.

The catalog (``catalog.toml``) is the only list of what sodd needs from SCB: for each
table, :func:`build_table_specs` takes the union of the content codes and dimension
codes its selections name. Before a fetch, :func:`validate_spec` checks the spec
against the table's live metadata (SCB renames codes between table versions), and
:func:`build_selection` turns spec, scope and levels into concrete value codes. After
the fetch, :func:`drop_structurally_empty` removes the cells a vintage cannot have.

Nothing here touches the network; :mod:`sodd.refresh_scb` drives the client.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import pandas as pd

from sodd.errors import SourceError
from sodd.indicators.catalog import Catalog, FrozenDims, load_catalog
from sodd.sources.pxweb import TableMetadata, Variable
from sodd.sources.scb_scope import DISTRICT_LEVELS, Scope, select_region_codes

__all__ = [
    "DISTRICT_LEVELS",
    "PROVIDER",
    "Scope",
    "TableSpec",
    "build_selection",
    "build_table_specs",
    "contents_variable",
    "drop_structurally_empty",
    "region_variable",
    "select_region_codes",
    "summarize_selection",
    "time_variable",
    "validate_spec",
]

PROVIDER: Final = "scb"
_YEAR: Final = re.compile(r"^(\d{4})")


@dataclass(frozen=True)
class TableSpec:
    """What sodd needs from one SCB table: content codes and codes per other variable.

    Attributes
    ----------
    table_id
        SCB's table id, e.g. ``"TAB6574"``.
    contents
        ``ContentsCode`` values, in catalog order.
    dims
        Every other variable besides region and time, with the codes to select.
    """

    table_id: str
    contents: tuple[str, ...]
    dims: FrozenDims

    def as_json(self) -> dict[str, Any]:
        """Return the spec as plain JSON data (kept in the manifest to detect catalog changes)."""
        return {
            "contents": sorted(self.contents),
            "dims": {name: sorted(codes) for name, codes in self.dims.items()},
        }


def build_table_specs(catalog: Catalog | None = None) -> tuple[TableSpec, ...]:
    """Derive one spec per SCB table from the catalog's selections.

    Parameters
    ----------
    catalog
        The catalog; the packaged one when omitted.

    Returns
    -------
    tuple of TableSpec
        In order of first use in the catalog; contents and codes are the union of
        what every selection of that table names.
    """
    catalog = catalog if catalog is not None else load_catalog()
    contents: dict[str, dict[str, None]] = {}
    dims: dict[str, dict[str, dict[str, None]]] = {}
    for selection in catalog.selections():
        if selection.provider != PROVIDER:
            continue
        contents.setdefault(selection.table_id, {})[selection.variable] = None
        table_dims = dims.setdefault(selection.table_id, {})
        for name, codes in selection.dims.items():
            table_dims.setdefault(name, {}).update(dict.fromkeys(codes))
    return tuple(
        TableSpec(
            table_id,
            tuple(contents[table_id]),
            FrozenDims({name: tuple(codes) for name, codes in dims[table_id].items()}),
        )
        for table_id in contents
    )


def _find(metadata: TableMetadata, role: str, fallback: str) -> Variable:
    for variable in metadata.variables:
        if variable.role == role:
            return variable
    for variable in metadata.variables:
        if variable.code.lower() == fallback.lower():
            return variable
    raise SourceError(
        f"Tabellen {metadata.table_id} hos SCB saknar variabeln {fallback} ({role}); "
        "tabellens uppbyggnad har ändrats."
    )


def region_variable(metadata: TableMetadata) -> Variable:
    """Return the geography variable (SCB calls it ``Region`` and sets no ``role.geo``)."""
    return _find(metadata, "geo", "Region")


def time_variable(metadata: TableMetadata) -> Variable:
    """Return the time variable (``role.time``, normally ``Tid``)."""
    return _find(metadata, "time", "Tid")


def contents_variable(metadata: TableMetadata) -> Variable:
    """Return the contents variable (``role.metric``, normally ``ContentsCode``)."""
    return _find(metadata, "metric", "ContentsCode")


def validate_spec(spec: TableSpec, metadata: TableMetadata) -> None:
    """Check that the table still has every variable and code the spec needs.

    Also refuses a table with a variable the spec does not select: left out of the
    query, SCB would eliminate (sum or total) it, and the stored ``dims`` would no
    longer match the catalog's selections.

    Parameters
    ----------
    spec
        The table spec from the catalog.
    metadata
        The table's metadata as read from SCB just now.

    Raises
    ------
    SourceError
        Naming the table and every missing variable or code, and every
        unselected variable, in one Swedish message.
    """
    problems: list[str] = []
    contents = contents_variable(metadata)
    fixed = {region_variable(metadata).code, time_variable(metadata).code, contents.code}
    known = set(contents.values)
    for code in spec.contents:
        if code not in known:
            problems.append(f"innehållskoden {code!r} finns inte i variabeln {contents.code}")
    by_code = {variable.code: variable for variable in metadata.variables}
    for name, codes in spec.dims.items():
        variable = by_code.get(name)
        if variable is None:
            problems.append(f"variabeln {name!r} finns inte")
            continue
        missing = [code for code in codes if code not in set(variable.values)]
        if missing:
            noun = "koden" if len(missing) == 1 else "koderna"
            shown = ", ".join(repr(code) for code in missing)
            problems.append(f"variabeln {name} saknar {noun} {shown}")
    for variable in metadata.variables:
        if variable.code not in fixed and variable.code not in spec.dims:
            problems.append(
                f"variabeln {variable.code!r} ({variable.label}) väljs inte av katalogen och "
                "skulle summeras bort, så katalogens urval skulle inte stämma"
            )
    if problems:
        raise SourceError(
            f"Tabellen {spec.table_id} hos SCB stämmer inte längre med indikatorkatalogen: "
            + "; ".join(problems)
            + ". SCB kan ha bytt namn på något; uppdatera catalog.toml innan tabellen hämtas."
        )


def build_selection(
    spec: TableSpec,
    metadata: TableMetadata,
    scope: Scope,
    levels: Sequence[str],
    first_year: int,
) -> dict[str, tuple[str, ...]]:
    """Build the concrete query selection for one table.

    Parameters
    ----------
    spec
        The validated table spec (see :func:`validate_spec`).
    metadata
        The table's metadata.
    scope, levels
        See :func:`select_region_codes`.
    first_year
        First reference year; every later period the table has is selected.

    Returns
    -------
    dict of str to tuple of str
        Variable code to value codes, every variable of the table named, codes in
        metadata order. Region or time may be empty when the table has nothing in
        the scope, levels or years.

    Raises
    ------
    SourceError
        When a time code does not start with a year.
    """
    region = region_variable(metadata)
    time = time_variable(metadata)
    contents = contents_variable(metadata)
    periods = []
    for code in time.values:
        match = _YEAR.match(code)
        if match is None:
            raise SourceError(
                f"Tabellen {spec.table_id}: tidskoden {code!r} börjar inte med ett årtal."
            )
        if int(match[1]) >= first_year:
            periods.append(code)
    selection = {
        region.code: select_region_codes(region.values, scope, levels),
        contents.code: _in_order(contents.values, spec.contents),
    }
    for name, codes in spec.dims.items():
        for variable in metadata.variables:
            if variable.code == name:
                selection[name] = _in_order(variable.values, codes)
    selection[time.code] = tuple(periods)
    return selection


def _in_order(values: Sequence[str], wanted: Iterable[str]) -> tuple[str, ...]:
    wanted_set = set(wanted)
    return tuple(code for code in values if code in wanted_set)


def summarize_selection(selection: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """Short description of a selection for the manifest: counts, first and last codes."""
    return {
        name: {"antal": len(codes), "forsta": codes[0], "sista": codes[-1]}
        if len(codes) > 3
        else list(codes)
        for name, codes in selection.items()
    }


def drop_structurally_empty(observations: pd.DataFrame) -> pd.DataFrame:
    """Drop the cells a DeSO/RegSO vintage cannot have, keeping real suppression.

    SCB puts both vintages in one Region variable and did not recompute old years on
    the new areas: a 2018/2020 code is null for 2024 onwards and a 2025 code is null
    before 2024 (data-sources §1.2). Those nulls arrive with the same ``..`` status as
    suppressed cells, but they are not statistics: stored as ``..`` they would show up
    as thousands of "protected" values and make every indicator of those areas
    withheld. A whole ``(geo_vintage, period)`` block that is null in the response is
    such an empty block; a suppressed cell always sits among published ones, so it is
    kept. Kommun, län and riket rows (``geo_vintage`` ``""``) are never dropped.

    Parameters
    ----------
    observations
        Parsed observations of one table (all responses of one fetch together).

    Returns
    -------
    pandas.DataFrame
        The rows kept, with a fresh index.
    """
    vintaged = observations["geo_vintage"].fillna("") != ""
    keys = [observations["geo_vintage"], observations["period"]]
    published = observations["value"].notna().groupby(keys, dropna=False).transform("any")
    keep = ~vintaged | published.astype(bool)
    return observations.loc[keep].reset_index(drop=True)
