"""The "Lokala iakttagelser" section of the area profile: list, add and delete notes.

Notes are user text. They are shown through :func:`sodd.notes.escape_markdown`, so
Markdown, HTML and Streamlit's own directives in a note are displayed as the characters
typed, never interpreted.
"""

from __future__ import annotations

import streamlit as st

from sodd import ui
from sodd.errors import SoddError
from sodd.i18n import register, t
from sodd.notes import CATEGORIES, MAX_SIGNATURE, MAX_TEXT, Note, category_label, escape_markdown
from sodd.notes_store import add_note, delete_note, load_notes

register(
    {
        "notes_heading": ("Lokala iakttagelser", "Local observations"),
        "notes_caption": (
            "Anteckningar från workshoppar om vad deltagarna vet om området – lokala "
            "iakttagelser, inte statistik. De följer med i alla exporter av området, "
            "tydligt åtskilda från statistiken.",
            "Notes from workshops on what participants know about the area – local "
            "observations, not statistics. They go with every export of the area, clearly "
            "apart from the statistics.",
        ),
        "notes_none": (
            "Inga iakttagelser om området ännu.",
            "No observations about this area yet.",
        ),
        "notes_add": ("Lägg till en iakttagelse", "Add an observation"),
        "notes_category": ("Kategori", "Category"),
        "notes_text": ("Iakttagelse", "Observation"),
        "notes_signature": ("Signatur (valfri)", "Signature (optional)"),
        "notes_signature_help": (
            "Till exempel initialer eller en förvaltning. Skriv inte personnummer eller "
            "uppgifter om enskilda personer.",
            "For example initials or a department. Do not write identity numbers or details "
            "about individuals.",
        ),
        "notes_save": ("Spara iakttagelsen", "Save the observation"),
        "notes_saved": ("Iakttagelsen är sparad.", "The observation is saved."),
        "notes_delete": ("Ta bort", "Delete"),
        "notes_deleted": ("Iakttagelsen är borttagen.", "The observation is deleted."),
        "notes_by": ("av {signature}", "by {signature}"),
    }
)

_MESSAGE_KEY = "notes_message"


def _delete(note_id: str, lang: str) -> None:
    # A callback runs before the rerun, so the list drawn next no longer has the note.
    try:
        delete_note(ui.get_store(), note_id)
    except SoddError as error:
        st.session_state[_MESSAGE_KEY] = ("error", str(error))
    else:
        st.session_state[_MESSAGE_KEY] = ("success", t("notes_deleted", lang))


def _show_note(note: Note, lang: str) -> None:
    with st.container(border=True):
        text_column, button_column = st.columns([6, 1])
        meta = f"{note.date} · {category_label(note.category, lang)}"
        if note.signature:
            meta += " · " + t("notes_by", lang, signature=note.signature)
        text_column.caption(escape_markdown(meta))
        text_column.markdown(escape_markdown(note.text))
        button_column.button(
            t("notes_delete", lang),
            key=f"note_delete_{note.note_id}",
            on_click=_delete,
            args=(note.note_id, lang),
            icon=":material/delete:",
        )


def render_notes_section(code: str, level: str, vintage: str, lang: str) -> None:
    """Show the area's notes, a form to add one and a delete button per note.

    Parameters
    ----------
    code, level, vintage
        The area on the profile page (``level`` ``"custom"`` for a custom area;
        ``vintage`` ``""`` when the level has none).
    lang
        Interface language.
    """
    st.subheader(t("notes_heading", lang))
    st.caption(t("notes_caption", lang))
    listing = st.container()
    with st.form("note_form", clear_on_submit=True):
        st.markdown(f"**{t('notes_add', lang)}**")
        category = st.selectbox(
            t("notes_category", lang),
            CATEGORIES,
            format_func=lambda c: category_label(c, lang),
            key="note_category",
        )
        text = st.text_area(t("notes_text", lang), max_chars=MAX_TEXT, key="note_text")
        signature = st.text_input(
            t("notes_signature", lang),
            max_chars=MAX_SIGNATURE,
            help=t("notes_signature_help", lang),
            key="note_signature",
        )
        submitted = st.form_submit_button(t("notes_save", lang), type="primary")
    store = ui.get_store()
    if submitted:
        try:
            add_note(store, code, level, category, text, signature, geo_vintage=vintage)
        except SoddError as error:
            st.session_state[_MESSAGE_KEY] = ("error", str(error))
        else:
            st.session_state[_MESSAGE_KEY] = ("success", t("notes_saved", lang))
    with listing:
        message = st.session_state.pop(_MESSAGE_KEY, None)
        if message is not None:
            kind, text_shown = message
            (st.error if kind == "error" else st.success)(text_shown)
        notes = load_notes(store, code, level, vintage)
        if not notes:
            st.info(t("notes_none", lang))
        for note in reversed(notes):  # newest first: the one just added is on top
            _show_note(note, lang)
