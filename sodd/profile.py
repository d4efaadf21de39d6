"""AreaProfile: every catalog indicator for one area with comparators and trend. Pure."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from sodd.indicators.catalog import Catalog, Indicator, Theme
from sodd.profile_sections import Unknown, children_rows, difference_flag, find_unknowns
from sodd.schema import CUSTOM_LEVEL, LEVELS, RIKET_CODE

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
    numerator, denominator
        Counts behind a share or rate when known; ``None`` for a withheld value.
    """

    region_code: str
    level: str
    period: str
    value: float | None
    status: str | None
    provenance: str
    numerator: float | None = None
    denominator: float | None = None


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
    flag
        ``"higher"``/``"lower"`` per :func:`sodd.profile_sections.difference_flag`.
    """

    indicator: Indicator
    area: Figure | None
    comparators: dict[str, Figure]
    trend: tuple[tuple[str, float], ...]
    period: str | None
    flag: str | None = None


@dataclass(frozen=True)
class AreaProfile:
    """Every indicator for one area by theme, with the BKA and "Det vet vi inte" sections."""

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
    geo_vintage: str | None = None
    children: tuple[ProfileRow, ...] = ()
    unknowns: tuple[Unknown, ...] = ()

    def rows(self) -> tuple[ProfileRow, ...]:
        """Every row of every theme, in catalog order."""
        return tuple(row for _, rows in self.themes for row in rows)


def publication_level(region: pd.Series) -> str:
    """The level whose publication rules apply to an area.

    Its own level; for a custom area the level of its members (DeSO when unknown), since
    its values are computed from theirs.
    """
    level = str(region["level"])
    if level != CUSTOM_LEVEL:
        return level
    member = region.get("member_level")
    return str(member) if member in ("deso", "regso") else "deso"


def is_published_here(indicator: Indicator, region: pd.Series) -> bool:
    """Whether ``indicator`` is published at the area's level (see :func:`publication_level`)."""
    return LEVELS.index(publication_level(region)) >= LEVELS.index(indicator.lowest_level)


def comparator_codes(region: pd.Series) -> dict[str, str]:
    """Codes of the kommun, län and riket an area lies in (those above its own level)."""
    own = LEVELS.index(publication_level(region))
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
    status = row["status"] if isinstance(row["status"], str) and row["status"] else None
    number = None if status else _number(row["value"])
    return Figure(
        region_code=str(row["region_code"]),
        level=str(row["level"]),
        period=str(row["period"]),
        value=number,
        status=status if number is None else None,
        provenance=str(row["provenance"]) if isinstance(row["provenance"], str) else "",
        numerator=_number(row.get("numerator")) if number is not None else None,
        denominator=_number(row.get("denominator")) if number is not None else None,
    )


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


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
    published_here = is_published_here(indicator, region)
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
    nearest = next((figures[lvl] for lvl in COMPARATOR_LEVELS if lvl in figures), None)
    return ProfileRow(
        indicator, area, figures, trend, period, difference_flag(indicator, area, nearest)
    )


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
            elif row.area is None and not is_published_here(indicator, region):
                not_here.append(indicator)
        themes.append((theme, tuple(rows)))
    all_rows = tuple(row for _, rows in themes for row in rows)
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
        geo_vintage=_vintage_of(region) or None,
        children=children_rows(all_rows),
        unknowns=find_unknowns(all_rows, publication_level(region)),
    )
