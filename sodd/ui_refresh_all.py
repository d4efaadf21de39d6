"""Datakällor → "Uppdatera": run a full refresh and show its report, one row per dataset."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from sodd import ui
from sodd.errors import SoddError
from sodd.formatting import format_number
from sodd.i18n import register, t
from sodd.refresh_all import refresh_all
from sodd.refresh_all_report import FullRefreshReport
from sodd.sources.scb import Scope

register(
    {
        "refresh_with_kolada": (
            "Hämta även Kolada (ekonomiskt bistånd, avhysningar)",
            "Also fetch Kolada (financial assistance, evictions)",
        ),
        "col_dataset": ("Datamängd", "Dataset"),
        "col_source": ("Källa", "Source"),
        "refresh_failed_kept": (
            "Datamängder som misslyckades behåller sin tidigare version; ingen sparades "
            "till hälften. Försök igen senare.",
            "Datasets that failed keep their previous version; none was stored in part. "
            "Try again later.",
        ),
    }
)


def run_full_refresh(scope: Scope, first_year: int, sources: Sequence[str], lang: str) -> None:
    """Run :func:`sodd.refresh_all.refresh_all` with progress, then show its report."""
    settings = ui.get_settings()
    bar = st.progress(0.0, text=t("refresh_starting", lang))
    status = st.empty()

    def on_line(line: str) -> None:
        status.caption(line)

    def on_table(table_id: str, done: int, total: int) -> None:
        bar.progress(done / total if total else 1.0, text=f"{table_id}: {done}/{total}")

    try:
        report = refresh_all(
            ui.get_store(),
            settings,
            scope,
            first_year=first_year,
            sources=sources,
            progress=on_line,
            table_progress=on_table,
        )
    except SoddError as error:
        bar.empty()
        status.empty()
        ui.show_error(error)
        return
    bar.progress(1.0, text=t("refresh_done", lang))
    status.empty()
    show_report(report, lang)


def show_report(report: FullRefreshReport, lang: str) -> None:
    """The per-dataset table and a summary line (green when nothing failed)."""
    items = report.datasets
    st.dataframe(
        pd.DataFrame(
            {
                t("col_dataset", lang): [item.dataset_id for item in items],
                t("col_source", lang): [item.source for item in items],
                t("col_result", lang): [item.outcome for item in items],
                t("col_rows", lang): [format_number(item.rows, 0, lang) for item in items],
                t("col_requests", lang): [
                    "" if item.requests is None else str(item.requests) for item in items
                ],
                t("col_message", lang): [item.message for item in items],
            }
        ),
        hide_index=True,
    )
    lines = report.summary_sv().splitlines()
    summary = next(line for line in reversed(lines) if "nya versioner" in line)
    (st.success if report.ok else st.error)(summary)
    for error in report.source_errors:
        st.error(error)
    if not report.ok:
        st.caption(t("refresh_failed_kept", lang))
