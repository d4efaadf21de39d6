"""The maps `make bench` measures: real polygons from ../shared and their made-up values."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Polygon

from sodd.indicators.catalog import Indicator
from sodd.map_view import Scope
from sodd.schema import INDICATOR_VALUE_COLUMNS

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Case:
    """One map measured: its districts (in scope), the scope drawn and its target."""

    label: str
    regions: gpd.GeoDataFrame
    scope: Scope
    target: str  # "national", "kommun", "national-ratio" (real polygons) or "" (none)
    context: gpd.GeoDataFrame | None = None


def shared_dir() -> Path:
    """The shared folder: ``SODD_SHARED_DIR`` when set, else ``../shared``."""
    configured = os.environ.get("SODD_SHARED_DIR")
    return Path(configured) if configured else ROOT.parent / "shared"


def _regions(
    codes: list[str], kommun: list[str], vintage: str, geoms: list[Any]
) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "region_code": codes,
            "geo_vintage": vintage,
            "level": "deso",
            "name": codes,
            "kommun_code": kommun,
            "lan_code": [k[:2] for k in kommun],
            "parent_code": "",
        },
        geometry=geoms,
        crs="EPSG:4326",
    )


def load_stockholm(shared: Path) -> gpd.GeoDataFrame:
    """Stockholms län, DeSO 2018 (1 287 areas), from the shared copy."""
    frame = gpd.read_file(shared / "data/geo/deso_2018_stockholms_lan_simplified_with_pop.json")
    return _regions(
        frame["id"].astype(str).tolist(), frame["kommun"].astype(str).tolist(), "2018",
        list(frame.geometry),
    )  # fmt: skip


def load_karlstad(shared: Path) -> gpd.GeoDataFrame:
    """Karlstad, DeSO 2025 (57 areas); the file's rings are [lat, lon]."""
    areas = json.loads((shared / "data/geo/karlstad_deso2025_am-dashboard.json").read_text())
    codes = [a["code"].removesuffix("_DeSO2025") for a in areas["areas"]]
    geoms = [Polygon([(lon, lat) for lat, lon in a["rings"][0]]) for a in areas["areas"]]
    return _regions(codes, [c[:4] for c in codes], "2025", geoms)


def load_goteborg(shared: Path) -> gpd.GeoDataFrame:
    """Göteborg, DeSO 2025 (320 areas) at SCB's full WFS resolution."""
    frame = gpd.read_file(shared / "data/geo/goteborg_deso2025_wfs_response.geojson")
    codes = frame["desokod"].astype(str).tolist()
    return _regions(codes, [c[:4] for c in codes], "2025", list(frame.geometry))


def synthetic_values(regions: gpd.GeoDataFrame, indicator: Indicator, seed: int) -> pd.DataFrame:
    """One year of made-up values for every area (the bench measures drawing, not data)."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({c: [None] * len(regions) for c in INDICATOR_VALUE_COLUMNS})
    return frame.assign(
        indicator_id=indicator.id, region_code=regions["region_code"].to_numpy(),
        geo_vintage=regions["geo_vintage"].to_numpy(), level="deso", period=str(2020 + seed),
        value=rng.uniform(2, 40, len(regions)).round(1),
    )  # fmt: skip


def real_cases(shared: Path) -> list[Case]:
    """The maps on real polygons from the shared folder."""
    stockholm, goteborg = load_stockholm(shared), load_goteborg(shared)
    return [
        Case("Stockholms län DeSO 2018 (real)", stockholm, Scope("lan", "01"), ""),
        Case("Stockholm kommun DeSO 2018 (real)",
             stockholm.loc[stockholm["kommun_code"] == "0180"], Scope("kommun", "0180"), "kommun"),
        Case("Karlstad DeSO 2025 (real)", load_karlstad(shared), Scope("kommun", "1780"),
             "kommun"),
        Case("Göteborg DeSO 2025 (real, full WFS resolution)", goteborg, Scope("kommun", "1480"),
             "kommun"),
        Case("Göteborg DeSO 2025, national-map settings (real, full WFS resolution)", goteborg,
             Scope("riket"), "national-ratio"),
    ]  # fmt: skip
