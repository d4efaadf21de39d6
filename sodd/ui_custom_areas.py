"""Custom areas on Områdesprofil: create, list and delete (Karta: sodd.ui_custom_areas_map)."""

from __future__ import annotations

from typing import Final

import pandas as pd
import streamlit as st

from sodd import ui
from sodd.custom_areas import MEMBER_LEVELS, CustomArea, custom_areas_from_frame
from sodd.custom_areas_store import delete_custom_area, save_custom_area
from sodd.errors import SoddError
from sodd.i18n import register, t
from sodd.schema import CUSTOM_LEVEL, LEVEL_SHORT_EN, LEVEL_SHORT_SV

# The code of the custom area last opened on Områdesprofil. Not a widget key, so it
# survives a switch to Karta, which outlines that area.
ACTIVE_KEY: Final = "custom_area_active"
# Districts picked on Karta, waiting to be named here: {"kind": "deso:2025", "codes": [...]}.
PICKS_KEY: Final = "custom_area_map_picks"
_FLASH_KEY: Final = "custom_area_flash"

register(
    {
        "custom_heading": ("Eget område", "Custom area"),
        "custom_intro": (
            "Slå ihop DeSO eller RegSO av samma indelning till ett namngivet område, "
            "t.ex. ett planområde. Värdena räknas som summan av delarnas täljare genom "
            "summan av deras nämnare; är en del skyddad visas '..' för hela området.",
            "Combine DeSO or RegSO of one area division into a named area, e.g. a "
            "planning area. Values are the sum of the parts' numerators over the sum of "
            "their denominators; if one part is protected the whole area shows '..'.",
        ),
        "custom_kind": ("Områdesnivå", "Area level"),
        "custom_members": ("Delområden", "Districts"),
        "custom_name": ("Namn på området", "Name of the area"),
        "custom_save": ("Spara eget område", "Save custom area"),
        "custom_saved": ("Sparade {name}.", "Saved {name}."),
        "custom_deleted": ("Tog bort {name}.", "Deleted {name}."),
        "custom_delete": ("Ta bort", "Delete"),
        "custom_list": ("Sparade egna områden", "Saved custom areas"),
        "custom_none": ("Inga egna områden sparade ännu.", "No custom areas saved yet."),
        "custom_no_districts": (
            "Datalagret har inga DeSO eller RegSO att slå ihop.",
            "The store has no DeSO or RegSO to combine.",
        ),
        "custom_members_note": (
            "Eget område av {count}: {codes}. Värdena är beräknade av sodd ur delområdena.",
            "Custom area of {count}: {codes}. The values are computed by sodd from the districts.",
        ),
        "custom_on_map": (
            "Det egna området {name} är markerat med svart kontur.",
            "The custom area {name} is outlined in black.",
        ),
        "custom_pick_mode": (
            "Välj delområden i kartan till ett eget område",
            "Pick districts on the map for a custom area",
        ),
        "custom_picked": (
            "{count} delområden valda. Namnge och spara dem under Eget område.",
            "{count} districts picked. Name and save them under Custom area.",
        ),
        "custom_go_save": ("Till Eget område", "To Custom area"),
    }
)


def _custom_areas(index: pd.DataFrame) -> list[CustomArea]:
    rows = index.loc[index["level"] == CUSTOM_LEVEL]
    if rows.empty or "members" not in rows.columns:
        return []
    return custom_areas_from_frame(rows)


def _count_text(area: CustomArea, lang: str) -> str:
    short = (LEVEL_SHORT_SV if lang == "sv" else LEVEL_SHORT_EN)[area.level]
    vintage = f" {area.geo_vintage}" if area.geo_vintage else ""
    return f"{len(area.members)} {short}{vintage}"


def _show_in_profile(code: str | None) -> None:
    """Point the profile's link parameters at a custom area (or at nothing)."""
    if code is None:
        for name in ("area", "level", "vintage"):
            st.query_params.pop(name, None)
        return
    st.query_params["area"] = code
    st.query_params["level"] = CUSTOM_LEVEL
    st.query_params.pop("vintage", None)


def _save(kind: str, lang: str) -> None:
    """Button callback: runs before the rerun, so it may reset the form's widgets."""
    level, vintage = kind.split(":", 1)
    members = st.session_state.get(f"custom_members_{kind}") or []
    name = st.session_state.get("custom_name") or ""
    try:
        area = save_custom_area(
            ui.get_store(),
            name,
            members,
            level=level,
            geo_vintage=vintage,
            catalog=ui.get_catalog(),
        )
    except SoddError as error:
        st.session_state[_FLASH_KEY] = ("error", str(error))
        return
    st.session_state[f"custom_members_{kind}"] = []
    st.session_state["custom_name"] = ""
    st.session_state[ACTIVE_KEY] = area.code
    st.session_state[_FLASH_KEY] = ("success", t("custom_saved", lang, name=area.name))
    _show_in_profile(area.code)


