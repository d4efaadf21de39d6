"""What the page "Bostadslöshet och avhysningar" shows, built from store frames (pure).

For one kommun: each kommun-level indicator over time beside its län and riket, with a
one-sentence summary; the BME market status per year; the homelessness mapping per
situation. No Streamlit here, so the numbers can be checked against the store.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import pandas as pd

from sodd.formatting import CATEGORY_LABELS_EN, CATEGORY_LABELS_SV, format_number
from sodd.indicators.catalog_model import Catalog, Indicator
from sodd.schema import RIKET_CODE

# Kommun-level indicators on the page, in this order; ids missing from the catalog are
# skipped so the page keeps working when the catalog changes.
PAGE_INDICATORS: Final = (
    "barn_berorda_avhysning",
    "avhysningar_verkstallda",
    "avhysningar_kolada",
    "avhysningar_ansokta",
    "hemloshet",
    "akut_hemloshet",
    "ekonomiskt_bistand_kommun",
    "langvarigt_bistand_kommun",
    # Relative to rental dwellings and per situation: added after the headline series.
    "barn_berorda_avhysning_per_10000",
    "avhysningar_verkstallda_per_hyresratt",
    "avhysningar_ansokta_per_hyresratt",
    "hemloshet_situation_2",
    "hemloshet_situation_3",
    "hemloshet_situation_4",
)
CHILD_INDICATORS: Final = frozenset(
    {
        "barn_berorda_avhysning",
        "barn_berorda_avhysning_per_10000",
        "avhysningar_barn_berorda_per_hyresratt",
    }
)
BME_WORDS: Final = {"sv": CATEGORY_LABELS_SV["läge"], "en": CATEGORY_LABELS_EN["läge"]}
SITUATIONS: Final = {
    "1": (
        "Akut hemlöshet",
        "Personen sover utomhus, i trappuppgångar eller liknande, på härbärge, i akut "
        "eller tillfälligt boende eller i skyddat boende.",
        "Acute homelessness",
        "Sleeping rough, in shelters, or in emergency, temporary or protected housing.",
    ),
    "2": (
        "Institution eller stödboende",
        "Personen bor på en institution eller i ett stödboende och ska flytta inom tre "
        "månader, men har ingen egen bostad att flytta till.",
        "Institution or supported housing",
        "Living in an institution or supported housing, due to move out within three "
        "months, with no home of their own to move to.",
    ),
    "3": (
        "Långsiktiga boendelösningar",
        "Personen bor i en bostad som socialtjänsten ordnat, till exempel socialt kontrakt, "
        "träningslägenhet eller försökslägenhet, med villkor som inte gäller vanliga "
        "hyresgäster.",
        "Long-term housing arranged by social services",
        "Living in housing arranged by social services (social contract, training or "
        "trial flat) on terms that do not apply to ordinary tenants.",
    ),
    "4": (
        "Eget ordnat kortsiktigt boende",
        "Personen bor tillfälligt och utan kontrakt hos vänner, bekanta eller släktingar, "
        "eller hyr kortare än tre månader i andra hand, och har kontaktat socialtjänsten.",
        "Own short-term arrangement",
        "Staying temporarily without a contract with friends or family, or subletting for "
        "less than three months, and in contact with social services.",
    ),
}


@dataclass(frozen=True)
class SeriesView:
    """One indicator for a kommun, its län and riket, ready for a chart and a table."""

    indicator: Indicator
    table: pd.DataFrame  # index: period; one column per area (kommun, län, riket)
    summary: str


def page_indicators(catalog: Catalog) -> list[Indicator]:
    """The catalog's indicators shown on the page, in page order."""
    known = {indicator.id: indicator for indicator in catalog.indicators}
    return [known[i] for i in PAGE_INDICATORS if i in known]


def build_series(
    values: pd.DataFrame,
    indicator: Indicator,
    areas: dict[str, str],
    lang: str,
) -> SeriesView | None:
    """Pivot one indicator's values for the given areas and write its summary sentence.

    Parameters
    ----------
    values
        Indicator values (any areas, periods and indicators).
    indicator
        The indicator.
    areas
        Region code → display name, kommun first, then län, then riket.
    lang
        ``"sv"`` or ``"en"``.

    Returns
    -------
    SeriesView or None
        ``None`` when the kommun has no value of the indicator at all.
    """
    rows = values.loc[
        (values["indicator_id"] == indicator.id) & values["region_code"].isin(list(areas))
    ]
    kommun = next(iter(areas))
    if rows.loc[rows["region_code"] == kommun].empty:
        return None
    table = rows.pivot_table(
        index="period", columns="region_code", values="value", aggfunc="first", dropna=False
    )
    table = table.reindex(columns=[code for code in areas if code in table.columns])
    table = table.rename(columns=areas).sort_index()
    table.columns.name = None
    return SeriesView(indicator, table, summarise(table, indicator, areas, lang))


