"""The tidy CSV export: a ``#`` metadata block, then one row per indicator.

Written for Swedish Excel, which opens it directly with a double-click: UTF-8 with a
byte-order mark (without it Excel reads the file as cp1252 and breaks å, ä and ö),
``;`` as separator and a decimal comma (Excel in a Swedish locale expects both).
Values are the stored floats in full precision, so the file equals the store; a
withheld value is its status symbol (``..``). Lines starting with ``#`` carry the
area, vintage, export time, sources with fetch dates, the status legend and, for
synthetic data, the demo label.
"""

from __future__ import annotations

import csv
import io
import re

from sodd.export.notes_section import note_records, notes_heading
from sodd.export.tidy import (
    TIDY_COLUMNS,
    Cell,
    ExportContext,
    headers,
    metadata_lines,
    tidy_records,
)
from sodd.profile import AreaProfile

SEPARATOR = ";"
_FORMULA_AFTER_SEPARATOR = re.compile(r";(\s*[=+\-@])")


def format_exact(value: Cell) -> str:
    """A cell for the CSV: a float in full precision with a decimal comma, else the text.

    Parameters
    ----------
    value
        A float, a status symbol or ``None``.

    Returns
    -------
    str
        E.g. ``"75,99693251533742"``, ``"1542"``, ``".."`` or ``""``.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    text = repr(float(value))
    if "e" in text or "E" in text:
        # No exponent notation: Excel would read "1e-05" as text.
        text = f"{value:.20f}".rstrip("0").rstrip(".")
    if text.endswith(".0"):
        text = text[:-2]
    return text.replace(".", ",")


def parse_exact(text: str) -> Cell:
    """Read a cell written by :func:`format_exact` back (for tests and round trips)."""
    if text == "":
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return text


def note_lines(context: ExportContext) -> list[str]:
    """The notes as ``#`` metadata lines (without the ``# ``), one per note.

    A note's line breaks become `` / `` so each note stays on its own comment line, and a
    ``;`` followed by ``=``, ``+``, ``-`` or ``@`` gets a ``'`` so Excel, which splits the
    line at ``;``, never reads a cell of it as a formula.
    """
    lang = context.lang
    lines = []
    for record in note_records(context):
        parts = [record["date"], record["category"], record["text"].replace("\n", " / ")]
        if record["signature"]:
            parts.append(record["signature"])
        text = _FORMULA_AFTER_SEPARATOR.sub(r";'\1", " | ".join(parts))
        lines.append(f"{notes_heading(lang)}: {text}")
    return lines


def render_csv(profile: AreaProfile, context: ExportContext) -> bytes:
    """Render the profile as a tidy CSV file.

    Parameters
    ----------
    profile
        The profile.
    context
        Manifest entries, language and export time.

    Returns
    -------
    bytes
        UTF-8 with BOM, ``;``-separated, decimal comma.
    """
    buffer = io.StringIO()
    for label, text in metadata_lines(profile, context):
        buffer.write(f"# {label}: {text}\n".replace("\r", " "))
    for line in note_lines(context):
        buffer.write(f"# {line}\n")
    writer = csv.writer(buffer, delimiter=SEPARATOR, lineterminator="\n")
    writer.writerow(headers(context.lang))
    for record in tidy_records(profile, context.lang):
        writer.writerow([format_exact(record[key]) for key in TIDY_COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
