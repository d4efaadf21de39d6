"""The three kinds of the kommun's own data: their Swedish columns, allowed values, templates.

``kartlaggning`` is the local homelessness mapping (Socialstyrelsen's four situations by
sex, age band, children and optionally time in homelessness), ``insatser`` the yearly or
monthly inventory of social services' housing interventions, ``indikator`` any own
indicator per kommun or district. A template is the header row plus a few example rows
(CSV) or a data sheet plus an instructions sheet (XLSX).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Final

from sodd.local.vocabulary import (
    AGE_BANDS,
    AGE_WORDS,
    CHILDREN_VALUES,
    COUNT_UNITS,
    INDICATOR_UNITS,
    INTERVENTION_PARTS,
    INTERVENTION_UNITS,
    INTERVENTION_VALUES,
    INTERVENTIONS,
    INTERVENTIONS_EN,
    SEX_VALUES,
    SITUATION_NAMES,
    SITUATION_VALUES,
    TIME_VALUES,
    TOTAL,
)
from sodd.sources.tabular import normalise_header

__all__ = [
    "AGE_BANDS",
    "AGE_WORDS",
    "CHILDREN_VALUES",
    "COLUMNS",
    "COUNT_UNITS",
    "INDICATOR_UNITS",
    "INTERVENTIONS",
    "INTERVENTIONS_EN",
    "INTERVENTION_PARTS",
    "INTERVENTION_UNITS",
    "INTERVENTION_VALUES",
    "KINDS",
    "KIND_NAMES_EN",
    "KIND_NAMES_SV",
    "SEX_VALUES",
    "SITUATION_NAMES",
    "SITUATION_VALUES",
    "TIME_VALUES",
    "TOTAL",
    "Column",
    "columns",
    "example_rows",
    "headers",
    "template_csv",
    "template_xlsx",
]

KINDS: Final = ("kartlaggning", "insatser", "indikator")
KIND_NAMES_SV: Final = {
    "kartlaggning": "Hemlöshetskartläggning",
    "insatser": "Boendeinsatser (inventering)",
    "indikator": "Egen indikator",
}
KIND_NAMES_EN: Final = {
    "kartlaggning": "Homelessness mapping",
    "insatser": "Housing interventions (inventory)",
    "indikator": "Own indicator",
}


@dataclass(frozen=True)
class Column:
    """One column of a kind: its key, Swedish template header and accepted headers."""

    key: str
    header: str
    aliases: tuple[str, ...]  # folded with normalise_header; the header itself is added
    required: bool
    help_sv: str

    def accepts(self, header: str) -> int | None:
        """Priority of ``header`` for this column (0 best), ``None`` when not accepted."""
        folded = normalise_header(header)
        names = (normalise_header(self.header), *self.aliases)
        return names.index(folded) if folded in names else None


_REGION = Column(
    "region",
    "Områdeskod",
    ("omradeskod", "kommunkod", "regionkod", "omrade", "kommun", "region", "kod", "deso", "regso"),
    True,
    "Kommunkod (fyra siffror, t.ex. 1780), DeSO-kod (t.ex. 1780C1010) eller RegSO-kod. "
    "Kommunens namn går också.",
)
_YEAR = Column(
    "period", "År", ("ar", "artal", "kartlaggningsar", "period"), True, "Året, t.ex. 2024."
)


COLUMNS: Final[dict[str, tuple[Column, ...]]] = {
    "kartlaggning": (
        _REGION,
        _YEAR,
        Column("situation", "Situation", ("hemloshetssituation",), True, "1, 2, 3 eller 4."),
        Column("kon", "Kön", (), True, "kvinnor, män, okänt eller totalt."),
        Column(
            "alder",
            "Åldersgrupp",
            ("alder", "aldersklass", "aldersintervall"),
            True,
            "Ett intervall som 18–24 eller 65+, okänd eller totalt.",
        ),
        Column(
            "barn",
            "Barn under 18 år",
            ("barn", "med barn", "har barn", "foralder"),
            True,
            "med barn, utan barn, okänt eller totalt.",
        ),
        Column(
            "tid",
            "Tid i hemlöshet",
            ("tid", "hemloshetstid", "varaktighet"),
            False,
            "Valfri: under 3 månader, 3–6 månader, 6–12 månader, 1–3 år, 3–10 år, "
            "över 10 år, okänd eller totalt.",
        ),
        Column("value", "Antal personer", ("antal", "personer"), True, "Heltal, 0 eller mer."),
    ),
    "insatser": (
        _REGION,
        Column(
            "period",
            "Period",
            ("ar", "manad", "ar manad", "tidsperiod"),
            True,
            "År (2024) eller månad (2024-03).",
        ),
        Column(
            "insats",
            "Insats",
            ("insatstyp", "typ", "typ av insats"),
            True,
            "; ".join(INTERVENTIONS.values()) + ".",
        ),
        Column(
            "enhet",
            "Enhet",
            ("matt",),
            False,
            "Valfri: antal, hushåll, personer, kontrakt, lägenheter, beslut, ärenden, "
            "platser eller dygn (antal om tom).",
        ),
        Column("value", "Antal", ("varde", "antal insatser"), True, "Heltal, 0 eller mer."),
    ),
    "indikator": (
        _REGION,
        _YEAR,
        Column("name", "Indikator", ("namn", "indikatornamn", "matt"), True, "Kort namn."),
        Column("value", "Värde", ("value",), True, "Ett tal; decimalkomma går bra."),
        Column(
            "unit",
            "Enhet",
            (),
            True,
            "antal, personer, hushåll, procent, tkr, per 10 000 invånare, "
            "per 100 000 invånare eller per 1 000 hyresrätter.",
        ),
        Column("description", "Beskrivning", (), True, "Vad siffran mäter."),
        Column("source", "Källa", ("datakalla",), True, "Varifrån siffran kommer."),
    ),
}

_EXAMPLES: Final[dict[str, tuple[tuple[str, ...], ...]]] = {
    "kartlaggning": (
        ("{code}", "2024", "1", "kvinnor", "25–34", "med barn", "under 3 månader", "6"),
        ("{code}", "2024", "1", "män", "25–34", "utan barn", "1–3 år", "14"),
        ("{code}", "2024", "3", "totalt", "totalt", "totalt", "totalt", "41"),
    ),
    "insatser": (
        ("{code}", "2024", "Sociala kontrakt", "kontrakt", "120"),
        ("{code}", "2024", "Sociala kontrakt som blivit förstahandskontrakt", "kontrakt", "18"),
        ("{code}", "2024-03", "Vräkningsförebyggande ärenden", "hushåll", "35"),
    ),
    "indikator": (
        (
            "{code}",
            "2024",
            "Hushåll med hyresskuld hos allmännyttan",
            "212",
            "hushåll",
            "Hushåll med minst två månaders hyresskuld den 31 december.",
            "Kommunens bostadsbolag",
        ),
    ),
}


def headers(kind: str) -> tuple[str, ...]:
    """The Swedish template headers of ``kind``, in template order."""
    return tuple(column.header for column in columns(kind))


def columns(kind: str) -> tuple[Column, ...]:
    """The columns of ``kind``.

    Raises
    ------
    ValueError
        When ``kind`` is not one of :data:`KINDS`.
    """
    if kind not in COLUMNS:
        raise ValueError(f"okänd typ {kind!r} (tillåtna: {', '.join(KINDS)})")
    return COLUMNS[kind]


def example_rows(kind: str, region_code: str = "0180") -> list[list[str]]:
    """The template's example rows, in the region ``region_code``."""
    columns(kind)
    return [[cell.format(code=region_code) for cell in row] for row in _EXAMPLES[kind]]


