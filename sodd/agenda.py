"""Workshop agendas: named lists of views (page + query string) to step through.

A facilitator prepares the views before a workshop, presents them one at a time
(``views/presentera.py``) and shares the links afterwards. An agenda is stored as rows of
kind ``agendas`` (:data:`sodd.schema.AGENDA_COLUMNS`, one row per view) in the dataset
``lokal__agendor``; the rows are replaced whole on every save, as for custom areas.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import Final

import pandas as pd

from sodd.errors import SoddError
from sodd.manifest import utc_now_iso
from sodd.schema import AGENDA_COLUMNS
from sodd.store import Store
from sodd.url_state import LANG_PARAM, PAGES, build_query, parse_query

__all__ = [
    "AGENDAS_ID",
    "MAX_VIEWS",
    "Agenda",
    "AgendaError",
    "AgendaView",
    "add_view",
    "agendas_frame",
    "agendas_from_frame",
    "delete_agenda",
    "load_agendas",
    "move_view",
    "new_agenda",
    "new_view",
    "remove_view",
    "rename_agenda",
    "save_agenda",
]

AGENDAS_ID: Final = "lokal__agendor"
_TITLE: Final = "Workshopagendor (förberedda vyer)"
MAX_VIEWS: Final = 50
MAX_NAME: Final = 120


class AgendaError(SoddError):
    """An agenda or one of its views is not acceptable (Swedish message)."""


@dataclass(frozen=True)
class AgendaView:
    """One prepared view: a title and the link's page and query string."""

    title: str
    page: str  # url path, e.g. "karta"
    query: str  # e.g. "visa=kommun&kommun=1780&indikator=..."

    def params(self) -> dict[str, str]:
        """The view's query parameters."""
        return parse_query(self.query)


@dataclass(frozen=True)
class Agenda:
    """A named, ordered list of views."""

    agenda_id: str
    name: str
    views: tuple[AgendaView, ...] = ()
    created_at: str = ""


def _clean_text(value: str, what: str, limit: int = MAX_NAME) -> str:
    text = " ".join(str(value).split())
    if not text:
        raise AgendaError(f"{what} får inte vara tomt.")
    if len(text) > limit:
        raise AgendaError(f"{what} är för långt ({len(text)} tecken, högst {limit}).")
    return text


def new_view(title: str, page: str, query: str | dict[str, str]) -> AgendaView:
    """Validate one view of an agenda.

    Parameters
    ----------
    title
        What the view is called in the agenda ("Låg ekonomisk standard, Karlstad 2023").
    page
        The page's url path (one of :data:`sodd.url_state.PAGES`).
    query
        The view's query string, or its parameters.

    Returns
    -------
    AgendaView

    Raises
    ------
    AgendaError
        Naming the page or parameter that is not known.
    """
    title = _clean_text(title, "Vyns rubrik")
    spec = PAGES.get(page)
    if spec is None:
        known = ", ".join(sorted(PAGES))
        raise AgendaError(f"Sidan {page!r} finns inte i sodd (kända sidor: {known}).")
    params = parse_query(query) if isinstance(query, str) else dict(query)
    unknown = sorted(set(params) - set(spec.names) - {LANG_PARAM})
    if unknown:
        raise AgendaError(
            f"Parametern {unknown[0]!r} hör inte till sidan {page!r} "
            f"(sidans parametrar: {', '.join(spec.names) or 'inga'})."
        )
    ordered = {name: params[name] for name in (*spec.names, LANG_PARAM) if name in params}
    return AgendaView(title, page, build_query(ordered))


def new_agenda(name: str, existing: list[Agenda] | None = None) -> Agenda:
    """A new, empty agenda with a generated id.

    Raises
    ------
    AgendaError
        When the name is empty, too long or already used by another agenda.
    """
    name = _clean_text(name, "Agendans namn")
    if any(a.name.casefold() == name.casefold() for a in existing or []):
        raise AgendaError(f"Det finns redan en agenda som heter {name!r}.")
    return Agenda(f"a{uuid.uuid4().hex[:10]}", name, (), utc_now_iso())


def add_view(agenda: Agenda, view: AgendaView) -> Agenda:
    """The agenda with ``view`` added last.

    Raises
    ------
    AgendaError
        When the agenda already holds :data:`MAX_VIEWS` views.
    """
    if len(agenda.views) >= MAX_VIEWS:
        raise AgendaError(
            f"Agendan {agenda.name!r} har redan {MAX_VIEWS} vyer, det största antalet."
        )
    return replace(agenda, views=(*agenda.views, view))


