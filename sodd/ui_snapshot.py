"""The "Spara workshop" section of Datakällor: build the dated bundle and download it.

Two steps, so the file is built (and dated) when the facilitator asks for it, not on
every rerun of the page: "Spara workshop" builds the ZIP with
:func:`sodd.workshop_snapshot.build_snapshot`, then a download button hands it over.
"""

from __future__ import annotations

import streamlit as st

from sodd import ui
from sodd.errors import SoddError
from sodd.i18n import register, t
from sodd.store import Store
from sodd.workshop_snapshot import Snapshot, build_snapshot

register(
    {
        "snapshot_heading": ("Spara workshop", "Save the workshop"),
        "snapshot_intro": (
            "Sparar en daterad ZIP-fil med agendan, de lokala iakttagelserna, exakt vilka "
            "dataversioner som användes och en fristående HTML-fil per vy. Den kan delas "
            "med deltagarna och öppnas senare, även när datan har uppdaterats.",
            "Saves a dated ZIP file with the agenda, the local observations, the exact data "
            "versions used and a self-contained HTML file per view. It can be shared with the "
            "participants and opened later, even after the data has been refreshed.",
        ),
        "snapshot_agenda": ("Agenda", "Agenda"),
        "snapshot_no_agenda": (
            "Ingen agenda – bara iakttagelserna",
            "No agenda – the observations only",
        ),
        "snapshot_button": ("Spara workshop", "Save the workshop"),
        "snapshot_building": ("Bygger ögonblicksbilden …", "Building the snapshot …"),
        "snapshot_ready": ("Klar: {name}", "Ready: {name}"),
        "snapshot_download": ("Ladda ner ZIP-filen", "Download the ZIP file"),
    }
)

_RESULT_KEY = "snapshot_result"


def _agendas(store: Store) -> dict[str, str]:
    """Agenda id → name, sorted by name (none when no agenda is saved)."""
    if not store.manifest().of_kind("agendas"):
        return {}
    rows = store.read("agendas", columns=["agenda_id", "agenda_name"]).dropna()
    rows = rows.drop_duplicates("agenda_id").sort_values(["agenda_name", "agenda_id"])
    return {str(r.agenda_id): str(r.agenda_name) for r in rows.itertuples()}


def render_snapshot_section(lang: str) -> None:
    """Show the agenda choice, the "Spara workshop" button and the download.

    Parameters
    ----------
    lang
        Interface language.
    """
    store = ui.get_store()
    if store.is_empty():
        return  # nothing to save: the page already says the store is empty
    st.subheader(t("snapshot_heading", lang))
    st.caption(t("snapshot_intro", lang))
    agendas = _agendas(store)
    options: list[str] = ["", *agendas]
    chosen = st.selectbox(
        t("snapshot_agenda", lang),
        options,
        format_func=lambda a: f"{agendas[a]} ({a})" if a else t("snapshot_no_agenda", lang),
        index=1 if agendas else 0,
        key="snapshot_agenda",
    )
    if st.button(t("snapshot_button", lang), key="snapshot_build", icon=":material/save:"):
        try:
            with st.spinner(t("snapshot_building", lang)):
                st.session_state[_RESULT_KEY] = build_snapshot(store, chosen or None, lang=lang)
        except SoddError as error:
            st.session_state.pop(_RESULT_KEY, None)
            ui.show_error(error)
    result = st.session_state.get(_RESULT_KEY)
    if isinstance(result, Snapshot):
        st.success(t("snapshot_ready", lang, name=result.filename))
        st.download_button(
            t("snapshot_download", lang),
            data=result.data,
            file_name=result.filename,
            mime="application/zip",
            key="snapshot_download",
            on_click="ignore",
            icon=":material/download:",
        )
