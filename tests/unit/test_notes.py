"""Local-knowledge notes: validation, the store round trip and the escaping helper."""

from __future__ import annotations

from datetime import UTC, datetime

import geopandas as gpd
import pytest
from markdown_it import MarkdownIt
from shapely.geometry import box

from sodd.notes import (
    CATEGORIES,
    MAX_SIGNATURE,
    MAX_TEXT,
    NoteError,
    escape_markdown,
    new_note,
    notes_frame,
    notes_from_frame,
)
from sodd.notes_store import NOTES_ID, add_note, delete_note, load_all_notes, load_notes
from sodd.schema import NOTE_COLUMNS
from sodd.store import Store

REAL = "1780C1010"
DEMO = "1780X0010"


def _store(tmp_path, codes=(REAL, DEMO)) -> Store:
    store = Store(tmp_path)
    regions = gpd.GeoDataFrame(
        {
            "region_code": [*codes, "1780"],
            "geo_vintage": ["2025"] * len(codes) + [None],
            "level": ["deso"] * len(codes) + ["kommun"],
            "name": [f"Område {c}" for c in codes] + ["Karlstad"],
            "kommun_code": ["1780"] * (len(codes) + 1),
            "lan_code": ["17"] * (len(codes) + 1),
            "parent_code": ["1780"] * len(codes) + ["17"],
        },
        geometry=[box(13.5, 59.3 + i / 100, 13.51, 59.31 + i / 100) for i in range(len(codes))]
        + [box(13.3, 59.2, 13.8, 59.6)],
        crs="EPSG:4326",
    )
    with store.transaction() as tx:
        tx.write("scb__deso", "regions", regions, provider="scb", title="DeSO")
    return store


# ------------------------------------------------------------------ validation


def test_new_note_cleans_text_and_stamps_time():
    moment = datetime(2026, 11, 30, 14, 5, tzinfo=UTC)
    note = new_note(
        REAL,
        "deso",
        "trygghet",
        "  Mörk\r\ngångtunnel\x00  ",
        " Anna   B ",
        geo_vintage="2025",
        now=moment,
    )
    assert note.text == "Mörk\ngångtunnel"
    assert note.signature == "Anna B"
    assert note.created_at == "2026-11-30T14:05:00Z" and note.date == "2026-11-30"
    assert note.geo_vintage == "2025" and note.category_name() == "Trygghet"
    assert note.category_name("en") == "Safety"
    assert len(note.note_id) == 12


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"text": "   "}, "text"),
        ({"text": "x" * (MAX_TEXT + 1)}, "text"),
        ({"category": "trafik"}, "kategori"),
        ({"signature": "s" * (MAX_SIGNATURE + 1)}, "signatur"),
        ({"region_code": " "}, "område"),
        # A valid personal identity number (Luhn digit correct).
        ({"text": "Ring 811218-9876 om nyckeln"}, "text"),
        ({"signature": "19811218-9876"}, "signatur"),
    ],
)
def test_new_note_refuses_bad_fields_naming_the_field(kwargs, field):
    args = {"region_code": REAL, "category": "boende", "text": "Trångbott", "signature": ""}
    args.update(kwargs)
    with pytest.raises(NoteError, match=f"Fältet {field}"):
        new_note(args.pop("region_code"), "deso", **args)


def test_ordinary_numbers_are_not_taken_for_identity_numbers():
    # Ten digits with a wrong check digit: a phone number, not a personnummer.
    note = new_note(REAL, "deso", "service", "Ring 0701234567 eller 054-540 00 00")
    assert "0701234567" in note.text


def test_every_category_has_both_labels():
    for category in CATEGORIES:
        note = new_note(REAL, "deso", category, "x")
        assert note.category_name("sv") and note.category_name("en")


def test_frame_round_trip_keeps_every_field():
    notes = [new_note(REAL, "deso", "annat", f"n{i}", "AB", geo_vintage="2025") for i in range(3)]
    frame = notes_frame(notes)
    assert list(frame.columns) == list(NOTE_COLUMNS)
    assert notes_from_frame(frame) == sorted(notes, key=lambda n: n.created_at)


# ------------------------------------------------------------------ escaping


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "**bold** [link](javascript:alert(1))",
        "&amp; :red[röd] $x^2$ # rubrik\n- punkt",
    ],
)
def test_escaped_markdown_renders_as_the_literal_text(payload):
    rendered = MarkdownIt("commonmark").render(escape_markdown(payload))
    assert "<script" not in rendered and "<img" not in rendered
    assert "<strong>" not in rendered and "<a " not in rendered and "<h1>" not in rendered
    assert "<li>" not in rendered
    # What the reader sees, once the HTML entities are decoded, is the note itself.
    from html import unescape

    visible = unescape(rendered.replace("<p>", "").replace("</p>", "").replace("<br />", ""))
    assert visible.strip().replace("\n", "") == payload.replace("\n", "")


# ------------------------------------------------------------------ store


def test_add_load_delete_round_trip(tmp_path):
    store = _store(tmp_path)
    first = add_note(
        store, REAL, "deso", "trygghet", "<b>Mörk</b> tunnel", "AB", geo_vintage="2025"
    )
    second = add_note(store, REAL, "deso", "boende", "Trångt", geo_vintage="2025")
    add_note(store, "1780", "kommun", "service", "Biblioteket stänger")
    assert load_notes(store, REAL, "deso", "2025") == [first, second]
    assert [n.text for n in load_notes(store, "1780", "kommun", "")] == ["Biblioteket stänger"]
    assert load_notes(store, REAL, "deso", "2018") == []
    entry = store.manifest().datasets[NOTES_ID]
    assert entry.kind == "notes" and entry.provider == "kommun" and entry.rows == 3
    assert not entry.demo
    delete_note(store, first.note_id)
    assert load_notes(store, REAL, "deso") == [second]
    with pytest.raises(NoteError, match=first.note_id):
        delete_note(store, first.note_id)


def test_deleting_the_last_note_removes_the_dataset(tmp_path):
    store = _store(tmp_path)
    note = add_note(store, REAL, "deso", "annat", "x", geo_vintage="2025")
    delete_note(store, note.note_id)
    assert NOTES_ID not in store.manifest().datasets
    assert load_all_notes(store) == []


def test_unknown_area_is_refused_and_nothing_is_stored(tmp_path):
    store = _store(tmp_path)
    generation = store.manifest().generation
    with pytest.raises(NoteError, match=r"Fältet område.*9999C0001"):
        add_note(store, "9999C0001", "deso", "annat", "x")
    with pytest.raises(NoteError, match="indelning 2018"):
        add_note(store, REAL, "deso", "annat", "x", geo_vintage="2018")
    assert store.manifest().generation == generation


def test_notes_on_demo_areas_are_flagged_demo(tmp_path):
    store = _store(tmp_path)
    add_note(store, DEMO, "deso", "annat", "demo", geo_vintage="2025")
    assert store.manifest().datasets[NOTES_ID].demo
    # One real note: the dataset must not leave with the demo.
    add_note(store, REAL, "deso", "annat", "riktig", geo_vintage="2025")
    assert not store.manifest().datasets[NOTES_ID].demo
