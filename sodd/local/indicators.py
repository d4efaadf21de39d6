"""The kommun's own data as catalog indicators, so maps, profiles and reports show them.

:func:`with_local_indicators` returns the catalog plus a theme "Kommunens egna uppgifter"
holding the mapping total and every own indicator in the store. The pages need not know
about local data: they show whatever the catalog and the stored indicator values hold.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Final

import pandas as pd

from sodd.indicators.catalog_model import Catalog, Indicator, Theme
from sodd.local.store import DATASETS, load_local
from sodd.local.templates import COUNT_UNITS
from sodd.local.values import MAPPING_ID
from sodd.schema import LEVELS
from sodd.store import Store

THEME: Final = Theme("egna_uppgifter", "Kommunens egna uppgifter", "The kommun's own data")


def _lowest_level(levels: pd.Series) -> str:
    present = {str(level) for level in levels.dropna()}
    return next((level for level in LEVELS if level in present), "kommun")


def _attribution(source: str, uploaded_at: str) -> str:
    return f"Källa: {source}, uppladdad {str(uploaded_at)[:10]}"


def _mapping_indicator(mapping: pd.DataFrame) -> Indicator:
    latest = mapping.sort_values("uploaded_at").iloc[-1]
    return Indicator(
        id=MAPPING_ID,
        theme=THEME.id,
        name_sv="Personer i hemlöshet enligt kommunens kartläggning",
        name_en="People experiencing homelessness, the kommun's own mapping",
        description_sv="Antal personer i Socialstyrelsens situationer 1–4 enligt kommunens "
        "egen kartläggning (summan av alla grupper, eller totalen där den finns).",
        description_en="Number of persons in the National Board of Health and Welfare's "
        "situations 1–4 according to the kommun's own mapping.",
        kind="count",
        unit="personer",
        per=None,
        direction="need_if_high",
        lowest_level=_lowest_level(mapping["level"]),
        attribution=_attribution(str(latest["source"]), str(latest["uploaded_at"])),
        disclosure_threshold=0,
        decimals=0,
        sources=(),
    )


def _own_indicator(rows: pd.DataFrame) -> Indicator:
    latest = rows.sort_values("uploaded_at").iloc[-1]
    unit = str(latest["unit"])
    return Indicator(
        id=str(latest["variable"]),
        theme=THEME.id,
        name_sv=str(latest["name"]),
        name_en=str(latest["name"]),  # the kommun writes one name; shown in both languages
        description_sv=str(latest["description"]),
        description_en=str(latest["description"]),
        kind="count" if unit in COUNT_UNITS else "published",
        unit=unit,
        per=None,
        direction="neutral",
        lowest_level=_lowest_level(rows["level"]),
        attribution=_attribution(str(latest["source"]), str(latest["uploaded_at"])),
        disclosure_threshold=0,
        decimals=0 if unit in COUNT_UNITS else 1,
        sources=(),
    )


def local_indicators(store: Store) -> list[Indicator]:
    """Indicators of the kommun's own data in the store (none when nothing is stored).

    Returns
    -------
    list of Indicator
        The mapping total (when a mapping is stored) and each own indicator, by name.
    """
    datasets = store.manifest().datasets
    found: list[Indicator] = []
    if DATASETS["kartlaggning"] in datasets:
        mapping = load_local(store, "kartlaggning")
        if not mapping.empty:
            found.append(_mapping_indicator(mapping))
    if DATASETS["indikator"] in datasets:
        own = load_local(store, "indikator")
        for _, rows in sorted(
            own.groupby("variable"), key=lambda item: str(item[1]["name"].iloc[-1])
        ):
            found.append(_own_indicator(rows))
    return found


def with_local_indicators(catalog: Catalog, store: Store) -> Catalog:
    """``catalog`` plus the theme "Kommunens egna uppgifter" and its indicators.

    Returns the catalog unchanged when the store holds no local data; an id the
    catalog already has is left out (the catalog wins).
    """
    extra = local_indicators(store)
    known = {indicator.id for indicator in catalog.indicators}
    extra = [indicator for indicator in extra if indicator.id not in known]
    if not extra:
        return catalog
    themes = catalog.themes if THEME in catalog.themes else (*catalog.themes, THEME)
    return replace(catalog, themes=themes, indicators=(*catalog.indicators, *extra))
