"""Refuse person-level files: the kommun's own data must be aggregate counts.

A file is refused when it has a column of Swedish personal identity numbers or
coordination numbers (any common format, checksum-valid), a column of names, one row
per person (an id or birth date per row, exact ages with no count, or every count 1
with repeated groups), or free-text case notes. The refusal names the column and says
why, never the personal number or name itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Final

from sodd.local.problems import PersonalDataError
from sodd.local.read import RawTable, Sheet
from sodd.local.vocabulary import (
    CHILDREN_VALUES,
    INTERVENTION_VALUES,
    SEX_VALUES,
    SITUATION_VALUES,
    TIME_VALUES,
)
from sodd.sources.tabular import normalise_header

# YYMMDD or YYYYMMDD, an optional separator (- before 100 years, + after), four digits.
_PNR: Final = re.compile(r"(?P<century>19|20)?(?P<date>\d{6})(?P<sep>[-+ ]?)(?P<last>\d{4})")
# Headers that only a person-level file has (folded with normalise_header).
_PERSON_HEADERS: Final = {
    "personnummer": "personnummer",
    "personnr": "personnummer",
    "pnr": "personnummer",
    "samordningsnummer": "samordningsnummer",
    "fodelsedatum": "födelsedatum",
    "fodd": "födelsedatum",
    "fodelsear": "födelseår",
    "fornamn": "förnamn",
    "efternamn": "efternamn",
    "fullstandigt namn": "namn",
    "klient": "klient",
    "klientnamn": "klient",
    "klient id": "klient-id",
    "brukare": "brukare",
    "brukarnamn": "brukare",
    "brukar id": "brukar-id",
    "adress": "adress",
    "gatuadress": "adress",
    "telefon": "telefon",
    "telefonnummer": "telefon",
    "e post": "e-post",
    "arendenummer": "ärendenummer",
    "arende id": "ärendenummer",
    "dnr": "diarienummer",
    "diarienummer": "diarienummer",
    "person id": "person-id",
}
_NAME: Final = re.compile(
    r"[A-ZÅÄÖÉ][a-zåäöéüè]+(-[A-ZÅÄÖÉ][a-zåäöéüè]+)? [A-ZÅÄÖÉ][a-zåäöéüè]+(-[A-ZÅÄÖÉ][a-zåäöéüè]+)?"
)
# Columns whose values are names of areas or of the kommun's own indicators, not people.
_NOT_PEOPLE: Final = ("omrade", "kommun", "stadsdel", "region", "lan", "distrikt", "indikator")
_KNOWN_VALUES: Final = frozenset(
    {*SITUATION_VALUES, *SEX_VALUES, *CHILDREN_VALUES, *TIME_VALUES, *INTERVENTION_VALUES}
)
_HEADER_ROWS: Final = 30  # as far down as the reader looks for the header
_PROSE_CHARS: Final = 60
_PROSE_WORDS: Final = 8
# Columns where the template asks for text: a description repeated per indicator is fine,
# many different long texts are not.
_TEXT_KEYS: Final = ("description", "source", "name")


def is_personal_number(text: str, *, today: date | None = None) -> bool:
    """Whether ``text`` is a valid Swedish personal identity or coordination number.

    Accepts ``YYMMDD-NNNN``, ``YYMMDD+NNNN``, ``YYMMDDNNNN``, ``YYYYMMDDNNNN`` and
    ``YYYYMMDD-NNNN`` (a space instead of the dash too). The date must exist (a
    coordination number adds 60 to the day) and the last digit must satisfy the Luhn
    check over the ten digits ``YYMMDDNNN``.
    """
    match = _PNR.fullmatch(text.strip())
    if match is None:
        return False
    digits = match["date"] + match["last"]
    if not _luhn_ok(digits):
        return False
    year, month, day = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    if day > 60:
        day -= 60
    now = today or date.today()
    if match["century"]:
        years = [int(match["century"]) * 100 + year]
    else:
        # The most recent century in which the date is not in the future; "+" adds 100 years.
        years = [2000 + year, 1900 + year]
        if match["sep"] == "+":
            years = [y - 100 for y in years]
    for full_year in years:
        try:
            born = date(full_year, month, day)
        except ValueError:
            continue
        if born <= now:
            return True
    return False


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def check_personal_numbers(sheets: Iterable[Sheet], filename: str = "") -> None:
    """Refuse a file with personal identity numbers or a person-level header, first of all.

    A column is refused when it has a number written with a separator or with the
    century (``19800101-1234``, ``800101-1234``, ``198001011234``), or at least two bare
    ten-digit numbers that make up at least half of its ten-digit values (a column of
    phone numbers passes the checksum only by chance). A header such as "Personnummer",
    "Namn" or "Klient" in the top rows of a sheet is refused too.

    Raises
    ------
    PersonalDataError
        Naming the sheet, column (by position and header) and how many were found.
    """
    sheets = list(sheets)
    reasons = []
    for sheet in sheets:
        header = sheet.rows[0][1] if sheet.rows else ()
        width = max((len(cells) for _, cells in sheet.rows), default=0)
        for index in range(width):
            strong, bare, ten_digit, first_row = 0, 0, 0, None
            for number, cells in sheet.rows:
                text = cells[index].strip() if index < len(cells) else ""
                if not text or not _PNR.fullmatch(text):
                    continue
                is_bare = text.isdigit() and len(text) == 10
                ten_digit += is_bare
                if is_personal_number(text):
                    first_row = first_row or number
                    if is_bare:
                        bare += 1
                    else:
                        strong += 1
            if strong or (bare >= 2 and 2 * bare >= ten_digit):
                name = header[index] if index < len(header) and header[index] else ""
                where = f'kolumnen "{name}"' if name else f"kolumn nummer {index + 1}"
                sheet_text = f' på bladet "{sheet.name}"' if sheet.name else ""
                reasons.append(
                    f"{where[0].upper()}{where[1:]}{sheet_text} innehåller personnummer eller "
                    f"samordningsnummer ({strong + bare} st, första på rad {first_row})."
                )
    reasons += _person_headers(sheets)
    if reasons:
        raise PersonalDataError(reasons, filename=filename)


def _person_headers(sheets: Iterable[Sheet]) -> list[str]:
    """Headers only a person-level file has, anywhere near the top of a sheet."""
    found: dict[str, None] = {}
    for sheet in sheets:
        for _, cells in sheet.rows[:_HEADER_ROWS]:
            for cell in cells:
                if normalise_header(cell) in _PERSON_HEADERS:
                    found.setdefault(cell.strip(), None)
    return [
        f'Kolumnen "{header}" är en personuppgift '
        f"({_PERSON_HEADERS[normalise_header(header)]}): en sådan kolumn betyder en rad per "
        "person."
        for header in found
    ]


def check_table(table: RawTable, *, filename: str = "") -> None:
    """Refuse a table that describes persons instead of groups.

    Raises
    ------
    PersonalDataError
        When a column is a person identifier or names people, a row is one person, or
        cells hold case notes.
    """
    reasons = []
    used = {index: key for key, index in table.matched.items()}
    for index, header in enumerate(table.headers):
        folded = normalise_header(header)
        values = [cells[index] for _, cells in table.rows if index < len(cells) and cells[index]]
        if index not in used and folded in _PERSON_HEADERS:
            reasons.append(
                f'Kolumnen "{header}" är en personuppgift ({_PERSON_HEADERS[folded]}): en sådan '
                "kolumn betyder en rad per person."
            )
            continue
        key = used.get(index)
        if key not in _TEXT_KEYS and not any(word in folded for word in _NOT_PEOPLE):
            names = sum(1 for value in values if _NAME.fullmatch(value))
            if names >= 2 and 2 * names >= len(values):
                reasons.append(
                    f'Kolumnen "{header}" ser ut att innehålla namn på personer '
                    f"({names} värden av typen förnamn och efternamn). Är det namn på områden, "
                    'ge kolumnen rubriken "Områdesnamn".'
                )
                continue
        prose = [value for value in values if _is_prose(value)]
        # A description repeated on every row of one indicator is fine; many different
        # long texts are notes about individual cases.
        if prose and (key not in _TEXT_KEYS or len(set(prose)) > max(3, len(values) // 2)):
            reasons.append(
                f'Kolumnen "{header}" innehåller fritext ({len(prose)} långa texter), som '
                "anteckningar om enskilda ärenden."
            )
    reasons += _one_row_per_person(table)
    if reasons:
        raise PersonalDataError(reasons, filename=filename)


def _is_prose(value: str) -> bool:
    # A long accepted value (a situation's full name) is not a note.
    long = len(value) > _PROSE_CHARS and len(value.split()) >= _PROSE_WORDS
    return long and normalise_header(value) not in _KNOWN_VALUES


def _one_row_per_person(table: RawTable) -> list[str]:
    ages = [table.cell(cells, "alder") for _, cells in table.rows]
    exact = [age for age in ages if age.isdigit()]
    counts = [table.cell(cells, "value").strip() for _, cells in table.rows]
    has_counts = "value" in table.matched and any(counts)
    if exact and 2 * len(exact) >= len([a for a in ages if a]) and len(exact) >= 3:
        if not has_counts or all(count in {"", "1"} for count in counts):
            return [
                f'Kolumnen "{table.header_of("alder")}" har exakta åldrar och varje rad '
                "räknar en person: det är en rad per person, inte åldersgrupper."
            ]
    if has_counts and len(counts) >= 5 and all(count == "1" for count in counts):
        keys = [
            tuple(table.cell(cells, key) for key in table.matched if key != "value")
            for _, cells in table.rows
        ]
        if len(set(keys)) < len(keys):
            return [
                f'Varje rad har antalet 1 i kolumnen "{table.header_of("value")}" och samma '
                "grupp förekommer flera gånger: det är en rad per person."
            ]
    return []
