"""Render an :class:`~sodd.profile.AreaProfile` to downloadable files.

Each format module has a pure ``render_<format>(profile, context) -> bytes``; this
package maps format names to them and names the files.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Final

import pandas as pd
from shapely.geometry.base import BaseGeometry

from sodd.export.tidy import ExportContext
from sodd.manifest import Manifest
from sodd.notes import Note
from sodd.profile import AreaProfile
from sodd.store import Store

__all__ = [
    "FORMATS",
    "MIME_TYPES",
    "ExportContext",
    "build_export_context",
    "export_filename",
    "render",
    "safe_name_part",
]

FORMATS: Final = ("pdf", "docx", "xlsx", "csv", "gpkg", "html")
MIME_TYPES: Final = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "gpkg": "application/geopackage+sqlite3",
    "html": "text/html",
}


def _ascii(text: str) -> str:
    # "Ö" → "O": decompose, drop the accents, keep letters, digits and '-'.
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9-]+", "-", plain).strip("-")


def safe_name_part(text: str, limit: int = 60) -> str:
    """Part of a file name: ASCII letters, digits and ``-`` only, at most ``limit`` long.

    Cannot hold a path separator, ``..`` or a NUL, so a name built from it stays in
    the folder it is saved to, whatever the area or kommun is called.
    """
    return _ascii(text)[:limit].strip("-")


def export_filename(profile: AreaProfile, fmt: str) -> str:
    """A safe, descriptive file name, e.g. ``omradesprofil_1780C1010_2024.pdf``.

    ASCII letters, digits, ``_``, ``-`` and ``.`` only; the year is the latest period
    in the profile (left out when it has none).

    Raises
    ------
    ValueError
        When ``fmt`` is not one of :data:`FORMATS`.
    """
    if fmt not in FORMATS:
        raise ValueError(f"okänt exportformat {fmt!r} (tillåtna: {', '.join(FORMATS)})")
    periods = [row.period for row in profile.rows() if row.period]
    parts = ["omradesprofil", safe_name_part(profile.region_code) or "omrade"]
    year = safe_name_part(max(periods)[:4]) if periods else ""
    if year:
        parts.append(year)
    return "_".join(parts) + "." + fmt


def _renderers() -> dict[str, Callable[[AreaProfile, ExportContext], bytes]]:
    # Imported lazily: the PDF and DOCX libraries take a moment to load.
    from sodd.export.csv import render_csv
    from sodd.export.docx import render_docx
    from sodd.export.gpkg import render_gpkg
    from sodd.export.html import render_html
    from sodd.export.pdf import render_pdf
    from sodd.export.xlsx import render_xlsx

    return {
        "pdf": render_pdf,
        "docx": render_docx,
        "xlsx": render_xlsx,
        "csv": render_csv,
        "gpkg": render_gpkg,
        "html": render_html,
    }


def render(profile: AreaProfile, context: ExportContext, fmt: str) -> bytes:
    """Render ``profile`` in format ``fmt`` (one of :data:`FORMATS`).

    Raises
    ------
    ValueError
        When ``fmt`` is unknown.
    """
    if fmt not in FORMATS:
        raise ValueError(f"okänt exportformat {fmt!r} (tillåtna: {', '.join(FORMATS)})")
    return _renderers()[fmt](profile, context)


def _geometry(
    regions: pd.DataFrame, code: str, level: str, vintage: str | None
) -> BaseGeometry | None:
    mask = (regions["region_code"] == code) & (regions["level"] == level)
    if vintage:
        mask &= regions["geo_vintage"].fillna("") == vintage
    match = regions.loc[mask, "geometry"]
    geometry = match.iloc[0] if not match.empty else None
    return geometry if isinstance(geometry, BaseGeometry) else None


def _area_notes(store: Store | None, profile: AreaProfile) -> list[Note]:
    if store is None:
        return []
    from sodd.notes_store import load_notes

    return load_notes(store, profile.region_code, profile.level, profile.geo_vintage or "")


def build_export_context(
    profile: AreaProfile,
    manifest: Manifest,
    regions: pd.DataFrame | None,
    lang: str = "sv",
    *,
    area_geometry: BaseGeometry | None = None,
    store: Store | None = None,
) -> ExportContext:
    """Collect what the exports need besides the profile.

    Parameters
    ----------
    profile
        The profile.
    manifest
        The store's manifest (sources, fetch dates, demo flag).
    regions
        Regions with a ``geometry`` column (EPSG:4326), or ``None`` when not at hand.
    lang
        ``"sv"`` or ``"en"``.
    area_geometry
        The area's polygon when it is not in ``regions`` (a custom area).
    store
        When given, the area's local-knowledge notes are read from it (none otherwise).

    Returns
    -------
    ExportContext
    """
    kommun = None
    if regions is not None and "geometry" in regions.columns:
        if area_geometry is None:
            area_geometry = _geometry(
                regions, profile.region_code, profile.level, profile.geo_vintage
            )
        if profile.kommun_code and profile.level != "kommun":
            kommun = _geometry(regions, profile.kommun_code, "kommun", None)
    return ExportContext(
        entries=tuple(manifest.datasets.values()),
        area_geometry=area_geometry,
        kommun_geometry=kommun,
        lang="en" if lang == "en" else "sv",
        notes=tuple(_area_notes(store, profile)),
    )
