"""Preparing workshop agendas: add, reorder, remove and rename views.

Views are added on the Presentera page and from Karta ("Lägg till vyn i en
workshopagenda"). Presenting them is :mod:`sodd.ui_present`.
"""

from __future__ import annotations

from typing import Final

import streamlit as st

from sodd import ui
from sodd.agenda import (
    Agenda,
    AgendaError,
    AgendaView,
    add_view,
    delete_agenda,
    load_agendas,
    move_view,
    new_agenda,
    new_view,
    remove_view,
    rename_agenda,
    save_agenda,
)
from sodd.agenda_view import SCOPE_LEVELS
from sodd.i18n import TEXTS, register, t
from sodd.map_view import Scope, periods_available, values_in_scope
from sodd.schema import LEVEL_SHORT_EN, LEVEL_SHORT_SV, LEVELS
from sodd.url_state import KARTA, LANG_PARAM, PageSpec, app_root, build_link

__all__ = [
    "NEW",
    "choose_agenda",
    "render_add_current_view",
    "render_add_map_view",
    "render_views",
    "view_link",
]

NEW: Final = "__ny__"

register(
    {
        "agenda_choose": ("Agenda", "Agenda"),
        "agenda_new_option": ("Ny agenda …", "New agenda …"),
        "agenda_new_name": ("Namn på den nya agendan", "Name of the new agenda"),
        "agenda_add_current": (
            "Lägg till vyn i en workshopagenda",
            "Add the view to a workshop agenda",
        ),
        "agenda_view_title": ("Rubrik för vyn", "Title of the view"),
        "agenda_add_button": ("Lägg till i agendan", "Add to the agenda"),
        "agenda_added": (
            "Vyn är tillagd i agendan ”{name}” (nu {count} vyer).",
            "The view was added to the agenda “{name}” (now {count} views).",
        ),
        "agenda_empty": (
            "Agendan har inga vyer ännu. Lägg till en nedan eller från Karta.",
            "The agenda has no views yet. Add one below or from the Map page.",
        ),
        "agenda_up": ("Flytta upp", "Move up"),
        "agenda_down": ("Flytta ned", "Move down"),
        "agenda_remove": ("Ta bort", "Remove"),
        "agenda_open": ("Öppna vyn", "Open the view"),
        "agenda_add_heading": ("Lägg till en kartvy", "Add a map view"),
        "agenda_year_latest": ("senaste året", "the latest year"),
        "agenda_rename": ("Byt namn", "Rename"),
        "agenda_delete": ("Ta bort agendan", "Delete the agenda"),
    }
)


def view_link(view: AgendaView) -> str:
    """The full link of a saved view (relative to the app root when it is unknown)."""
    return build_link(app_root(st.context.url, "presentera"), view.page, view.params())


def choose_agenda(agendas: list[Agenda], lang: str, prefix: str) -> tuple[str, str]:
    """Choose an agenda, or "Ny agenda …" with a field for its name.

    Parameters
    ----------
    agendas
        The saved agendas.
    lang
        Interface language.
    prefix
        Start of the widget keys (``present`` → ``present_target``, ``present_new_name``).

    Returns
    -------
    tuple of (str, str)
        The chosen agenda's id or :data:`NEW`, and the name typed for a new agenda.
    """
    names = {a.agenda_id: a.name for a in agendas}
    target = st.selectbox(
        t("agenda_choose", lang),
        [*names, NEW],
        format_func=lambda i: names.get(i) or t("agenda_new_option", lang),
        key=f"{prefix}_target",
    )
    new_name = ""
    if target == NEW:
        new_name = st.text_input(t("agenda_new_name", lang), key=f"{prefix}_new_name")
    return str(target), new_name


def _save_view(agendas: list[Agenda], target: str, new_name: str, view: AgendaView) -> Agenda:
    agenda = (
        new_agenda(new_name, agendas)
        if target == NEW
        else next(a for a in agendas if a.agenda_id == target)
    )
    agenda = add_view(agenda, view)
    save_agenda(ui.get_store(), agenda)
    return agenda


def _add(agendas: list[Agenda], target: str, new_name: str, view: AgendaView, lang: str) -> None:
    try:
        agenda = _save_view(agendas, target, new_name, view)
    except AgendaError as error:
        ui.show_error(error)
        return
    st.success(t("agenda_added", lang, name=agenda.name, count=len(agenda.views)))


def render_add_current_view(lang: str, spec: PageSpec, title: str) -> None:
    """Save the page's current URL state as a view of an agenda ("Lägg till vyn i ...").

    Parameters
    ----------
    lang
        Interface language.
    spec
        The page's URL parameters (their current values in ``st.query_params`` are saved).
    title
        Default title of the view (the page's heading).
    """
    with st.expander(t("agenda_add_current", lang), icon=":material/playlist_add:"):
        agendas = load_agendas(ui.get_store())
        prefix = f"{spec.page}_agenda"
        target, new_name = choose_agenda(agendas, lang, prefix)
        typed = st.text_input(
            t("agenda_view_title", lang), placeholder=title, key=f"{prefix}_title"
        )
        if st.button(t("agenda_add_button", lang), key=f"{prefix}_add"):
            names = (*spec.names, LANG_PARAM)
            query = {n: st.query_params[n] for n in names if n in st.query_params}
            _add(agendas, target, new_name, new_view(typed or title, spec.page, query), lang)


