"""Workshop agendas: validation, ordering and the store round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from sodd.agenda import (
    AGENDAS_ID,
    AgendaError,
    add_view,
    agendas_frame,
    agendas_from_frame,
    delete_agenda,
    load_agendas,
    move_view,
    new_agenda,
    new_view,
    remove_view,
    save_agenda,
)
from sodd.schema import AGENDA_COLUMNS
from sodd.store import Store


def _agenda(*titles: str):  # type: ignore[no-untyped-def]
    agenda = new_agenda("Workshop Kronoparken")
    for number, title in enumerate(titles, start=1):
        view = new_view(title, "karta", f"kommun=1780&ar=202{number}&visa=kommun")
        agenda = add_view(agenda, view)
    return agenda


def test_view_query_is_put_in_the_pages_parameter_order() -> None:
    view = new_view("  Låg  ekonomisk standard ", "karta", "ar=2023&kommun=0180&visa=kommun")
    assert view.title == "Låg ekonomisk standard"
    assert view.query == "visa=kommun&kommun=0180&ar=2023"
    assert view.params()["kommun"] == "0180"


@pytest.mark.parametrize(
    ("title", "page", "query", "message"),
    [
        ("", "karta", "", "rubrik får inte vara tomt"),
        ("x", "startsida", "", "Sidan 'startsida' finns inte"),
        ("x", "karta", "tema=boende", "Parametern 'tema' hör inte till sidan 'karta'"),
        ("x" * 121, "karta", "", "för långt"),
    ],
)
def test_bad_views_are_refused_with_a_swedish_message(
    title: str, page: str, query: str, message: str
) -> None:
    with pytest.raises(AgendaError, match=message):
        new_view(title, page, query)


def test_reorder_and_remove() -> None:
    agenda = _agenda("A", "B", "C")
    assert [v.title for v in move_view(agenda, 2, -1).views] == ["A", "C", "B"]
    assert [v.title for v in move_view(agenda, 0, -1).views] == ["A", "B", "C"]  # clamped
    assert [v.title for v in move_view(agenda, 0, 5).views] == ["B", "C", "A"]
    assert [v.title for v in remove_view(agenda, 1).views] == ["A", "C"]
    with pytest.raises(AgendaError, match="ingen vy nummer 4"):
        remove_view(agenda, 3)


def test_frame_round_trip_orders_by_numeric_position() -> None:
    agenda = _agenda(*[f"Vy {n}" for n in range(1, 12)])
    frame = agendas_frame([agenda])
    assert list(frame.columns) == list(AGENDA_COLUMNS)
    assert frame["position"].tolist()[-1] == "11"
    back = agendas_from_frame(frame.iloc[::-1])  # stored order must not matter
    assert back == [agenda]


def test_damaged_stored_row_names_agenda_and_position() -> None:
    frame = agendas_frame([_agenda("A", "B")])
    frame.loc[1, "page"] = "borta"
    with pytest.raises(AgendaError, match="Workshop Kronoparken', vy 2: Sidan 'borta'"):
        agendas_from_frame(frame)


def test_store_round_trip_replace_and_delete(tmp_path: Path) -> None:
    store = Store(tmp_path)
    assert load_agendas(store) == []
    first = _agenda("A", "B")
    save_agenda(store, first)
    second = add_view(new_agenda("Andra"), new_view("C", "bostadsloshet", "kommun=1780"))
    save_agenda(store, second)
    assert [a.name for a in load_agendas(store)] == ["Andra", "Workshop Kronoparken"]
    entry = store.manifest().datasets[AGENDAS_ID]
    assert entry.kind == "agendas" and entry.provider == "kommun" and entry.rows == 3

    save_agenda(store, move_view(first, 1, -1))
    reloaded = {a.agenda_id: a for a in load_agendas(store)}
    assert [v.title for v in reloaded[first.agenda_id].views] == ["B", "A"]

    duplicate = add_view(new_agenda("andra"), new_view("D", "karta", ""))
    with pytest.raises(AgendaError, match="redan en agenda"):
        save_agenda(store, duplicate)

    delete_agenda(store, second.agenda_id)
    delete_agenda(store, first.agenda_id)
    assert load_agendas(store) == []
    assert AGENDAS_ID not in store.manifest().datasets
    with pytest.raises(AgendaError, match="ingen agenda"):
        delete_agenda(store, first.agenda_id)


def test_new_agenda_refuses_a_used_name() -> None:
    existing = [_agenda("A")]
    with pytest.raises(AgendaError, match="redan"):
        new_agenda("workshop kronoparken", existing)
    assert new_agenda("Ny", existing).agenda_id != existing[0].agenda_id
