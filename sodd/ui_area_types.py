"""Karta: the "Visa bara områden av typ" filter (SCB's områdestyp 1–5)."""

from __future__ import annotations

import streamlit as st

from sodd import ui
from sodd.area_types import (
    AREA_TYPE_INDICATOR,
    AREA_TYPES,
    area_type_label,
    codes_of_area_types,
    latest_area_types,
)
from sodd.i18n import t


def choose_area_types(generation: int, level: str, lang: str) -> frozenset[str] | None:
    """Show the area-type filter and return the codes to keep, or ``None`` for all.

    Parameters
    ----------
    generation
        The store's manifest generation (keys the caches).
    level
        The map's level; the filter exists for RegSO and DeSO only.
    lang
        ``"sv"`` or ``"en"``.

    Returns
    -------
    frozenset of str or None
        Codes of the areas whose RegSO area type was chosen; ``None`` when no type is
        chosen, the level has no area type, or the store holds none.
    """
    if level not in ("deso", "regso"):
        return None
    values = ui.load_indicator_values(generation, AREA_TYPE_INDICATOR, "regso")
    if values.empty:
        return None
    chosen = st.multiselect(
        t("area_type_filter", lang),
        list(AREA_TYPES),
        format_func=lambda number: area_type_label(number, lang),
        help=t("area_type_help", lang),
        placeholder="1–5",
        key="map_area_types",
    )
    if not chosen:
        return None
    st.caption(t("area_type_definitions", lang))
    return codes_of_area_types(
        chosen, latest_area_types(values), ui.load_region_index(generation), level
    )
