"""Change over time and the peer area of a profile: when two figures clearly differ. Pure.

:func:`sodd.profile_sections.difference_flag` compares an area with its kommun, whose
share is known almost exactly beside the area's. A peer area (another district, a
custom area) and the same area in an earlier year are as uncertain as the area itself,
so both are compared with a two-sample rule: the difference must exceed two standard
errors of a *difference*, with both bases in it, plus SCB's Cell Key Method noise for
reference years from 2025 (see :data:`CHANGE_RULE`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import pandas as pd

from sodd.indicators.catalog import Indicator
from sodd.profile_sections import CKM_FIRST_YEAR, CKM_MIN_NUMERATOR

if TYPE_CHECKING:
    from sodd.profile import Figure

# SCB shifts every published count from 2025 by a small random integer; a third party
# quotes at most ±3 (data-sources §10.1, unverified). Uniform on −3…3 has variance 4.
CKM_NOISE_VARIANCE: Final = 4.0

CHANGE_RULE: Final = {
    "sv": "Förändringen över tid jämför det första och det senaste året med värde för "
    "området. Den, och skillnaden mot ett valt jämförelseområde, markeras när skillnaden "
    "mellan två andelar är större än två standardfel av skillnaden, "
    "2 × √(p(1 − p)(1/n1 + 1/n2)), där p är de två värdenas sammanvägda andel och n1, n2 "
    "deras baser (för antal och kvoter Poissons motsvarighet). För år 2025 och senare "
    "läggs SCB:s slumpbrus till (upp till ±3 per tal) och täljaren måste vara större än "
    "10. Ett skyddat senaste år ger ingen förändring.",
    "en": "Change over time compares the first and the latest year with a value for the "
    "area. It, and the difference to a chosen peer area, is marked when the difference "
    "between two shares exceeds two standard errors of the difference, "
    "2 × √(p(1 − p)(1/n1 + 1/n2)), with p the pooled share of the two figures and n1, n2 "
    "their bases (Poisson's equivalent for counts and rates). For 2025 onwards SCB's "
    "random noise (up to ±3 per count) is added and the numerator must be above 10. A "
    "protected latest year gives no change.",
}
CHANGE_WORDS: Final = {
    "sv": {"up": "ökat", "down": "minskat", "none": "ingen säker förändring"},
    "en": {"up": "increased", "down": "decreased", "none": "no clear change"},
}
ARROWS: Final = {"up": "↑", "down": "↓"}


@dataclass(frozen=True)
class Change:
    """The change of an area's figure between its first and latest year.

    Attributes
    ----------
    start_period, end_period
        The first year with a published value and the latest year.
    start, end
        The values in those years.
    direction
        ``"up"``, ``"down"`` or ``None`` when the change is within what small counts and
        noise can produce.
    """

    start_period: str
    end_period: str
    start: float
    end: float
    direction: str | None


@dataclass(frozen=True)
class PeerArea:
    """The area a user picked to compare with (any level, any kommun, or a custom area)."""

    region_code: str
    level: str
    name: str
    geo_vintage: str | None = None

    @property
    def key(self) -> str:
        """``level:vintage:code``, the form the page's link and the CLI use."""
        return f"{self.level}:{self.geo_vintage or ''}:{self.region_code}"


def change_rule_text(lang: str = "sv") -> str:
    """Return the sentence that explains when a change or a peer difference is marked."""
    return CHANGE_RULE["en" if lang == "en" else "sv"]


def _is_ckm(period: str) -> bool:
    year = period[:4]
    return year.isdigit() and int(year) >= CKM_FIRST_YEAR


def _counts(indicator: Indicator, figure: Figure) -> tuple[float, float | None] | None:
    """``(k, n)``: the numerator and base (``None`` for a count), or None when unknown."""
    if figure.value is None:
        return None
    if indicator.kind == "count":
        return (figure.numerator if figure.numerator is not None else figure.value, None)
    if indicator.kind not in {"share", "rate"}:
        return None
    if figure.numerator is None or figure.denominator is None or figure.denominator <= 0:
        return None
    return (figure.numerator, figure.denominator)


