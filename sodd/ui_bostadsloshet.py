"""The page "Bostadslöshet och avhysningar": one kommun against its län and riket.

Every chart has a table with the same numbers and a one-sentence summary; children
affected by evictions are set apart (barnkonsekvensanalys); the BME market status is
shown year by year; the four homelessness situations are explained in plain Swedish.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from sodd import ui, ui_share
from sodd.formatting import format_number
from sodd.housing_groups import KommunGroup, kommun_group, with_group
from sodd.housing_view import (
    CHILD_INDICATORS,
    SITUATIONS,
    SeriesView,
    bme_timeline,
    build_series,
    latest_situations,
    page_indicators,
)
from sodd.i18n import register, t
from sodd.schema import RIKET_CODE
from sodd.url_state import BOSTADSLOSHET

register(
    {
        "page_housing": ("Bostadslöshet och avhysningar", "Homelessness and evictions"),
        "housing_intro": (
            "Kronofogdens avhysningar, Socialstyrelsens hemlöshetskartläggning, Boverkets "
            "bostadsmarknadsenkät och ekonomiskt bistånd för en kommun, jämfört med länet "
            "och riket. Uppgifterna publiceras bara per kommun.",
            "Evictions (Kronofogden), the homelessness mapping (Socialstyrelsen), Boverket's "
            "housing market survey and social assistance for one municipality, compared with "
            "its county and Sweden. These figures are published per municipality only.",
        ),
        "housing_kommun": ("Kommun", "Municipality"),
        "housing_no_kommun": (
            "Datalagret har inga kommuner ännu. Läs in filer under Datakällor → Importera fil "
            "eller kör `sodd refresh kolada`.",
            "The store has no municipalities yet. Import files under Data sources → Import a "
            "file or run `sodd refresh kolada`.",
        ),
        "housing_children": (
            "Barnperspektiv: barn som berörs av avhysning (underlag för barnkonsekvensanalys).",
            "Child perspective: children affected by evictions (input to a child impact "
            "assessment).",
        ),
        "housing_table": ("Tabell", "Table"),
        "housing_year": ("År", "Year"),
        "housing_missing": ("{name}: inga värden för {kommun}.", "{name}: no values for {kommun}."),
        "housing_bme_heading": ("Bostadsmarknadsläget (Boverket)", "Housing market (Boverket)"),
        "housing_bme_none": (
            "Ingen bostadsmarknadsenkät i datalagret för {kommun}. Läs in Boverkets fil under "
            "Datakällor → Importera fil.",
            "No housing market survey for {kommun} in the store. Import Boverket's file under "
            "Data sources → Import a file.",
        ),
        "housing_bme_summary": (
            "{kommun} bedömde {year} bostadsmarknaden som {label}.",
            "In {year}, {kommun} judged its housing market to be in {label}.",
        ),
        "housing_bme_col": ("Kommunens bedömning", "The municipality's judgement"),
        "housing_situations_heading": (
            "Hemlöshetens fyra situationer (Socialstyrelsen)",
            "The four situations of homelessness (Socialstyrelsen)",
        ),
        "housing_situation_col": ("Situation", "Situation"),
        "housing_persons_col": ("Personer {year}", "Persons {year}"),
        "housing_situations_summary": (
            "{kommun} hade {total} personer i hemlöshet under kartläggningsveckan {year}.",
            "{kommun} had {total} people in homelessness in the survey week of {year}.",
        ),
        "housing_bme_source": (
            "Källa: Boverket, bostadsmarknadsenkäten",
            "Source: Boverket, housing market survey",
        ),
        "housing_situations_source": (
            "Källa: Socialstyrelsen, hemlöshetskartläggningen",
            "Source: Socialstyrelsen (National Board of Health and Welfare), homelessness mapping",
        ),
    }
)


def render_page() -> None:
    """Render the whole page (called by ``views/bostadsloshet.py``)."""
    lang, manifest = ui.page_start("page_housing")
    url = ui_share.PageUrl(BOSTADSLOSHET, lang)
    st.write(t("housing_intro", lang))
    if not manifest.datasets:
        st.info(t("store_empty", lang))
        return
    index = ui.load_region_index(manifest.generation)
    names = dict(zip(index["region_code"], index["name"], strict=True))
    kommuner = index.loc[index["level"] == "kommun"]
    if kommuner.empty:
        st.info(t("housing_no_kommun", lang))
        return
    options = kommuner.sort_values("name")["region_code"].tolist()
    url.seed("kommun", options)
    kommun = st.selectbox(
        t("housing_kommun", lang),
        options,
        index=options.index("1780") if "1780" in options else 0,
        format_func=lambda code: f"{names.get(code, code)} ({code})",
        key="bl_kommun",
    )
    url.record("kommun", kommun)
    areas = {code: names.get(code, code) for code in (kommun, kommun[:2], RIKET_CODE)}
    values = ui.load_area_values(manifest.generation, tuple(areas))
    group = _group(kommun)
    group_values = (
        ui.load_area_values(manifest.generation, group.members) if group is not None else None
    )
    for indicator in page_indicators(ui.get_catalog()):
        view = build_series(values, indicator, areas, lang)
        note = None
        if view is not None and group is not None and group_values is not None:
            view, note = with_group(view, group_values, group, lang)
        if view is None:
            st.caption(t("housing_missing", lang, name=indicator.name(lang), kommun=areas[kommun]))
        elif indicator.id in CHILD_INDICATORS:
            with st.container(border=True):
                st.markdown(f"**{t('housing_children', lang)}**")
                _series(view, lang, note)
        else:
            _series(view, lang, note)
    observations = ui.get_store().read(
        "observations", filters=[("region_code", "==", kommun), ("level", "==", "kommun")]
    )
    _bme(observations, kommun, areas[kommun], lang)
    _situations(observations, kommun, areas[kommun], lang)


def _group(kommun: str) -> KommunGroup | None:
    """The kommun's SKR group from the store, or ``None`` when none is stored."""
    rows = ui.get_store().read(
        "observations",
        filters=[("provider", "==", "kolada"), ("table_id", "==", "kommungrupp")],
    )
    return kommun_group(rows, kommun)


