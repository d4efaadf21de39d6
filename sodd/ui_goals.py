"""The page "Mål och uppföljning": set targets for indicators and follow them up.

A goal is set for any indicator of the catalog in use (official or the kommun's own)
and for the kommun or one of its districts or custom areas. Each goal is listed with
its trend against the target line, a table with the same numbers, one plain sentence
and its status; the follow-up report is exported as PDF, Word or Excel.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pandas as pd
import streamlit as st

from sodd import ui, ui_share
from sodd.errors import SoddError
from sodd.export import MIME_TYPES
from sodd.export.goals_report import (
    GOALS_FORMATS,
    goal_heading,
    goal_lines,
    goals_filename,
    load_goal_views,
    render_goals_report,
    value_headers,
    value_rows,
)
from sodd.export.tidy import ExportContext
from sodd.formatting import unit_name
from sodd.goals import AT_LEAST, AT_MOST, DIRECTIONS, Goal, goal_series
from sodd.goals_store import delete_goal, load_goals, new_goal, save_goal
from sodd.goals_text import format_goal_value, rule_text, status_label
from sodd.goals_view import GoalView, build_goal_views
from sodd.i18n import register, t
from sodd.indicators.catalog_model import Catalog
from sodd.schema import LEVEL_NAMES_EN, LEVEL_NAMES_SV
from sodd.store import Manifest
from sodd.url_state import MAL

register(
    {
        "page_goals": ("Mål och uppföljning", "Goals and follow-up"),
        "goals_intro": (
            "Sätt målnivåer för indikatorer – officiell statistik eller kommunens egna "
            "uppgifter – för kommunen eller ett område, och följ upp om utvecklingen går mot "
            "målet.",
            "Set target levels for indicators – official statistics or the municipality's own "
            "data – for the municipality or an area, and follow up whether the trend is heading "
            "for the target.",
        ),
        "goals_new": ("Sätt ett mål", "Set a goal"),
        "goals_kommun": ("Kommun", "Municipality"),
        "goals_area": ("Område", "Area"),
        "goals_indicator": ("Indikator", "Indicator"),
        "goals_latest": ("Senaste värde: {value} ({period}).", "Latest value: {value} ({period})."),
        "goals_no_values": (
            "Datalagret har inga publicerade värden för indikatorn i området ännu.",
            "The store has no published values for the indicator in this area yet.",
        ),
        "goals_target": ("Målvärde", "Target value"),
        "goals_direction": ("Riktning", "Direction"),
        "goals_at_most": ("Högst (värdet ska ner till målet)", "At most (should fall to target)"),
        "goals_at_least": ("Minst (värdet ska upp till målet)", "At least (should rise to target)"),
        "goals_date": ("Senast (måldatum)", "By (target date)"),
        "goals_baseline": ("Basår", "Baseline year"),
        "goals_baseline_all": ("Alla år", "All years"),
        "goals_responsible": ("Ansvarig nämnd", "Responsible committee"),
        "goals_note": ("Anteckning (valfri)", "Note (optional)"),
        "goals_save": ("Spara målet", "Save the goal"),
        "goals_saved": ("Målet är sparat.", "The goal is saved."),
        "goals_no_target": ("Ange ett målvärde (målvärde).", "Enter a target value (target)."),
        "goals_list": ("Mål", "Goals"),
        "goals_none": ("Inga mål är satta ännu.", "No goals have been set yet."),
        "goals_chart_value": ("Värde", "Value"),
        "goals_chart_target": ("Mål", "Target"),
        "goals_table": ("Tabell", "Table"),
        "goals_delete": ("Ta bort målet", "Delete the goal"),
        "goals_deleted": ("Målet är borttaget.", "The goal is deleted."),
        "goals_export": ("Uppföljningsrapport", "Follow-up report"),
        "goals_export_pdf": ("Rapport (PDF)", "Report (PDF)"),
        "goals_export_docx": ("Rapport (Word)", "Report (Word)"),
        "goals_export_xlsx": ("Rapport (Excel)", "Report (Excel)"),
    }
)


def render_page() -> None:
    """Render the whole page (called by ``views/mal.py``)."""
    lang, manifest = ui.page_start("page_goals")
    ui_share.PageUrl(MAL, lang)
    st.write(t("goals_intro", lang))
    if not manifest.datasets:
        st.info(t("store_empty", lang))
        return
    index = ui.load_region_index(manifest.generation)
    catalog = ui.get_catalog()
    _render_form(index, catalog, manifest, lang)
    _render_goals(index, catalog, manifest, lang)


def _area_options(index: pd.DataFrame, kommun: str, lang: str) -> dict[str, str]:
    """``level:vintage:code`` → label: the kommun, its RegSO and DeSO, then custom areas."""
    names = LEVEL_NAMES_SV if lang == "sv" else LEVEL_NAMES_EN
    own = index.loc[
        ((index["kommun_code"] == kommun) & index["level"].isin(["kommun", "regso", "deso"]))
        | (index["level"] == "custom")
    ].copy()
    order = {"kommun": 0, "regso": 1, "deso": 2, "custom": 3}
    own["order"] = own["level"].map(order)
    own["vintage"] = own["geo_vintage"].fillna("").astype("str")
    own = own.sort_values(["order", "vintage", "name"], ascending=[True, False, True])
    labels = {}
    for row in own.to_dict("records"):
        lvl, vintage, code = str(row["level"]), str(row["vintage"]), str(row["region_code"])
        suffix = f" {vintage}" if vintage else ""
        level = names[lvl].split(" (")[0]
        labels[f"{lvl}:{vintage}:{code}"] = f"{row['name']} ({code}) – {level}{suffix}"
    return labels


def _render_form(index: pd.DataFrame, catalog: Catalog, manifest: Manifest, lang: str) -> None:
    st.subheader(t("goals_new", lang))
    kommuner = index.loc[index["level"] == "kommun"].sort_values("name")
    names = dict(zip(kommuner["region_code"], kommuner["name"], strict=True))
    options = list(names)
    if not options:
        return
    left, right = st.columns(2)
    kommun = left.selectbox(
        t("goals_kommun", lang),
        options,
        index=options.index("1780") if "1780" in options else 0,
        format_func=lambda code: f"{names[code]} ({code})",
        key="goal_kommun",
    )
    areas = _area_options(index, kommun, lang)
    area = right.selectbox(
        t("goals_area", lang), list(areas), format_func=areas.__getitem__, key="goal_area"
    )
    indicators = {i.id: i for i in catalog.indicators}
    ids = list(indicators)
    indicator_id = st.selectbox(
        t("goals_indicator", lang),
        ids,
        index=ids.index("hemloshet") if "hemloshet" in ids else 0,
        format_func=lambda key: indicators[key].name(lang),
        key="goal_indicator",
    )
    if area is None or indicator_id is None:
        return
    level, vintage, code = str(area).split(":", 2)
    indicator = indicators[indicator_id]
    probe = Goal("", indicator_id, code, level, vintage, 0.0, AT_MOST, "", "", "", "", "")
    series = goal_series(ui.load_area_values(manifest.generation, (code,)), probe)
    usable = series.loc[series["usable"].astype(bool)] if len(series) else series
    if usable.empty:
        st.caption(t("goals_no_values", lang))
    else:
        latest = format_goal_value(float(usable["value"].iloc[-1]), indicator, lang)
        st.caption(t("goals_latest", lang, value=latest, period=usable["period"].iloc[-1]))
    periods = ["", *usable["period"].astype("str").tolist()]
    with st.form("goal_form"):
        first, second = st.columns(2)
        target = first.number_input(
            f"{t('goals_target', lang)} ({unit_name(indicator.unit, lang)})",
            value=None,
            step=1.0,
            key="goal_target",
        )
        direction = second.radio(
            t("goals_direction", lang),
            DIRECTIONS,
            index=1 if indicator.direction == "need_if_low" else 0,
            format_func=lambda d: t("goals_at_most" if d == AT_MOST else "goals_at_least", lang),
            key="goal_direction",
        )
        today = datetime.now(UTC).date()
        target_date = first.date_input(
            t("goals_date", lang), value=date(today.year + 4, 12, 31), key="goal_date"
        )
        baseline = second.selectbox(
            t("goals_baseline", lang),
            periods,
            format_func=lambda p: p or t("goals_baseline_all", lang),
            key="goal_baseline",
        )
        responsible = st.text_input(t("goals_responsible", lang), key="goal_responsible")
        note = st.text_area(t("goals_note", lang), key="goal_note")
        submitted = st.form_submit_button(t("goals_save", lang), key="goal_save")
    if not submitted:
        return
    if target is None:
        st.error(t("goals_no_target", lang))
        return
    store = ui.get_store()
    try:
        goal = new_goal(
            store,
            catalog,
            indicator_id=indicator_id,
            region_code=code,
            level=level,
            geo_vintage=vintage,
            target_value=float(target),
            direction=str(direction or AT_MOST),
            target_date=target_date if isinstance(target_date, date) else str(target_date),
            baseline_period=str(baseline or ""),
            responsible=responsible,
            note=note,
        )
        save_goal(store, goal)
    except SoddError as error:
        ui.show_error(error)
        return
    st.success(t("goals_saved", lang), icon=":material/check:")


def _chart_frame(view: GoalView, lang: str) -> pd.DataFrame:
    """Index period; the published values and the target line up to the target year."""
    series = view.series
    values = series["value"].where(series["usable"].astype(bool)).astype("float64")
    frame = pd.DataFrame(
        {t("goals_chart_value", lang): values.to_numpy()},
        index=pd.Index(series["period"].astype("str"), name="period"),
    )
    target_year = view.goal.target_date[:4]
    if target_year not in frame.index:
        frame.loc[target_year] = float("nan")
    frame[t("goals_chart_target", lang)] = view.goal.target_value
    return frame


def _render_goal(view: GoalView, lang: str) -> None:
    with st.container(border=True):
        st.subheader(goal_heading(view, lang))
        marker = {AT_MOST: ":material/south:", AT_LEAST: ":material/north:"}
        st.markdown(
            f"**{t('gr_status', lang)}: {status_label(view.judged.status, lang)}** "
            f"{marker.get(view.goal.direction, '')}"
        )
        if view.summary:
            st.write(view.summary)
        if view.indicator is not None and view.series["usable"].astype(bool).any():
            unit = unit_name(view.indicator.unit, lang)
            ui.line_chart(_chart_frame(view, lang), view.summary, y_label=unit)
        with st.expander(t("goals_table", lang)):
            st.dataframe(
                pd.DataFrame(value_rows(view, lang), columns=value_headers(lang)),
                hide_index=True,
            )
        lines = goal_lines(view, lang)[2:-1]  # target, date, baseline, nämnd, note
        st.caption(" · ".join(f"{label}: {text}" for label, text in lines))
        if st.button(t("goals_delete", lang), key=f"goal_delete_{view.goal.goal_id}"):
            try:
                delete_goal(ui.get_store(), view.goal.goal_id)
            except SoddError as error:
                ui.show_error(error)
                return
            st.toast(t("goals_deleted", lang))
            st.rerun()


def _render_goals(index: pd.DataFrame, catalog: Catalog, manifest: Manifest, lang: str) -> None:
    st.subheader(t("goals_list", lang))
    goals = load_goals(ui.get_store())
    if not goals:
        st.info(t("goals_none", lang))
        return
    codes = tuple(sorted({g.region_code for g in goals}))
    values = ui.load_area_values(manifest.generation, codes)
    names = dict(zip(index["region_code"], index["name"], strict=False))
    for view in build_goal_views(goals, values, catalog, names, lang):
        _render_goal(view, lang)
    with st.expander(t("gr_rule_heading", lang)):
        st.write(rule_text(lang))
    st.caption(t("exp_not_published", lang))
    _render_exports(catalog, lang)


def _deferred(catalog: Catalog, lang: str, fmt: str) -> Callable[[], bytes]:
    def render() -> bytes:
        # Built only when clicked: three formats cost nothing per rerun.
        store = ui.get_store()
        views = load_goal_views(store, catalog, lang)
        context = ExportContext(entries=tuple(store.manifest().datasets.values()), lang=lang)
        return render_goals_report(views, context, fmt)

    return render


def _render_exports(catalog: Catalog, lang: str) -> None:
    st.subheader(t("goals_export", lang))
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    columns = st.columns(len(GOALS_FORMATS))
    for column, fmt in zip(columns, GOALS_FORMATS, strict=True):
        column.download_button(
            t(f"goals_export_{fmt}", lang),
            data=_deferred(catalog, lang, fmt),
            file_name=goals_filename(fmt, today),
            mime=MIME_TYPES[fmt],
            key=f"goals_export_{fmt}",
            on_click="ignore",
            icon=":material/download:",
        )
