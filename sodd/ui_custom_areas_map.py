"""Custom areas on Karta: outline the one opened on Områdesprofil, and pick districts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

import geopandas as gpd
import pydeck as pdk
import streamlit as st

from sodd.custom_areas import MEMBER_LEVELS
from sodd.i18n import t
from sodd.maps import HIGHLIGHT_COLOUR
from sodd.schema import CUSTOM_LEVEL
from sodd.ui_custom_areas import ACTIVE_KEY, PICKS_KEY

PROFILE_PAGE: Final = "views/omradesprofil.py"
OUTLINE_LAYER_ID: Final = "eget-omrade"
PICK_MODE_KEY: Final = "custom_pick_mode"


def outline_on_map(deck: pdk.Deck | None, regions: gpd.GeoDataFrame, lang: str) -> None:
    """Outline the custom area last opened on Områdesprofil on a map, and say so.

    Parameters
    ----------
    deck
        The map's Deck, changed in place (build a fresh one per run, never a Deck
        shared between sessions); nothing happens when ``None``.
    regions
        All regions with geometry (``ui.load_regions``), custom areas included.
    lang
        ``"sv"`` or ``"en"``.
    """
    if deck is None:
        return
    # Idempotent: a Deck reused between reruns never collects a second outline.
    deck.layers = [layer for layer in deck.layers if layer.id != OUTLINE_LAYER_ID]
    code = st.session_state.get(ACTIVE_KEY)
    row = regions.loc[(regions["level"] == CUSTOM_LEVEL) & (regions["region_code"] == code)]
    if not code or row.empty:
        return
    deck.layers.append(custom_outline_layer(row.geometry))
    st.caption(t("custom_on_map", lang, name=str(row["name"].iloc[0])))


def custom_outline_layer(geometries: gpd.GeoSeries) -> pdk.Layer:
    """A thick dark outline of the polygons' outer rings, drawn on top of a choropleth."""
    paths = []
    for geometry in geometries:
        if geometry is None or geometry.is_empty:
            continue
        parts = list(geometry.geoms) if geometry.geom_type == "MultiPolygon" else [geometry]
        for part in parts:
            coords = [[round(x, 5), round(y, 5)] for x, y, *_ in part.exterior.coords]
            paths.append({"path": coords})
    return pdk.Layer(
        "PathLayer",
        data=paths,
        id=OUTLINE_LAYER_ID,
        get_path="path",
        get_color=list(HIGHLIGHT_COLOUR),
        get_width=0,
        width_min_pixels=4,
        pickable=False,
    )


def map_selection_mode(level: str, lang: str) -> str:
    """Offer picking districts for a custom area (DeSO/RegSO maps only).

    Returns
    -------
    str
        ``"multi-object"`` while picking, else ``"single-object"`` (a click opens the
        profile), for ``st.pydeck_chart(selection_mode=...)``.
    """
    if level not in MEMBER_LEVELS:
        return "single-object"
    picking = st.toggle(t("custom_pick_mode", lang), key=PICK_MODE_KEY)
    return "multi-object" if picking else "single-object"


def picked_codes(objects: Iterable[Mapping[str, Any]]) -> list[str]:
    """Distinct region codes of the picked map records (a district may have several parts)."""
    return sorted({str(obj["region_code"]) for obj in objects if obj.get("region_code")})


def take_map_picks(
    objects: Iterable[Mapping[str, Any]], level: str, vintage: str, lang: str
) -> bool:
    """While picking, keep the picked districts for Områdesprofil's "Eget område".

    Parameters
    ----------
    objects
        The map's selected records (``event.selection["objects"][layer id]``).
    level, vintage
        The map's level and area division.
    lang
        ``"sv"`` or ``"en"``.

    Returns
    -------
    bool
        True when the picks were taken (the page must then not open a profile).
    """
    if not st.session_state.get(PICK_MODE_KEY) or level not in MEMBER_LEVELS:
        return False
    codes = picked_codes(objects)
    if not codes:
        st.session_state.pop(PICKS_KEY, None)
        return True
    st.session_state[PICKS_KEY] = {"kind": f"{level}:{vintage}", "codes": codes}
    st.info(t("custom_picked", lang, count=len(codes)))
    st.page_link(PROFILE_PAGE, label=t("custom_go_save", lang), icon=":material/add:")
    return True
