"""Numbers and dates the Swedish way: space as thousands separator, decimal comma.

English output keeps the same digits with a comma separator and a decimal point, so a
figure reads the same in both languages.
"""

from __future__ import annotations

import math
from datetime import datetime

from sodd.schema import (
    STATUS_LABELS_EN,
    STATUS_LABELS_SV,
    STATUS_NOT_AGGREGATABLE,
    is_small_count_status,
)

# A no-break space keeps "12 345" on one line in tables and tooltips.
THOUSANDS_SEP_SV = "\u00a0"

UNIT_SUFFIX_SV = {
    "procent": "\u00a0%",
    "personer": "",
    "hushåll": "",
    "antal": "",
    "tkr": "\u00a0tkr",
    "per_10000": "\u00a0per 10\u00a0000 inv.",
    "per_100000": "\u00a0per 100\u00a0000 inv.",
    "per_1000_hyresratter": "\u00a0per 1\u00a0000 hyresrätter",
    "klass": "",
    "läge": "",
}
UNIT_SUFFIX_EN = {
    "procent": "\u00a0%",
    "personer": "",
    "hushåll": "",
    "antal": "",
    "tkr": "\u00a0SEK k",
    "per_10000": "\u00a0per 10,000 inh.",
    "per_100000": "\u00a0per 100,000 inh.",
    "per_1000_hyresratter": "\u00a0per 1,000 rental dwellings",
    "klass": "",
    "läge": "",
}
UNIT_NAMES_SV = {
    "procent": "procent",
    "personer": "personer",
    "hushåll": "hushåll",
    "antal": "antal",
    "tkr": "tusen kronor",
    "per_10000": "per 10 000 invånare",
    "per_100000": "per 100 000 invånare",
    "per_1000_hyresratter": "per 1 000 hyresrätter",
    "klass": "klass 1–5",
    "läge": "marknadsläge (underskott, balans, överskott)",
}
UNIT_NAMES_EN = {
    "procent": "per cent",
    "personer": "persons",
    "hushåll": "households",
    "antal": "number",
    "tkr": "SEK thousands",
    "per_10000": "per 10,000 inhabitants",
    "per_100000": "per 100,000 inhabitants",
    "per_1000_hyresratter": "per 1,000 rental dwellings",
    "klass": "class 1–5",
    "läge": "market status (shortage, balance, surplus)",
}
# A categorical unit: Boverket's BME codes the kommun's judgement as -1, 0 or 1, and
# a figure like "−1" would mean nothing to a reader, so the word is shown instead.
CATEGORY_LABELS_SV = {"läge": {-1.0: "underskott", 0.0: "balans", 1.0: "överskott"}}
CATEGORY_LABELS_EN = {"läge": {-1.0: "shortage", 0.0: "balance", 1.0: "surplus"}}


def format_number(value: float | None, decimals: int = 0, lang: str = "sv") -> str:
    """Format a number with grouped thousands and a fixed number of decimals.

    Parameters
    ----------
    value
        The number; ``None`` or NaN gives an empty string.
    decimals
        Digits after the decimal sign.
    lang
        ``"sv"`` (``12 345,6``) or ``"en"`` (``12,345.6``).

    Returns
    -------
    str
        The formatted number.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{value:,.{decimals}f}"
    if text in {"-0", "-0." + "0" * decimals}:
        text = text[1:]
    if lang == "en":
        return text
    # Swap separators via a placeholder so "," and "." do not collide.
    text = text.replace(",", "\x00").replace(".", ",").replace("\x00", THOUSANDS_SEP_SV)
    # U+2212 is the typographic minus Swedish style guides ask for.
    return text.replace("-", "\u2212")


def format_value(
    value: float | None,
    *,
    unit: str,
    decimals: int,
    status: str | None = None,
    lang: str = "sv",
    with_unit: bool = True,
) -> str:
    """Format an indicator value with its unit, or the status text when it is withheld.

    Parameters
    ----------
    value
        The value; ignored when ``status`` is set or the value is missing.
    unit
        Catalog unit (``procent``, ``tkr``, ...); a categorical unit (``läge``) shows
        the category's word instead of the number.
    decimals
        Digits after the decimal sign.
    status
        Status code (``..``, ``.``, ``few``) when the value is not shown.
    lang
        ``"sv"`` or ``"en"``.
    with_unit
        Append the unit suffix.

    Returns
    -------
    str
        E.g. ``"12,3 %"`` or ``".. (uppgift saknas/skyddad)"``.
    """
    if status or value is None or (isinstance(value, float) and math.isnan(value)):
        return format_status(status, lang)
    category = category_label(value, unit, lang)
    if category is not None:
        return category
    suffixes = UNIT_SUFFIX_SV if lang == "sv" else UNIT_SUFFIX_EN
    number = format_number(value, decimals, lang)
    return number + suffixes.get(unit, "") if with_unit else number


def format_status(status: str | None, lang: str = "sv") -> str:
    """Describe why a value is not shown, keeping SCB's own symbol visible.

    Parameters
    ----------
    status
        Status code, or ``None`` for a value that is simply missing.
    lang
        ``"sv"`` or ``"en"``.

    Returns
    -------
    str
        For example ``".. (uppgift saknas/skyddad)"``.
    """
    labels = STATUS_LABELS_SV if lang == "sv" else STATUS_LABELS_EN
    if status is None or status == "":
        return ".. (" + labels[".."] + ")"
    if is_small_count_status(status):
        minimum = status[1:]
        return status + (
            f" (färre än {minimum}, skyddat)"
            if lang == "sv"
            else f" (fewer than {minimum}, protected)"
        )
    label = labels.get(status)
    if label is None:
        return status
    if status == STATUS_NOT_AGGREGATABLE:
        # sodd's own status has no symbol: the reason is the whole message.
        return label
    symbol = "–" if status == "few" else status
    return f"{symbol} ({label})"


def is_categorical(unit: str) -> bool:
    """Whether values of ``unit`` are codes of categories (shown as words, never classed)."""
    return unit in CATEGORY_LABELS_SV


def category_label(value: float, unit: str, lang: str = "sv") -> str | None:
    """The word for a categorical value (BME ``-1`` → ``"underskott"``), else ``None``.

    Parameters
    ----------
    value
        The coded value.
    unit
        Catalog unit; only categorical units (:func:`is_categorical`) have words.
    lang
        ``"sv"`` or ``"en"``.

    Returns
    -------
    str or None
        ``None`` for a non-categorical unit or a code without a word.
    """
    labels = (CATEGORY_LABELS_SV if lang == "sv" else CATEGORY_LABELS_EN).get(unit)
    return None if labels is None else labels.get(float(value))


def unit_name(unit: str, lang: str = "sv") -> str:
    """Return the readable name of a catalog unit."""
    names = UNIT_NAMES_SV if lang == "sv" else UNIT_NAMES_EN
    return names.get(unit, unit)


def format_timestamp(iso: str, lang: str = "sv") -> str:
    """Format an ISO 8601 UTC timestamp as ``2026-11-30 12:00 UTC``."""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    return moment.strftime("%Y-%m-%d %H:%M") + " UTC"
