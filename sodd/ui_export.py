"""Profile page additions: summary, BKA and gaps, and the export downloads (Streamlit)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd
import streamlit as st

from sodd import ui
from sodd.export import (
    FORMATS,
    MIME_TYPES,
    ExportContext,
    build_export_context,
    export_filename,
    safe_name_part,
)
from sodd.export import render as render_export
from sodd.export.tidy import display_headers, display_row
from sodd.i18n import register, t
from sodd.manifest import Manifest
from sodd.profile import AreaProfile
from sodd.profile_sections import describe_unknown, flag_rule_text, summary_sentences

register(
    {
        "export_heading": ("Ladda ner profilen", "Download the profile"),
        "export_intro": (
            "Samma värden som ovan, med källor, hämtningsdatum och teckenförklaring. "
            "Word-filen har rubriker för en SKA/BKA-inventering.",
            "The same values as above, with sources, fetch dates and legend. The Word file "
            "has headings for an SKA/BKA inventory.",
        ),
        "export_pdf": ("PDF", "PDF"),
        "export_docx": ("Word (DOCX)", "Word (DOCX)"),
        "export_xlsx": ("Excel (XLSX)", "Excel (XLSX)"),
        "export_csv": ("CSV", "CSV"),
        "export_gpkg": ("GeoPackage (GIS)", "GeoPackage (GIS)"),
        "export_html": ("HTML (fristående)", "HTML (self-contained)"),
    }
)


def _bullets(items: list[str]) -> str:
    # Area names come from the data: keep Markdown from reading them as markup.
    escaped = [re.sub(r"([\\`*_\[\]#<>|])", r"\\\1", item) for item in items]
    return "\n".join(f"- {item}" for item in escaped)


def render_profile_sections(profile: AreaProfile, lang: str) -> None:
    """Show the summary sentences, the Barnperspektiv (BKA) table and "Det vet vi inte".

    The BKA rows use ``st.table``: a short, static table printed in full.
    """
    st.subheader(t("exp_summary", lang))
    st.markdown(_bullets(list(summary_sentences(profile, lang))))
    st.caption(flag_rule_text(lang))
    st.subheader(t("exp_children", lang))
    peer_name = profile.peer.name if profile.peer else None
    rows = [display_row(row, lang, peer=peer_name is not None) for row in profile.children]
    heads = display_headers(lang, peer_name)
    st.table(pd.DataFrame(rows, columns=heads).set_index(heads[0]))
    st.caption(t("exp_flag_marker", lang))
    st.subheader(t("exp_unknowns", lang))
    unknowns = [describe_unknown(u, lang) for u in profile.unknowns]
    st.markdown(_bullets(unknowns or [t("exp_unknowns_none", lang)]))


def _deferred(profile: AreaProfile, context: ExportContext, fmt: str) -> Callable[[], bytes]:
    # Rendered only when the button is clicked, so six formats cost nothing per rerun.
    return lambda: render_export(profile, context, fmt)


def render_export_buttons(profile: AreaProfile, context: ExportContext, lang: str) -> None:
    """Show one download button per export format.

    Parameters
    ----------
    profile
        The profile on the page.
    context
        Manifest entries, geometries and language for the exports.
    lang
        Interface language.
    """
    st.subheader(t("export_heading", lang))
    st.caption(t("export_intro", lang))
    columns = st.columns(len(FORMATS))
    for column, fmt in zip(columns, FORMATS, strict=True):
        column.download_button(
            t(f"export_{fmt}", lang),
            data=_deferred(profile, context, fmt),
            file_name=export_filename(profile, fmt),
            mime=MIME_TYPES[fmt],
            key=f"export_{fmt}",
            on_click="ignore",
            icon=":material/download:",
        )


def render_profile_exports(profile: AreaProfile, manifest: Manifest, lang: str) -> None:
    """Show the download buttons with geometry and sources read from the store.

    The one call the profile page makes: the area's and its kommun's polygons come from
    :func:`sodd.ui.load_regions` (cached per store generation).
    """
    regions = ui.load_regions(manifest.generation)
    wanted = {profile.region_code, profile.kommun_code or ""}
    nearby = regions.loc[regions["region_code"].isin(wanted)]
    context = build_export_context(profile, manifest, nearby, lang, store=ui.get_store())
    render_export_buttons(profile, context, lang)


register(
    {
        "report_heading": ("Social rapport för kommunen", "Social report for the municipality"),
        "report_intro": (
            "Alla delområden i {kommun}: var skillnaderna är störst, vilka områden som skiljer "
            "sig från kommunen på flera indikatorer, områdestyper och utveckling. Underlag för "
            "socialtjänstens sociala rapport.",
            "All districts of {kommun}: where differences are largest, which districts differ "
            "from the municipality on several indicators, area types and trends. For the social "
            "services' social report.",
        ),
        "report_pdf": ("Social rapport (PDF)", "Social report (PDF)"),
        "report_docx": ("Social rapport (Word)", "Social report (Word)"),
    }
)


def render_report_buttons(kommun_code: str, kommun_name: str, lang: str) -> None:
    """Download buttons for the social report of one kommun (built only when clicked)."""
    from sodd.export.report_files import load_kommun_report, render_report

    def build(fmt: str) -> Callable[[], bytes]:
        def render() -> bytes:
            store = ui.get_store()
            report = load_kommun_report(store, kommun_code)
            context = ExportContext(entries=tuple(store.manifest().datasets.values()), lang=lang)
            return render_report(report, context, fmt)

        return render

    st.subheader(t("report_heading", lang))
    st.caption(t("report_intro", lang, kommun=kommun_name))
    columns = st.columns(4)
    for column, fmt in zip(columns, ("pdf", "docx"), strict=False):
        column.download_button(
            t(f"report_{fmt}", lang),
            data=build(fmt),
            file_name=f"social_rapport_{safe_name_part(kommun_code, 10) or 'kommun'}.{fmt}",
            mime=MIME_TYPES[fmt],
            key=f"report_{fmt}",
            on_click="ignore",
            icon=":material/download:",
        )
