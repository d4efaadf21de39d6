"""Pure parsing of SCB WFS GeoJSON pages into the regions contract.

Pages in, one GeoDataFrame out (:data:`sodd.schema.REGION_COLUMNS`, EPSG:4326): codes
checked against SCB's formats, axis order checked against Sweden's extent, polygons
made valid, duplicates across pages merged, features without geometry counted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from sodd.errors import SourceError
from sodd.schema import REGION_COLUMNS
from sodd.sources.scb_geo_model import MalformedPageError, WfsLayer, get_layer, load_page

_CODE: Final = {"deso": re.compile(r"^\d{4}[ABC]\d{4}$"), "regso": re.compile(r"^\d{4}R\d{3}$")}
# Statistikdatabasen writes 2025 codes with a suffix; the WFS should not, but normalise anyway.
_SUFFIX: Final = re.compile(r"_(DeSO|RegSO)\d{4}$", re.IGNORECASE)
# Sweden lies within lon 10–25, lat 55–70; the two boxes do not overlap, so the
# coordinates of a whole layer say unambiguously which axis comes first.
_LON: Final = (10.0, 25.0)
_LAT: Final = (55.0, 70.0)
_WGS84_NAMES: Final = re.compile(r"(EPSG(:|::|/0/)4326|CRS84)$", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedLayer:
    """The result of parsing one layer's pages.

    Attributes
    ----------
    layer
        The layer parsed.
    regions
        One row per area with a polygon (the regions contract, EPSG:4326), sorted by code.
    without_geometry
        Codes of features that came with ``geometry: null``; kept out of ``regions``.
    axes_swapped
        Whether the coordinates arrived as [lat, lon] and were swapped.
    duplicates
        Features repeated across pages (same code, same content) that were dropped.
    without_parent
        DeSO whose feature had no ``regsokod``; their ``parent_code`` is empty until
        the key file of their vintage fills it (:func:`sodd.crosswalk.fill_parent_codes`).
    """

    layer: WfsLayer
    regions: gpd.GeoDataFrame
    without_geometry: tuple[str, ...]
    axes_swapped: bool
    duplicates: int
    without_parent: tuple[str, ...] = ()


def _within(bounds: np.ndarray, xs: tuple[float, float], ys: tuple[float, float]) -> bool:
    minx, miny, maxx, maxy = bounds
    return bool(xs[0] <= minx and maxx <= xs[1] and ys[0] <= miny and maxy <= ys[1])


def _check_crs(page: Mapping[str, Any], where: str) -> None:
    crs = page.get("crs")
    if crs is None:  # absent or null: nothing declared, the coordinates decide
        return
    props = crs.get("properties") if isinstance(crs, dict) else None
    if isinstance(props, dict):
        name = str(props.get("name", ""))
    else:
        name = "" if isinstance(crs, dict) else str(crs)
    if not _WGS84_NAMES.search(name.strip()):
        raise SourceError(f"{where} är i koordinatsystemet {name!r}, men sodd bad om EPSG:4326.")


def _text(value: object, attribute: str, where: str, pattern: re.Pattern[str]) -> str:
    # A code that is not text has lost its leading zeros (or never was a code).
    if isinstance(value, str):
        value = _SUFFIX.sub("", value.strip())
        if pattern.fullmatch(value):
            return value
    raise SourceError(f"{where} har {attribute} {value!r}, som inte är en giltig kod.")


def _attributes(props: Mapping[str, Any], layer: WfsLayer, where: str) -> dict[str, str]:
    """The contract's text columns of one feature, checked."""
    code = _text(props.get(layer.code_attribute), layer.code_attribute, where, _CODE[layer.level])
    kommun = props.get("kommunkod", code[:4])
    lan = props.get("lanskod", code[:2])
    if kommun != code[:4] or lan != code[:2]:
        raise SourceError(
            f"{where}: {layer.code_attribute} {code} passar inte kommunkod {kommun!r} "
            f"och lanskod {lan!r}."
        )
    version = props.get("version")
    if isinstance(version, str) and not version.startswith(layer.geo_vintage):
        raise SourceError(
            f"{where} har version {version!r}, men lagret {layer.type_name} ska vara "
            f"från {layer.geo_vintage}; indelningarna får inte blandas."
        )
    if layer.level == "deso":
        raw_parent = props.get("regsokod")
        # A layer published without the attribute (older schemas, a trimmed
        # propertyName) leaves the parent to SCB's key file; a wrong code is an error.
        missing = raw_parent is None or (isinstance(raw_parent, str) and not raw_parent.strip())
        parent = "" if missing else _text(raw_parent, "regsokod", where, _CODE["regso"])
        name = code  # DeSO have no names at SCB, only codes
    else:
        parent = kommun
        raw_name = props.get("regsonamn")
        name = raw_name.strip() if isinstance(raw_name, str) and raw_name.strip() else code
    return {
        "region_code": code,
        "geo_vintage": layer.geo_vintage,
        "level": layer.level,
        "name": name,
        "kommun_code": kommun,
        "lan_code": lan,
        "parent_code": parent,
    }


def _polygon_parts(geometry: BaseGeometry) -> list[BaseGeometry]:
    if geometry.geom_type == "Polygon":
        return [] if geometry.is_empty else [geometry]
    if geometry.geom_type in ("MultiPolygon", "GeometryCollection"):
        return [p for sub in geometry.geoms for p in _polygon_parts(sub)]  # type: ignore[attr-defined]
    return []  # lines and points left over by make_valid carry no area


