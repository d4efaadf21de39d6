"""Goals with target levels ("Mål och uppföljning") and how their status is judged. Pure.

A goal names an indicator (official or the kommun's own), an area, a target value, a
direction (``at_most``: the value should fall to the target or below; ``at_least``: rise
to it or above) and a target date. Its status is judged from the indicator's stored
series for that area, using only values that are published (no status symbol):

1. **saknar data** – no usable value at all.
2. **uppnått** – the latest usable value meets the target.
3. **saknar data** – fewer than two usable values from the baseline period on (a trend
   needs two points).
4. **inte på väg** – the latest usable value is for a period that ends on or after the
   target date (the date has passed in the data and the target was not met), or the
   trend points away from the target (or is flat).
5. **på väg** – the least-squares line through the usable values from the baseline
   period on reaches the target by the target date; **inte på väg** otherwise.

Periods are placed on a time axis at their *end*: ``"2024"`` at 1 January 2025,
``"2024M03"`` at 1 April 2024, ``"2024K2"``/``"2024Q2"`` at 1 July 2024. The target date
counts inclusively (``2030-12-31`` is the end of 2030), so the value for 2030 is the one
that decides a goal "senast 2030-12-31". Periods in any other form are not used.

A withheld latest period (``..``) does not stop the judgement: the latest *usable* value
is used and :attr:`GoalStatus.latest_withheld` says so, so the text can tell the reader.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

AT_MOST: Final = "at_most"
AT_LEAST: Final = "at_least"
DIRECTIONS: Final = (AT_MOST, AT_LEAST)

ON_TRACK: Final = "pa_vag"
OFF_TRACK: Final = "inte_pa_vag"
MET: Final = "uppnatt"
NO_DATA: Final = "saknar_data"
STATUSES: Final = (MET, ON_TRACK, OFF_TRACK, NO_DATA)

_SERIES_COLUMNS: Final = ("indicator_id", "region_code", "level", "geo_vintage", "period", "value")
_PERIOD: Final = re.compile(r"^(\d{4})(?:([MKQ])(\d{1,2}))?$")


@dataclass(frozen=True)
class Goal:
    """One goal as stored (one row of the ``goals`` kind, see ``GOAL_COLUMNS``)."""

    goal_id: str
    indicator_id: str
    region_code: str
    level: str
    geo_vintage: str
    target_value: float
    direction: str
    target_date: str  # ISO date, e.g. "2030-12-31"
    baseline_period: str  # "" = from the first usable period
    responsible: str
    note: str
    created_at: str


@dataclass(frozen=True)
class GoalStatus:
    """The judged status of a goal and the figures the judgement used."""

    status: str
    latest_period: str | None = None
    latest_value: float | None = None
    baseline_period: str | None = None
    baseline_value: float | None = None
    projected: float | None = None  # the trend line's value at the target date
    slope_per_year: float | None = None
    points: int = 0
    latest_withheld: bool = False  # the newest period in the series has no usable value


def period_end(period: str) -> float | None:
    """Place a period on a time axis (decimal years) at its end; ``None`` if unknown.

    Parameters
    ----------
    period
        ``"2024"``, ``"2024M03"`` (month), ``"2024K2"`` or ``"2024Q2"`` (quarter).

    Returns
    -------
    float or None
        E.g. ``2025.0`` for ``"2024"``, ``2024.25`` for ``"2024M03"``.
    """
    match = _PERIOD.match(str(period).strip())
    if match is None:
        return None
    year, kind, number = match.groups()
    if kind is None:
        return int(year) + 1.0
    part = int(number)
    if kind == "M" and 1 <= part <= 12:
        return int(year) + part / 12
    if kind in "KQ" and 1 <= part <= 4:
        return int(year) + part / 4
    return None


def date_end(day: date) -> float:
    """The end of ``day`` (inclusive target date) in decimal years."""
    following = day + timedelta(days=1)
    start = date(following.year, 1, 1)
    length = (date(following.year + 1, 1, 1) - start).days
    return following.year + (following - start).days / length


def meets(value: float, target: float, direction: str) -> bool:
    """Whether ``value`` meets ``target`` in ``direction`` (``at_most`` or ``at_least``)."""
    return value <= target if direction == AT_MOST else value >= target


def goal_series(values: pd.DataFrame, goal: Goal) -> pd.DataFrame:
    """The goal's indicator series for its area, oldest first, exactly as stored.

    Parameters
    ----------
    values
        Indicator values (``indicator_id, region_code, level, geo_vintage, period,
        value, status``...), any number of indicators and areas.
    goal
        The goal.

    Returns
    -------
    pandas.DataFrame
        The matching rows with an added ``usable`` column (a published value in a
        period form :func:`period_end` understands), sorted by period end.
    """
    if values.empty:
        return pd.DataFrame(columns=[*_SERIES_COLUMNS, "usable"])
    rows = values.loc[
        (values["indicator_id"] == goal.indicator_id)
        & (values["region_code"].astype("str") == goal.region_code)
        & (values["level"] == goal.level)
        & (values["geo_vintage"].fillna("").astype("str") == goal.geo_vintage)
    ].copy()
    rows["period"] = rows["period"].astype("str")
    ends = rows["period"].map(period_end)
    status = rows["status"].fillna("").astype("str")
    value = pd.to_numeric(rows["value"], errors="coerce")
    rows["usable"] = ends.notna() & (status == "") & value.notna()
    rows = rows.assign(_end=ends.astype("float64")).sort_values(["_end", "period"])
    return rows.drop(columns="_end").reset_index(drop=True)


def judge(goal: Goal, series: pd.DataFrame) -> GoalStatus:
    """Judge the goal's status from its series (see the module docstring for the rule).

    Parameters
    ----------
    goal
        The goal.
    series
        From :func:`goal_series` (needs ``period``, ``value`` and ``usable``).

    Returns
    -------
    GoalStatus
    """
    usable = series.loc[series["usable"].astype(bool)] if len(series) else series
    withheld = bool(len(series)) and not bool(series["usable"].iloc[-1])
    if usable.empty:
        return GoalStatus(NO_DATA, latest_withheld=withheld)
    latest_period = str(usable["period"].iloc[-1])
    latest = float(usable["value"].iloc[-1])
    found = GoalStatus(
        NO_DATA, latest_period=latest_period, latest_value=latest, latest_withheld=withheld
    )
    if meets(latest, goal.target_value, goal.direction):
        return replace(found, status=MET)
    start = period_end(goal.baseline_period) if goal.baseline_period else None
    ends = usable["period"].map(period_end).astype("float64")
    window = usable.loc[ends >= start] if start is not None else usable
    if len(window) < 2:
        return found
    times = window["period"].map(period_end).to_numpy(dtype=np.float64)
    numbers = window["value"].to_numpy(dtype=np.float64)
    slope, intercept = _least_squares(times, numbers)
    deadline = date_end(date.fromisoformat(goal.target_date))
    projected = intercept + slope * deadline
    found = replace(
        found,
        baseline_period=str(window["period"].iloc[0]),
        baseline_value=float(numbers[0]),
        projected=projected,
        slope_per_year=slope,
        points=len(window),
    )
    toward = slope < 0 if goal.direction == AT_MOST else slope > 0
    passed = float(times[-1]) >= deadline - 1e-9
    if passed or not toward or not meets(projected, goal.target_value, goal.direction):
        return replace(found, status=OFF_TRACK)
    return replace(found, status=ON_TRACK)


def _least_squares(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> tuple[float, float]:
    """Slope and intercept of the least-squares line of ``y`` against ``x``."""
    dx = x - x.mean()
    spread = float((dx * dx).sum())
    slope = float((dx * (y - y.mean())).sum()) / spread if spread > 0 else 0.0
    # Equal values give a slope of rounding noise; call it flat.
    if math.isclose(slope, 0.0, abs_tol=1e-12):
        slope = 0.0
    return slope, float(y.mean()) - slope * float(x.mean())
