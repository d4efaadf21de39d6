"""Områdesprofil: every indicator for one area beside its kommun, län and riket."""

import pandas as pd
import streamlit as st

from sodd import ui, ui_export, ui_peer, ui_share
from sodd.formatting import format_value
from sodd.i18n import t
from sodd.profile import Figure, build_area_profile, comparator_codes, is_published_here
from sodd.schema import LEVEL_NAMES_EN, LEVEL_NAMES_SV, LEVEL_SHORT_EN, LEVEL_SHORT_SV, LEVELS
from sodd.ui_correspondence import render_correspondence_note
from sodd.ui_custom_areas import render_profile_section
from sodd.ui_notes import render_notes_section
from sodd.url_state import OMRADESPROFIL

AREA_LEVELS = ("custom", "deso", "regso", "kommun", "lan")


def _cell(figure: Figure | None, unit: str, decimals: int, lang: str) -> str:
    if figure is None:
        return ""
    return format_value(figure.value, unit=unit, decimals=decimals, status=figure.status, lang=lang)


def _area_options(index: pd.DataFrame, lang: str) -> dict[str, str]:
    """Selectbox key ``level:vintage:code`` → label, finest levels first, then by name."""
    level_names = LEVEL_NAMES_SV if lang == "sv" else LEVEL_NAMES_EN
    areas = index.loc[index["level"].isin(AREA_LEVELS)].copy()
    areas["vintage"] = areas["geo_vintage"].fillna("")
    # Custom areas (not in the LEVELS hierarchy) first: a user has only a few.
    areas["order"] = areas["level"].map(lambda lvl: LEVELS.index(lvl) if lvl in LEVELS else -1)
    areas = areas.sort_values(["order", "name", "vintage"])
    labels = {}
    for row in areas.itertuples():
        level = level_names[str(row.level)].split(" (")[0]
        suffix = f" {row.vintage}" if row.vintage else ""
        key = f"{row.level}:{row.vintage}:{row.region_code}"
        labels[key] = f"{row.name} ({row.region_code}) – {level}{suffix}"
    return labels


def _wanted_key(labels: dict[str, str]) -> str | None:
    """The option named by the link's query parameters (newest vintage when not given)."""
    area, level = st.query_params.get("area", ""), st.query_params.get("level", "")
    vintage = st.query_params.get("vintage")
    candidates = [k for k in labels if k.startswith(f"{level}:") and k.endswith(f":{area}")]
    if vintage is not None:
        candidates = [k for k in candidates if k.split(":")[1] == vintage]
    return sorted(candidates)[-1] if candidates else None


def render() -> None:
    lang, manifest = ui.page_start("page_profile")
    url = ui_share.PageUrl(OMRADESPROFIL, lang)
    level_names = LEVEL_NAMES_SV if lang == "sv" else LEVEL_NAMES_EN
    short = LEVEL_SHORT_SV if lang == "sv" else LEVEL_SHORT_EN
    if not manifest.datasets:
        st.info(t("store_empty", lang))
        return
    index = ui.load_region_index(manifest.generation)
    labels = _area_options(index, lang)
    wanted = _wanted_key(labels)
    if wanted is not None and st.session_state.get("profile_area_seen") != wanted:
        # A link or a map click names the area: show it once, then leave later picks alone.
        st.session_state["profile_area"] = wanted
        st.session_state["profile_area_seen"] = wanted
    chosen = st.selectbox(
        t("search_area", lang),
        list(labels),
        format_func=labels.__getitem__,
        index=None,
        key="profile_area",
    )
    render_profile_section(index, lang, chosen)
    if chosen is None:
        st.info(t("no_area", lang))
        return
    level, vintage, code = chosen.split(":", 2)
    url.record("area", code)
    url.record("level", level)
    url.record("vintage", vintage or None)
    peer = ui_peer.pick_peer(labels, chosen, lang)
    url.record("jamfor", peer)  # the same value ui_peer wrote; refreshes the copy link
    peer_key = ui_peer.parse_key(peer)

    region = index.loc[
        (index["region_code"] == code)
        & (index["level"] == level)
        & (index["geo_vintage"].fillna("") == vintage)
    ].iloc[0]
    codes = (code, *comparator_codes(region).values(), *(peer_key[:1] if peer_key else ()))
    values = ui.load_area_values(manifest.generation, tuple(codes))
    profile = build_area_profile(
        code, level, index, values, ui.get_catalog(), geo_vintage=vintage, peer=peer_key
    )

    st.header(t("profile_heading", lang, name=profile.name))
    context = [t("profile_level", lang, level=level_names[level], code=code)]
    if vintage:
        context.append(t("vintage_note", lang, level=short[level], vintage=vintage))
    if profile.kommun_name and level != "kommun":
        context.append(f"{t('col_kommun', lang)}: {profile.kommun_name}.")
    if profile.lan_name and level != "lan":
        context.append(f"{t('col_lan', lang)}: {profile.lan_name}.")
    st.write(" ".join(context))
    render_correspondence_note(manifest.generation, code, level, vintage, lang)

    trend_col = t("col_trend", lang)
    for theme, rows in profile.themes:
        st.subheader(theme.name(lang))
        records = []
        for row in rows:
            ind = row.indicator
            published_here = is_published_here(ind, region)
            records.append(
                {
                    t("col_indicator", lang): ind.name(lang),
                    t("col_area", lang): _cell(row.area, ind.unit, ind.decimals, lang)
                    if published_here
                    else t("only_level", lang, level=short[ind.lowest_level]),
                    t("col_kommun", lang): _cell(
                        row.comparators.get("kommun"), ind.unit, ind.decimals, lang
                    ),
                    t("col_lan", lang): _cell(
                        row.comparators.get("lan"), ind.unit, ind.decimals, lang
                    ),
                    t("col_riket", lang): _cell(
                        row.comparators.get("riket"), ind.unit, ind.decimals, lang
                    ),
                    **ui_peer.peer_cells(row, profile, lang),
                    t("col_year", lang): row.period or "",
                    **ui_peer.change_cells(row, lang),
                    trend_col: [value for _, value in row.trend],
                    t("col_source", lang): ind.attribution,
                }
            )
        st.dataframe(
            pd.DataFrame(records),
            hide_index=True,
            # Tall enough for every row: a theme table should read like a page, not scroll.
            height=35 * (len(records) + 1) + 3,
            column_config={
                t("col_indicator", lang): st.column_config.TextColumn(width="large"),
                trend_col: st.column_config.LineChartColumn(trend_col, width="small"),
                t("col_source", lang): st.column_config.TextColumn(width="large"),
            },
        )
    st.caption(t("suppressed_explanation", lang))
    ui_peer.render_peer_caption(profile, lang)
    ui_export.render_profile_sections(profile, lang)
    ui_export.render_profile_exports(profile, manifest, lang)
    render_notes_section(code, level, vintage, lang)


ui.guarded(render)
