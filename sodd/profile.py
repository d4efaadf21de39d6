"""AreaProfile: every catalog indicator for one area with comparators and trend. Pure."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from sodd.indicators.catalog import Catalog, Indicator, Theme
from sodd.schema import LEVELS, RIKET_CODE

COMPARATOR_LEVELS = ("kommun", "lan", "riket")


@dataclass(frozen=True)
class Figure:
    """One published or computed value with where it comes from.

    Attributes
    ----------
    region_code, level, period
        Which area, level and period the figure describes.
    value
        The value, or ``None`` when withheld.
    status
        Why it is withheld (``..``, ``.``, ``few``), or ``None``.
    provenance
        Provider and table, e.g. ``scb:TAB6574``.
    """

    region_code: str
    level: str
    period: str
    value: float | None
    status: str | None
    provenance: str


@dataclass(frozen=True)
class ProfileRow:
    """One indicator in a profile.

    Attributes
    ----------
    indicator
        The catalog entry.
    area
        The area's own figure in ``period``; ``None`` when the indicator is not
        published at the area's level.
    comparators
        Figures of the kommun, län and riket for the same period, keyed by level.
    trend
        ``(period, value)`` for every period the area (or, for a coarser indicator,
        its nearest comparator) has a value.
    period
        Period shown: the latest with any figure.
    """

    indicator: Indicator
    area: Figure | None
    comparators: dict[str, Figure]
    trend: tuple[tuple[str, float], ...]
    period: str | None


@dataclass(frozen=True)
class AreaProfile:
    """Every catalog indicator for one area, grouped by theme."""

    region_code: str
    level: str
    name: str
    kommun_code: str | None
    kommun_name: str | None
    lan_code: str | None
    lan_name: str | None
    themes: tuple[tuple[Theme, tuple[ProfileRow, ...]], ...]
    not_published_here: tuple[Indicator, ...]
    without_data: tuple[Indicator, ...]


def comparator_codes(region: pd.Series) -> dict[str, str]:
    """Codes of the kommun, län and riket an area lies in (those above its own level)."""
    own = LEVELS.index(str(region["level"]))
    candidates = {
        "kommun": region.get("kommun_code"),
        "lan": region.get("lan_code"),
        "riket": RIKET_CODE,
    }
    return {
        level: str(code)
        for level, code in candidates.items()
        if LEVELS.index(level) > own and isinstance(code, str) and code
    }


def _figure(row: pd.Series) -> Figure:
    value = row["value"]
    status = row["status"] if isinstance(row["status"], str) and row["status"] else None
    number = (
        None
        if status or value is None or (isinstance(value, float) and math.isnan(value))
        else float(value)
    )
    return Figure(
        region_code=str(row["region_code"]),
        level=str(row["level"]),
        period=str(row["period"]),
        value=number,
        status=status if number is None else None,
        provenance=str(row["provenance"]) if isinstance(row["provenance"], str) else "",
    )


def _series(
    values: pd.DataFrame, indicator_id: str, code: str, level: str, vintage: str | None = None
) -> pd.DataFrame:
    mask = (
        (values["indicator_id"] == indicator_id)
        & (values["region_code"] == code)
        & (values["level"] == level)
    )
    if vintage is not None:
        # The same DeSO code may name a different area in another vintage: never mix them.
        mask &= values["geo_vintage"].fillna("") == vintage
    return values.loc[mask].sort_values("period")


def _vintage_of(region: pd.Series) -> str | None:
    """The area's vintage for DeSO/RegSO (the only levels with two area sets), else None."""
    if region["level"] not in {"deso", "regso"}:
        return None
    vintage = region.get("geo_vintage")
    return str(vintage) if isinstance(vintage, str) else ""


