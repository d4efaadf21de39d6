"""Rules of the social report: spreads, the difference ranking, far districts, trends. Pure.

Kept apart from :mod:`sodd.report`, which assembles a :class:`~sodd.report.KommunReport`
from the store's frames with these.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from sodd.indicators.catalog import Catalog, Indicator
from sodd.profile import Figure
from sodd.profile_sections import difference_flag
from sodd.schema import LEVELS

# A district is listed as far from the kommun when it is on the need side on this many.
FAR_MIN_INDICATORS: Final = 3
# Counts depend on a district's size, so they say nothing about how unequal a kommun is
# and are left out of the ranking (the area type, a class, never gets a spread).
_UNRANKED_KINDS: Final = ("count",)
# A count this small changes by tens of percent by chance; such trends are listed last.
SMALL_COUNT: Final = 20
NEED_SIDE: Final = {"need_if_high": "higher", "need_if_low": "lower"}


@dataclass(frozen=True)
class Spread:
    """One indicator over the districts of one level in the latest period.

    Attributes
    ----------
    indicator, level, geo_vintage, period
        What, at which level and vintage, for which period.
    kommun
        The kommun's own figure in ``period`` (``None`` when the store has none).
    districts
        Every district's figure in ``period``, withheld ones with their status.
    p10, p90
        10th and 90th percentile of the published district values (linear
        interpolation between districts), ``None`` with no published value.
    """

    indicator: Indicator
    level: str
    geo_vintage: str
    period: str
    kommun: Figure | None
    districts: tuple[Figure, ...]
    p10: float | None
    p90: float | None

    def published(self) -> tuple[Figure, ...]:
        """The districts with a value, lowest first (ties by code)."""
        shown = [f for f in self.districts if f.value is not None]
        return tuple(sorted(shown, key=lambda f: (f.value, f.region_code)))

    @property
    def lowest(self) -> Figure | None:
        """The district with the lowest published value."""
        shown = self.published()
        return shown[0] if shown else None

    @property
    def highest(self) -> Figure | None:
        """The district with the highest published value (the first code on a tie)."""
        shown = self.published()
        if not shown:
            return None
        top = shown[-1].value
        return next(f for f in shown if f.value == top)

    @property
    def withheld(self) -> int:
        """How many districts have a withheld (``..``) value."""
        return sum(1 for f in self.districts if f.value is None)

    @property
    def ratio(self) -> float | None:
        """``p90 / p10``; ``None`` when the 10th percentile is not above zero."""
        if self.p10 is None or self.p90 is None or self.p10 <= 0:
            return None
        return self.p90 / self.p10

    @property
    def difference(self) -> float | None:
        """``p90 − p10`` in the indicator's unit."""
        if self.p10 is None or self.p90 is None:
            return None
        return self.p90 - self.p10


@dataclass(frozen=True)
class FarDistrict:
    """A district on the need side of the kommun on several indicators at once."""

    region_code: str
    name: str
    level: str
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Trend:
    """The kommun's value of one indicator in the first and the last year available."""

    indicator: Indicator
    first_period: str
    first_value: float
    last_period: str
    last_value: float
    provenance: str = ""

    @property
    def change(self) -> float:
        """``last − first`` in the indicator's unit (percentage points for a share)."""
        return self.last_value - self.first_value

    @property
    def relative(self) -> float | None:
        """``(last − first) / |first|``; ``None`` when the first value is zero."""
        return None if self.first_value == 0 else self.change / abs(self.first_value)


def percentiles(values: list[float]) -> tuple[float | None, float | None]:
    """10th and 90th percentile with linear interpolation (numpy's default)."""
    if not values:
        return None, None
    p10, p90 = np.percentile(np.asarray(values, dtype=float), [10.0, 90.0])
    return float(p10), float(p90)


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _figures(rows: pd.DataFrame) -> list[Figure]:
    figures = []
    for row in rows.itertuples(index=False):
        status = row.status if isinstance(row.status, str) and row.status else None
        value = None if status else _number(row.value)
        figures.append(
            Figure(
                region_code=str(row.region_code),
                level=str(row.level),
                period=str(row.period),
                value=value,
                status=status if value is None else None,
                provenance=str(row.provenance) if isinstance(row.provenance, str) else "",
                numerator=_number(row.numerator) if value is not None else None,
                denominator=_number(row.denominator) if value is not None else None,
            )
        )
    return figures


