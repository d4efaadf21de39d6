"""Local-knowledge notes in the store: add, delete and load them.

All notes live in one small dataset, :data:`NOTES_ID` (kind ``notes``, provider
``kommun``), whose rows are replaced whole on every save or delete, inside the store's
transaction, so two people saving at once never lose a note. The dataset is flagged
``demo`` when every note is about a demo district, so it leaves with the demo.
"""

from __future__ import annotations

from typing import Final

from sodd.custom_areas_store import CUSTOM_AREAS_ID
from sodd.demo import is_demo_code
from sodd.notes import Note, NoteError, new_note, notes_frame, notes_from_frame
from sodd.schema import CUSTOM_LEVEL, LEVEL_SHORT_SV
from sodd.store import Store, Transaction

__all__ = ["NOTES_ID", "add_note", "delete_note", "load_all_notes", "load_notes"]

NOTES_ID: Final = "lokal__anteckningar"
_TITLE: Final = "Lokala iakttagelser (anteckningar från workshoppar, inte statistik)"
_PROVIDER: Final = "kommun"


def load_all_notes(store: Store) -> list[Note]:
    """Every stored note, oldest first (none when nothing is saved)."""
    if NOTES_ID not in store.manifest().datasets:
        return []
    return notes_from_frame(store.read("notes", dataset_ids=[NOTES_ID]))


def load_notes(
    store: Store, region_code: str, level: str, geo_vintage: str | None = None
) -> list[Note]:
    """The notes about one area, oldest first.

    Parameters
    ----------
    store
        The store.
    region_code, level
        The area (``level`` ``"custom"`` for a custom area).
    geo_vintage
        The area's vintage; notes of any vintage when ``None``.
    """
    return [
        note
        for note in load_all_notes(store)
        if note.region_code == region_code
        and note.level == level
        and (geo_vintage is None or note.geo_vintage == (geo_vintage or ""))
    ]


def _check_area(store: Store, region_code: str, level: str, geo_vintage: str) -> None:
    found = store.read_regions(
        columns=["region_code", "level", "geo_vintage"],
        filters=[("region_code", "==", region_code), ("level", "==", level)],
    )
    vintages = set(found["geo_vintage"].fillna("").astype("str"))
    if found.empty or (geo_vintage and geo_vintage not in vintages):
        level_name = LEVEL_SHORT_SV.get(level, level)
        where = f" (indelning {geo_vintage})" if geo_vintage else ""
        raise NoteError(
            f"Fältet område: datalagret har inget område med koden {region_code!r} på "
            f"nivån {level_name}{where}."
        )


def add_note(
    store: Store,
    region_code: str,
    level: str,
    category: str,
    text: str,
    signature: str = "",
    *,
    geo_vintage: str | None = None,
) -> Note:
    """Validate and save a note about an area that exists in the store.

    Parameters
    ----------
    store
        The store.
    region_code, level, geo_vintage, category, text, signature
        As for :func:`sodd.notes.new_note`.

    Returns
    -------
    Note
        The saved note, with its id and time.

    Raises
    ------
    NoteError
        When a field is not acceptable or the area is not in the store.
    StoreError
        When the store cannot be written.
    """
    note = new_note(region_code, level, category, text, signature, geo_vintage=geo_vintage)
    with store.transaction() as tx:
        _check_area(store, note.region_code, note.level, note.geo_vintage)
        _save(tx, [*load_all_notes(store), note])
    return note


def delete_note(store: Store, note_id: str) -> None:
    """Delete one note.

    Raises
    ------
    NoteError
        When no note has that id.
    """
    with store.transaction() as tx:
        notes = load_all_notes(store)
        kept = [note for note in notes if note.note_id != note_id]
        if len(kept) == len(notes):
            raise NoteError(f"Det finns ingen anteckning med id {note_id!r}.")
        if kept:
            _save(tx, kept)
        else:
            tx.remove(NOTES_ID)


def _is_demo_area(store: Store, note: Note) -> bool:
    if note.level == CUSTOM_LEVEL:
        # A custom area's code is sodd's own; its dataset knows whether it is demo.
        entry = store.manifest().datasets.get(CUSTOM_AREAS_ID)
        return entry is not None and entry.demo
    return is_demo_code(note.region_code)


def _save(tx: Transaction, notes: list[Note]) -> None:
    # Flag demo only when every note is about demo areas: real notes are never dropped
    # with the demo.
    demo = all(_is_demo_area(tx.store, note) for note in notes)
    tx.write(NOTES_ID, "notes", notes_frame(notes), provider=_PROVIDER, title=_TITLE, demo=demo)
