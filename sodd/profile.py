"""AreaProfile: every catalog indicator for one area with comparators and trend. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from sodd.indicators.catalog import Catalog, Indicator, Theme
from sodd.profile_sections import Unknown, children_rows, difference_flag, find_unknowns
from sodd.profile_series import (
    Figure as Figure,  # re-exported: the profile's figures are profile.Figure
)
from sodd.profile_series import (
    SeriesIndex,
    figure_in_period,
    figure_of,
    index_values,
    is_shown,
    series_of,
)
from sodd.profile_trends import (
    Change,
    PeerArea,
    change_over_time,
    find_region,
    peer_area,
    peer_flag,
)
from sodd.schema import CUSTOM_LEVEL, LEVELS, RIKET_CODE

COMPARATOR_LEVELS = ("kommun", "lan", "riket")


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
    change
        The area's change from its first to its latest year
        (:func:`sodd.profile_trends.change_over_time`); ``None`` when not computable.
    peer_flag
        ``"higher"``/``"lower"`` against the peer area (``comparators["peer"]``) per
        :func:`sodd.profile_trends.peer_flag`.
    history
        ``(period, value or None)`` per period for ``"area"``, each comparator level and
        ``"peer"``; a withheld year is ``None`` (a gap in a chart, never zero).
    """

    indicator: Indicator
    area: Figure | None
    comparators: dict[str, Figure]
    trend: tuple[tuple[str, float], ...]
    period: str | None
    flag: str | None = None
    change: Change | None = None
    peer_flag: str | None = None
    history: Mapping[str, tuple[tuple[str, float | None], ...]] = field(default_factory=dict)


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
    peer: PeerArea | None = None

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


def _vintage_of(region: pd.Series) -> str | None:
    """The area's vintage for DeSO/RegSO (the only levels with two area sets), else None."""
    if region["level"] not in {"deso", "regso"}:
        return None
    vintage = region.get("geo_vintage")
    return str(vintage) if isinstance(vintage, str) else ""


def build_profile_row(
    indicator: Indicator, region: pd.Series, values: pd.DataFrame, peer: PeerArea | None = None
) -> ProfileRow:
    """Build one profile row from the indicator values of an area and its comparators.

    Parameters
    ----------
    indicator
        The indicator.
    region
        The area's row from the regions table (no geometry needed).
    values
        Indicator values for the area and its comparators, all periods (values of other
        indicators may be included; they are ignored).
    peer
        An area to compare with besides the kommun, län and riket (``comparators["peer"]``).

    Returns
    -------
    ProfileRow
        The row; ``area`` is ``None`` when the indicator is not published at this level.
    """
    return _build_row(indicator, region, index_values(values), peer)


def _build_row(
    indicator: Indicator, region: pd.Series, values: SeriesIndex, peer: PeerArea | None
) -> ProfileRow:
    level = str(region["level"])
    code = str(region["region_code"])
    own = (
        series_of(values, indicator.id, code, level, _vintage_of(region))
        if is_published_here(indicator, region)
        else []
    )
    comparator_series = {
        lvl: series_of(values, indicator.id, c, lvl) for lvl, c in comparator_codes(region).items()
    }
    if peer is not None:
        comparator_series["peer"] = series_of(
            values, indicator.id, peer.region_code, peer.level, peer.geo_vintage
        )
    # The period shown is the latest one the area has; for an indicator only published
    # higher up, the latest one its nearest comparator has.
    reference = own or next((s for s in comparator_series.values() if s), [])
    if not reference:
        return ProfileRow(indicator, None, {}, (), None)
    period = str(reference[-1]["period"])
    area = figure_in_period(own, period)
    figures = {
        lvl: figure
        for lvl, series in comparator_series.items()
        if (figure := figure_in_period(series, period)) is not None
    }
    trend = tuple((str(r["period"]), float(r["value"])) for r in reference if is_shown(r))
    nearest = next((figures[lvl] for lvl in COMPARATOR_LEVELS if lvl in figures), None)
    # Every period, a withheld one as None: charts draw it as a gap, never as zero.
    history = {
        key: tuple((f.period, f.value) for f in map(figure_of, series))
        for key, series in {"area": own, **comparator_series}.items()
        if series
    }
    own_figures = [figure_of(r) for r in own if str(r["period"]) <= period]
    return ProfileRow(
        indicator,
        area,
        figures,
        trend,
        period,
        difference_flag(indicator, area, nearest),
        change=change_over_time(indicator, own_figures),
        peer_flag=peer_flag(indicator, area, figures.get("peer")),
        history=history,
    )


def build_area_profile(
    region_code: str,
    level: str,
    regions: pd.DataFrame,
    values: pd.DataFrame,
    catalog: Catalog,
    *,
    geo_vintage: str | None = None,
    peer: tuple[str, str, str | None] | None = None,
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
    peer
        ``(code, level, vintage)`` of an area to compare with; ``values`` must hold its
        values too.

    Returns
    -------
    AreaProfile
        The profile.

    Raises
    ------
    ValueError
        When the area (or the peer) is not in ``regions``.
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
    chosen_peer = peer_area(find_region(regions, *peer)) if peer is not None else None
    themes = []
    not_here: list[Indicator] = []
    without: list[Indicator] = []
    series_index = index_values(values)
    for theme, indicators in catalog.by_theme():
        rows = []
        for indicator in indicators:
            row = _build_row(indicator, region, series_index, chosen_peer)
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
        peer=chosen_peer,
    )
