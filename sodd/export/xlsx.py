"""The XLSX export: sheet "Data" (tidy, numbers as numbers) and sheet "Metadata".

Numbers are stored as numbers with the format ``#,##0.0`` (as many decimals as the
indicator has); Excel draws the separators of the reader's locale, so Swedish Excel
shows ``12 345,6``. Withheld values are the text ``..`` and the legend is on the
Metadata sheet with the sources, table ids, periods, level, fetch dates and, for
synthetic data, the demo label (also in the first row of the Data sheet).
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from sodd.export.notes_section import (
    NOTE_KEYS,
    note_headers,
    note_records,
    notes_heading,
    notes_intro,
)
from sodd.export.tidy import (
    TIDY_COLUMNS,
    ExportContext,
    headers,
    metadata_lines,
    source_lines,
    tidy_records,
)
from sodd.formatting import format_timestamp
from sodd.i18n import t
from sodd.profile import AreaProfile

NUMERIC_KEYS = ("value", "kommun", "lan", "riket", "peer")


def number_format(decimals: int) -> str:
    """Excel number format with grouped thousands and ``decimals`` decimals."""
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def add_notes_sheet(book: Workbook, context: ExportContext) -> None:
    """Add the sheet "Lokala iakttagelser" (none without notes).

    Every cell is forced to text: a note starting with ``=`` must not become a formula.
    """
    records = note_records(context)
    if not records:
        return
    sheet = book.create_sheet("Lokala iakttagelser")
    sheet.append([notes_heading(context.lang)])
    sheet.cell(row=1, column=1).font = Font(bold=True)
    sheet.append([notes_intro(context.lang)])
    sheet.append(note_headers(context.lang))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for record in records:
        row = sheet.max_row + 1
        for column, key in enumerate(NOTE_KEYS, start=1):
            cell = sheet.cell(row=row, column=column)
            cell.value = record[key]
            cell.data_type = "s"
    for letter, width in zip("ABCD", (12, 16, 80, 24), strict=True):
        sheet.column_dimensions[letter].width = width


def render_xlsx(profile: AreaProfile, context: ExportContext) -> bytes:
    """Render the profile as an Excel workbook.

    Parameters
    ----------
    profile
        The profile.
    context
        Manifest entries, language and export time.

    Returns
    -------
    bytes
        The ``.xlsx`` file.
    """
    lang = context.lang
    book = Workbook()
    data = book.active
    assert data is not None  # a new workbook always has one sheet
    data.title = "Data"
    if context.demo:
        data.append([t("exp_demo", lang)])
        data.cell(row=1, column=1).font = Font(bold=True, color="9C0006")
    data.append(headers(lang))
    for cell in data[data.max_row]:
        cell.font = Font(bold=True)
    decimals = {row.indicator.id: row.indicator.decimals for row in profile.rows()}
    for record in tidy_records(profile, lang):
        data.append([record[key] for key in TIDY_COLUMNS])
        for key in NUMERIC_KEYS:
            target = data.cell(row=data.max_row, column=TIDY_COLUMNS.index(key) + 1)
            if isinstance(target.value, float):
                target.number_format = number_format(decimals[str(record["id"])])
    # Keep the header row (and the demo label above it) in view while scrolling.
    data.freeze_panes = f"A{data.max_row - len(profile.rows()) + 1}"
    widths = (24, 22, 40, 12, 14, 8, 8, 8, 12, 12, 12, 22, 24, 22, 14, 12, 26, 40, 16)
    for number, width in enumerate(widths, start=1):
        data.column_dimensions[get_column_letter(number)].width = width

    meta = book.create_sheet("Metadata")
    for label, text in metadata_lines(profile, context):
        meta.append([label, text])
    meta.append([])
    meta.append(
        [
            t("exp_col_source", lang),
            t("exp_col_table", lang),
            "",
            t("exp_col_fetched", lang),
        ]
    )
    for cell in meta[meta.max_row]:
        cell.font = Font(bold=True)
    for line in source_lines(profile, context):
        fetched = format_timestamp(line.fetched_at, lang) if line.fetched_at else ""
        meta.append([line.provider, line.table_id, line.title, fetched])
    meta.column_dimensions["A"].width = 24
    meta.column_dimensions["B"].width = 100
    add_notes_sheet(book, context)
    _no_formulas(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _no_formulas(book: Workbook) -> None:
    """Store every text as text: an area or region name like ``=HYPERLINK(…)`` is a name."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
