"""Områdesprofil: every indicator for one area beside its kommun, län and riket."""

import pandas as pd
import streamlit as st

from sodd import ui
from sodd.formatting import format_value
from sodd.i18n import t
from sodd.profile import Figure, build_area_profile, comparator_codes
from sodd.schema import LEVEL_NAMES_EN, LEVEL_NAMES_SV, LEVELS

AREA_LEVELS = ("deso", "regso", "kommun", "lan")


def _cell(figure: Figure | None, unit: str, decimals: int, lang: str) -> str:
    if figure is None:
        return ""
    return format_value(figure.value, unit=unit, decimals=decimals, status=figure.status, lang=lang)


def render() -> None:
    lang = ui.current_lang()
    level_names = LEVEL_NAMES_SV if lang == "sv" else LEVEL_NAMES_EN
    st.title(t("page_profile", lang))
    manifest = ui.current_manifest()
    if not manifest.datasets:
        st.info(t("store_empty", lang))
        return
    index = ui.load_region_index(manifest.generation)
    areas = index.loc[index["level"].isin(AREA_LEVELS)].copy()
    areas["key"] = areas["level"] + ":" + areas["region_code"]
    areas = areas.sort_values(
        ["level", "name"], key=lambda s: s.map(LEVELS.index) if s.name == "level" else s
    )
    labels = dict(
        zip(
            areas["key"],
            areas["name"] + " (" + areas["region_code"] + ") – " + areas["level"].map(level_names),
            strict=True,
        )
    )
    keys = list(labels)

    wanted = f"{st.query_params.get('level', '')}:{st.query_params.get('area', '')}"
    if wanted in labels and st.session_state.get("profile_area_seen") != wanted:
        # A link or a map click names the area: show it once, then leave later picks alone.
        st.session_state["profile_area"] = wanted
        st.session_state["profile_area_seen"] = wanted
    chosen = st.selectbox(
        t("search_area", lang), keys, format_func=labels.__getitem__, index=None, key="profile_area"
    )
    if chosen is None:
        st.info(t("no_area", lang))
        return
    level, code = chosen.split(":", 1)
    st.query_params["area"] = code
    st.query_params["level"] = level

    region = areas.loc[areas["key"] == chosen].iloc[0]
    codes = (code, *comparator_codes(region).values())
    values = ui.load_area_values(manifest.generation, tuple(codes))
    profile = build_area_profile(code, level, index, values, ui.get_catalog())

    st.header(t("profile_heading", lang, name=profile.name))
    context = [t("profile_level", lang, level=level_names[level], code=code)]
    if profile.kommun_name and level != "kommun":
        context.append(f"{t('col_kommun', lang)}: {profile.kommun_name}.")
    if profile.lan_name and level != "lan":
        context.append(f"{t('col_lan', lang)}: {profile.lan_name}.")
    st.write(" ".join(context))

    for theme, rows in profile.themes:
        st.subheader(theme.name(lang))
        records = []
        for row in rows:
            ind = row.indicator
            records.append(
                {
                    t("col_indicator", lang): ind.name(lang),
                    t("col_area", lang): _cell(row.area, ind.unit, ind.decimals, lang)
                    if LEVELS.index(level) >= LEVELS.index(ind.lowest_level)
                    else t(
                        "lowest_level_note",
                        lang,
                        indicator="",
                        level=level_names[ind.lowest_level].lower(),
                    ).strip(),
                    t("col_kommun", lang): _cell(
                        row.comparators.get("kommun"), ind.unit, ind.decimals, lang
                    ),
                    t("col_lan", lang): _cell(
                        row.comparators.get("lan"), ind.unit, ind.decimals, lang
                    ),
                    t("col_riket", lang): _cell(
                        row.comparators.get("riket"), ind.unit, ind.decimals, lang
                    ),
                    t("col_year", lang): row.period or "",
                    t("col_trend", lang): [value for _, value in row.trend],
                    t("col_source", lang): ind.attribution,
                }
            )
        frame = pd.DataFrame(records)
        st.dataframe(
            frame,
            hide_index=True,
            column_config={
                t("col_trend", lang): st.column_config.LineChartColumn(
                    t("col_trend", lang), width="small"
                )
            },
        )
    st.caption(t("suppressed_explanation", lang))


ui.guarded(render)
