"""`make bench`, map part: payload and re-render time of the map layer against naive ways.

On real polygons (Stockholms län DeSO 2018 and Karlstad DeSO 2025 from ../shared) and
on the synthetic national demo set, side by side:

- payload: bytes of the Deck JSON the browser receives, against the naive full-resolution
  GeoJSON (``json.dumps`` of the unsimplified GeoDataFrame's ``__geo_interface__``; the
  Stockholm and Karlstad copies were already simplified by their authors, Göteborg is
  SCB's WFS answer at full resolution);
- re-render: time to rebuild the Deck after the indicator or year changed, with the
  geometry records cached (:func:`sodd.map_view.build_layer_geometry` once, then
  :func:`sodd.map_records.apply_values` per rerun), against rebuilding from the
  GeoDataFrame on every rerun (join, simplify, records). Both include ``Deck.to_json``,
  which Streamlit runs on every rerun.

Targets are printed beside the figures. Results are also merged into
``bench/results/results.json`` (a list of ``{name, value, unit, baseline, ratio}``;
the folder is git-ignored). Runs standalone or from ``bench/run.py``.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Polygon

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sodd.geo import join_values, regions_in_scope, simplify_for_display
from sodd.indicators.catalog import Indicator, load_catalog
from sodd.map_view import Scope, build_layer_geometry
from sodd.maps import build_deck, classify
from sodd.pipeline import install_demo
from sodd.schema import INDICATOR_VALUE_COLUMNS
from sodd.store import Store

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "results.json"
NATIONAL_MAX_BYTES = 3_000_000
NATIONAL_MIN_RATIO = 20.0
KOMMUN_MAX_BYTES = 300_000
RERENDER_MIN_RATIO = 10.0


def _shared_dir() -> Path:
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


def _median_seconds(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(
    label: str,
    regions: gpd.GeoDataFrame,
    scope: Scope,
    indicator: Indicator,
    year_values: list[pd.DataFrame],
    context: gpd.GeoDataFrame | None = None,
) -> list[dict[str, Any]]:
    """Payload and re-render figures for one map (``regions`` already in scope)."""
    vintage = str(regions["geo_vintage"].iloc[0])
    naive_bytes = len(json.dumps(regions.__geo_interface__).encode("utf-8"))
    with_context = regions if context is None else pd.concat([regions, context])
    layer_start = time.perf_counter()
    layer = build_layer_geometry(with_context, "deso", vintage, scope)
    layer_seconds = time.perf_counter() - layer_start
    assert layer is not None

    def fast(values: pd.DataFrame) -> str:
        classification = classify(values["value"], "quantiles", indicator)
        return build_deck(values, indicator, classification, "sv", layer=layer).to_json()

    def naive(values: pd.DataFrame) -> str:
        joined = join_values(regions, values)
        classification = classify(joined["value"], "quantiles", indicator)
        outlines = None if context is None else simplify_for_display(context, scope.kind)
        shown = simplify_for_display(joined, scope.kind)
        return build_deck(shown, indicator, classification, "sv", context=outlines).to_json()

    payload = len(fast(year_values[0]).encode("utf-8"))
    cycle = iter(range(10_000))
    fast_s = _median_seconds(lambda: fast(year_values[next(cycle) % len(year_values)]), 7)
    naive_s = _median_seconds(lambda: naive(year_values[next(cycle) % len(year_values)]), 3)
    return [
        {"name": f"{label}: map payload", "value": payload, "unit": "bytes",
         "baseline": naive_bytes, "ratio": round(naive_bytes / payload, 1)},
        {"name": f"{label}: re-render after indicator/year change", "value": round(fast_s, 4),
         "unit": "s", "baseline": round(naive_s, 4), "ratio": round(naive_s / fast_s, 1)},
        {"name": f"{label}: first render (geometry records, cached after)",
         "value": round(layer_seconds, 4), "unit": "s", "baseline": None, "ratio": None},
    ]  # fmt: skip


def _target(row: dict[str, Any], scope_kind: str) -> str:
    if row["unit"] == "bytes" and scope_kind == "riket":
        ok = row["value"] <= NATIONAL_MAX_BYTES and row["ratio"] >= NATIONAL_MIN_RATIO
        return f"≤ 3 MB and ≥ 20× smaller: {'met' if ok else 'MISSED'}"
    if row["unit"] == "bytes" and scope_kind == "kommun":
        return f"≤ 300 KB: {'met' if row['value'] <= KOMMUN_MAX_BYTES else 'MISSED'}"
    if row["unit"] == "s" and row["ratio"] is not None:
        return f"≥ 10× faster: {'met' if row['ratio'] >= RERENDER_MIN_RATIO else 'MISSED'}"
    return ""


def _shown(value: float, unit: str) -> str:
    if unit == "bytes":
        return f"{value / 1000:,.0f} KB".replace(",", " ")
    return f"{value * 1000:,.1f} ms".replace(",", " ")


def write_results(rows: list[dict[str, Any]], path: Path = RESULTS) -> None:
    """Merge rows into the results file, replacing earlier rows of the same name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        earlier = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        earlier = []
    names = {row["name"] for row in rows}
    kept = [row for row in earlier if isinstance(row, dict) and row.get("name") not in names]
    path.write_text(json.dumps(kept + rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main(store: Store | None = None) -> list[dict[str, Any]]:
    """Run the map bench, print it and write the results file.

    Parameters
    ----------
    store
        A store holding the full national demo (``bench/run.py`` passes its own); one
        is built in a temporary folder when omitted.
    """
    indicator = load_catalog().get("lag_ekonomisk_standard")
    rows: list[tuple[dict[str, Any], str]] = []
    skipped: list[str] = []
    shared = _shared_dir()
    if (shared / "data" / "geo").is_dir():
        stockholm = load_stockholm(shared)
        karlstad = load_karlstad(shared)
        for label, regions, scope in (
            ("Stockholms län DeSO 2018 (real)", stockholm, Scope("lan", "01")),
            ("Stockholm kommun DeSO 2018 (real)",
             stockholm.loc[stockholm["kommun_code"] == "0180"], Scope("kommun", "0180")),
            ("Karlstad DeSO 2025 (real)", karlstad, Scope("kommun", "1780")),
            ("Göteborg DeSO 2025 (real, full WFS resolution)", load_goteborg(shared),
             Scope("kommun", "1480")),
        ):  # fmt: skip
            years = [synthetic_values(regions, indicator, seed) for seed in (1, 2, 3)]
            rows += [(r, scope.kind) for r in measure(label, regions, scope, indicator, years)]
    else:
        skipped.append(f"real-polygon rows skipped: ../shared not found at {shared}")
    with tempfile.TemporaryDirectory() as folder:
        if store is None:
            store = Store(Path(folder))
            install_demo(store)
        regions = store.read_regions()
        values = store.read(
            "indicator_values",
            filters=[("indicator_id", "==", indicator.id), ("level", "==", "deso")],
        )
        periods = sorted(values["period"].unique())[-3:]
        for label, scope in (
            ("national demo DeSO (synthetic)", Scope("riket")),
            ("one kommun demo DeSO (synthetic, 1780)", Scope("kommun", "1780")),
        ):
            code = scope.code if scope.kind == "kommun" else None
            districts = regions_in_scope(regions, "deso", kommun_code=code)
            context = regions_in_scope(regions, "kommun") if scope.kind == "riket" else None
            years = [values.loc[values["period"] == p] for p in periods]
            if code is not None:
                years = [y.loc[y["region_code"].str.startswith(code)] for y in years]
            found = measure(label, districts, scope, indicator, years, context)
            rows += [(r, scope.kind) for r in found]
    print("sodd bench: map layer (payload and re-render)")
    width = max(len(r["name"]) for r, _ in rows)
    print(f"  {'':<{width}}  {'sodd':>10}  {'naive':>10}  {'ratio':>7}  target")
    for row, kind in rows:
        baseline = "" if row["baseline"] is None else _shown(row["baseline"], row["unit"])
        ratio = "" if row["ratio"] is None else f"{row['ratio']:.1f}×"
        print(
            f"  {row['name']:<{width}}  {_shown(row['value'], row['unit']):>10}  "
            f"{baseline:>10}  {ratio:>7}  {_target(row, kind)}"
        )
    for line in skipped:
        print(f"  {line}")
    national = next((r for r, kind in rows if kind == "riket" and r["unit"] == "bytes"), None)
    if national is not None and national["baseline"] < 20 * NATIONAL_MAX_BYTES:
        # The ratio target assumes SCB's full-resolution layer as the naive payload.
        print(
            f"  note: the synthetic districts are coarse cells (naive GeoJSON "
            f"{national['baseline'] / 1e6:.1f} MB); the ≥ 20× target is set against SCB's "
            "full-resolution national DeSO GeoJSON (about 62 MB, data-sources §5.4), which "
            "is not available offline here."
        )
    results = [row for row, _ in rows]
    write_results(results)
    print(f"  results written to {RESULTS.relative_to(ROOT)}")
    return results


if __name__ == "__main__":
    main()
