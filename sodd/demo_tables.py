"""Turn the demo model's tables into the long ``observations`` frame.

The finest level of each table is drawn by :mod:`sodd.demo_scb` and
:mod:`sodd.demo_kommun`; this module adds every higher level (counts are sums,
published shares and medians are weighted means), applies SCB's suppression
rule and writes one row per cell. String columns are built as Arrow dictionary
arrays, which keeps a full build (about five million rows) fast and small.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa

from sodd import demo_kommun, demo_scb
from sodd.demo_model import DemoTable, Floats, Ints, RawTable, draw_districts
from sodd.schema import LEVELS, OBSERVATION_COLUMNS, REGION_COLUMNS, RIKET_CODE, STATUS_SUPPRESSED

Objects = npt.NDArray[np.object_]
_SMALL = 5  # SCB: cells based on fewer than five households or persons are shown as ".."


@dataclass(frozen=True)
class Hierarchy:
    """Codes of every level and, for each DeSO, the index of its region at each level."""

    codes: dict[str, Objects]
    index: dict[str, Ints]
    vintage: str

    def parents(self, base: str, level: str) -> Ints:
        """Index at ``level`` of each region of level ``base``."""
        first = np.unique(self.index[base], return_index=True)[1]
        out: Ints = self.index[level][first]
        return out


def _hierarchy(regions: gpd.GeoDataFrame) -> tuple[Hierarchy, Floats]:
    """Read the DeSO rows of ``regions``: their parents at every level and their areas (km²)."""
    if not isinstance(regions, gpd.GeoDataFrame):
        raise ValueError(f"regions måste vara en GeoDataFrame, inte {type(regions).__name__}.")
    missing = [c for c in REGION_COLUMNS if c not in regions.columns]
    if missing:
        raise ValueError(f"I regions saknas kolumnen {', '.join(missing)}.")
    if regions.crs is None or regions.crs.to_epsg() != 4326:
        raise ValueError("regions måste ha koordinatsystemet EPSG:4326.")
    deso = regions[regions["level"] == "deso"].sort_values("region_code")
    if deso.empty:
        raise ValueError("regions saknar rader med level 'deso'; exempeldata byggs från dem.")
    for column in ("parent_code", "kommun_code", "lan_code"):
        if deso[column].isna().any():
            raise ValueError(f"Kolumnen {column} saknar värde för någon DeSO i regions.")
    columns = {
        "deso": deso["region_code"],
        "regso": deso["parent_code"],
        "kommun": deso["kommun_code"],
        "lan": deso["lan_code"],
        "riket": pd.Series(RIKET_CODE, index=deso.index),
    }
    codes: dict[str, Objects] = {}
    index: dict[str, Ints] = {}
    for level, series in columns.items():
        uniques, inverse = np.unique(series.to_numpy(dtype=object), return_inverse=True)
        codes[level], index[level] = uniques, inverse.astype(np.int64)
    vintages = deso["geo_vintage"].unique()
    area = deso.geometry.to_crs("EPSG:3006").area.to_numpy() / 1e6
    return Hierarchy(codes, index, str(vintages[0])), np.maximum(area, 1e-3)


def _level_values(raw: RawTable, h: Hierarchy, level: str) -> tuple[Floats, np.ndarray]:
    """Values and suppression mask of ``raw`` at ``level``."""
    base = raw.spec.levels[0]
    if level == base:
        values = raw.values.copy()
    else:
        idx, n = h.parents(base, level), len(h.codes[level])
        values = demo_kommun.sum_by(raw.values, idx, n)
        for cell, weight in raw.weights.items():
            w = raw.values[..., weight] if isinstance(weight, int) else weight
            values[..., cell] = demo_kommun.mean_by(raw.values[..., cell], w, idx, n)
    for cell, decimals in raw.decimals.items():
        values[..., cell] = np.round(values[..., cell], decimals)
    hidden = np.zeros(values.shape, dtype=bool)
    if raw.small_parts:
        parts = list(raw.small_parts)
        hidden[..., parts] = values[..., parts] < _SMALL
    if level == base and raw.hidden is not None:
        hidden |= raw.hidden[..., None]
    values[hidden] = np.nan
    return values, hidden


def _dictionary(
    values: np.ndarray, indices: np.ndarray, mask: np.ndarray | None = None
) -> pa.Array:
    uniques, inverse = np.unique(np.asarray(values, dtype=object), return_inverse=True)
    return pa.DictionaryArray.from_arrays(
        inverse[indices].astype(np.int32), uniques.astype(object), mask=mask
    )


def _chunk(raw: RawTable, h: Hierarchy, level: str, fetched_at: str) -> dict[str, pa.Array]:
    """One table at one level as Arrow arrays, one entry per observation column."""
    values, hidden = _level_values(raw, h, level)
    n, years, cells = values.shape
    rows = n * years * cells
    cell = np.tile(np.arange(cells), n * years)
    zeros = np.zeros(rows, dtype=np.int64)
    vintage = h.vintage if level in ("deso", "regso") else ""

    def constant(text: str) -> pa.Array:
        return _dictionary(np.array([text], dtype=object), zeros)

    flat_hidden = hidden.reshape(-1)
    return {
        "provider": constant(raw.spec.provider),
        "table_id": constant(raw.spec.table_id),
        "variable": _dictionary(np.array(raw.variables, dtype=object), cell),
        "region_code": _dictionary(h.codes[level], np.repeat(np.arange(n), years * cells)),
        "geo_vintage": constant(vintage),
        "level": constant(level),
        "period": _dictionary(
            np.array(raw.spec.periods, dtype=object), np.tile(np.repeat(np.arange(years), cells), n)
        ),
        "dims": _dictionary(np.array(raw.dims, dtype=object), cell),
        "value": pa.array(values.reshape(-1), type=pa.float64()),
        "status": _dictionary(np.array([STATUS_SUPPRESSED], dtype=object), zeros, ~flat_hidden),
        "unit": _dictionary(np.array(raw.units, dtype=object), cell),
        "fetched_at": constant(fetched_at),
    }


def draw_tables(regions: gpd.GeoDataFrame, seed: int) -> tuple[list[RawTable], Hierarchy]:
    """Draw every demo table at its finest level from the DeSO rows of ``regions``."""
    h, area = _hierarchy(regions)
    rng = np.random.default_rng(seed)
    d = draw_districts(area, h.index["regso"], h.index["kommun"], rng)
    household_table, households = demo_scb.households(d, rng)
    n_kommun, n_regso = len(h.codes["kommun"]), len(h.codes["regso"])
    tables = [
        demo_scb.population(d),
        *demo_scb.background(d, rng),
        household_table,
        demo_scb.labour(d, rng),
        *demo_scb.education(d, rng),
        *demo_scb.housing(d, households, rng),
        *demo_scb.income(d, rng),
        demo_kommun.kolada(d, h.index["kommun"], n_kommun, rng),
        demo_kommun.boverket(d, households, h.index["regso"], n_regso, rng),
        demo_kommun.area_type(d, h.index["regso"], n_regso),
        demo_kommun.kronofogden(d, h.index["kommun"], n_kommun, rng),
        demo_kommun.socialstyrelsen(d, h.index["kommun"], n_kommun, rng),
    ]
    # Drawn last, so the tables above keep the values they had before these were added.
    kommun_pop = demo_kommun.sum_by(d.pop.astype(float), h.index["kommun"], n_kommun)
    evictions = next(raw for raw in tables if raw.spec.provider == "kronofogden")
    tables += [
        demo_kommun.kolada_evictions(evictions, kommun_pop),
        demo_kommun.bme(d, h.index["kommun"], n_kommun, rng),
        demo_kommun.kommungrupp(d, h.index["kommun"], n_kommun),
    ]
    return tables, h


def build_observations(
    regions: gpd.GeoDataFrame, seed: int, fetched_at: str
) -> tuple[pd.DataFrame, tuple[DemoTable, ...]]:
    """Build the observations frame and the list of tables it holds."""
    tables, h = draw_tables(regions, seed)
    chunks = [
        _chunk(raw, h, level, fetched_at)
        for raw in tables
        for level in LEVELS
        if level in raw.spec.levels
    ]
    columns: dict[str, pd.Series] = {}
    for name in OBSERVATION_COLUMNS:
        # Pop each column's pieces as it is converted, so they are freed early.
        arrays = pa.chunked_array([chunk.pop(name) for chunk in chunks])
        if name == "value":
            columns[name] = pd.Series(arrays.to_numpy(), dtype="float64")
        else:
            columns[name] = pd.Series(arrays.cast(pa.string()), dtype="str")
    return pd.DataFrame(columns), tuple(raw.spec for raw in tables)
