"""The "Lokala iakttagelser (inte statistik)" section every area export carries. Pure.

The notes are the workshop participants' own observations, so each format shows them
apart from the statistics under a heading that says so. This module only gives the
texts and rows; each renderer escapes them in its own way (HTML, ReportLab markup),
because a note is user text and must never reach a document as markup.
"""

from __future__ import annotations

from typing import Final

from sodd.export.tidy import ExportContext
from sodd.i18n import register, t
from sodd.notes import Note

__all__ = ["NOTE_KEYS", "note_headers", "note_records", "notes_heading", "notes_intro"]

register(
    {
        "exp_notes": (
            "Lokala iakttagelser (inte statistik)",
            "Local observations (not statistics)",
        ),
        "exp_notes_intro": (
            "Anteckningar som deltagare i en workshop har skrivit om området. De är lokala "
            "iakttagelser, inte statistik, och har inte granskats.",
            "Notes written about the area by workshop participants. They are local "
            "observations, not statistics, and have not been reviewed.",
        ),
        "exp_note_col_date": ("Datum", "Date"),
        "exp_note_col_category": ("Kategori", "Category"),
        "exp_note_col_text": ("Iakttagelse", "Observation"),
        "exp_note_col_signature": ("Signatur", "Signature"),
    }
)

# Column order of a note row in tables (XLSX, GeoPackage, documents).
NOTE_KEYS: Final = ("date", "category", "text", "signature")


def notes_heading(lang: str = "sv") -> str:
    """The section heading, e.g. ``Lokala iakttagelser (inte statistik)``."""
    return t("exp_notes", lang)


def notes_intro(lang: str = "sv") -> str:
    """One sentence saying what the notes are (and are not)."""
    return t("exp_notes_intro", lang)


def note_headers(lang: str = "sv") -> list[str]:
    """Headers matching :data:`NOTE_KEYS`."""
    return [t(f"exp_note_col_{key}", lang) for key in NOTE_KEYS]


def _record(note: Note, lang: str) -> dict[str, str]:
    return {
        "date": note.date,
        "category": note.category_name(lang),
        "text": note.text,
        "signature": note.signature,
    }


def note_records(context: ExportContext) -> list[dict[str, str]]:
    """One record (keys :data:`NOTE_KEYS`, plain unescaped text) per note, oldest first."""
    notes = sorted(context.notes, key=lambda note: note.created_at)  # stable: given order
    return [_record(note, context.lang) for note in notes]
