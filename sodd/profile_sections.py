"""Parts of an area profile built from its rows: flags, BKA section, gaps, sentences. Pure.

Kept apart from :mod:`sodd.profile` so each module stays small; the profile calls
these while it is built, and the exports call :func:`summary_sentences` and
:func:`describe_unknown` with the language they write in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from sodd.formatting import format_status, format_value
from sodd.indicators.catalog import Indicator
from sodd.schema import LEVEL_SHORT_EN, LEVEL_SHORT_SV, LEVELS

if TYPE_CHECKING:
    from sodd.profile import AreaProfile, Figure, ProfileRow

# The Barnperspektiv (BKA) section, in the order a child impact assessment reads it.
CHILD_INDICATORS: Final = (
    "barn_0_19",
    "andel_0_19",
    "barn_lag_ekonomisk_standard",
    "barnhushall",
    "ensamstaende_med_barn",
    "barn_berorda_avhysning",
)
# SCB perturbs population tables with the Cell Key Method from reference year 2025.
CKM_FIRST_YEAR: Final = 2025
# Below this numerator CKM's noise (a few units either way) is not small beside the count.
CKM_MIN_NUMERATOR: Final = 10

FLAG_RULE: Final = {
    "sv": "Skillnaden är markerad när andelen i området skiljer sig från kommunens (för en "
    "kommun: länets) med mer än två standardfel, 2 × √(p(1 − p)/n), där p är kommunens "
    "andel och n områdets bas, och – för år 2025 och senare, då SCB slumpar små tal – "
    "täljaren är större än 10. Värden utan känd bas (t.ex. medianer) markeras aldrig.",
    "en": "A difference is marked when the area's share differs from the municipality's "
    "(for a municipality: the county's) by more than two standard errors, "
    "2 × √(p(1 − p)/n), with p the municipality's share and n the area's base, and – for "
    "2025 onwards, when SCB perturbs small counts – the numerator is above 10. Values "
    "without a known base (such as medians) are never marked.",
}
FLAG_WORDS: Final = {
    "sv": {"higher": "högre", "lower": "lägre"},
    "en": {"higher": "higher", "lower": "lower"},
}
_PLACE: Final = {
    "sv": {"deso": "i området", "regso": "i området", "kommun": "i kommunen", "lan": "i länet"},
    "en": {
        "deso": "in the area",
        "regso": "in the area",
        "kommun": "in the municipality",
        "lan": "in the county",
    },
}
_COMPARATOR_PLACE: Final = {
    "sv": {"kommun": "i kommunen", "lan": "i länet", "riket": "i riket"},
    "en": {"kommun": "in the municipality", "lan": "in the county", "riket": "in Sweden"},
}


@dataclass(frozen=True)
class Unknown:
    """An indicator the profile cannot show for the area, and why.

    Attributes
    ----------
    indicator
        The catalog entry.
    reason
        ``"missing"`` (no data at all), ``"suppressed"`` (withheld for the area) or
        ``"coarser"`` (published only for a larger area).
    status
        The status code of a withheld value (``..``, ``.``, ``few``).
    """

    indicator: Indicator
    reason: str
    status: str | None = None


def flag_rule_text(lang: str = "sv") -> str:
    """Return the sentences that explain when a difference or a change is marked."""
    # Imported here: sodd.profile_trends builds on this module's CKM constants.
    from sodd.profile_trends import change_rule_text

    return FLAG_RULE["en" if lang == "en" else "sv"] + " " + change_rule_text(lang)


def _share(figure: Figure) -> float | None:
    if figure.numerator is not None and figure.denominator:
        return figure.numerator / figure.denominator
    return None if figure.value is None else figure.value / 100.0


def difference_flag(
    indicator: Indicator, area: Figure | None, comparator: Figure | None
) -> str | None:
    """Mark a share that differs from its comparator by more than small counts explain.

    The rule: for a share with a known numerator ``k`` and denominator ``n`` in the
    area, ``p_area = k / n``; ``p`` is the comparator's share. The difference is
    marked when ``|p_area − p| > 2 × sqrt(p (1 − p) / n)`` (two binomial standard
    errors of a share of ``n`` drawn from a population with share ``p``) and, for
    reference years from 2025 (SCB's Cell Key Method adds noise of a few units to
    every count), the numerator is above 10. Counts, rates and published values
    without a denominator (medians, SCB's own shares) are never marked.

    Parameters
    ----------
    indicator
        The indicator; only ``kind == "share"`` can be marked.
    area, comparator
        The area's figure and its nearest comparator's (kommun, else län, else riket).

    Returns
    -------
    str or None
        ``"higher"``, ``"lower"`` or ``None`` (not marked).
    """
    if indicator.kind != "share" or area is None or comparator is None:
        return None
    if area.value is None or comparator.value is None:
        return None
    k, n = area.numerator, area.denominator
    reference = _share(comparator)
    if k is None or n is None or n <= 0 or reference is None:
        return None
    year = area.period[:4]
    if year.isdigit() and int(year) >= CKM_FIRST_YEAR and k <= CKM_MIN_NUMERATOR:
        return None
    p_area = k / n
    standard_error = math.sqrt(max(reference * (1.0 - reference), 0.0) / n)
    if abs(p_area - reference) <= 2.0 * standard_error:
        return None
    return "higher" if p_area > reference else "lower"


def children_rows(rows: tuple[ProfileRow, ...]) -> tuple[ProfileRow, ...]:
    """Return the rows of the Barnperspektiv (BKA) section, in :data:`CHILD_INDICATORS` order."""
    by_id = {row.indicator.id: row for row in rows}
    return tuple(by_id[i] for i in CHILD_INDICATORS if i in by_id)


def find_unknowns(rows: tuple[ProfileRow, ...], level: str) -> tuple[Unknown, ...]:
    """List what the profile cannot show for an area at ``level`` ("Det vet vi inte").

    Parameters
    ----------
    rows
        Every row of the profile.
    level
        The area's level.

    Returns
    -------
    tuple of Unknown
        Missing indicators, withheld values (with their status) and indicators only
        published for a larger area, in catalog order.
    """
    found = []
    for row in rows:
        ind = row.indicator
        # Not published at this level is the lasting reason, whether or not the store
        # holds the coarser figures yet.
        if LEVELS.index(level) < LEVELS.index(ind.lowest_level):
            found.append(Unknown(ind, "coarser"))
        elif row.period is None or row.area is None:
            found.append(Unknown(ind, "missing"))
        elif row.area.value is None:
            found.append(Unknown(ind, "suppressed", row.area.status or ".."))
    return tuple(found)


def describe_unknown(unknown: Unknown, lang: str = "sv") -> str:
    """Say in one sentence why an indicator is missing from the area's profile."""
    name = unknown.indicator.name(lang)
    if unknown.reason == "coarser":
        short = LEVEL_SHORT_EN if lang == "en" else LEVEL_SHORT_SV
        level = short[unknown.indicator.lowest_level]
        if lang == "en":
            return f"{name}: published only for {level} and larger areas."
        return f"{name}: publiceras bara för {level} och större områden."
    if unknown.reason == "suppressed":
        status = format_status(unknown.status, lang)
        if lang == "en":
            return f"{name}: not shown for the area – {status}."
        return f"{name}: visas inte för området – {status}."
    if lang == "en":
        return f"{name}: no data in the store for the area."
    return f"{name}: inga uppgifter i datalagret för området."


def _subject(indicator: Indicator, lang: str) -> str:
    name = indicator.name(lang)
    # "Andel med …" reads as a sentence subject in its definite form.
    if lang == "sv" and name.startswith("Andel "):
        return "Andelen " + name.removeprefix("Andel ")
    return name


def summary_sentences(profile: AreaProfile, lang: str = "sv") -> tuple[str, ...]:
    """Plain-language sentences comparing the area with its nearest comparator.

    One sentence per indicator with a value for the area, e.g. "Andelen med låg
    ekonomisk standard är 21,0 % i området, högre än i kommunen (14,0 %)."; a marked
    difference (:func:`difference_flag`) reads "tydligt högre". A last sentence counts
    what is unknown.

    Parameters
    ----------
    profile
        The profile.
    lang
        ``"sv"`` or ``"en"``.

    Returns
    -------
    tuple of str
    """
    lang = "en" if lang == "en" else "sv"
    here = _PLACE[lang].get(profile.level, _PLACE[lang]["deso"])
    sentences = []
    for row in profile.rows():
        ind, area = row.indicator, row.area
        if area is None or area.value is None:
            continue
        text = f"{_subject(ind, lang)} {'is' if lang == 'en' else 'är'} " + format_value(
            area.value, unit=ind.unit, decimals=ind.decimals, lang=lang
        )
        text += f" {here}"
        nearest = next(
            (
                (lvl, row.comparators[lvl])
                for lvl in _COMPARATOR_PLACE[lang]
                if lvl in row.comparators
            ),
            None,
        )
        if ind.kind != "count" and nearest is not None and nearest[1].value is not None:
            level, reference = nearest[0], nearest[1].value
            ours = format_value(area.value, unit=ind.unit, decimals=ind.decimals, lang=lang)
            theirs = format_value(reference, unit=ind.unit, decimals=ind.decimals, lang=lang)
            if ours == theirs:
                word = "the same as" if lang == "en" else "samma som"
            else:
                word = FLAG_WORDS[lang]["higher" if area.value > reference else "lower"]
                word += " than" if lang == "en" else " än"
                if row.flag is not None:
                    word = ("clearly " if lang == "en" else "tydligt ") + word
            text += f", {word} {_COMPARATOR_PLACE[lang][level]} ({theirs})"
        sentences.append(text + ".")
    if profile.unknowns:
        count = len(profile.unknowns)
        if lang == "en":
            sentences.append(
                f"For {count} indicators the area has no figure (see What we do not know)."
            )
        else:
            sentences.append(
                f"För {count} indikatorer finns ingen uppgift för området (se Det vet vi inte)."
            )
    return tuple(sentences)
