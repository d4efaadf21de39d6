"""Which regions an SCB refresh covers: the scope (kommun, län, riket) and its region codes.

Pure; used by :mod:`sodd.sources.scb` to build a table's Region selection.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from sodd.errors import SourceError
from sodd.schema import RIKET_CODE
from sodd.sources.scb_codes import classify_region_code

DISTRICT_LEVELS: Final = ("deso", "regso")
SCOPE_KINDS: Final = ("kommun", "lan", "riket")
_SCOPE_CODE: Final = {"kommun": re.compile(r"^\d{4}$"), "lan": re.compile(r"^\d{2}$")}


@dataclass(frozen=True)
class Scope:
    """The part of Sweden a refresh covers.

    Attributes
    ----------
    kind
        ``"kommun"``, ``"lan"`` or ``"riket"``.
    code
        Kommun code (4 digits) or län code (2 digits); ``None`` for riket.
    """

    kind: str
    code: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in SCOPE_KINDS:
            raise ValueError(
                f"Okänt område för uppdateringen: {self.kind!r} (välj {', '.join(SCOPE_KINDS)})."
            )
        pattern = _SCOPE_CODE.get(self.kind)
        if pattern is None:
            if self.code not in (None, RIKET_CODE):
                raise ValueError(f"Riket har ingen egen kod att ange, men fick {self.code!r}.")
            object.__setattr__(self, "code", None)
        elif not isinstance(self.code, str) or not pattern.fullmatch(self.code):
            digits = 4 if self.kind == "kommun" else 2
            raise ValueError(
                f"Ogiltig {'kommunkod' if self.kind == 'kommun' else 'länskod'} {self.code!r}: "
                f"ange {digits} siffror, till exempel {'1780' if digits == 4 else '17'}."
            )

    def as_json(self) -> dict[str, str | None]:
        """Return ``{"kind": ..., "code": ...}`` for the manifest."""
        return {"kind": self.kind, "code": self.code}

    def label_sv(self) -> str:
        """Swedish description, e.g. ``"kommun 1780"``, ``"län 17"`` or ``"riket"``."""
        if self.kind == "riket":
            return "riket"
        return f"{'kommun' if self.kind == 'kommun' else 'län'} {self.code}"

    def contains(self, plain_code: str, level: str) -> bool:
        """Whether a region (plain code and level) lies in the scope at or below kommun level."""
        if level == "riket":
            return self.kind == "riket"
        if level == "lan":
            return self.kind == "riket" or (self.kind == "lan" and plain_code == self.code)
        return self.code is None or plain_code.startswith(self.code)

    def comparators(self) -> frozenset[tuple[str, str]]:
        """The (plain code, level) pairs always fetched beside the districts: kommun, län, riket."""
        found = {(RIKET_CODE, "riket")}
        if self.kind == "kommun" and self.code is not None:
            found |= {(self.code, "kommun"), (self.code[:2], "lan")}
        elif self.kind == "lan" and self.code is not None:
            found.add((self.code, "lan"))
        return frozenset(found)


def select_region_codes(
    values: Iterable[str], scope: Scope, levels: Sequence[str]
) -> tuple[str, ...]:
    """Pick the region value codes to query for a scope and district levels.

    Parameters
    ----------
    values
        The table's Region value codes, as in its metadata (2025 codes suffixed).
    scope
        The part of Sweden.
    levels
        District levels to include (``"deso"``, ``"regso"``). The scope's kommun,
        län and riket are always included where the table has them (comparators);
        a län or riket scope also includes every kommun in it.

    Returns
    -------
    tuple of str
        The chosen codes in metadata order, both vintages of each district.
    """
    comparators = scope.comparators()
    chosen = []
    for code in values:
        try:
            plain, level, _vintage = classify_region_code(code)
        except SourceError:
            continue  # a code sodd cannot place on a level (none in today's tables)
        if level in DISTRICT_LEVELS:
            keep = level in levels and scope.contains(plain, level)
        else:
            keep = scope.contains(plain, level)
        if keep or (plain, level) in comparators:
            chosen.append(code)
    return tuple(chosen)