def template_csv(kind: str, region_code: str = "0180") -> bytes:
    """A CSV template: UTF-8 with BOM (Excel opens it right), ``;``, header + example rows.

    Parameters
    ----------
    kind
        One of :data:`KINDS`.
    region_code
        Area code of the example rows (the user's kommun, so they validate as they are).

    Returns
    -------
    bytes
        The file.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers(kind))
    writer.writerows(example_rows(kind, region_code))
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(kind: str, region_code: str = "0180") -> bytes:
    """An XLSX template: sheet "Uppgifter" (header + example rows) and "Instruktioner".

    Parameters
    ----------
    kind
        One of :data:`KINDS`.
    region_code
        Area code of the example rows.

    Returns
    -------
    bytes
        The workbook.
    """
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    data = book.active
    assert data is not None  # a new workbook always has one sheet
    data.title = "Uppgifter"
    data.append(list(headers(kind)))
    for cell in data[1]:
        cell.font = Font(bold=True)
    for row in example_rows(kind, region_code):
        data.append(row)
        for cell in data[data.max_row]:
            # Grey italics mark the example rows; the instructions say to replace them.
            cell.font = Font(italic=True, color="808080")
    for index, header in enumerate(headers(kind)):
        data.column_dimensions[chr(ord("A") + index)].width = max(14, len(header) + 4)
    info = book.create_sheet("Instruktioner")
    info.append([f"Mall: {KIND_NAMES_SV[kind]}"])
    info.append(
        [
            f"Raderna 2–{1 + len(_EXAMPLES[kind])} på bladet Uppgifter är exempel: skriv "
            "över dem med era egna uppgifter. Bara summerade antal – aldrig en rad per "
            "person, namn eller personnummer."
        ]
    )
    info.append([])
    info.append(["Kolumn", "Obligatorisk", "Vad som ska stå där"])
    for cell in info[info.max_row]:
        cell.font = Font(bold=True)
    for column in columns(kind):
        info.append([column.header, "ja" if column.required else "nej", column.help_sv])
    info.column_dimensions["A"].width = 22
    info.column_dimensions["C"].width = 90
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
