"""Datakällor → "Importera fil": upload an agency's file, see what was recognised, then store.

Nothing is stored until the user has seen the preview (which columns were matched to
what, how many values, which years and areas) and pressed "Spara". A file that does
not fit gets the importer's Swedish message with the expected and the found headers.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sodd import ui
from sodd.errors import SoddError
from sodd.formatting import format_number
from sodd.i18n import register, t
from sodd.importers import IMPORTERS, Importer, recognise, store_parsed
from sodd.schema import LEVEL_SHORT_EN, LEVEL_SHORT_SV
from sodd.sources.tabular_obs import Parsed
from sodd.upload_limit import upload_too_large

register(
    {
        "import_heading": ("Importera fil", "Import a file"),
        "import_intro": (
            "Läs in en fil som du har laddat ned från Kronofogden, Boverket eller "
            "Socialstyrelsen (CSV eller Excel .xlsx). sodd letar upp kolumnerna på deras "
            "svenska namn och visar vad som känns igen innan något sparas.",
            "Read a file you downloaded from Kronofogden, Boverket or Socialstyrelsen (CSV "
            "or Excel .xlsx). sodd finds the columns by their Swedish names and shows what "
            "it recognised before anything is stored.",
        ),
        "import_source": ("Källa", "Source"),
        "import_auto": ("Känn igen automatiskt", "Recognise automatically"),
        "import_file": ("Fil", "File"),
        "import_not_recognised": ("Filen kunde inte läsas in.", "The file could not be read."),
        "import_recognised": (
            "Filen känns igen som **{source}**.",
            "The file is recognised as **{source}**.",
        ),
        "import_col_wanted": ("sodd letar efter", "sodd looks for"),
        "import_col_found": ("Rubrik i filen", "Header in the file"),
        "import_values": ("Värden", "Values"),
        "import_years": ("År", "Years"),
        "import_areas": ("Områden", "Areas"),
        "import_sheets": ("Lästa blad: {sheets}", "Sheets read: {sheets}"),
        "import_sample": ("De första raderna som sparas", "The first rows to be stored"),
        "import_save": ("Spara", "Save"),
        "import_saved": (
            "Sparat: {rows} värden för {periods} i {dataset}. Datamängden har nu {total} "
            "värden; indikatorerna är omräknade.",
            "Saved: {rows} values for {periods} in {dataset}. The dataset now holds {total} "
            "values; indicators were recomputed.",
        ),
        "import_replaces": (
            "Åren i filen ersätter samma år i datalagret; andra år behålls. Exempeldata "
            "tas bort när verklig statistik sparas.",
            "The years in the file replace the same years in the store; other years are "
            "kept. Demo data is removed when real statistics are stored.",
        ),
    }
)


def _source_label(name: str, lang: str) -> str:
    if name == "auto":
        return t("import_auto", lang)
    importer = IMPORTERS[name]
    return importer.label_en if lang == "en" else importer.label_sv


def render_import(lang: str) -> None:
    """Show the "Importera fil" section: choose source, upload, preview, save."""
    st.subheader(t("import_heading", lang))
    st.caption(t("import_intro", lang))
    name = st.selectbox(
        t("import_source", lang),
        ["auto", *IMPORTERS],
        format_func=lambda option: _source_label(option, lang),
        key="import_source",
    )
    upload = st.file_uploader(
        t("import_file", lang), type=["csv", "txt", "xlsx"], key="import_file"
    )
    if upload is None:
        return
    too_large = upload_too_large(upload.size, upload.name, ui.get_settings().max_upload_mb, lang)
    if too_large is not None:
        st.error(too_large)
        return
    data, filename = upload.getvalue(), upload.name
    try:
        importer, parsed = recognise(data, filename, None if name == "auto" else name)
    except SoddError as error:
        # Markdown needs two spaces before a newline to keep the list of reasons apart.
        st.error(
            f"{t('import_not_recognised', lang)}  \n{str(error).replace(chr(10), '  ' + chr(10))}"
        )
        return
    _preview(importer, parsed, lang)
    st.caption(t("import_replaces", lang))
    if not st.button(t("import_save", lang), type="primary", key="import_save"):
        return
    try:
        result = store_parsed(ui.get_store(), importer, parsed, data, filename)
    except SoddError as error:
        ui.show_error(error)
        return
    st.success(
        t(
            "import_saved",
            lang,
            rows=format_number(result.rows_imported, 0, lang),
            periods=", ".join(result.periods),
            dataset=result.dataset_id,
            total=format_number(result.rows_total, 0, lang),
        )
    )


def _preview(importer: Importer, parsed: Parsed, lang: str) -> None:
    summary = parsed.summary()
    st.markdown(t("import_recognised", lang, source=_source_label(importer.name, lang)))
    st.dataframe(
        pd.DataFrame(
            {
                t("import_col_wanted", lang): list(parsed.matched),
                t("import_col_found", lang): [", ".join(h) for h in parsed.matched.values()],
            }
        ),
        hide_index=True,
    )
    short = LEVEL_SHORT_EN if lang == "en" else LEVEL_SHORT_SV
    areas = ", ".join(
        f"{format_number(count, 0, lang)} {short.get(level, level)}"
        for level, count in summary.regions.items()
    )
    left, middle, right = st.columns(3)
    left.metric(t("import_values", lang), format_number(summary.rows, 0, lang))
    years = summary.years
    middle.metric(
        t("import_years", lang), f"{years[0]}–{years[-1]}" if len(years) > 1 else years[0]
    )
    right.metric(t("import_areas", lang), areas)
    st.caption(t("import_sheets", lang, sheets=", ".join(parsed.sheets)))
    columns = ["region_code", "level", "period", "variable", "dims", "value", "status"]
    st.caption(t("import_sample", lang))
    st.dataframe(parsed.observations[columns].head(20), hide_index=True)
