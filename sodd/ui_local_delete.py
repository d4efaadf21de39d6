"""Egna uppgifter → remove one stored upload, after an explicit "Ja, ta bort".

The choice lists the kommun's stored uploads (kind, period and, for own indicators,
the indicator's name); the button stays disabled until the confirmation box is ticked.
The deletion goes through :func:`sodd.local.delete.delete_local`, so the derived values
and the saved custom areas follow as after a save.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sodd import ui
from sodd.errors import SoddError
from sodd.formatting import format_number
from sodd.i18n import register, t
from sodd.local.delete import delete_local
from sodd.local.templates import KIND_NAMES_EN, KIND_NAMES_SV

register(
    {
        "local_delete_heading": ("Ta bort sparade uppgifter", "Remove stored data"),
        "local_delete_choice": ("Vilka uppgifter", "Which data"),
        "local_delete_confirm": (
            "Ja, ta bort de valda uppgifterna",
            "Yes, remove the chosen data",
        ),
        "local_delete_button": ("Ta bort", "Remove"),
        "local_delete_note": (
            "Uppgifterna tas bort ur datalagret, och indikatorvärden och egna områden "
            "räknas om. Det går inte att ångra; ladda upp filen igen för att få tillbaka dem.",
            "The data is removed from the store, and indicator values and custom areas "
            "are recomputed. This cannot be undone; upload the file again to restore it.",
        ),
        "local_deleted": (
            "Borttaget: {rows} rader ({what}).",
            "Removed: {rows} rows ({what}).",
        ),
    }
)

_DONE = "local_delete_done"
_CONFIRM = "local_delete_confirm"
_CHOICE = "local_delete_choice"
_RESET = "local_delete_reset"


def upload_label(row: pd.Series, lang: str) -> str:
    """``"Hemlöshetskartläggning 2024"``; own indicators ``"Egen indikator: Namn 2024"``."""
    kind = str(row["kind"])
    name = (KIND_NAMES_EN if lang == "en" else KIND_NAMES_SV)[kind]
    if kind == "indikator":
        name = f"{name}: {row['name']}"
    return f"{name} {row['period']}"


def show_done() -> None:
    """The message of a deletion just made (shown once, after the rerun)."""
    if message := st.session_state.pop(_DONE, None):
        st.success(message)


def render_delete(summary: pd.DataFrame, lang: str) -> None:
    """Choose one stored upload of the kommun, confirm, remove it.

    Parameters
    ----------
    summary
        :func:`sodd.local.store.stored_summary` rows of one kommun (not empty).
    lang
        ``"sv"`` or ``"en"``.
    """
    with st.expander(t("local_delete_heading", lang)):
        rows = summary.reset_index(drop=True)
        if st.session_state.pop(_RESET, False):
            # After a deletion the list is shorter: start over, unticked (before drawing).
            st.session_state.pop(_CHOICE, None)
            st.session_state[_CONFIRM] = False
        labels = [upload_label(row, lang) for _, row in rows.iterrows()]
        choice = st.selectbox(
            t("local_delete_choice", lang),
            range(len(rows)),
            format_func=lambda index: labels[index],
            key=_CHOICE,
        )
        st.caption(t("local_delete_note", lang))
        confirmed = st.checkbox(t("local_delete_confirm", lang), key=_CONFIRM)
        pressed = st.button(
            t("local_delete_button", lang), disabled=not confirmed, key="local_delete_button"
        )
        if not (pressed and confirmed and choice is not None):
            return
        row = rows.iloc[int(choice)]
        try:
            result = delete_local(
                ui.get_store(),
                str(row["kind"]),
                str(row["kommun_code"]),
                str(row["period"]),
                disclosure_min=ui.get_settings().disclosure_min,
                indicator=str(row["name"]) if row["kind"] == "indikator" else None,
            )
        except SoddError as error:
            ui.show_error(error)
            return
        st.session_state[_DONE] = t(
            "local_deleted",
            lang,
            rows=format_number(result.rows_removed, 0, lang),
            what=labels[int(choice)],
        )
        st.session_state[_RESET] = True
        st.rerun()
