"""Datakällor: every dataset in the store with provider, table, periods, fetch time and rows."""

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from sodd import ui, ui_import, ui_refresh_all, ui_share
from sodd.formatting import format_number, format_timestamp
from sodd.i18n import t
from sodd.refresh_scb import Scope
from sodd.schema import PROVIDER_NAMES
from sodd.ui_snapshot import render_snapshot_section
from sodd.url_state import DATAKALLOR


def _age(fetched_at: str, lang: str) -> str:
    """How old a dataset is, in whole days, so stale data is visible at a glance."""
    try:
        moment = datetime.fromisoformat(fetched_at.replace("Z", "+00:00"))
    except ValueError:
        return ""
    days = (datetime.now(UTC) - moment).days
    return (
        t("age_today", lang) if days < 1 else t("age_days", lang, days=format_number(days, 0, lang))
    )


def _refresh_form(lang: str) -> None:
    """The "Uppdatera" action: fetch SCB statistics (and polygons) for a kommun or län."""
    settings = ui.get_settings()
    manifest = ui.current_manifest()
    index = ui.load_region_index(manifest.generation) if manifest.datasets else None
    st.subheader(t("refresh_heading", lang))
    st.caption(t("refresh_intro", lang, url=settings.scb_api_url))
    with st.form("refresh_form"):
        left, middle, right = st.columns([2, 3, 2])
        kind = left.radio(
            t("area_scope", lang),
            ["kommun", "lan"],
            format_func=lambda s: t(f"scope_{s}", lang),
            key="refresh_scope",
        )
        options: dict[str, str] = {}
        if index is not None:
            rows = index.loc[index["level"].isin(["kommun", "lan"])].sort_values("name")
            options = {
                f"{row.level}:{row.region_code}": f"{row.name} ({row.region_code})"
                for row in rows.itertuples()
            }
        area = middle.selectbox(
            t("refresh_area", lang),
            list(options),
            format_func=options.__getitem__,
            key="refresh_area",
        )
        first_year = right.number_input(
            t("refresh_from", lang),
            min_value=2010,
            max_value=2100,
            value=settings.scb_first_year,
            step=1,
            key="refresh_from",
        )
        with_geo = st.checkbox(t("refresh_with_geo", lang), value=True, key="refresh_geo")
        with_kolada = st.checkbox(t("refresh_with_kolada", lang), value=True, key="refresh_kolada")
        submitted = st.form_submit_button(t("refresh_button", lang), type="primary")
    if not submitted:
        return
    if area is None or not area.startswith(f"{kind}:"):
        st.warning(t("refresh_pick_area", lang))
        return
    code = area.split(":", 1)[1]
    sources = ["scb", *(["geo"] if with_geo else []), *(["kolada"] if with_kolada else [])]
    ui_refresh_all.run_full_refresh(Scope(kind, code), int(first_year), sources, lang)


def render() -> None:
    lang, manifest = ui.page_start("page_sources")
    ui_share.PageUrl(DATAKALLOR, lang)
    if not manifest.datasets:
        st.info(t("store_empty", lang))
        return
    st.write(t("sources_intro", lang))
    rows = []
    order = {"observations": 0, "regions": 1, "indicator_values": 2}
    entries = sorted(manifest.datasets.values(), key=lambda e: (order.get(e.kind, 9), e.dataset_id))
    for entry in entries:
        periods = (
            f"{entry.periods[0]}–{entry.periods[-1]}"
            if len(entry.periods) > 1
            else "".join(entry.periods)
        )
        rows.append(
            {
                t("col_dataset", lang): entry.title,
                t("col_provider", lang): PROVIDER_NAMES.get(entry.provider, entry.provider),
                t("col_table", lang): entry.table_id or "",
                t("col_kind", lang): t(f"kind_{entry.kind}", lang),
                t("col_periods", lang): periods,
                t("col_fetched", lang): format_timestamp(entry.fetched_at, lang),
                t("col_age", lang): _age(entry.fetched_at, lang),
                t("col_rows", lang): format_number(entry.rows, 0, lang),
                t("col_demo", lang): t("yes", lang) if entry.demo else t("no", lang),
            }
        )
    # Tall enough to show every dataset without an inner scroll bar.
    st.dataframe(pd.DataFrame(rows), hide_index=True, height=36 * (len(rows) + 1) + 4)
    updated = format_timestamp(manifest.updated_at, lang) if manifest.updated_at else "–"
    st.caption(t("store_generation", lang, generation=manifest.generation, updated=updated))


def render_page() -> None:
    lang = ui.current_lang()
    render()
    _refresh_form(lang)
    ui_import.render_import(lang)
    render_snapshot_section(lang)


ui.guarded(render_page)