def _check_index(agenda: Agenda, index: int) -> None:
    if not 0 <= index < len(agenda.views):
        raise AgendaError(
            f"Agendan {agenda.name!r} har ingen vy nummer {index + 1} "
            f"(den har {len(agenda.views)})."
        )


def move_view(agenda: Agenda, index: int, offset: int) -> Agenda:
    """The agenda with view ``index`` (0-based) moved ``offset`` places (clamped at the ends).

    Raises
    ------
    AgendaError
        When there is no view ``index``.
    """
    _check_index(agenda, index)
    views = list(agenda.views)
    target = max(0, min(len(views) - 1, index + offset))
    views.insert(target, views.pop(index))
    return replace(agenda, views=tuple(views))


def remove_view(agenda: Agenda, index: int) -> Agenda:
    """The agenda without view ``index`` (0-based).

    Raises
    ------
    AgendaError
        When there is no view ``index``.
    """
    _check_index(agenda, index)
    return replace(agenda, views=agenda.views[:index] + agenda.views[index + 1 :])


def rename_agenda(agenda: Agenda, name: str) -> Agenda:
    """The agenda under a new name (checked for uniqueness when saved).

    Raises
    ------
    AgendaError
        When the name is empty or too long.
    """
    return replace(agenda, name=_clean_text(name, "Agendans namn"))


def agendas_frame(agendas: list[Agenda]) -> pd.DataFrame:
    """Rows of kind ``agendas``: one per view, ``position`` counting from 1 as text."""
    rows = [
        (a.agenda_id, a.name, str(i), v.title, v.page, v.query, a.created_at)
        for a in agendas
        for i, v in enumerate(a.views, start=1)
    ]
    return pd.DataFrame(rows, columns=list(AGENDA_COLUMNS), dtype="string")


def agendas_from_frame(frame: pd.DataFrame) -> list[Agenda]:
    """The agendas in stored rows, sorted by name; views in ``position`` order.

    Raises
    ------
    AgendaError
        When a stored row names an unknown page or parameter, or a position is not a
        whole number (naming the agenda and position).
    """
    agendas = []
    for agenda_id, rows in frame.groupby("agenda_id", sort=False):
        first = rows.iloc[0]
        try:
            order = rows.assign(_pos=rows["position"].astype(int)).sort_values("_pos")
        except ValueError as error:
            raise AgendaError(
                f"Agendan {first['agenda_name']!r} har en position som inte är ett heltal."
            ) from error
        views = []
        for row in order.itertuples():
            try:
                views.append(new_view(str(row.title), str(row.page), str(row.query)))
            except AgendaError as error:
                raise AgendaError(
                    f"Agendan {first['agenda_name']!r}, vy {row.position}: {error}"
                ) from error
        agendas.append(
            Agenda(
                str(agenda_id), str(first["agenda_name"]), tuple(views), str(first["created_at"])
            )
        )
    return sorted(agendas, key=lambda a: a.name.casefold())


def load_agendas(store: Store) -> list[Agenda]:
    """The saved agendas, sorted by name (none when nothing is saved)."""
    if AGENDAS_ID not in store.manifest().datasets:
        return []
    return agendas_from_frame(store.read("agendas", dataset_ids=[AGENDAS_ID]))


def save_agenda(store: Store, agenda: Agenda) -> None:
    """Save ``agenda`` (replacing the one with the same id), all rows in one transaction.

    An agenda without views is removed: it has no row to be stored in.

    Raises
    ------
    AgendaError
        When another agenda has the same name.
    StoreError
        When the store cannot be written.
    """
    with store.transaction() as tx:
        others = [a for a in load_agendas(store) if a.agenda_id != agenda.agenda_id]
        if any(a.name.casefold() == agenda.name.casefold() for a in others):
            raise AgendaError(f"Det finns redan en agenda som heter {agenda.name!r}.")
        kept = others + ([agenda] if agenda.views else [])
        if kept:
            tx.write(AGENDAS_ID, "agendas", agendas_frame(kept), provider="kommun", title=_TITLE)
        elif AGENDAS_ID in tx.base.datasets:
            tx.remove(AGENDAS_ID)


def delete_agenda(store: Store, agenda_id: str) -> None:
    """Delete an agenda.

    Raises
    ------
    AgendaError
        When no agenda has that id.
    """
    agenda = next((a for a in load_agendas(store) if a.agenda_id == agenda_id), None)
    if agenda is None:
        raise AgendaError(f"Det finns ingen agenda med id {agenda_id!r}.")
    save_agenda(store, replace(agenda, views=()))