def build_spread(
    indicator: Indicator, level: str, vintage: str, rows: pd.DataFrame, kommun: pd.DataFrame
) -> Spread | None:
    """The spread of one indicator in its latest period over the districts in ``rows``.

    ``rows`` holds the indicator's values of the districts (all periods), ``kommun``
    the kommun's. Returns ``None`` when no district has the indicator.
    """
    if rows.empty:
        return None
    period = str(rows["period"].max())
    districts = tuple(_figures(rows.loc[rows["period"] == period].sort_values("region_code")))
    own = _figures(kommun.loc[kommun["period"] == period])
    p10, p90 = percentiles([f.value for f in districts if f.value is not None])
    return Spread(indicator, level, vintage, period, own[0] if own else None, districts, p10, p90)


def rank_differences(spreads: tuple[Spread, ...]) -> tuple[Spread, ...]:
    """Order indicators by how unequal the districts are, largest first.

    Each indicator counts once, at its finest level (DeSO before RegSO). The measure
    is the decile ratio ``p90 / p10`` of the district values; indicators whose 10th
    percentile is zero or below have no ratio and follow, by ``p90 − p10``. Counts
    and the area type are left out (a count follows a district's size).
    """
    seen: set[str] = set()
    chosen = []
    for spread in sorted(spreads, key=lambda s: LEVELS.index(s.level)):
        ind = spread.indicator
        if ind.id in seen or ind.kind in _UNRANKED_KINDS or spread.p10 is None:
            continue
        seen.add(ind.id)
        chosen.append(spread)
    return tuple(
        sorted(
            chosen,
            key=lambda s: (
                s.ratio is None,
                -(s.ratio or 0.0),
                -(s.difference or 0.0),
                s.indicator.id,
            ),
        )
    )


def need_side_indicators(spread: Spread) -> dict[str, bool]:
    """Which districts lie far from the kommun on the indicator's need side.

    A share with numerator and denominator uses the profile's
    :func:`~sodd.profile_sections.difference_flag` against the kommun; a published
    value without a base (SCB's shares, medians) counts when it lies outside the
    kommun's 10–90 % range of district values (above ``p90`` where high means need,
    below ``p10`` where low does). Neutral indicators never count.
    """
    ind = spread.indicator
    side = NEED_SIDE.get(ind.direction)
    if side is None or ind.unit == "klass":
        return {}
    result = {}
    for figure in spread.districts:
        if figure.value is None:
            continue
        if ind.kind == "published":
            if spread.p10 is None or spread.p90 is None:
                continue
            far = figure.value > spread.p90 if side == "higher" else figure.value < spread.p10
        else:
            far = difference_flag(ind, figure, spread.kommun) == side
        result[figure.region_code] = far
    return result


def far_from_kommun(
    spreads: tuple[Spread, ...], names: dict[tuple[str, str], str], level: str
) -> tuple[FarDistrict, ...]:
    """Districts at ``level`` far from the kommun on at least :data:`FAR_MIN_INDICATORS`.

    Sorted by the number of indicators (most first), then code; each lists which.
    """
    hits: dict[str, list[Indicator]] = {}
    for spread in spreads:
        if spread.level != level:
            continue
        for code, far in need_side_indicators(spread).items():
            if far:
                hits.setdefault(code, []).append(spread.indicator)
    listed = [
        FarDistrict(code, names.get((level, code), code), level, tuple(found))
        for code, found in hits.items()
        if len(found) >= FAR_MIN_INDICATORS
    ]
    return tuple(sorted(listed, key=lambda d: (-len(d.indicators), d.region_code)))


def build_trends(catalog: Catalog, kommun: pd.DataFrame) -> tuple[Trend, ...]:
    """The kommun's first and last published value per indicator, largest change first.

    Ordered by the relative change ``|last − first| / |first|``. Follow, in that order:
    counts below :data:`SMALL_COUNT` in both years (going from 4 to 0 is −100 % but
    mostly chance) and indicators whose first value is zero. Needs two published years.
    """
    published = kommun.loc[kommun["status"].isna() & kommun["value"].notna()]
    trends = []
    for ind in catalog.indicators:
        series = published.loc[published["indicator_id"] == ind.id].sort_values("period")
        if series["period"].nunique() < 2:
            continue
        first, last = series.iloc[0], series.iloc[-1]
        trends.append(
            Trend(ind, str(first["period"]), float(first["value"]), str(last["period"]),
                  float(last["value"]), str(last["provenance"] or ""))
        )  # fmt: skip

    def order(trend: Trend) -> tuple[bool, bool, float, str]:
        small = trend.indicator.kind == "count" and (
            max(trend.first_value, trend.last_value) < SMALL_COUNT
        )
        relative = trend.relative
        return (relative is None, small, -abs(relative or 0.0), trend.indicator.id)

    return tuple(sorted(trends, key=order))