def build_profile_row(indicator: Indicator, region: pd.Series, values: pd.DataFrame) -> ProfileRow:
    """Build one profile row from the indicator values of an area and its comparators.

    Parameters
    ----------
    indicator
        The indicator.
    region
        The area's row from the regions table (no geometry needed).
    values
        Indicator values for the area and its comparators, all periods.

    Returns
    -------
    ProfileRow
        The row; ``area`` is ``None`` when the indicator is not published at this level.
    """
    level = str(region["level"])
    published_here = LEVELS.index(level) >= LEVELS.index(indicator.lowest_level)
    own = (
        _series(values, indicator.id, str(region["region_code"]), level, _vintage_of(region))
        if published_here
        else values.iloc[0:0]
    )
    comparators = comparator_codes(region)
    comparator_series = {
        lvl: _series(values, indicator.id, code, lvl) for lvl, code in comparators.items()
    }
    # The period shown is the latest one the area has; for an indicator only published
    # higher up, the latest one its nearest comparator has.
    reference = own
    if reference.empty:
        reference = next((s for s in comparator_series.values() if not s.empty), own)
    if reference.empty:
        return ProfileRow(indicator, None, {}, (), None)
    period = str(reference["period"].iloc[-1])
    area = (
        _figure(own.loc[own["period"] == period].iloc[0])
        if not own.empty and (own["period"] == period).any()
        else None
    )
    figures = {}
    for lvl, series in comparator_series.items():
        same = series.loc[series["period"] == period]
        if not same.empty:
            figures[lvl] = _figure(same.iloc[0])
    trend = tuple(
        (str(p), float(v))
        for p, v, s in zip(
            reference["period"], reference["value"], reference["status"], strict=True
        )
        if not (isinstance(s, str) and s) and v is not None and not math.isnan(float(v))
    )
    return ProfileRow(indicator, area, figures, trend, period)


def build_area_profile(
    region_code: str,
    level: str,
    regions: pd.DataFrame,
    values: pd.DataFrame,
    catalog: Catalog,
    *,
    geo_vintage: str | None = None,
) -> AreaProfile:
    """Build the profile of one area.

    Parameters
    ----------
    region_code, level
        The area.
    regions
        The regions table (geometry optional) with names and parent codes.
    values
        Indicator values for the area and its kommun, län and riket (all periods).
    catalog
        The indicator catalog.
    geo_vintage
        The area's vintage, when its code exists in more than one (DeSO 2018 and 2025).

    Returns
    -------
    AreaProfile
        The profile.

    Raises
    ------
    ValueError
        When the area is not in ``regions``.
    """
    mask = (regions["region_code"] == region_code) & (regions["level"] == level)
    if geo_vintage is not None:
        mask &= regions["geo_vintage"].fillna("") == geo_vintage
    match = regions.loc[mask].sort_values("geo_vintage", ascending=False)
    if match.empty:
        raise ValueError(f"området {region_code!r} på nivån {level!r} finns inte i datalagret.")
    region = match.iloc[0]
    names = dict(
        zip(
            zip(regions["region_code"], regions["level"], strict=True), regions["name"], strict=True
        )
    )
    kommun_code = region.get("kommun_code") if isinstance(region.get("kommun_code"), str) else None
    lan_code = region.get("lan_code") if isinstance(region.get("lan_code"), str) else None
    themes = []
    not_here: list[Indicator] = []
    without: list[Indicator] = []
    for theme, indicators in catalog.by_theme():
        rows = []
        for indicator in indicators:
            row = build_profile_row(indicator, region, values)
            rows.append(row)
            if row.period is None:
                without.append(indicator)
            elif row.area is None and LEVELS.index(level) < LEVELS.index(indicator.lowest_level):
                not_here.append(indicator)
        themes.append((theme, tuple(rows)))
    return AreaProfile(
        region_code=region_code,
        level=level,
        name=str(region["name"]),
        kommun_code=kommun_code,
        kommun_name=names.get((kommun_code, "kommun")) if kommun_code else None,
        lan_code=lan_code,
        lan_name=names.get((lan_code, "lan")) if lan_code else None,
        themes=tuple(themes),
        not_published_here=tuple(not_here),
        without_data=tuple(without),
    )
