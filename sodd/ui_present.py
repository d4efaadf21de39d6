"""The Presentera page: prepare a workshop agenda, then show it one view at a time.

Presentation mode (``?agenda=<id>&vy=<n>``, so a reload keeps the place) has large type,
black on white, a thick focus outline and no sidebar. Each map view shows the map, a big
legend and the plain-Swedish summary sentence. "Föregående"/"Nästa" step through the
agenda, and so do the arrow keys and Page Up/Page Down, which presentation clickers send.
"""

from __future__ import annotations

import html
from typing import Final

import pandas as pd
import streamlit as st

from sodd import ui, ui_share
from sodd.agenda import Agenda, AgendaView, load_agendas
from sodd.agenda_view import resolve_map_choice, resolve_period
from sodd.i18n import register, t
from sodd.map_view import Scope, build_map_view, periods_available, values_in_scope, values_shown
from sodd.store import Manifest
from sodd.ui_agenda import NEW, choose_agenda, render_add_map_view, render_views, view_link
from sodd.ui_map_table import render_value_table
from sodd.url_state import PRESENTERA, Notice, app_root, build_link

__all__ = ["render_page"]

register(
    {
        "page_present": ("Presentera", "Present"),
        "present_intro": (
            "Förbered en workshopagenda: en lista med kartvyer som visas en i taget, med stor "
            "text och hög kontrast. Stega med piltangenterna eller en presentationsklicker, och "
            "dela länkarna med deltagarna efteråt.",
            "Prepare a workshop agenda: a list of map views shown one at a time, in large type "
            "and high contrast. Step with the arrow keys or a presentation clicker, and share "
            "the links with the participants afterwards.",
        ),
        "present_start": ("Presentationsläge", "Presentation mode"),
        "present_prev": ("Föregående", "Previous"),
        "present_next": ("Nästa", "Next"),
        "present_exit": ("Avsluta presentationen", "End the presentation"),
        "present_position": ("Vy {number} / {total}", "View {number} / {total}"),
        "present_keys": (
            "Stega med ← och → eller Page Up och Page Down.",
            "Step with ← and → or Page Up and Page Down.",
        ),
        "present_other_page": (
            "Den här vyn är sidan {page}. Öppna den med länken: {link}",
            "This view is the page {page}. Open it with the link: {link}",
        ),
        "present_no_values": (
            "Datalagret har inga värden för {indicator} i {scope}.",
            "The store has no values for {indicator} in {scope}.",
        ),
    }
)

