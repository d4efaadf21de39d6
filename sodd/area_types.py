"""SCB's områdestyp (RegSO area type 1–5, TAB6586) as a map filter. Pure pandas.

The five types classify each RegSO by how far its socio-economic index lies from the
national mean (SCB/Delmos, Segregationsbarometern). A DeSO has the type of the RegSO it
lies in: DeSO 2018 in RegSO 2020, DeSO 2025 in RegSO 2025.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import pandas as pd

from sodd.i18n import register, t

AREA_TYPE_INDICATOR: Final = "omradestyp"
AREA_TYPES: Final = (1, 2, 3, 4, 5)
# The RegSO vintage a DeSO vintage lies in (data-sources §1.2).
_REGSO_OF: Final = {"2018": "2020", "2025": "2025"}

# Wording as in SCB's table footnote (Statistikdatabasen, LE0105, 2025-01-31).
register(
    {
        "area_type_1": (
            "områden med stora socioekonomiska utmaningar",
            "areas with major socio-economic challenges",
        ),
        "area_type_2": (
            "områden med socioekonomiska utmaningar",
            "areas with socio-economic challenges",
        ),
        "area_type_3": ("socioekonomiskt blandade områden", "socio-economically mixed areas"),
        "area_type_4": (
            "områden med goda socioekonomiska förutsättningar",
            "areas with good socio-economic conditions",
        ),
        "area_type_5": (
            "områden med mycket goda socioekonomiska förutsättningar",
            "areas with very good socio-economic conditions",
        ),
        "area_type_filter": ("Visa bara områden av typ", "Show only areas of type"),
        "area_type_option": ("{number} – {text}", "{number} – {text}"),
        "area_type_help": (
            "SCB:s områdestyp för RegSO (socioekonomiskt index, senaste året). Områden av "
            "andra typer visas ljusgrå. En DeSO har typen för den RegSO den ligger i.",
            "Statistics Sweden's area type for RegSO (socio-economic index, latest year). "
            "Areas of other types are shown light grey. A DeSO has the type of its RegSO.",
        ),
        "area_type_definitions": (
            "Områdestyperna bygger på hur många standardavvikelser från indexets medelvärde "
            "en RegSO ligger. Typ 1 och 2 kallas tillsammans områden med socioekonomiska "
            "utmaningar. Källa: SCB och Delmos, socioekonomiskt index (LE0105).",
            "The area types are based on how many standard deviations from the index mean "
            "a RegSO lies. Types 1 and 2 together are called areas with socio-economic "
            "challenges. Source: Statistics Sweden and Delmos, socio-economic index.",
        ),
        "area_type_none": (
            "Datalagret har ingen områdestyp för de här områdena.",
            "The store has no area type for these areas.",
        ),
    }
)


def area_type_label(number: int, lang: str) -> str:
    """``"1 – områden med stora socioekonomiska utmaningar"``."""
    return t("area_type_option", lang, number=number, text=t(f"area_type_{number}", lang))


def latest_area_types(values: pd.DataFrame) -> pd.DataFrame:
    """The latest published area type of each RegSO.

    Parameters
    ----------
    values
        Indicator values of ``omradestyp`` at RegSO (the indicator_values contract).

    Returns
    -------
    pandas.DataFrame
        ``region_code``, ``geo_vintage``, ``period``, ``area_type`` (int), one row per
        RegSO and vintage; suppressed or missing years are skipped.
    """
    published = values.loc[values["value"].notna() & values["status"].isna()]
    published = published.assign(geo_vintage=published["geo_vintage"].fillna(""))
    latest = published.sort_values("period").drop_duplicates(
        ["region_code", "geo_vintage"], keep="last"
    )
    return pd.DataFrame(
        {
            "region_code": latest["region_code"].astype("str"),
            "geo_vintage": latest["geo_vintage"].astype("str"),
            "period": latest["period"].astype("str"),
            "area_type": latest["value"].round().astype(int),
        }
    ).reset_index(drop=True)


def codes_of_area_types(
    types: Iterable[int], area_types: pd.DataFrame, index: pd.DataFrame, level: str
) -> frozenset[str]:
    """Codes of the areas at ``level`` whose RegSO has one of ``types``.

    Parameters
    ----------
    types
        The area types to keep (1–5).
    area_types
        From :func:`latest_area_types`.
    index
        Regions without geometry (``region_code``, ``level``, ``geo_vintage``,
        ``parent_code``), used to find each DeSO's RegSO.
    level
        ``regso`` or ``deso``.

    Returns
    -------
    frozenset of str
        The codes to keep; a DeSO whose RegSO has no area type is not kept. A code
        present in two vintages is kept when it qualifies in either.
    """
    wanted = {int(number) for number in types}
    kept = area_types.loc[area_types["area_type"].isin(wanted)]
    kept_pairs = set(zip(kept["region_code"], kept["geo_vintage"], strict=True))
    if level == "regso":
        return frozenset(code for code, _ in kept_pairs)
    if level != "deso":
        raise ValueError(f"Områdestyp finns bara för RegSO och DeSO, inte för nivån {level!r}.")
    deso = index.loc[index["level"] == "deso"]
    vintages = deso["geo_vintage"].fillna("").astype("str")
    return frozenset(
        code
        for code, parent, vintage in zip(
            deso["region_code"], deso["parent_code"], vintages, strict=True
        )
        if (parent, _REGSO_OF.get(vintage, vintage)) in kept_pairs
    )


__all__ = [
    "AREA_TYPES",
    "AREA_TYPE_INDICATOR",
    "area_type_label",
    "codes_of_area_types",
    "latest_area_types",
]
