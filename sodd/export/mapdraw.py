"""Project area polygons to a small drawing: rings of points in a box. Pure.

The HTML (SVG) and PDF exports draw the area inside its kommun with their own
primitives from these rings, so neither needs a map library or the network.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

Ring = list[tuple[float, float]]


def _polygons(geometry: BaseGeometry) -> Iterator[Polygon]:
    if isinstance(geometry, Polygon):
        yield geometry
    elif isinstance(geometry, MultiPolygon):
        yield from geometry.geoms
    elif hasattr(geometry, "geoms"):
        for part in geometry.geoms:
            yield from _polygons(part)


def project_rings(
    layers: list[BaseGeometry | None], width: float, height: float, margin: float = 4.0
) -> list[list[Ring]]:
    """Fit the geometries (EPSG:4326) into a ``width`` × ``height`` box, y pointing down.

    Longitude is scaled by the cosine of the mean latitude, so shapes in Sweden are
    not stretched sideways.

    Parameters
    ----------
    layers
        Geometries to draw, bottom first; ``None`` or empty gives no rings.
    width, height
        The box.
    margin
        Empty border inside the box.

    Returns
    -------
    list of list of rings
        Per layer, every exterior and interior ring as ``(x, y)`` points.
    """
    present = [g for g in layers if g is not None and not g.is_empty]
    if not present:
        return [[] for _ in layers]
    minx = min(g.bounds[0] for g in present)
    miny = min(g.bounds[1] for g in present)
    maxx = max(g.bounds[2] for g in present)
    maxy = max(g.bounds[3] for g in present)
    aspect = math.cos(math.radians((miny + maxy) / 2.0))
    span_x = max((maxx - minx) * aspect, 1e-9)
    span_y = max(maxy - miny, 1e-9)
    scale = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
    # Centre the drawing in the box.
    off_x = (width - span_x * scale) / 2.0
    off_y = (height - span_y * scale) / 2.0

    def point(lon: float, lat: float) -> tuple[float, float]:
        return (off_x + (lon - minx) * aspect * scale, off_y + (maxy - lat) * scale)

    result: list[list[Ring]] = []
    for geometry in layers:
        rings: list[Ring] = []
        if geometry is not None and not geometry.is_empty:
            for polygon in _polygons(geometry):
                for ring in (polygon.exterior, *polygon.interiors):
                    rings.append([point(x, y) for x, y, *_ in ring.coords])
        result.append(rings)
    return result


def svg_path(rings: list[Ring]) -> str:
    """SVG path data for rings (draw with ``fill-rule="evenodd"`` so holes stay holes)."""
    parts = []
    for ring in rings:
        if ring:
            points = " L".join(f"{x:.1f},{y:.1f}" for x, y in ring)
            parts.append(f"M{points} Z")
    return " ".join(parts)
