"""The catalog's immutable dataclasses; load them with :func:`sodd.indicators.catalog.load_catalog`.

Kept apart from the loader so the validating parser can build these objects
without an import cycle; import the names from :mod:`sodd.indicators.catalog`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Final

from sodd.errors import CatalogError

KINDS: Final = ("share", "rate", "count", "published")
UNITS: Final = (
    "procent", "personer", "hushåll", "tkr", "per_10000", "per_100000", "per_1000_hyresratter",
    "antal", "klass", "läge",
)  # fmt: skip
DIRECTIONS: Final = ("need_if_high", "need_if_low", "neutral")
SCHEMA_VERSION: Final = 1

_LANGUAGES: Final = ("sv", "en")


class FrozenDims(Mapping[str, tuple[str, ...]]):
    """Immutable, hashable mapping of dimension code to the selected value codes.

    Keys are kept sorted so two selections naming the same dimensions in a
    different order compare (and hash) equal; the codes keep catalog order.
    """

    __slots__ = ("_items",)

    def __init__(
        self, items: Mapping[str, Iterable[str]] | Iterable[tuple[str, Iterable[str]]] = ()
    ) -> None:
        pairs = items.items() if isinstance(items, Mapping) else items
        self._items: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
            sorted((str(k), (v,) if isinstance(v, str) else tuple(v)) for k, v in pairs)
        )

    def __getitem__(self, key: str) -> tuple[str, ...]:
        for name, codes in self._items:
            if name == key:
                return codes
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenDims):
            return self._items == other._items
        if isinstance(other, Mapping):
            return dict(self._items) == {k: tuple(v) for k, v in other.items()}
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenDims({dict(self._items)!r})"


@dataclass(frozen=True)
class Selection:
    """A set of observation cells that are summed: one table, one variable, some codes.

    ``dims`` maps every non-region, non-period dimension of the table to the
    codes to include; a plain dict is accepted and frozen on construction.
    """

    provider: str
    table_id: str
    variable: str
    dims: Mapping[str, tuple[str, ...]]

    def __post_init__(self) -> None:
        if not isinstance(self.dims, FrozenDims):
            # Frozen dataclass: the documented way to normalise a field.
            object.__setattr__(self, "dims", FrozenDims(self.dims))

    def dims_key(self) -> tuple[tuple[str, frozenset[str]], ...]:
        """Return the dimensions as sorted ``(name, codes)`` pairs, order of codes ignored.

        Returns
        -------
        tuple of (str, frozenset of str)
            Equal for two selections that match exactly the same cells of a table.
        """
        return tuple(sorted((name, frozenset(codes)) for name, codes in self.dims.items()))

    @property
    def cell_count(self) -> int:
        """Number of cells the selection sums (the product of the code list lengths)."""
        return math.prod(len(codes) for codes in self.dims.values())

    @property
    def source_label(self) -> str:
        """``provider:table_id``, as used in provenance."""
        return f"{self.provider}:{self.table_id}"


@dataclass(frozen=True)
class SourceSpec:
    """One table an indicator can be computed from, with its selections."""

    provider: str
    table_id: str
    numerator: Selection | None
    denominator: Selection | None
    value: Selection | None
    weight: Selection | None

    def selections(self) -> tuple[Selection, ...]:
        """Return the selections that are set, in the order numerator, denominator, value, weight.

        Returns
        -------
        tuple of Selection
        """
        parts = (self.numerator, self.denominator, self.value, self.weight)
        return tuple(sel for sel in parts if sel is not None)

    @property
    def provenance(self) -> str:
        """Distinct ``provider:table_id`` pairs, e.g. ``kronofogden:avhysningar; scb:TAB6574``."""
        # Only what the selections use: a selection may override the source's table.
        return "; ".join(dict.fromkeys(sel.source_label for sel in self.selections()))


def _pick(lang: str, sv: str, en: str) -> str:
    if lang not in _LANGUAGES:
        raise ValueError(f"okänt språk {lang!r} (tillåtna: {', '.join(_LANGUAGES)})")
    return sv if lang == "sv" else en


@dataclass(frozen=True)
class Theme:
    """A group of indicators shown together."""

    id: str
    name_sv: str
    name_en: str

    def name(self, lang: str) -> str:
        """Return the name in ``lang`` (``"sv"`` or ``"en"``).

        Parameters
        ----------
        lang
            Language code; anything else raises ``ValueError``.

        Returns
        -------
        str
        """
        return _pick(lang, self.name_sv, self.name_en)


@dataclass(frozen=True)
class Indicator:
    """One catalog entry: how to compute an indicator and how to present it."""

    id: str
    theme: str
    name_sv: str
    name_en: str
    description_sv: str
    description_en: str
    kind: str
    unit: str
    per: int | None
    direction: str
    lowest_level: str
    attribution: str
    disclosure_threshold: int
    decimals: int
    sources: tuple[SourceSpec, ...]

    def name(self, lang: str) -> str:
        """Return the name in ``lang`` (``"sv"`` or ``"en"``).

        Parameters
        ----------
        lang
            Language code; anything else raises ``ValueError``.

        Returns
        -------
        str
        """
        return _pick(lang, self.name_sv, self.name_en)

    def description(self, lang: str) -> str:
        """Return the description in ``lang`` (``"sv"`` or ``"en"``).

        Parameters
        ----------
        lang
            Language code; anything else raises ``ValueError``.

        Returns
        -------
        str
        """
        return _pick(lang, self.description_sv, self.description_en)

    @property
    def aggregatable(self) -> bool:
        """Whether values of several areas can be combined into one.

        Shares, rates and counts always can (sum numerators and denominators);
        a published figure such as a median only when every source names a
        ``weight`` to weight it by.
        """
        if self.kind != "published":
            return True
        return all(source.weight is not None for source in self.sources)


@dataclass(frozen=True)
class Catalog:
    """The validated catalog, in file order."""

    schema_version: int
    themes: tuple[Theme, ...]
    indicators: tuple[Indicator, ...]

    def get(self, indicator_id: str) -> Indicator:
        """Return the indicator with id ``indicator_id``.

        Parameters
        ----------
        indicator_id
            Catalog id such as ``"andel_65_plus"``.

        Returns
        -------
        Indicator

        Raises
        ------
        CatalogError
            If no indicator has that id.
        """
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise CatalogError(f'Indikatorn "{indicator_id}" finns inte i katalogen.')

    def by_theme(self) -> list[tuple[Theme, list[Indicator]]]:
        """Group the indicators by theme, themes and indicators in catalog order.

        Returns
        -------
        list of (Theme, list of Indicator)
            One entry per theme, also for a theme without indicators.
        """
        return [(t, [i for i in self.indicators if i.theme == t.id]) for t in self.themes]

    def selections(self) -> list[Selection]:
        """Return every distinct selection used by any indicator, in order of first use.

        Returns
        -------
        list of Selection
        """
        found = (sel for ind in self.indicators for src in ind.sources for sel in src.selections())
        return list(dict.fromkeys(found))
