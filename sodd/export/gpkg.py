"""The GeoPackage export: the area and its kommun with the indicator values as columns.

Layers (Swedish names): ``omrade`` (the area), ``kommun`` (its kommun, when the area is
finer than a kommun) and ``metadata`` (a table without geometry: sources, legend,
demo label). Columns are the indicator ids with the stored values (null when
withheld) and ``<id>_status`` with the status symbol (``..``), so QGIS and
``geopandas.read_file`` read the exact values. The area layer also has
``<id>_forandring`` (the change over time in words) and, with a peer area,
``jamfor_kod``, ``jamfor_namn``, ``<id>_jamfor`` and ``<id>_jamfor_status``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio  # type: ignore[import-untyped]

from sodd.export.notes_section import note_records, notes_heading
from sodd.export.tidy import ExportContext, metadata_lines, status_symbol
from sodd.profile import AreaProfile, Figure, ProfileRow
from sodd.profile_trends import change_text

LAYER_AREA = "omrade"
LAYER_KOMMUN = "kommun"
LAYER_METADATA = "metadata"
# Local observations (user text, not statistics): a table without geometry.
LAYER_NOTES = "lokala_iakttagelser"


def _columns(profile: AreaProfile, pick: str) -> dict[str, object]:
    values: dict[str, object] = {}
    for row in profile.rows():
        figure: Figure | None = row.area if pick == "area" else row.comparators.get(pick)
        ind = row.indicator.id
        values[ind] = figure.value if figure is not None else None
        values[f"{ind}_status"] = status_symbol(figure.status) if figure is not None else ""
        values[f"{ind}_period"] = figure.period if figure is not None else ""
        if pick == "area":
            values.update(_peer_and_change(row, profile.peer is not None))
    return values


def _peer_and_change(row: ProfileRow, with_peer: bool) -> dict[str, object]:
    # The area layer carries the peer's value (null when withheld) and the change word.
    ind = row.indicator.id
    values: dict[str, object] = {f"{ind}_forandring": change_text(row.change, arrow=False)}
    if with_peer:
        peer = row.comparators.get("peer")
        values[f"{ind}_jamfor"] = peer.value if peer is not None else None
        values[f"{ind}_jamfor_status"] = status_symbol(peer.status) if peer is not None else ""
    return values


def notes_table(profile: AreaProfile, context: ExportContext) -> pd.DataFrame:
    """The notes as a table without geometry (layer ``lokala_iakttagelser``)."""
    kind = notes_heading(context.lang)
    rows = [
        {
            "region_code": profile.region_code,
            "typ": kind,
            "datum": record["date"],
            "kategori": record["category"],
            "text": record["text"],
            "signatur": record["signature"],
        }
        for record in note_records(context)
    ]
    return pd.DataFrame(
        rows, columns=["region_code", "typ", "datum", "kategori", "text", "signatur"]
    )


def render_gpkg(profile: AreaProfile, context: ExportContext) -> bytes:
    """Render the profile as a GeoPackage.

    Parameters
    ----------
    profile
        The profile.
    context
        Geometries of the area and its kommun, manifest entries, language.

    Returns
    -------
    bytes
        The ``.gpkg`` file.
    """
    base = {
        "region_code": profile.region_code,
        "namn": profile.name,
        "niva": profile.level,
        "indelning": profile.geo_vintage or "",
        "exempeldata": context.demo,
    }
    if profile.peer is not None:
        base |= {"jamfor_kod": profile.peer.region_code, "jamfor_namn": profile.peer.name}
    area = gpd.GeoDataFrame(
        [{**base, **_columns(profile, "area")}],
        geometry=[context.area_geometry],
        crs="EPSG:4326",
    )
    layers = {LAYER_AREA: area}
    if profile.level not in {"kommun", "lan", "riket"} and profile.kommun_code:
        kommun = {
            "region_code": profile.kommun_code,
            "namn": profile.kommun_name or "",
            "niva": "kommun",
            "indelning": "",
            "exempeldata": context.demo,
        }
        layers[LAYER_KOMMUN] = gpd.GeoDataFrame(
            [{**kommun, **_columns(profile, "kommun")}],
            geometry=[context.kommun_geometry],
            crs="EPSG:4326",
        )
    meta = pd.DataFrame(metadata_lines(profile, context), columns=["rubrik", "text"])
    with tempfile.TemporaryDirectory(prefix="sodd-gpkg-") as folder:
        path = Path(folder) / "profil.gpkg"
        for name, frame in layers.items():
            frame.to_file(path, layer=name, driver="GPKG", engine="pyogrio")
        # A table without geometry, which GeoPackage allows ("attributes" table).
        pyogrio.write_dataframe(meta, path, layer=LAYER_METADATA, driver="GPKG")
        notes = notes_table(profile, context)
        if not notes.empty:
            pyogrio.write_dataframe(notes, path, layer=LAYER_NOTES, driver="GPKG")
        return path.read_bytes()