_KEYS: Final = {"next": "present_next", "prev": "present_prev"}
# 24 px root = 1.5 × Streamlit's 16 px: every rem-sized text and control grows with it.
_CSS: Final = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stSidebarCollapseButton"], [data-testid="stHeader"] { display: none !important; }
html { font-size: 24px; }
.stApp { background: #fff !important; }
.stApp p, .stApp li, .stApp label, .stApp h1, .stApp h2, .stApp h3, .stApp span {
  color: #000 !important; }
.stApp button p, .stApp button span { color: inherit !important; }
.stApp :focus-visible { outline: 4px solid #000 !important; outline-offset: 3px !important; }
.st-key-present_summary p { font-size: 1.4rem; line-height: 1.45; }
</style>
"""
# Clicks the page's own buttons, so a key does exactly what a click does. Installed once
# per browser tab; on another page the buttons are missing and a key does nothing.
_KEY_SCRIPT: Final = """
<script>
(() => {
  if (window.__soddPresenterKeys) return;
  window.__soddPresenterKeys = true;
  const keys = {ArrowRight: "next", PageDown: "next", ArrowLeft: "prev", PageUp: "prev"};
  document.addEventListener("keydown", (event) => {
    const which = keys[event.key];
    if (!which || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const active = event.target;
    if (active && (active.isContentEditable ||
        /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName))) return;
    const button = document.querySelector(`.st-key-present_${which} button`);
    if (!button || button.disabled) return;
    event.preventDefault();
    button.click();
  });
})();
</script>
"""


def render_page() -> None:
    """Render the Presentera page (called by ``views/presentera.py``)."""
    lang = ui.current_lang()
    manifest = ui.current_manifest()
    agendas = load_agendas(ui.get_store())
    by_id = {a.agenda_id: a for a in agendas}
    wanted = by_id.get(st.query_params.get("agenda", ""))
    if wanted is not None and "vy" in st.query_params:
        _present(wanted, st.query_params["vy"], manifest, lang)
    else:
        _prepare(agendas, lang)


def _prepare(agendas: list[Agenda], lang: str) -> None:
    lang, _ = ui.page_start("page_present")
    url = ui_share.PageUrl(PRESENTERA, lang)
    st.write(t("present_intro", lang))
    url.seed("agenda", [*(a.agenda_id for a in agendas), NEW])
    target, new_name = choose_agenda(agendas, lang, "present")
    url.record("agenda", None if target == NEW else target)
    url.record("vy", None)
    agenda = next((a for a in agendas if a.agenda_id == target), None)
    if agenda is not None:
        link = build_link(
            app_root(st.context.url, PRESENTERA.page),
            PRESENTERA.page,
            {"agenda": agenda.agenda_id, "vy": "1", "lang": lang},
        )
        left, right = st.columns([1, 2], vertical_alignment="center")
        left.button(
            t("present_start", lang),
            key="present_start",
            type="primary",
            icon=":material/slideshow:",
            on_click=_go_to,
            args=(1,),
        )
        right.markdown(f"[{t('present_start', lang)}: {agenda.name}]({link})")
        render_views(agenda, lang)
    render_add_map_view(agenda, agendas, new_name, lang)


def _go_to(number: int) -> None:
    st.query_params["vy"] = str(number)


def _exit() -> None:
    st.query_params.pop("vy", None)


def _position(raw: str, total: int) -> tuple[int, Notice | None]:
    try:
        number = int(raw)
    except ValueError:
        number = 0
    if 1 <= number <= total:
        return number, None
    return max(1, min(total, number)), Notice(PRESENTERA.param("vy"), raw)


def _present(agenda: Agenda, raw: str, manifest: Manifest, lang: str) -> None:
    total = len(agenda.views)
    number, notice = _position(raw, total)
    if str(number) != raw:
        st.query_params["vy"] = str(number)
    st.html(_CSS + _KEY_SCRIPT, unsafe_allow_javascript=True)
    ui.set_document_language(lang)
    if manifest.is_demo:
        st.warning(t("demo_banner", lang), icon=":material/science:")
    if notice is not None:
        st.warning(notice.text(lang), icon=":material/link_off:")
    view = agenda.views[number - 1]
    st.title(view.title)
    prev, position, following, leave = st.columns([2, 2, 2, 3], vertical_alignment="center")
    prev.button(
        t("present_prev", lang),
        key=_KEYS["prev"],
        icon=":material/arrow_back:",
        disabled=number == 1,
        on_click=_go_to,
        args=(number - 1,),
    )
    position.markdown(f"**{t('present_position', lang, number=number, total=total)}**")
    following.button(
        t("present_next", lang),
        key=_KEYS["next"],
        icon=":material/arrow_forward:",
        disabled=number == total,
        type="primary",
        on_click=_go_to,
        args=(number + 1,),
    )
    leave.button(t("present_exit", lang), key="present_exit", on_click=_exit)
    st.caption(f"{agenda.name} · {t('present_keys', lang)}")
    if view.page == "karta":
        _map(view, manifest, lang)
    else:
        st.write(t("present_other_page", lang, page=view.page, link=view_link(view)))


def _big_legend(entries: list[tuple[str, str]], lang: str) -> str:
    items = "".join(
        f'<li style="margin:.3em 0"><span style="display:inline-block;width:1.6em;'
        f"height:1.6em;background:{colour};border:2px solid #000;vertical-align:middle;"
        f'margin-right:.5em"></span>{html.escape(label)}</li>'
        for colour, label in entries
    )
    title = html.escape(t("legend", lang))
    return (
        f'<div role="group" aria-label="{title}" style="font-size:1.2rem;color:#000">'
        f'<strong>{title}</strong><ul style="list-style:none;padding-left:0">{items}</ul></div>'
    )


def _map(saved: AgendaView, manifest: Manifest, lang: str) -> None:
    generation = manifest.generation
    index = ui.load_region_index(generation)
    catalog = ui.get_catalog()
    choice = resolve_map_choice(saved.params(), catalog, index, lang)
    notices = list(choice.notices)
    indicator = catalog.get(choice.indicator_id)
    scope = Scope(choice.scope_kind, choice.scope_code, choice.scope_name)
    values = ui.load_indicator_values(generation, indicator.id, choice.level)
    period, notice = resolve_period(choice, periods_available(values_in_scope(values, scope)))
    for item in [*notices, *([notice] if notice else [])]:
        st.warning(item.text(lang), icon=":material/link_off:")
    if period is None:
        st.warning(t("present_no_values", lang, indicator=indicator.name(lang), scope=scope.name))
        return
    reference = ui.load_indicator_values(generation, indicator.id, scope.reference_level)
    reference = reference.loc[
        (reference["region_code"] == scope.reference_code) & (reference["period"] == period)
    ]
    reference_value = (
        float(reference["value"].iloc[0])
        if not reference.empty and pd.notna(reference["value"].iloc[0])
        else None
    )
    _, vintage = values_shown(values, scope, period)
    view = build_map_view(
        values,
        ui.load_regions(generation),
        index,
        indicator,
        choice.level,
        period,
        scope,
        choice.method,
        lang,
        reference_value=reference_value,
        layer=ui.load_layer_geometry(generation, choice.level, vintage, scope.kind, scope.code),
    )
    st.subheader(f"{indicator.name(lang)}, {scope.name} {period}")
    with st.container(key="present_summary"):
        st.markdown(view.summary)
    map_column, legend_column = st.columns([3, 1])
    with map_column:
        if view.deck is None:
            st.info(t("no_polygons", lang))
        else:
            st.pydeck_chart(view.deck, key="present_map", height=620)
    with legend_column:
        st.html(_big_legend(view.legend, lang))
    st.caption(indicator.attribution)
    # Collapsed, so the slide stays one map; the values are one keypress away for anyone
    # who cannot see the map (every map in sodd has its table).
    with st.expander(t("table_alternative", lang)):
        render_value_table(view.areas, indicator, lang)