def _series(view: SeriesView, lang: str, note: str | None = None) -> None:
    indicator = view.indicator
    st.subheader(indicator.name(lang))
    st.write(view.summary)
    ui.line_chart(view.table, view.summary)
    with st.expander(t("housing_table", lang)):
        table = view.table.rename_axis(t("housing_year", lang))
        st.dataframe(table.style.format(_formatter(indicator.decimals, lang), na_rep=".."))
    st.caption(indicator.attribution + (f" {note}" if note else ""))


def _formatter(decimals: int, lang: str) -> Callable[[object], str]:
    def show(value: object) -> str:
        return format_number(
            float(value) if isinstance(value, int | float) else None, decimals, lang
        )

    return show


def _bme(observations: pd.DataFrame, kommun: str, name: str, lang: str) -> None:
    st.subheader(t("housing_bme_heading", lang))
    timeline = bme_timeline(observations, kommun, lang)
    if timeline.empty:
        st.info(t("housing_bme_none", lang, kommun=name))
        return
    last = timeline.iloc[-1]
    st.write(t("housing_bme_summary", lang, kommun=name, year=last["period"], label=last["label"]))
    # -1/0/1 on a step chart reads as shortage → balance → surplus over the years.
    ui.line_chart(
        timeline.set_index("period")["value"].rename(name),
        t("housing_bme_summary", lang, kommun=name, year=last["period"], label=last["label"]),
        y_label="−1 / 0 / 1",
    )
    st.dataframe(
        pd.DataFrame(
            {
                t("housing_year", lang): timeline["period"],
                t("housing_bme_col", lang): timeline["label"],
            }
        ),
        hide_index=True,
    )
    st.caption(t("housing_bme_source", lang))


def _situations(observations: pd.DataFrame, kommun: str, name: str, lang: str) -> None:
    st.subheader(t("housing_situations_heading", lang))
    labels: list[str] = []
    for number, (name_sv, text_sv, name_en, text_en) in SITUATIONS.items():
        label, text = (name_en, text_en) if lang == "en" else (name_sv, text_sv)
        st.markdown(f"**{number}. {label}.** {text}")
        labels.append(f"{number}. {label}")
    latest = latest_situations(observations, kommun)
    if latest is None:
        return
    year, counts = latest
    shown = [value for value in counts.values() if value is not None]
    if len(shown) == len(counts):  # a total only when no situation is withheld
        total = format_number(sum(shown), 0, lang)
        st.write(t("housing_situations_summary", lang, kommun=name, year=year, total=total))
    st.dataframe(
        pd.DataFrame(
            {
                t("housing_situation_col", lang): labels,
                t("housing_persons_col", lang, year=year): list(counts.values()),
            }
        ),
        hide_index=True,
    )
    st.caption(t("housing_situations_source", lang))
