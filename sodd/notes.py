"""Local-knowledge notes: what participants in a workshop know about an area.

A note is not statistics. It is short free text in one of a few categories, tied to one
area (any level, custom areas too), with a date and an optional signature. This module
validates notes and turns them into rows of the ``notes`` contract
(:data:`sodd.schema.NOTE_COLUMNS`); :mod:`sodd.notes_store` keeps them in the store.

Notes are user text: every view and export escapes them (see :func:`escape_markdown`
for Streamlit Markdown; the exports use :func:`html.escape` or their own escaping).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

import pandas as pd

from sodd.errors import SoddError
from sodd.i18n import register, t
from sodd.schema import NOTE_COLUMNS

__all__ = [
    "CATEGORIES",
    "MAX_SIGNATURE",
    "MAX_TEXT",
    "Note",
    "NoteError",
    "category_label",
    "escape_markdown",
    "new_note",
    "notes_frame",
    "notes_from_frame",
]

# Stored as ASCII ids; shown with their Swedish or English label.
CATEGORIES: Final = ("trygghet", "motesplatser", "service", "boende", "annat")
MAX_TEXT: Final = 2000
MAX_SIGNATURE: Final = 80

register(
    {
        "note_cat_trygghet": ("Trygghet", "Safety"),
        "note_cat_motesplatser": ("Mötesplatser", "Meeting places"),
        "note_cat_service": ("Service", "Services"),
        "note_cat_boende": ("Boende", "Housing"),
        "note_cat_annat": ("Annat", "Other"),
    }
)

# Control characters other than tab and newline cannot be stored in DOCX or XLSX (XML 1.0
# forbids them) and have no place in a note, so they are dropped.
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Swedish personal identity numbers (YYMMDD-NNNN, YYYYMMDDNNNN ...): checked with the
# Luhn digit, so ordinary numbers rarely trip it.
_PNR: Final = re.compile(r"(?<!\d)(?:19|20)?(\d{6})[-+ ]?(\d{4})(?!\d)")
_MARKDOWN_SPECIAL: Final = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&:])")


class NoteError(SoddError, ValueError):
    """A note cannot be saved as given; the message (Swedish) names the field."""


@dataclass(frozen=True)
class Note:
    """One local observation about an area (not statistics)."""

    note_id: str
    region_code: str
    level: str
    geo_vintage: str  # "" when the level has no vintage
    category: str  # one of CATEGORIES
    text: str
    signature: str
    created_at: str  # ISO 8601 UTC

    @property
    def date(self) -> str:
        """The day the note was written, ``YYYY-MM-DD``."""
        return self.created_at[:10]

    def category_name(self, lang: str = "sv") -> str:
        """The category's label in ``lang``."""
        return category_label(self.category, lang)


def category_label(category: str, lang: str = "sv") -> str:
    """Label of a category id (the id itself when unknown)."""
    return t(f"note_cat_{category}", lang) if category in CATEGORIES else category


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(digits):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _has_identity_number(text: str) -> bool:
    return any(_luhn_ok(m.group(1) + m.group(2)) for m in _PNR.finditer(text))


def _clean(text: str) -> str:
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def new_note(
    region_code: str,
    level: str,
    category: str,
    text: str,
    signature: str = "",
    *,
    geo_vintage: str | None = None,
    now: datetime | None = None,
) -> Note:
    """Validate a note and give it an id and a creation time.

    Parameters
    ----------
    region_code, level, geo_vintage
        The area the note is about (``level`` ``"custom"`` for a custom area).
    category
        One of :data:`CATEGORIES`.
    text
        The observation, at most :data:`MAX_TEXT` characters.
    signature
        Who wrote it (free text, may be empty), at most :data:`MAX_SIGNATURE` characters.
    now
        The creation time (UTC now when omitted).

    Returns
    -------
    Note

    Raises
    ------
    NoteError
        When a field is empty, too long, not a known category or holds a personal
        identity number; the Swedish message names the field.
    """
    code = str(region_code).strip()
    if not code:
        raise NoteError("Fältet område saknas: välj vilket område anteckningen gäller.")
    if category not in CATEGORIES:
        allowed = ", ".join(category_label(c) for c in CATEGORIES)
        raise NoteError(f"Fältet kategori har värdet {category!r}; välj en av {allowed}.")
    body = _clean(str(text))
    if not body:
        raise NoteError("Fältet text är tomt: skriv vad ni har sett eller vet om området.")
    if len(body) > MAX_TEXT:
        raise NoteError(
            f"Fältet text har {len(body)} tecken; högst {MAX_TEXT} tecken får plats i en "
            "anteckning."
        )
    name = " ".join(_clean(str(signature)).split())
    if len(name) > MAX_SIGNATURE:
        raise NoteError(
            f"Fältet signatur har {len(name)} tecken; högst {MAX_SIGNATURE} tecken är tillåtna."
        )
    for field, value in (("text", body), ("signatur", name)):
        if _has_identity_number(value):
            raise NoteError(
                f"Fältet {field} verkar innehålla ett personnummer. Anteckningar får inte "
                "innehålla uppgifter om enskilda personer."
            )
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return Note(
        note_id=uuid.uuid4().hex[:12],
        region_code=code,
        level=str(level),
        geo_vintage=geo_vintage or "",
        category=category,
        text=body,
        signature=name,
        created_at=moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


def notes_frame(notes: Iterable[Note]) -> pd.DataFrame:
    """Rows of the ``notes`` contract (all text), in the order given."""
    rows = [[getattr(note, column) for column in NOTE_COLUMNS] for note in notes]
    return pd.DataFrame(rows, columns=list(NOTE_COLUMNS), dtype="str")


def notes_from_frame(frame: pd.DataFrame) -> list[Note]:
    """Notes from stored rows, oldest first (notes of the same second in stored order)."""
    notes = []
    for record in frame.to_dict("records"):
        values = {
            column: "" if pd.isna(record.get(column)) else str(record.get(column))
            for column in NOTE_COLUMNS
        }
        notes.append(Note(**values))
    # A stable sort on the time alone: rows are stored in the order they were added.
    return sorted(notes, key=lambda note: note.created_at)


def escape_markdown(text: str) -> str:
    """Backslash-escape every Markdown and HTML special character of ``text``.

    Streamlit's Markdown would otherwise turn ``**x**`` into bold, ``[a](b)`` into a link
    and pass some HTML through. Newlines become Markdown line breaks.
    """
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return escaped.replace("\n", "  \n")
