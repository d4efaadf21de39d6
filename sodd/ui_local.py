"""The page "Egna uppgifter": the kommun's own data – templates, upload or entry, check, save.

Nothing is stored before the check has passed and the user has seen exactly what will
be stored and pressed "Spara". A person-level file is refused and dropped from the
session at once (the uploader is replaced), so its content is not kept anywhere.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sodd import ui, ui_local_stored, ui_share
from sodd.errors import SoddError
from sodd.formatting import format_number
from sodd.i18n import register, t
from sodd.local.problems import LocalDataError, PersonalDataError
from sodd.local.store import save_local, stored_summary
from sodd.local.templates import (
    KIND_NAMES_EN,
    KIND_NAMES_SV,
    KINDS,
    columns,
    headers,
    template_csv,
    template_xlsx,
)
from sodd.local.validate import LocalTable, check_frame, check_size, check_upload
from sodd.url_state import EGNA_UPPGIFTER

register(
    {
        "page_local": ("Egna uppgifter", "Own data"),
        "local_intro": (
            "Här lägger kommunen in egna uppgifter: hemlöshetskartläggningen, inventeringen "
            "av boendeinsatser och egna indikatorer per kommun eller delområde. Bara "
            "summerade antal tas emot – aldrig namn, personnummer eller en rad per person.",
            "Here the kommun adds its own data: the homelessness mapping, the inventory of "
            "housing interventions and own indicators per kommun or district. Only "
            "aggregated counts are accepted – never names, personal identity numbers or "
            "one row per person.",
        ),
        "local_kind": ("Vilka uppgifter", "Which data"),
        "local_kommun": (
            "Kommun (mallens exempelrader och sparade uppgifter nedan)",
            "Municipality (template examples and stored data below)",
        ),
        "local_template_csv": ("Ladda ned mall (CSV)", "Download template (CSV)"),
        "local_template_xlsx": ("Ladda ned mall (Excel)", "Download template (Excel)"),
        "local_template_note": (
            "Mallens exempelrader ska ersättas med era egna uppgifter. Kolumner: {columns}.",
            "Replace the template's example rows with your own data. Columns: {columns}.",
        ),
        "local_tab_upload": ("Ladda upp fil", "Upload a file"),
        "local_tab_editor": ("Skriv in i tabell", "Enter in a table"),
        "local_file": ("Fil (CSV eller Excel .xlsx)", "File (CSV or Excel .xlsx)"),
        "local_problems": (
            "{count} fel hittades. Inget sparas förrän alla är rättade.",
            "{count} problems found. Nothing is stored until all are fixed.",
        ),
        "local_col_row": ("Rad", "Row"),
        "local_col_column": ("Kolumn", "Column"),
        "local_col_value": ("Värde", "Value"),
        "local_col_error": ("Fel", "Problem"),
        "local_preview": (
            "Filen är felfri. Så här sparas den ({rows} rader):",
            "The file has no problems. This is what will be stored ({rows} rows):",
        ),
        "local_ignored": ("Kolumner som inte används: {columns}", "Columns not used: {columns}"),
        "local_replaces": (
            "Perioderna i filen ersätter samma perioder för kommunen i datalagret; andra "
            "perioder behålls.",
            "The periods in the file replace the same periods for the kommun in the "
            "store; other periods are kept.",
        ),
        "local_save": ("Spara", "Save"),
        "local_saved": (
            "Sparat: {rows} rader för {periods}. Datamängden har nu {total} rader.",
            "Saved: {rows} rows for {periods}. The dataset now holds {total} rows.",
        ),
        "local_refused": ("Filen togs inte emot.", "The file was refused."),
        "local_editor_help": (
            "Skriv en rad per grupp, med samma kolumner som mallen. Tabellen kontrolleras "
            "på samma sätt som en fil.",
            "Write one row per group, with the template's columns. The table is checked "
            "the same way as a file.",
        ),
        "local_col_level": ("Nivå", "Level"),
    }
)


def _kind_label(kind: str, lang: str) -> str:
    return (KIND_NAMES_EN if lang == "en" else KIND_NAMES_SV)[kind]


def region_index() -> pd.DataFrame | None:
    """The store's regions without geometry (``None`` when it has none)."""
    manifest = ui.current_manifest()
    if not manifest.of_kind("regions"):
        return None
    return ui.load_region_index(manifest.generation)


_NEXT_KOMMUN = "local_kommun_next"
_SAVED_MESSAGE = "local_saved_message"


def render_local_page() -> None:
    """The whole page: kind, templates, upload or table entry, what is stored."""
    lang, _manifest = ui.page_start("page_local")
    ui_share.PageUrl(EGNA_UPPGIFTER, lang)
    st.caption(t("local_intro", lang))
    regions = region_index()
    kommuner: dict[str, str] = {}
    if regions is not None:
        rows = regions.loc[regions["level"] == "kommun"].sort_values("name")
        kommuner = dict(zip(rows["region_code"], rows["name"], strict=True))
    left, right = st.columns(2)
    kind = left.radio(
        t("local_kind", lang), KINDS, format_func=lambda k: _kind_label(k, lang), key="local_kind"
    )
    # After a save, show the kommun just saved (set before its widget is drawn).
    if (saved_kommun := st.session_state.pop(_NEXT_KOMMUN, None)) in kommuner:
        st.session_state["local_kommun"] = saved_kommun
    elif "local_kommun" not in st.session_state and (start := _start_kommun(kommuner)):
        st.session_state["local_kommun"] = start
    kommun = right.selectbox(
        t("local_kommun", lang),
        list(kommuner) or ["0180"],
        format_func=lambda code: f"{kommuner.get(code, code)} ({code})",
        key="local_kommun",
    )
    _templates(kind, kommun, lang)
    upload_tab, editor_tab = st.tabs([t("local_tab_upload", lang), t("local_tab_editor", lang)])
    with upload_tab:
        _upload(kind, regions, lang)
    with editor_tab:
        _editor(kind, regions, lang)
    if message := st.session_state.pop(_SAVED_MESSAGE, None):
        st.success(message)
    ui_local_stored.render_stored(kommun, kommuner.get(kommun, kommun), lang)