def render_add_map_view(
    agenda: Agenda | None, agendas: list[Agenda], new_name: str, lang: str
) -> None:
    """The presenter page's form for a map view: kommun, indicator, level, year, title."""
    st.subheader(t("agenda_add_heading", lang))
    manifest = ui.current_manifest()
    if not manifest.datasets:
        st.info(t("store_empty", lang))
        return
    index = ui.load_region_index(manifest.generation)
    catalog = ui.get_catalog()
    kommuner = index.loc[index["level"] == "kommun"].sort_values("name")
    names = dict(zip(kommuner["region_code"], kommuner["name"], strict=True))
    left, right = st.columns(2)
    kommun = left.selectbox(
        t("choose_kommun", lang),
        list(names),
        format_func=lambda c: f"{names[c]} ({c})",
        key="agenda_add_kommun",
    )
    indicator = catalog.get(
        right.selectbox(
            t("indicator", lang),
            [i.id for i in catalog.indicators],
            format_func=lambda i: catalog.get(i).name(lang),
            key="agenda_add_indicator",
        )
    )
    lowest = LEVELS.index(indicator.lowest_level)
    levels = [lvl for lvl in SCOPE_LEVELS["kommun"] if LEVELS.index(lvl) >= lowest] or [
        indicator.lowest_level
    ]
    short = LEVEL_SHORT_SV if lang == "sv" else LEVEL_SHORT_EN
    left, right = st.columns(2)
    level = left.radio(
        t("level", lang),
        levels,
        format_func=short.__getitem__,
        horizontal=True,
        key=f"agenda_add_level_{'_'.join(levels)}",
    )
    scope = Scope("kommun", kommun, names.get(kommun, kommun))
    values = ui.load_indicator_values(manifest.generation, indicator.id, level)
    periods = periods_available(values_in_scope(values, scope))
    year = right.selectbox(
        t("year", lang),
        ["", *reversed(periods)],
        format_func=lambda y: y or t("agenda_year_latest", lang),
        key="agenda_add_year",
    )
    default_title = f"{indicator.name(lang)}, {scope.name} {year}".strip()
    typed = st.text_input(
        t("agenda_view_title", lang), placeholder=default_title, key="agenda_add_title"
    )
    if st.button(t("agenda_add_button", lang), key="agenda_add_button", type="primary"):
        query = {"visa": "kommun", "kommun": kommun, "indikator": indicator.id, "niva": level}
        if year:
            query["ar"] = year
        target = NEW if agenda is None else agenda.agenda_id
        view = new_view(typed or default_title, KARTA.page, query)
        try:
            saved = _save_view(agendas, target, new_name, view)
        except AgendaError as error:
            ui.show_error(error)
            return
        st.query_params["agenda"] = saved.agenda_id
        st.rerun()


def render_views(agenda: Agenda, lang: str) -> None:
    """The agenda's views with their links, and buttons to reorder and remove them."""
    store = ui.get_store()
    if not agenda.views:
        st.info(t("agenda_empty", lang))
    for number, view in enumerate(agenda.views, start=1):
        with st.container(border=True, key=f"agenda_view_{number}"):
            text, up, down, remove = st.columns([5, 2, 2, 2], vertical_alignment="center")
            title_key = _PAGE_TITLES.get(view.page, "")
            title = t(title_key, lang) if title_key in TEXTS else view.page
            link = f"[{t('agenda_open', lang)}]({view_link(view)})"
            text.markdown(f"**{number}. {view.title}** – {title} · {link}")
            last = number == len(agenda.views)
            changed: Agenda | None = None
            if up.button(
                t("agenda_up", lang),
                key=f"agenda_up_{number}",
                icon=":material/arrow_upward:",
                disabled=number == 1,
            ):
                changed = move_view(agenda, number - 1, -1)
            if down.button(
                t("agenda_down", lang),
                key=f"agenda_down_{number}",
                icon=":material/arrow_downward:",
                disabled=last,
            ):
                changed = move_view(agenda, number - 1, 1)
            if remove.button(
                t("agenda_remove", lang), key=f"agenda_remove_{number}", icon=":material/close:"
            ):
                changed = remove_view(agenda, number - 1)
            if changed is not None:
                save_agenda(store, changed)
                st.rerun()
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    name = left.text_input(
        t("agenda_rename", lang), value=agenda.name, key=f"agenda_name_{agenda.agenda_id}"
    )
    if right.button(t("agenda_rename", lang), key="agenda_rename") and name != agenda.name:
        try:
            save_agenda(store, rename_agenda(agenda, name))
        except AgendaError as error:
            ui.show_error(error)
            return
        st.rerun()
    if st.button(t("agenda_delete", lang), key="agenda_delete", icon=":material/delete:"):
        delete_agenda(store, agenda.agenda_id)
        st.query_params.pop("agenda", None)
        st.rerun()


# Page url path → key of its title (the titles app.py gives st.Page).
_PAGE_TITLES: Final = {
    "karta": "page_map",
    "omradesprofil": "page_profile",
    "bostadsloshet": "page_housing",
    "datakallor": "page_sources",
    "presentera": "page_present",
    "mal": "page_goals",
    "egna-uppgifter": "page_local",
}
