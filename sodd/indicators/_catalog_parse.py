"""Validation of a parsed catalog document; used by :func:`sodd.indicators.catalog.parse_catalog`.

Every check fails with a :class:`~sodd.errors.CatalogError` whose Swedish
message reads ``<file>: <entry>, fält "<field>": <what is wrong and what was
expected>``. Unknown keys are refused everywhere, because a misspelt optional
key (``wieght``) would otherwise be ignored without a word.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, NoReturn

from sodd.errors import CatalogError
from sodd.indicators.catalog_model import (
    DIRECTIONS,
    KINDS,
    SCHEMA_VERSION,
    UNITS,
    Catalog,
    Indicator,
    Selection,
    SourceSpec,
    Theme,
)
from sodd.schema import LEVELS

ID_PATTERN: Final = re.compile(r"^[a-z][a-z0-9_]*$")

_TOP_KEYS: Final = ("schema_version", "theme", "indicator")
_THEME_KEYS: Final = ("id", "name_sv", "name_en")
_INDICATOR_KEYS: Final = tuple(
    "id theme name_sv name_en description_sv description_en kind unit per direction"
    " lowest_level attribution disclosure_threshold decimals source".split()
)
_SOURCE_KEYS: Final = ("provider", "table_id", "numerator", "denominator", "value", "weight")
_SELECTION_KEYS: Final = ("provider", "table_id", "variable", "dims")
_ROLES: Final = ("numerator", "denominator", "value", "weight")
# Selections each kind needs, and the ones it may have besides.
_REQUIRED_ROLES: Final = {
    "share": ("numerator", "denominator"),
    "rate": ("numerator", "denominator"),
    "count": ("numerator",),
    "published": ("value",),
}
_OPTIONAL_ROLES: Final = {"published": ("weight",)}


def _describe(value: object) -> str:
    """Swedish name of a TOML value's type, followed by the value itself."""
    if isinstance(value, bool):
        kind = "sant/falskt"
    elif isinstance(value, int):
        kind = "heltal"
    elif isinstance(value, float):
        kind = "decimaltal"
    elif isinstance(value, str):
        return f'text "{value}"'
    elif isinstance(value, list):
        return "en lista"
    elif isinstance(value, Mapping):
        return "en tabell"
    elif isinstance(value, dt.date | dt.time):
        kind = "datum/tid"
    else:
        kind = type(value).__name__
    return f"{kind} {value!r}"


@dataclass(frozen=True)
class _Where:
    """Where in the file a check runs: the origin plus the entry, for messages."""

    origin: str
    entry: str = ""

    def fail(self, field: str, problem: str) -> NoReturn:
        where = f"{self.origin}: {self.entry}, " if self.entry else f"{self.origin}: "
        raise CatalogError(f'{where}fält "{field}": {problem}')

    def known_keys(
        self, table: Mapping[str, Any], allowed: Sequence[str], prefix: str = ""
    ) -> None:
        for key in table:
            if key not in allowed:
                self.fail(f"{prefix}{key}", f"okänt fält (tillåtna: {', '.join(allowed)})")

    def text(self, table: Mapping[str, Any], key: str, prefix: str = "") -> str:
        if key not in table:
            self.fail(f"{prefix}{key}", "saknas")
        value = table[key]
        if not isinstance(value, str):
            self.fail(f"{prefix}{key}", f"ska vara text, men är {_describe(value)}")
        if not value.strip():
            self.fail(f"{prefix}{key}", "får inte vara tom")
        return value

    def choice(self, table: Mapping[str, Any], key: str, allowed: Sequence[str]) -> str:
        value = self.text(table, key)
        if value not in allowed:
            self.fail(key, f'okänt värde "{value}" (tillåtna: {", ".join(allowed)})')
        return value

    def identifier(self, table: Mapping[str, Any]) -> str:
        value = self.text(table, "id")
        if not ID_PATTERN.match(value):
            self.fail(
                "id",
                f'ogiltigt id "{value}" (ska börja med en liten bokstav a–z och '
                "bara innehålla a–z, 0–9 och _)",
            )
        return value

    def integer(
        self, table: Mapping[str, Any], key: str, *, low: int, high: int | None = None
    ) -> int:
        if key not in table:
            self.fail(key, "saknas")
        value = table[key]
        # bool is a subclass of int in Python; `true` is not a number here.
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"ska vara ett heltal, men är {_describe(value)}")
        if value < low or (high is not None and value > high):
            wanted = f"mellan {low} och {high}" if high is not None else f"minst {low}"
            self.fail(key, f"ska vara {wanted}, men är {value}")
        return value

    def tables(self, data: Mapping[str, Any], key: str, header: str) -> list[Mapping[str, Any]]:
        if key not in data:
            self.fail(key, f"saknas (minst ett {header} krävs)")
        items = data[key]
        if not isinstance(items, list) or not items:
            self.fail(key, f"ska vara en eller flera {header}, men är {_describe(items)}")
        for pos, item in enumerate(items, start=1):
            if not isinstance(item, Mapping):
                self.fail(
                    key, f"post {pos} ska vara en tabell ({header}), men är {_describe(item)}"
                )
        return items


