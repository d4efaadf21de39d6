"""Area profile: one line saying whether a DeSO changed between DeSO 2018 and DeSO 2025."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sodd import ui
from sodd.correspondence import compute_correspondence, correspondence_note


@st.cache_data(ttl=600, max_entries=16)
def load_correspondence(generation: int, kommun_code: str) -> pd.DataFrame | None:
    """The DeSO 2018 ↔ 2025 correspondence of one kommun, or ``None`` without both vintages.

    DeSO never cross a kommun border, so one kommun's polygons are enough, which keeps
    the overlay small enough to compute on first view.
    """
    regions = ui.load_regions(generation)
    deso = regions.loc[(regions["level"] == "deso") & (regions["kommun_code"] == kommun_code)]
    vintages = deso["geo_vintage"].fillna("")
    old, new = deso.loc[vintages == "2018"], deso.loc[vintages == "2025"]
    if old.empty or new.empty:
        return None
    return compute_correspondence(old, new)


def render_correspondence_note(
    generation: int, code: str, level: str, vintage: str, lang: str
) -> None:
    """Write the note under the profile heading when both DeSO vintages' polygons are stored.

    Parameters
    ----------
    generation
        The store's manifest generation (keys the cache).
    code, level, vintage
        The area shown.
    lang
        ``"sv"`` or ``"en"``.
    """
    if level != "deso" or vintage not in ("2018", "2025"):
        return
    table = load_correspondence(generation, code[:4])
    if table is None:
        return
    note = correspondence_note(table, code, vintage, lang)
    if note:
        st.caption(note)
