"""Karta: choropleth of one indicator for a kommun, a län or all of Sweden."""

import pandas as pd
import streamlit as st

from sodd import ui
from sodd.formatting import format_status, format_value
from sodd.geo import join_values, regions_in_scope, simplify_for_display
from sodd.i18n import t
from sodd.maps import CLASS_METHODS, MAP_LAYER_ID, build_deck, classify, legend_entries
from sodd.schema import LEVEL_NAMES_EN, LEVEL_NAMES_SV, LEVELS, RIKET_CODE
from sodd.summary import summarise_map

PROFILE_PAGE = "pages/area_profile.py"
SCOPE_LEVELS = {
    "kommun": ["deso", "regso"],
    "lan": ["deso", "regso", "kommun"],
    "riket": ["deso", "regso", "kommun", "lan"],
}


def _keep_valid(key: str, options: list[str]) -> None:
    """Forget a widget's remembered choice when it is no longer among the options."""
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]


def render() -> None:
    lang = ui.current_lang()
    level_names = LEVEL_NAMES_SV if lang == "sv" else LEVEL_NAMES_EN
    st.title(t("page_map", lang))
    manifest = ui.current_manifest()
    if not manifest.datasets:
        st.info(t("store_empty", lang))
        return
    index = ui.load_region_index(manifest.generation)
    catalog = ui.get_catalog()

    scope = st.radio(
        t("area_scope", lang),
        ["kommun", "lan", "riket"],
        format_func=lambda s: t(f"scope_{s}", lang),
        horizontal=True,
        key="map_scope",
    )
    kommun_code = lan_code = None
    scope_name = "Sverige" if lang == "sv" else "Sweden"
    if scope == "kommun":
        kommuner = index.loc[index["level"] == "kommun"].sort_values("name")
        names = dict(zip(kommuner["region_code"], kommuner["name"], strict=True))
        kommun_code = st.selectbox(
            t("choose_kommun", lang),
            list(names),
            format_func=lambda c: f"{names[c]} ({c})",
            key="map_kommun",
        )
        scope_name = names[kommun_code]
    elif scope == "lan":
        lan = index.loc[index["level"] == "lan"].sort_values("region_code")
        names = dict(zip(lan["region_code"], lan["name"], strict=True))
        lan_code = st.selectbox(
            t("choose_lan", lang),
            list(names),
            format_func=lambda c: f"{names[c]} ({c})",
            key="map_lan",
        )
        scope_name = names[lan_code]

    themes = catalog.by_theme()
    theme_ids = [theme.id for theme, _ in themes]
    left, right = st.columns(2)
    theme_id = left.selectbox(
        t("theme", lang),
        theme_ids,
        format_func=lambda i: next(th.name(lang) for th, _ in themes if th.id == i),
        key="map_theme",
    )
    indicators = next(items for th, items in themes if th.id == theme_id)
    indicator_ids = [i.id for i in indicators]
    _keep_valid("map_indicator", indicator_ids)
    indicator = catalog.get(
        right.selectbox(
            t("indicator", lang),
            indicator_ids,
            format_func=lambda i: catalog.get(i).name(lang),
            key="map_indicator",
        )
    )
    direction_key = {"need_if_high": "need_high", "need_if_low": "need_low"}.get(
        indicator.direction, "need_neutral"
    )
    st.caption(f"{indicator.description(lang)} {t(direction_key, lang)} {indicator.attribution}")

    level_options = [
        lvl
        for lvl in SCOPE_LEVELS[scope]
        if LEVELS.index(lvl) >= LEVELS.index(indicator.lowest_level)
    ]
    if not level_options:
        level_options = [indicator.lowest_level]
    if level_options != SCOPE_LEVELS[scope]:
        st.info(
            t(
                "lowest_level_note",
                lang,
                indicator=indicator.name(lang),
                level=level_names[indicator.lowest_level].lower(),
            )
        )
    _keep_valid("map_level", level_options)
    level = st.radio(
        t("level", lang),
        level_options,
        format_func=lambda lvl: level_names[lvl],
        horizontal=True,
        key="map_level",
    )

    values = ui.load_indicator_values(manifest.generation, indicator.id, level)
    regions = regions_in_scope(
        ui.load_regions(manifest.generation), level, kommun_code=kommun_code, lan_code=lan_code
    )
    in_scope = values.loc[values["region_code"].isin(regions["region_code"])]
    periods = sorted(in_scope["period"].unique().tolist())
    if not periods:
        st.warning(
            t(
                "no_values",
                lang,
                indicator=indicator.name(lang),
                level=level_names[level].lower(),
                year="–",
            )
        )
        return
    _keep_valid("map_year", periods)
    col_year, col_class = st.columns(2)
    period = (
        col_year.select_slider(t("year", lang), periods, value=periods[-1], key="map_year")
        if len(periods) > 1
        else periods[0]
    )
    method = col_class.radio(
        t("classification", lang),
        CLASS_METHODS,
        format_func=lambda m: t(f"class_{m}", lang),
        horizontal=True,
        key="map_class",
    )

    joined = join_values(regions, in_scope.loc[in_scope["period"] == period])
    classification = classify(joined["value"].where(joined["status"].isna()), method, indicator)
    display = simplify_for_display(joined, scope)
    context = (
        regions_in_scope(
            ui.load_regions(manifest.generation),
            "kommun",
            kommun_code=kommun_code,
            lan_code=lan_code,
        )
        if level in {"deso", "regso"} and scope != "kommun"
        else None
    )
    deck = build_deck(
        display,
        indicator,
        classification,
        lang,
        context=simplify_for_display(context, scope) if context is not None else None,
    )

    reference_code = kommun_code or lan_code or RIKET_CODE
    reference_level = "kommun" if kommun_code else ("lan" if lan_code else "riket")
    reference = ui.load_indicator_values(manifest.generation, indicator.id, reference_level)
    reference = reference.loc[
        (reference["region_code"] == reference_code) & (reference["period"] == period)
    ]
    reference_value = (
        float(reference["value"].iloc[0])
        if not reference.empty and pd.notna(reference["value"].iloc[0])
        else None
    )
    summary = summarise_map(
        joined,
        indicator,
        period,
        level,
        lang,
        reference_name=scope_name,
        reference_value=reference_value,
    )

    st.subheader(f"{indicator.name(lang)}, {scope_name} {period}")
    st.write(summary)
    map_column, legend_column = st.columns([4, 1])
    with map_column:
        event = st.pydeck_chart(
            deck,
            on_select="rerun",
            selection_mode="single-object",
            key="karta",
            height=560,
            alt=summary,
        )
    with legend_column:
        items = "".join(
            f'<li><span style="display:inline-block;width:1.1em;height:1.1em;background:{colour};'
            f'border:1px solid #333;vertical-align:middle;margin-right:.4em"></span>{label}</li>'
            for colour, label in legend_entries(classification, indicator, lang)
        )
        st.html(
            f'<div role="group" aria-label="{t("legend", lang)}">'
            f"<strong>{t('legend', lang)}</strong>"
            f'<ul style="list-style:none;padding-left:0;line-height:1.8">{items}</ul></div>'
        )
    picked = (getattr(event, "selection", None) or {}).get("objects", {}).get(MAP_LAYER_ID, [])
    if picked:
        st.switch_page(
            PROFILE_PAGE, query_params={"area": picked[0]["region_code"], "level": level}
        )

    st.caption(t("map_click_hint", lang))
    options = joined.sort_values("name")
    area_names = dict(zip(options["region_code"], options["name"], strict=True))
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
    table = pd.DataFrame(
        {
            t("col_name", lang): joined["name"],
            t("col_code", lang): joined["region_code"],
            t("col_value", lang): joined["value"].where(joined["status"].isna()),
            t("col_status", lang): [
                format_status(s, lang) if isinstance(s, str) or pd.isna(v) else ""
                for s, v in zip(joined["status"], joined["value"], strict=True)
            ],
        }
    )
    value_col = t("col_value", lang)
    styled = table.style.format(
        {
            value_col: lambda v: (
                format_value(
                    v, unit=indicator.unit, decimals=indicator.decimals, lang=lang, with_unit=False
                )
                if pd.notna(v)
                else ".."
            )
        }
    )
    st.dataframe(styled, hide_index=True)
    st.caption(f"{t('source', lang)}: {indicator.attribution}.")


ui.guarded(render)
