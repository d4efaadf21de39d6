"""Karta: choropleth of one indicator for a kommun, a län or all of Sweden."""

import pandas as pd
import streamlit as st

from sodd import ui, ui_agenda, ui_export, ui_share
from sodd.area_types import AREA_TYPES
from sodd.i18n import t
from sodd.map_view import (
    Scope,
    build_map_view,
    periods_available,
    values_in_scope,
    values_shown,
)
from sodd.maps import CLASS_METHODS, MAP_LAYER_ID
from sodd.schema import LEVEL_NAMES_EN, LEVEL_NAMES_SV, LEVEL_SHORT_EN, LEVEL_SHORT_SV, LEVELS
from sodd.ui_area_types import choose_area_types
from sodd.ui_custom_areas_map import map_selection_mode, outline_on_map, take_map_picks
from sodd.ui_map_table import render_value_table
from sodd.url_state import KARTA

PROFILE_PAGE = "views/omradesprofil.py"
SCOPE_LEVELS = {
    "kommun": ["deso", "regso"],
    "lan": ["deso", "regso", "kommun"],
    "riket": ["deso", "regso", "kommun", "lan"],
}


def _keep_valid(key: str, options: list[str]) -> None:
    """Forget a widget's remembered choice when it is no longer among the options."""
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]


def _choose_scope(
    index: pd.DataFrame, with_data: frozenset[str], lang: str, url: ui_share.PageUrl
) -> Scope:
    left, right = st.columns([2, 3])
    url.seed("visa", ["kommun", "lan", "riket"])
    kind = left.radio(
        t("area_scope", lang),
        ["kommun", "lan", "riket"],
        format_func=lambda s: t(f"scope_{s}", lang),
        horizontal=True,
        key="map_scope",
    )
    url.record("visa", kind)
    if kind == "riket":
        return Scope("riket", None, "Sverige" if lang == "sv" else "Sweden")
    rows = index.loc[index["level"] == kind].sort_values(
        "name" if kind == "kommun" else "region_code"
    )
    names = dict(zip(rows["region_code"], rows["name"], strict=True))
    if not names:
        st.warning(t("no_regions", lang))
        st.stop()
    # Start on an area the store has data for (after a refresh of one kommun, that one).
    options = list(names)
    default = next((i for i, c in enumerate(options) if c in with_data), 0)
    url.seed(kind, options)
    code = right.selectbox(
        t("choose_kommun" if kind == "kommun" else "choose_lan", lang),
        options,
        index=default,
        format_func=lambda c: f"{names[c]} ({c})",
        key=f"map_{kind}",
    )
    url.record(kind, code)
    return Scope(kind, code, names[code])


def _legend_html(entries: list[tuple[str, str]], lang: str) -> str:
    items = "".join(
        f'<li><span style="display:inline-block;width:1.1em;height:1.1em;background:{colour};'
        f'border:1px solid #333;vertical-align:middle;margin-right:.4em"></span>{label}</li>'
        for colour, label in entries
    )
    title = t("legend", lang)
    return (
        f'<div role="group" aria-label="{title}"><strong>{title}</strong>'
        f'<ul style="list-style:none;padding-left:0;line-height:1.8">{items}</ul></div>'
    )


