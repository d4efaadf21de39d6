"""Indicators: the catalog (what to compute) and the pure computation from observations.

Typical use::

    from sodd.indicators import compute_indicator_values, load_catalog

    values = compute_indicator_values(observations, load_catalog())
"""

from sodd.indicators.catalog import (
    DEFAULT_CATALOG_PATH,
    DIRECTIONS,
    KINDS,
    UNITS,
    Catalog,
    Indicator,
    Selection,
    SourceSpec,
    Theme,
    load_catalog,
    parse_catalog,
)
from sodd.indicators.compute import compute_indicator_values

__all__ = [
    "DEFAULT_CATALOG_PATH",
    "DIRECTIONS",
    "KINDS",
    "UNITS",
    "Catalog",
    "Indicator",
    "Selection",
    "SourceSpec",
    "Theme",
    "compute_indicator_values",
    "load_catalog",
    "parse_catalog",
]