def _entry_name(label: str, table: Mapping[str, Any], pos: int) -> str:
    ident = table.get("id")
    if isinstance(ident, str) and ident.strip():
        return f'{label} "{ident}"'
    return f"{label} nr {pos}"


def parse_document(data: Mapping[str, Any], origin: str) -> Catalog:
    """Validate a parsed catalog document and build the :class:`Catalog`.

    Parameters
    ----------
    data
        The document as returned by ``tomllib``.
    origin
        File name used in error messages.

    Returns
    -------
    Catalog

    Raises
    ------
    CatalogError
        On the first rule broken.
    """
    top = _Where(origin)
    if not isinstance(data, Mapping):
        raise CatalogError(f"{origin}: katalogen ska vara en TOML-tabell.")
    top.known_keys(data, _TOP_KEYS)
    version = top.integer(data, "schema_version", low=1)
    if version != SCHEMA_VERSION:
        top.fail("schema_version", f"version {version} stöds inte (stöds: {SCHEMA_VERSION})")

    themes: list[Theme] = []
    for pos, raw in enumerate(top.tables(data, "theme", "[[theme]]"), start=1):
        where = _Where(origin, _entry_name("tema", raw, pos))
        where.known_keys(raw, _THEME_KEYS)
        theme_id = where.identifier(raw)
        if any(t.id == theme_id for t in themes):
            where.fail("id", f'temat "{theme_id}" finns redan')
        themes.append(Theme(theme_id, where.text(raw, "name_sv"), where.text(raw, "name_en")))

    theme_ids = tuple(t.id for t in themes)
    indicators: list[Indicator] = []
    for pos, raw in enumerate(top.tables(data, "indicator", "[[indicator]]"), start=1):
        where = _Where(origin, _entry_name("indikator", raw, pos))
        indicator = _parse_indicator(raw, where, theme_ids)
        for other_pos, other in enumerate(indicators, start=1):
            if other.id == indicator.id:
                where.fail("id", f'id:t "{indicator.id}" används redan av indikator nr {other_pos}')
        indicators.append(indicator)
    return Catalog(version, tuple(themes), tuple(indicators))


def _parse_indicator(
    raw: Mapping[str, Any], where: _Where, theme_ids: tuple[str, ...]
) -> Indicator:
    where.known_keys(raw, _INDICATOR_KEYS)
    ident = where.identifier(raw)
    theme = where.text(raw, "theme")
    if theme not in theme_ids:
        where.fail("theme", f'okänt tema "{theme}" (tillåtna: {", ".join(theme_ids)})')
    texts = {
        key: where.text(raw, key)
        for key in ("name_sv", "name_en", "description_sv", "description_en")
    }
    kind = where.choice(raw, "kind", KINDS)
    unit = where.choice(raw, "unit", UNITS)
    if kind == "share" and unit != "procent":
        # A share is 100 × numerator / denominator by definition.
        where.fail("unit", f'ska vara "procent" när kind = "share", men är "{unit}"')
    per: int | None = None
    if kind == "rate":
        if "per" not in raw:
            where.fail("per", 'saknas (krävs när kind = "rate", t.ex. per = 10000)')
        per = where.integer(raw, "per", low=1)
    elif "per" in raw:
        where.fail("per", f'får bara anges när kind = "rate" (kind är "{kind}")')
    direction = where.choice(raw, "direction", DIRECTIONS)
    lowest_level = where.choice(raw, "lowest_level", LEVELS)
    attribution = where.text(raw, "attribution")
    threshold = where.integer(raw, "disclosure_threshold", low=0)
    decimals = where.integer(raw, "decimals", low=0, high=3)
    sources = tuple(
        _parse_source(item, _Where(where.origin, f"{where.entry}, källa {pos}"), kind)
        for pos, item in enumerate(where.tables(raw, "source", "[[indicator.source]]"), start=1)
    )
    return Indicator(
        id=ident,
        theme=theme,
        name_sv=texts["name_sv"],
        name_en=texts["name_en"],
        description_sv=texts["description_sv"],
        description_en=texts["description_en"],
        kind=kind,
        unit=unit,
        per=per,
        direction=direction,
        lowest_level=lowest_level,
        attribution=attribution,
        disclosure_threshold=threshold,
        decimals=decimals,
        sources=sources,
    )