def render() -> None:
    lang, manifest = ui.page_start("page_map")
    url = ui_share.PageUrl(KARTA, lang)
    level_names = LEVEL_NAMES_SV if lang == "sv" else LEVEL_NAMES_EN
    if not manifest.datasets:
        st.info(t("store_empty", lang))
        return
    index = ui.load_region_index(manifest.generation)
    catalog = ui.get_catalog()
    scope = _choose_scope(
        index,
        ui.load_codes_with_data(manifest.generation, "kommun")
        | ui.load_codes_with_data(manifest.generation, "lan"),
        lang,
        url,
    )

    if (linked := url.seed("indikator", [i.id for i in catalog.indicators])) is not None:
        st.session_state["map_theme"] = catalog.get(str(linked)).theme  # the theme follows
    themes = catalog.by_theme()
    theme_names = {theme.id: theme.name(lang) for theme, _ in themes}
    left, right = st.columns([2, 3])
    theme_id = left.selectbox(
        t("theme", lang), list(theme_names), format_func=theme_names.__getitem__, key="map_theme"
    )
    indicator_ids = [i.id for th, items in themes if th.id == theme_id for i in items]
    _keep_valid("map_indicator", indicator_ids)
    indicator = catalog.get(
        right.selectbox(
            t("indicator", lang),
            indicator_ids,
            format_func=lambda i: catalog.get(i).name(lang),
            key="map_indicator",
        )
    )
    url.record("indikator", indicator.id)
    direction = {"need_if_high": "need_high", "need_if_low": "need_low"}.get(
        indicator.direction, "need_neutral"
    )
    st.caption(f"{indicator.description(lang)} {t(direction, lang)}")

    lowest = LEVELS.index(indicator.lowest_level)
    level_options = [lvl for lvl in SCOPE_LEVELS[scope.kind] if LEVELS.index(lvl) >= lowest]
    if level_options != SCOPE_LEVELS[scope.kind]:
        short = (LEVEL_SHORT_SV if lang == "sv" else LEVEL_SHORT_EN)[indicator.lowest_level]
        st.info(t("lowest_level_note", lang, indicator=indicator.name(lang), level=short))
    if not level_options:
        level_options = [indicator.lowest_level]
    url.seed("niva", level_options)
    _keep_valid("map_level", level_options)
    col_level, col_year, col_class = st.columns([2, 2, 3])
    level = col_level.radio(
        t("level", lang),
        level_options,
        format_func=lambda lvl: level_names[lvl].split(" (")[0],
        horizontal=True,
        key="map_level",
    )
    url.record("niva", level)

    values = ui.load_indicator_values(manifest.generation, indicator.id, level)
    periods = periods_available(values_in_scope(values, scope))
    if not periods:
        short = (LEVEL_SHORT_SV if lang == "sv" else LEVEL_SHORT_EN)[level]
        st.warning(
            t(
                "no_values_scope",
                lang,
                indicator=indicator.name(lang),
                level=short,
                scope=scope.name,
            )
        )
        return
    url.seed("ar", periods)
    _keep_valid("map_year", periods)
    period = (
        col_year.select_slider(t("year", lang), periods, value=periods[-1], key="map_year")
        if len(periods) > 1
        else periods[0]
    )
    url.record("ar", period)
    url.seed("klass", CLASS_METHODS)
    method = col_class.radio(
        t("classification", lang),
        CLASS_METHODS,
        format_func=lambda m: t(f"class_{m}", lang),
        horizontal=True,
        key="map_class",
    )
    url.record("klass", method)

    if level in ("deso", "regso"):
        url.seed("omradestyp", AREA_TYPES)
    keep_codes = choose_area_types(manifest.generation, level, lang)
    url.record(
        "omradestyp", st.session_state.get("map_area_types") if keep_codes is not None else None
    )
    reference = ui.load_indicator_values(manifest.generation, indicator.id, scope.reference_level)
    reference = reference.loc[
        (reference["region_code"] == scope.reference_code) & (reference["period"] == period)
    ]
    reference_value = (
        float(reference["value"].iloc[0])
        if not reference.empty and pd.notna(reference["value"].iloc[0])
        else None
    )
    _, vintage = values_shown(values, scope, period)
    view = build_map_view(
        values,
        ui.load_regions(manifest.generation),
        index,
        indicator,
        level,
        period,
        scope,
        method,
        lang,
        reference_value=reference_value,
        keep_codes=keep_codes,
        layer=ui.load_layer_geometry(manifest.generation, level, vintage, scope.kind, scope.code),
    )
    outline_on_map(view.deck, ui.load_regions(manifest.generation), lang)

    st.subheader(f"{indicator.name(lang)}, {scope.name} {period}")
    st.write(view.summary)
    map_column, legend_column = st.columns([4, 1])
    with map_column:
        if view.deck is None:
            st.info(t("no_polygons", lang))
        else:
            event = st.pydeck_chart(
                view.deck,
                on_select="rerun",
                selection_mode=map_selection_mode(level, lang),
                key="karta",
                height=560,
            )
            picked = (getattr(event, "selection", None) or {}).get("objects", {})
            chosen_objects = picked.get(MAP_LAYER_ID, [])
            if not take_map_picks(chosen_objects, level, view.geo_vintage, lang) and chosen_objects:
                st.switch_page(
                    PROFILE_PAGE,
                    query_params={"area": chosen_objects[0]["region_code"], "level": level},
                )
    with legend_column:
        st.html(_legend_html(view.legend, lang))
        if view.geo_vintage:
            st.caption(
                t(
                    "vintage_note",
                    lang,
                    level=level_names[level].split(" (")[0],
                    vintage=view.geo_vintage,
                )
            )
    st.caption(f"{indicator.attribution}. {t('map_click_hint', lang)}")
    title = f"{indicator.name(lang)}, {scope.name} {period}"
    ui_agenda.render_add_current_view(lang, KARTA, title)

    areas = view.areas
    area_names = dict(zip(areas["region_code"], areas["name"], strict=True))
    pick_col, link_col = st.columns([3, 1], vertical_alignment="bottom")
    chosen = pick_col.selectbox(
        t("open_profile", lang),
        list(area_names),
        format_func=lambda c: f"{area_names[c]} ({c})",
        key="map_pick",
    )
    link_col.page_link(
        PROFILE_PAGE,
        label=t("open_profile", lang),
        icon=":material/arrow_forward:",
        query_params={"area": chosen, "level": level},
    )

    st.subheader(t("table_alternative", lang))
    render_value_table(areas, indicator, lang)

    if scope.kind == "kommun" and scope.code is not None:
        ui_export.render_report_buttons(scope.code, scope.name, lang)


ui.guarded(render)
