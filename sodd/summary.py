"""Plain-Swedish summary sentences generated from the values on a map or profile."""

from __future__ import annotations

import math

import pandas as pd

from sodd.formatting import CATEGORY_LABELS_EN, CATEGORY_LABELS_SV, format_value, is_categorical
from sodd.i18n import t
from sodd.indicators.catalog import Indicator
from sodd.schema import LEVEL_SHORT_EN, LEVEL_SHORT_SV


def summarise_map(
    joined: pd.DataFrame,
    indicator: Indicator,
    period: str,
    level: str,
    lang: str,
    *,
    reference_name: str | None = None,
    reference_value: float | None = None,
) -> str:
    """Describe the spread of one indicator over the areas of a map in one or two sentences.

    Parameters
    ----------
    joined
        Areas with ``name``, ``value`` and ``status`` columns.
    indicator
        The indicator shown.
    period
        The year shown.
    level
        The level of the areas.
    lang
        ``"sv"`` or ``"en"``.
    reference_name, reference_value
        The surrounding area (kommun, län or riket) and its value, when known.

    Returns
    -------
    str
        The summary; names come from the data and are not escaped (render as text).
    """
    shown = joined.loc[joined["value"].notna() & ~joined["status"].fillna("").astype(bool)]
    level_name = (LEVEL_SHORT_SV if lang == "sv" else LEVEL_SHORT_EN)[level]
    name = indicator.name(lang)
    sentences = []
    if shown.empty:
        sentences.append(t("no_values", lang, indicator=name, level=level_name, year=period))
    elif is_categorical(indicator.unit):
        sentences.append(_count_categories(shown["value"], indicator, period, level_name, lang))
    else:
        ordered = shown.sort_values(["value", "name"])
        low, high = ordered.iloc[0], ordered.iloc[-1]

        def fmt(value: float) -> str:
            return format_value(value, unit=indicator.unit, decimals=indicator.decimals, lang=lang)

        sentences.append(
            t(
                "summary_range",
                lang,
                indicator=name,
                year=period,
                low_name=low["name"],
                low=fmt(float(low["value"])),
                high_name=high["name"],
                high=fmt(float(high["value"])),
                count=len(shown),
                level=level_name,
            )
        )
        if reference_name and reference_value is not None and not math.isnan(reference_value):
            sentences.append(
                t("summary_reference", lang, name=reference_name, value=fmt(reference_value))
            )
    missing = len(joined) - len(shown)
    if missing == 1 and not shown.empty:
        sentences.append(t("summary_missing_one", lang))
    elif missing > 1 and not shown.empty:
        sentences.append(t("summary_missing", lang, count=missing))
    return " ".join(sentences)


def _count_categories(
    values: pd.Series, indicator: Indicator, period: str, level_name: str, lang: str
) -> str:
    """How many areas are in each category: a lowest and highest mean nothing for BME."""
    labels = (CATEGORY_LABELS_EN if lang == "en" else CATEGORY_LABELS_SV)[indicator.unit]
    numbers = values.to_numpy(dtype=float)
    listed = ", ".join(f"{word} {int((numbers == code).sum())}" for code, word in labels.items())
    if lang == "en":
        return f"{indicator.name(lang)} {period}, number of areas ({level_name}): {listed}."
    return f"{indicator.name(lang)} {period}, antal områden ({level_name}): {listed}."
