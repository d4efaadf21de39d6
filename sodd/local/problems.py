"""Errors of the kommun's own data: every problem of a file at once, or a refusal (GDPR)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from sodd.errors import SoddError

# How many problems the error's own message lists; the page and the CLI show them all.
_SHOWN: Final = 10
# Anything shaped like a personal identity number is never echoed back, valid or not.
_PERSONAL_SHAPE: Final = re.compile(r"(19|20)?\d{6}[-+ ]?\d{4}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file.

    Attributes
    ----------
    row
        Row number as the user sees it (line in a CSV file, row in the Excel sheet);
        ``None`` for a problem of the whole file.
    column
        Column header as written in the file (or the expected header when missing).
    value
        The cell's text (shortened, personal-number shapes hidden).
    message
        What is wrong, in Swedish.
    """

    row: int | None
    column: str
    value: str
    message: str

    def describe(self) -> str:
        """One Swedish line: ``Rad 4, kolumn "Kön", värdet "x": ...``."""
        parts = []
        if self.row is not None:
            parts.append(f"Rad {self.row}")
        if self.column:
            parts.append(f'kolumn "{self.column}"')
        if self.value:
            parts.append(f'värdet "{self.value}"')
        where = ", ".join(parts)
        return f"{where}: {self.message}" if where else self.message


def shown_value(text: object, limit: int = 40) -> str:
    """A cell's text as it may appear in a message: shortened, personal numbers hidden."""
    value = "" if text is None else str(text).strip()
    if _PERSONAL_SHAPE.search(value):
        return "(dolt)"
    return value if len(value) <= limit else value[: limit - 1] + "…"


class LocalDataError(SoddError):
    """A file (or table) of the kommun's own data has problems; nothing was stored.

    Attributes
    ----------
    problems
        Every problem found, in file order.
    """

    def __init__(self, problems: Sequence[Problem], *, filename: str = "") -> None:
        self.problems = tuple(problems)
        self.filename = filename
        where = f"Filen {filename}" if filename else "Tabellen"
        lines = [f"{where} har {len(self.problems)} fel och sparades inte:"]
        lines += [f"• {problem.describe()}" for problem in self.problems[:_SHOWN]]
        if len(self.problems) > _SHOWN:
            lines.append(f"… och {len(self.problems) - _SHOWN} fel till.")
        super().__init__("\n".join(lines))


class PersonalDataError(SoddError):
    """A file looks person-level and was refused; its content was not kept.

    Attributes
    ----------
    reasons
        Why, one Swedish sentence each (never quoting a personal number or a name).
    """

    def __init__(self, reasons: Sequence[str], *, filename: str = "") -> None:
        self.reasons = tuple(reasons)
        self.filename = filename
        where = f"Filen {filename}" if filename else "Tabellen"
        lines = [
            f"{where} ser ut att innehålla uppgifter om enskilda personer och togs inte "
            "emot. Innehållet har inte sparats någonstans.",
            *[f"• {reason}" for reason in self.reasons],
            "Skicka i stället summerade antal: en rad per område, år och grupp (till "
            "exempel situation, kön, åldersgrupp och barn) med antalet personer i gruppen "
            "– utan namn, personnummer, födelsedatum eller anteckningar. Använd gärna "
            "mallen på sidan.",
        ]
        super().__init__("\n".join(lines))
