"""The indicator catalog: load ``catalog.toml`` and validate it strictly.

The format is described in the header comment of ``catalog.toml``. Loading is
strict: an unknown key, a wrong type or an unknown code raises
:class:`~sodd.errors.CatalogError` with a Swedish message naming the file, the
entry and the field, because a typo in a selection would otherwise silently
produce an empty or wrong indicator.

The dataclasses live in :mod:`sodd.indicators.catalog_model` and are
re-exported here; import them from this module.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from sodd.errors import CatalogError
from sodd.indicators._catalog_parse import ID_PATTERN, parse_document
from sodd.indicators.catalog_model import (
    DIRECTIONS,
    KINDS,
    SCHEMA_VERSION,
    UNITS,
    Catalog,
    FrozenDims,
    Indicator,
    Selection,
    SourceSpec,
    Theme,
)

__all__ = [
    "DEFAULT_CATALOG_PATH",
    "DIRECTIONS",
    "ID_PATTERN",
    "KINDS",
    "SCHEMA_VERSION",
    "UNITS",
    "Catalog",
    "FrozenDims",
    "Indicator",
    "Selection",
    "SourceSpec",
    "Theme",
    "load_catalog",
    "parse_catalog",
]

# The catalog ships inside the package (see [tool.setuptools.package-data]).
DEFAULT_CATALOG_PATH: Final = Path(__file__).with_name("catalog.toml")


def load_catalog(path: Path | None = None) -> Catalog:
    """Read and validate a catalog file.

    Parameters
    ----------
    path
        TOML file to read; ``None`` reads the packaged catalog (cached after
        the first call, so every caller shares one object).

    Returns
    -------
    Catalog

    Raises
    ------
    CatalogError
        If the file is missing, is not valid TOML (the message gives the line)
        or breaks a rule of the format.
    """
    if path is None:
        return _load_default()
    return _load_file(Path(path))


@functools.lru_cache(maxsize=1)
def _load_default() -> Catalog:
    return _load_file(DEFAULT_CATALOG_PATH)


def _load_file(path: Path) -> Catalog:
    origin = path.name
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise CatalogError(f"{origin}: katalogfilen finns inte ({path}).") from None
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{origin}: filen är inte UTF-8 (byte {exc.start}).") from None
    except OSError as exc:
        raise CatalogError(f"{origin}: katalogfilen kan inte läsas ({exc.strerror}).") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{origin}: {_describe_toml_error(str(exc))}") from None
    return parse_catalog(data, origin)


def _describe_toml_error(message: str) -> str:
    # Python 3.11's TOMLDecodeError has no lineno attribute; the position is at
    # the end of the message as "(at line 3, column 5)" or "(at end of document)".
    match = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if match:
        detail = message[: match.start()]
        return f"TOML-syntaxfel på rad {match[1]}, kolumn {match[2]}: {detail}."
    if message.endswith("(at end of document)"):
        detail = message.removesuffix("(at end of document)").strip()
        return f"TOML-syntaxfel i slutet av filen: {detail}."
    return f"TOML-syntaxfel: {message}."


def parse_catalog(data: Mapping[str, Any], origin: str) -> Catalog:
    """Validate parsed TOML data and build a :class:`Catalog`.

    Parameters
    ----------
    data
        The document as returned by ``tomllib``.
    origin
        Name of the file (or other origin) used in error messages.

    Returns
    -------
    Catalog

    Raises
    ------
    CatalogError
        On the first rule broken; the message names origin, entry and field.
    """
    return parse_document(data, origin)