def summarise(table: pd.DataFrame, indicator: Indicator, areas: dict[str, str], lang: str) -> str:
    """One sentence: the kommun's latest value, compared with riket where that makes sense."""
    names = list(areas.values())
    kommun = names[0]
    latest = table[kommun].dropna()
    if latest.empty:
        return (
            f"{kommun} har inget redovisat värde."
            if lang == "sv"
            else f"{kommun} has no published value."
        )
    year, value = str(latest.index[-1]), float(latest.iloc[-1])
    # Only a percentage needs its unit in the sentence; rates and counts say it in the name.
    percent = "\u00a0%" if indicator.unit == "procent" else ""
    shown = format_number(value, indicator.decimals, lang) + percent
    name = indicator.name(lang)
    name = name[0].lower() + name[1:]
    riket_name = areas.get(RIKET_CODE)
    riket = _at(table, riket_name, year)
    if lang == "en":
        sentence = f"In {year}, {kommun} had {shown} ({name})"
    else:
        sentence = f"{kommun} hade {year} {shown} {name}"
    if riket is None or riket_name is None:
        return sentence + "."
    riket_shown = format_number(riket, indicator.decimals, lang) + percent
    if indicator.kind == "count":
        # Counts of a kommun and of the whole country cannot be compared as levels.
        return sentence + (
            f" (riket: {riket_shown})." if lang == "sv" else f" (Sweden: {riket_shown})."
        )
    compared = _compare(round(value, indicator.decimals), round(riket, indicator.decimals), lang)
    riket_word = "riket" if lang == "sv" else "Sweden"
    return f"{sentence}, {compared} {riket_word} ({riket_shown})."


def _at(table: pd.DataFrame, column: str | None, year: str) -> float | None:
    if column is None or column not in table.columns or year not in table.index:
        return None
    value = pd.to_numeric(table[column], errors="coerce").get(year)
    return None if value is None or math.isnan(value) else float(value)


def _compare(value: float, other: float, lang: str) -> str:
    if value < other:
        return "lägre än" if lang == "sv" else "lower than"
    if value > other:
        return "högre än" if lang == "sv" else "higher than"
    return "samma som" if lang == "sv" else "the same as"


def bme_timeline(observations: pd.DataFrame, kommun: str, lang: str) -> pd.DataFrame:
    """The kommun's BME market status per year: columns ``period``, ``value``, ``label``."""
    rows = observations.loc[
        (observations["provider"] == "boverket")
        & (observations["table_id"] == "bme")
        & (observations["region_code"] == kommun)
    ].sort_values("period")
    words = BME_WORDS["en" if lang == "en" else "sv"]
    labels = [
        words.get(float(v), "..") if not pd.isna(v) else (s or "..")
        for v, s in zip(rows["value"], rows["status"], strict=True)
    ]
    return pd.DataFrame(
        {"period": rows["period"].tolist(), "value": rows["value"].tolist(), "label": labels}
    )


def homelessness_by_situation(observations: pd.DataFrame, kommun: str) -> pd.DataFrame:
    """Persons per situation (1–4) and year for the kommun: index period, columns 1–4."""
    rows = observations.loc[
        (observations["provider"] == "socialstyrelsen")
        & (observations["table_id"] == "hemloshetskartlaggning")
        & (observations["region_code"] == kommun)
        & (observations["variable"] == "personer")
    ]
    situation = rows["dims"].str.extract(r'"situation": "(\d)"')[0]
    table = rows.assign(situation=situation).pivot_table(
        index="period", columns="situation", values="value", aggfunc="first", dropna=False
    )
    table.columns.name = None
    return table.reindex(columns=[c for c in SITUATIONS if c in table.columns]).sort_index()


def latest_situations(
    observations: pd.DataFrame, kommun: str
) -> tuple[str, dict[str, float | None]] | None:
    """The latest mapping year and persons per situation (``None`` where not published)."""
    table = homelessness_by_situation(observations, kommun)
    if table.empty:
        return None
    year = str(table.index[-1])
    counts: dict[str, float | None] = {}
    for number in SITUATIONS:
        value = _at(table, number, year) if number in table.columns else None
        counts[number] = value
    return year, counts
