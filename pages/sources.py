"""Datakällor: every dataset in the store with provider, table, periods, fetch time and rows."""

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from sodd import ui
from sodd.formatting import format_number, format_timestamp
from sodd.i18n import t
from sodd.schema import PROVIDER_NAMES


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


def render() -> None:
    lang = ui.current_lang()
    st.title(t("page_sources", lang))
    manifest = ui.current_manifest()
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


ui.guarded(render)
