"""Datakällor: every dataset in the store with provider, table, periods, fetch time and rows."""

import pandas as pd
import streamlit as st

from sodd import ui
from sodd.formatting import format_number, format_timestamp
from sodd.i18n import t


def render() -> None:
    lang = ui.current_lang()
    st.title(t("page_sources", lang))
    manifest = ui.current_manifest()
    if not manifest.datasets:
        st.info(t("store_empty", lang))
        return
    st.write(t("sources_intro", lang))
    rows = []
    for entry in sorted(manifest.datasets.values(), key=lambda e: (e.kind, e.dataset_id)):
        periods = (
            f"{entry.periods[0]}–{entry.periods[-1]}"
            if len(entry.periods) > 1
            else "".join(entry.periods)
        )
        rows.append(
            {
                t("col_dataset", lang): entry.title,
                t("col_provider", lang): entry.provider,
                t("col_table", lang): entry.table_id or "",
                t("col_kind", lang): entry.kind,
                t("col_periods", lang): periods,
                t("col_fetched", lang): format_timestamp(entry.fetched_at, lang),
                t("col_rows", lang): format_number(entry.rows, 0, lang),
                t("col_demo", lang): t("yes", lang) if entry.demo else t("no", lang),
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    updated = format_timestamp(manifest.updated_at, lang) if manifest.updated_at else "–"
    st.caption(t("store_generation", lang, generation=manifest.generation, updated=updated))


ui.guarded(render)