def _make_valid(geometry: BaseGeometry, where: str) -> BaseGeometry:
    """A valid Polygon or MultiPolygon covering the same area.

    Each part is repaired on its own and the parts are then dissolved: a RegSO that
    arrives as its DeSO pieces (touching or slightly overlapping) becomes one shape,
    where ``make_valid`` on the whole would turn the overlaps into holes.
    """
    if geometry.geom_type in ("Polygon", "MultiPolygon") and geometry.is_valid:
        return geometry
    parts = [
        p
        for part in _polygon_parts(geometry) or [geometry]
        for p in _polygon_parts(shapely.make_valid(part))
    ]
    if not parts:
        raise SourceError(f"{where} har ingen yta ({geometry.geom_type}).")
    return shapely.union_all(parts)


def parse_layer(pages: Sequence[bytes], layer: str | WfsLayer) -> ParsedLayer:
    """Parse the GeoJSON pages of one layer into regions.

    Parameters
    ----------
    pages
        Response bodies from :func:`sodd.sources.scb_geo.fetch_features`.
    layer
        Layer name, e.g. ``"stat:DeSO_2025"``.

    Returns
    -------
    ParsedLayer
        The regions and what was left out or changed on the way.

    Raises
    ------
    SourceError
        Naming page, feature and value when a page is malformed, a code is invalid,
        one code comes with two different geometries, the declared CRS is not
        EPSG:4326, or the coordinates fit Sweden in neither axis order.
    """
    spec = get_layer(layer)
    rows: dict[str, dict[str, str]] = {}
    shapes: dict[str, BaseGeometry | None] = {}
    duplicates = 0
    for number, body in enumerate(pages, start=1):
        where_page = f"WFS-lagret {spec.type_name}, sida {number},"
        try:
            page = load_page(body)
        except MalformedPageError as error:
            raise SourceError(f"{where_page} är inte giltig GeoJSON: {error}.") from None
        _check_crs(page, f"{where_page} svaret")
        for index, feature in enumerate(page["features"], start=1):
            where = f"{where_page} objekt {feature.get('id') or index}"
            props = feature.get("properties")
            if not isinstance(props, dict):
                raise SourceError(f"{where} saknar 'properties'.")
            row = _attributes(props, spec, where)
            raw = feature.get("geometry")
            try:
                geometry = None if raw is None else shape(raw)
            except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.ShapelyError):
                raise SourceError(f"{where} har en geometri som inte går att läsa.") from None
            code = row["region_code"]
            if code in rows:
                if rows[code] != row or not _same(shapes[code], geometry):
                    raise SourceError(
                        f"WFS-lagret {spec.type_name}: området {code} kom två gånger med "
                        f"olika innehåll (senast på sida {number})."
                    )
                duplicates += 1
                continue
            rows[code] = row
            shapes[code] = geometry
    without = tuple(sorted(code for code, geom in shapes.items() if geom is None))
    codes = sorted(code for code, geom in shapes.items() if geom is not None)
    geometries = np.array([shapes[code] for code in codes], dtype=object)
    swapped = _check_axes(geometries, spec)
    if swapped:
        # GeoServer honours the EPSG URN's formal [lat, lon] order in some set-ups;
        # the recorded SCB answer is [lon, lat], but a swapped one must not slip through.
        geometries = shapely.transform(geometries, lambda xy: xy[:, ::-1])
    fixed = [
        _make_valid(geometry, f"WFS-lagret {spec.type_name}: området {code}")
        for code, geometry in zip(codes, geometries, strict=True)
    ]
    frame = pd.DataFrame([rows[code] for code in codes], columns=list(REGION_COLUMNS[:-1]))
    for column in REGION_COLUMNS[:-1]:
        frame[column] = frame[column].astype("str")
    regions = gpd.GeoDataFrame(
        frame, geometry=gpd.GeoSeries(fixed, crs="EPSG:4326"), crs="EPSG:4326"
    )
    orphans = tuple(c for c in codes if spec.level == "deso" and rows[c]["parent_code"] == "")
    return ParsedLayer(
        spec, regions[list(REGION_COLUMNS)], without, swapped, duplicates, without_parent=orphans
    )


def parse_features(pages: Sequence[bytes], layer: str | WfsLayer) -> gpd.GeoDataFrame:
    """Parse the GeoJSON pages of one layer into the regions contract.

    Features without geometry are left out; use :func:`parse_layer` to learn which.

    Parameters
    ----------
    pages
        Response bodies from :func:`sodd.sources.scb_geo.fetch_features`.
    layer
        Layer name, e.g. ``"stat:DeSO_2025"``.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per area (:data:`sodd.schema.REGION_COLUMNS`), EPSG:4326.

    Raises
    ------
    SourceError
        See :func:`parse_layer`.
    """
    return parse_layer(pages, layer).regions


def _same(a: BaseGeometry | None, b: BaseGeometry | None) -> bool:
    if a is None or b is None:
        return a is b
    return bool(shapely.equals_exact(shapely.normalize(a), shapely.normalize(b), tolerance=1e-9))


def _check_axes(geometries: np.ndarray, layer: WfsLayer) -> bool:
    """Whether the axes are swapped; raises when neither order lies in Sweden."""
    if len(geometries) == 0:
        return False
    bounds = shapely.total_bounds(geometries)
    if _within(bounds, _LON, _LAT):
        return False
    if _within(bounds, _LAT, _LON):
        return True
    shown = ", ".join(f"{value:.4f}" for value in bounds)
    raise SourceError(
        f"WFS-lagret {layer.type_name}: koordinaterna (utbredning {shown}) ligger inte i "
        "Sverige i någon axelordning; är det verkligen EPSG:4326 (grader)?"
    )
