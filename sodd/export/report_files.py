"""Load the social report of a kommun from the store, render it and name the file.

The pure parts are :mod:`sodd.report` (the numbers) and the renderers
:mod:`sodd.export.report_pdf` and :mod:`sodd.export.report_docx`.
"""

from __future__ import annotations

from typing import Final

import pandas as pd

from sodd.errors import StoreError
from sodd.export.tidy import ExportContext
from sodd.indicators.catalog import load_catalog
from sodd.report import DISTRICT_LEVELS, KommunReport, build_kommun_report
from sodd.store import Store

REPORT_FORMATS: Final = ("pdf", "docx")


def load_kommun_report(store: Store, kommun_code: str) -> KommunReport:
    """Read the kommun's districts and values from the store and build its report.

    Raises
    ------
    StoreError
        When the store is empty or has no such kommun (or none of its districts).
    """
    if store.is_empty():
        raise StoreError("Datalagret är tomt. Kör `sodd demo` eller hämta statistik först.")
    own = store.read_regions(filters=[("kommun_code", "==", kommun_code)])
    own = own.loc[own["level"].isin([*DISTRICT_LEVELS, "kommun"])]
    if not (own["level"] == "kommun").any():
        raise StoreError(f"Kommunen {kommun_code!r} finns inte i datalagret (--kommun).")
    # The län's name heads the report; the län itself has no kommun_code.
    lan = store.read_regions(filters=[("level", "==", "lan")])
    regions = pd.concat(
        [pd.DataFrame(frame.drop(columns="geometry")) for frame in (own, lan)], ignore_index=True
    )
    codes = sorted(set(own["region_code"]))
    values = store.read("indicator_values", filters=[("region_code", "in", codes)])
    try:
        return build_kommun_report(kommun_code, regions, values, load_catalog())
    except ValueError as exc:
        raise StoreError(f"{exc} (--kommun {kommun_code})") from exc


def render_report(report: KommunReport, context: ExportContext, fmt: str) -> bytes:
    """Render ``report`` as ``pdf`` or ``docx``.

    Raises
    ------
    ValueError
        When ``fmt`` is not one of :data:`REPORT_FORMATS`.
    """
    if fmt == "pdf":
        from sodd.export.report_pdf import render_report_pdf

        return render_report_pdf(report, context)
    if fmt == "docx":
        from sodd.export.report_docx import render_report_docx

        return render_report_docx(report, context)
    raise ValueError(f"okänt rapportformat {fmt!r} (tillåtna: {', '.join(REPORT_FORMATS)})")


def report_filename(report: KommunReport, fmt: str) -> str:
    """A safe, descriptive file name, e.g. ``social_rapport_1780_2024.pdf``."""
    if fmt not in REPORT_FORMATS:
        raise ValueError(f"okänt rapportformat {fmt!r} (tillåtna: {', '.join(REPORT_FORMATS)})")
    years = [p[:4] for p in report.periods() if p[:4].isdigit()]
    from sodd.export import safe_name_part  # the package imports this module lazily

    code = safe_name_part(report.kommun_code, 10) or "kommun"
    parts = ["social_rapport", code, *([max(years)] if years else [])]
    return "_".join(parts) + "." + fmt