def _delete(area: CustomArea, lang: str) -> None:
    try:
        delete_custom_area(ui.get_store(), area.code, catalog=ui.get_catalog())
    except SoddError as error:
        st.session_state[_FLASH_KEY] = ("error", str(error))
        return
    if st.session_state.get("profile_area") == f"{CUSTOM_LEVEL}::{area.code}":
        st.session_state["profile_area"] = None
        _show_in_profile(None)
    if st.session_state.get(ACTIVE_KEY) == area.code:
        del st.session_state[ACTIVE_KEY]
    st.session_state[_FLASH_KEY] = ("success", t("custom_deleted", lang, name=area.name))


def render_profile_section(index: pd.DataFrame, lang: str, chosen: str | None) -> None:
    """The "Eget område" section of Områdesprofil.

    Parameters
    ----------
    index
        Regions without geometry (``ui.load_region_index``), custom areas included.
    lang
        ``"sv"`` or ``"en"``.
    chosen
        The profile's selected option (``level:vintage:code``), or ``None``.
    """
    areas = _custom_areas(index)
    by_code = {area.code: area for area in areas}
    if chosen is not None:
        level, _, code = chosen.split(":", 2)
        if level == CUSTOM_LEVEL and code in by_code:
            st.session_state[ACTIVE_KEY] = code
            area = by_code[code]
            st.caption(
                t(
                    "custom_members_note",
                    lang,
                    count=_count_text(area, lang),
                    codes=", ".join(area.members),
                )
            )
        else:
            st.session_state.pop(ACTIVE_KEY, None)
    flash = st.session_state.pop(_FLASH_KEY, None)
    expanded = flash is not None or PICKS_KEY in st.session_state
    with st.expander(t("custom_heading", lang), expanded=expanded):
        if flash is not None:
            kind_of, message = flash
            (st.error if kind_of == "error" else st.success)(message)
        st.caption(t("custom_intro", lang))
        _creation_form(index, lang)
        st.markdown(f"**{t('custom_list', lang)}**")
        if not areas:
            st.caption(t("custom_none", lang))
        for area in areas:
            text_col, button_col = st.columns([4, 1], vertical_alignment="center")
            text_col.write(f"{area.name} ({area.code}) – {_count_text(area, lang)}")
            button_col.button(
                t("custom_delete", lang),
                key=f"custom_delete_{area.code}",
                on_click=_delete,
                args=(area, lang),
                icon=":material/delete:",
            )


def _creation_form(index: pd.DataFrame, lang: str) -> None:
    districts = index.loc[index["level"].isin(MEMBER_LEVELS)].copy()
    if districts.empty:
        st.info(t("custom_no_districts", lang))
        return
    districts["vintage"] = districts["geo_vintage"].fillna("").astype(str)
    short = LEVEL_SHORT_SV if lang == "sv" else LEVEL_SHORT_EN
    pairs = set(zip(districts["level"], districts["vintage"], strict=True))
    kinds = {f"{lvl}:{vin}": f"{short[lvl]} {vin}".strip() for lvl, vin in pairs}
    # DeSO before RegSO, newest division first: that is what current tables use.
    ordered = sorted(kinds, key=lambda k: k.split(":")[1], reverse=True)
    ordered.sort(key=lambda k: MEMBER_LEVELS.index(k.split(":")[0]))
    picks = st.session_state.pop(PICKS_KEY, None)
    if not (isinstance(picks, dict) and picks.get("kind") in kinds):
        picks = None
    if picks is not None:
        # Widget values may be set before the widget exists in this run.
        st.session_state["custom_kind"] = picks["kind"]
    kind = st.selectbox(
        t("custom_kind", lang), ordered, format_func=kinds.__getitem__, key="custom_kind"
    )
    level, vintage = kind.split(":", 1)
    rows = districts.loc[(districts["level"] == level) & (districts["vintage"] == vintage)]
    rows = rows.sort_values(["region_code"])
    labels = {
        str(code): str(name) if str(code) in str(name) else f"{name} ({code})"
        for code, name in zip(rows["region_code"], rows["name"], strict=True)
    }
    if picks is not None:
        codes = [str(code) for code in picks.get("codes", []) if str(code) in labels]
        st.session_state[f"custom_members_{kind}"] = codes
    st.multiselect(
        t("custom_members", lang),
        list(labels),
        format_func=labels.__getitem__,
        key=f"custom_members_{kind}",
    )
    st.text_input(t("custom_name", lang), key="custom_name", max_chars=80)
    st.button(
        t("custom_save", lang),
        key="custom_save",
        on_click=_save,
        args=(kind, lang),
        type="primary",
        icon=":material/add:",
    )