def compare_figures(
    indicator: Indicator, first: Figure | None, second: Figure | None
) -> str | None:
    """Whether ``first`` clearly differs from ``second`` (two-sample rule, :data:`CHANGE_RULE`).

    Shares are compared as ``k/n`` with the pooled binomial variance
    ``p(1 − p)(1/n1 + 1/n2)``, rates with the pooled Poisson variance ``r(1/n1 + 1/n2)``
    and counts with ``k1 + k2``. Each figure from a Cell Key Method year adds
    :data:`CKM_NOISE_VARIANCE` on its count (on ``k`` and ``n`` of a share, scaled by
    ``1/n²``); such a figure with a numerator of 10 or less is never marked.

    Parameters
    ----------
    indicator
        The indicator (its ``kind`` decides the variance).
    first, second
        The two figures.

    Returns
    -------
    str or None
        ``"higher"``/``"lower"`` (``first`` against ``second``), ``"same"`` when the
        difference is within the noise, ``None`` when it cannot be judged (a withheld
        value, a published figure without its base).
    """
    if first is None or second is None:
        return None
    one, two = _counts(indicator, first), _counts(indicator, second)
    if one is None or two is None:
        return None
    (k1, n1), (k2, n2) = one, two
    ckm = (_is_ckm(first.period), _is_ckm(second.period))
    if (ckm[0] and k1 <= CKM_MIN_NUMERATOR) or (ckm[1] and k2 <= CKM_MIN_NUMERATOR):
        return "same"
    if n1 is None or n2 is None:  # counts
        difference = k1 - k2
        variance = max(k1 + k2, 0.0) + CKM_NOISE_VARIANCE * sum(ckm)
    else:
        x1, x2 = k1 / n1, k2 / n2
        pooled = (k1 + k2) / (n1 + n2)
        spread = pooled * (1.0 - pooled) if indicator.kind == "share" else pooled
        variance = max(spread, 0.0) * (1.0 / n1 + 1.0 / n2)
        for noisy, x, n in ((ckm[0], x1, n1), (ckm[1], x2, n2)):
            if noisy:
                variance += CKM_NOISE_VARIANCE * (1.0 + x * x) / (n * n)
        difference = x1 - x2
    if difference == 0 or abs(difference) <= 2.0 * math.sqrt(variance):
        return "same"
    return "higher" if difference > 0 else "lower"


def peer_flag(indicator: Indicator, area: Figure | None, peer: Figure | None) -> str | None:
    """``"higher"``/``"lower"`` when the area clearly differs from the peer, else ``None``."""
    result = compare_figures(indicator, area, peer)
    return result if result in {"higher", "lower"} else None


def change_over_time(indicator: Indicator, series: Sequence[Figure]) -> Change | None:
    """The change between the first year with a value and the latest year of ``series``.

    Parameters
    ----------
    indicator
        The indicator.
    series
        The area's own figures, oldest first; the last is the year the profile shows.

    Returns
    -------
    Change or None
        ``None`` when it cannot be judged: fewer than two years, a withheld latest year,
        or a figure without its base (medians, published shares).
    """
    if len(series) < 2 or series[-1].value is None:
        return None
    end = series[-1]
    start = next((f for f in series[:-1] if f.value is not None), None)
    if start is None or start.value is None or end.value is None:
        return None
    result = compare_figures(indicator, end, start)
    if result is None:
        return None
    direction = {"higher": "up", "lower": "down"}.get(result)
    return Change(start.period, end.period, start.value, end.value, direction)


def change_text(change: Change | None, lang: str = "sv", *, arrow: bool = True) -> str:
    """``"↑ ökat 2019–2024"``, ``"ingen säker förändring"`` or ``""`` (not computable).

    ``arrow=False`` leaves the arrow out (the PDF's embedded font has no arrows).
    """
    if change is None:
        return ""
    words = CHANGE_WORDS["en" if lang == "en" else "sv"]
    if change.direction is None:
        return words["none"]
    text = f"{words[change.direction]} {change.start_period}–{change.end_period}"
    return f"{ARROWS[change.direction]} {text}" if arrow else text


def find_region(regions: pd.DataFrame, code: str, level: str, vintage: str | None) -> pd.Series:
    """The regions row of an area (newest vintage when ``vintage`` is not given).

    Raises
    ------
    ValueError
        When there is no such area.
    """
    mask = (regions["region_code"] == code) & (regions["level"] == level)
    if vintage:
        mask &= regions["geo_vintage"].fillna("") == vintage
    match = regions.loc[mask].sort_values("geo_vintage", ascending=False)
    if match.empty:
        raise ValueError(f"jämförelseområdet {code!r} på nivån {level!r} finns inte i datalagret.")
    return match.iloc[0]


def peer_area(region: pd.Series) -> PeerArea:
    """A :class:`PeerArea` from a regions row."""
    vintage = region.get("geo_vintage")
    own_vintage = str(region["level"]) in {"deso", "regso"} and isinstance(vintage, str)
    return PeerArea(
        region_code=str(region["region_code"]),
        level=str(region["level"]),
        name=str(region["name"]),
        geo_vintage=str(vintage) if own_vintage and vintage else None,
    )