def _templates(kind: str, kommun: str, lang: str) -> None:
    first, second = st.columns(2)
    first.download_button(
        t("local_template_csv", lang),
        template_csv(kind, kommun),
        file_name=f"mall_{kind}.csv",
        mime="text/csv",
        key="local_template_csv",
    )
    second.download_button(
        t("local_template_xlsx", lang),
        template_xlsx(kind, kommun),
        file_name=f"mall_{kind}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="local_template_xlsx",
    )
    st.caption(t("local_template_note", lang, columns=", ".join(headers(kind))))


def _upload(kind: str, regions: pd.DataFrame | None, lang: str) -> None:
    refusal = st.session_state.pop("local_refusal", None)
    if refusal:
        st.error(f"{t('local_refused', lang)}  \n{_markdown_lines(refusal)}")
    nonce = int(st.session_state.get("local_upload_nonce", 0))
    upload = st.file_uploader(
        t("local_file", lang), type=["csv", "txt", "xlsx"], key=f"local_file_{nonce}"
    )
    if upload is None:
        return
    try:
        data = upload.getvalue()
        check_size(data, upload.name, ui.get_settings().max_upload_mb)
        table = check_upload(data, upload.name, kind, regions)
    except PersonalDataError as error:
        # A new uploader key drops the file from the session; only the message stays.
        st.session_state["local_refusal"] = str(error)
        st.session_state["local_upload_nonce"] = nonce + 1
        st.rerun()
    except LocalDataError as error:
        _show_problems(error, lang)
        return
    _preview_and_save(table, lang, key="local_save")


def _editor(kind: str, regions: pd.DataFrame | None, lang: str) -> None:
    st.caption(t("local_editor_help", lang))
    empty = pd.DataFrame({header: pd.Series(dtype="str") for header in headers(kind)})
    edited = st.data_editor(empty, num_rows="dynamic", key=f"local_editor_{kind}", hide_index=True)
    if edited is None or edited.dropna(how="all").empty:
        return
    try:
        table = check_frame(edited, kind, regions)
    except PersonalDataError as error:
        st.error(f"{t('local_refused', lang)}  \n{_markdown_lines(str(error))}")
        return
    except LocalDataError as error:
        _show_problems(error, lang)
        return
    _preview_and_save(table, lang, key="local_editor_save")


def _markdown_lines(text: str) -> str:
    # Markdown needs two spaces before a newline to keep lines apart.
    return text.replace("\n", "  \n")


def problems_frame(error: LocalDataError, lang: str) -> pd.DataFrame:
    """Every problem as a table: row, column, value, what is wrong."""
    return pd.DataFrame(
        {
            t("local_col_row", lang): [p.row if p.row is not None else "" for p in error.problems],
            t("local_col_column", lang): [p.column for p in error.problems],
            t("local_col_value", lang): [p.value for p in error.problems],
            t("local_col_error", lang): [p.message for p in error.problems],
        }
    ).astype(str)


def _show_problems(error: LocalDataError, lang: str) -> None:
    st.error(t("local_problems", lang, count=len(error.problems)))
    st.dataframe(problems_frame(error, lang), hide_index=True)


def preview_frame(table: LocalTable, lang: str) -> pd.DataFrame:
    """The rows to be stored, with the template's Swedish headers."""
    headers_by_key = {column.key: column.header for column in columns(table.kind)}
    names = {
        "row": t("local_col_row", lang),
        "region_code": headers_by_key.pop("region"),
        "level": t("local_col_level", lang),
        **headers_by_key,
    }
    shown = table.rows[[c for c in names if c in table.rows.columns]].rename(columns=names)
    return shown.astype(str)


def _preview_and_save(table: LocalTable, lang: str, *, key: str) -> None:
    rows = format_number(len(table.rows), 0, lang)
    st.success(t("local_preview", lang, rows=rows))
    st.dataframe(preview_frame(table, lang), hide_index=True)
    if table.ignored:
        st.caption(t("local_ignored", lang, columns=", ".join(table.ignored)))
    st.caption(t("local_replaces", lang))
    if not st.button(t("local_save", lang), type="primary", key=key):
        return
    try:
        result = save_local(ui.get_store(), table, disclosure_min=ui.get_settings().disclosure_min)
    except SoddError as error:
        ui.show_error(error)
        return
    # Rerun so the kommun choice and the list of stored data show what was just saved.
    st.session_state[_SAVED_MESSAGE] = t(
        "local_saved",
        lang,
        rows=format_number(result.rows_saved, 0, lang),
        periods=", ".join(result.periods),
        total=format_number(result.rows_total, 0, lang),
    )
    st.session_state[_NEXT_KOMMUN] = str(table.rows["kommun_code"].iloc[0])
    st.rerun()


def _start_kommun(kommuner: dict[str, str]) -> str | None:
    """The kommun the page opens on: of the latest upload, else the first with statistics.

    After a refresh of one kommun the store has statistics for that kommun only, so the
    page opens on it rather than on the alphabetically first kommun.
    """
    summary = stored_summary(ui.get_store())
    if not summary.empty:
        latest = str(summary.sort_values("uploaded_at")["kommun_code"].iloc[-1])
        if latest in kommuner:
            return latest
    with_data = ui.load_codes_with_data(ui.current_manifest().generation, "kommun")
    return next((code for code in kommuner if code in with_data), None)