def _parse_source(raw: Mapping[str, Any], where: _Where, kind: str) -> SourceSpec:
    where.known_keys(raw, _SOURCE_KEYS)
    provider = where.text(raw, "provider")
    table_id = where.text(raw, "table_id")
    required = _REQUIRED_ROLES[kind]
    allowed = required + _OPTIONAL_ROLES.get(kind, ())
    parsed: dict[str, Selection | None] = {}
    for role in _ROLES:
        if role not in raw:
            if role in required:
                where.fail(role, f'saknas (krävs när kind = "{kind}")')
            parsed[role] = None
            continue
        if role not in allowed:
            where.fail(
                role, f'hör inte till kind = "{kind}" (tillåtna urval: {", ".join(allowed)})'
            )
        parsed[role] = _parse_selection(raw[role], where, role, provider, table_id)
    value = parsed["value"]
    if value is not None:
        # A published figure (a median, a published share) cannot be summed, so
        # its selection must point out exactly one cell.
        for name, codes in value.dims.items():
            if len(codes) != 1:
                where.fail(
                    f"value.dims.{name}",
                    f"ett publicerat värde kan inte summeras: en kod krävs (fick {len(codes)})",
                )
    return SourceSpec(provider, table_id, **parsed)


def _parse_selection(
    raw: object, where: _Where, role: str, provider: str, table_id: str
) -> Selection:
    if not isinstance(raw, Mapping):
        where.fail(role, f"ska vara en tabell {{ variable, dims }}, men är {_describe(raw)}")
    prefix = f"{role}."
    where.known_keys(raw, _SELECTION_KEYS, prefix)
    if "provider" in raw:
        provider = where.text(raw, "provider", prefix)
        if "table_id" not in raw:
            # The source's table id belongs to the source's provider.
            where.fail(f"{prefix}table_id", "saknas (krävs när urvalet anger en egen provider)")
    if "table_id" in raw:
        table_id = where.text(raw, "table_id", prefix)
    variable = where.text(raw, "variable", prefix)
    if "dims" not in raw:
        where.fail(f"{prefix}dims", "saknas (ange dims = {} om tabellen inte har fler dimensioner)")
    dims_raw = raw["dims"]
    if not isinstance(dims_raw, Mapping):
        where.fail(
            f"{prefix}dims", f"ska vara en tabell {{ Dim = [koder] }}, men är {_describe(dims_raw)}"
        )
    dims: dict[str, tuple[str, ...]] = {}
    for name, codes in dims_raw.items():
        field = f"{prefix}dims.{name}"
        if not name.strip():
            where.fail(field, "dimensionens namn får inte vara tomt")
        if not isinstance(codes, list) or not codes:
            where.fail(field, f"ska vara en lista med minst en kod, men är {_describe(codes)}")
        for code in codes:
            if not isinstance(code, str) or not code.strip():
                where.fail(
                    field, f"varje kod ska vara en icke-tom text, men en är {_describe(code)}"
                )
        if len(set(codes)) != len(codes):
            duplicates = sorted({c for c in codes if codes.count(c) > 1})
            where.fail(field, f'koden "{duplicates[0]}" står mer än en gång')
        dims[name] = tuple(codes)
    return Selection(provider, table_id, variable, dims)
