"""The social report of a kommun: spreads, largest differences, outlying districts. Pure.

``sodd export report`` renders a :class:`KommunReport` for the social services'
social report: every district of a kommun (DeSO of the latest vintage, and RegSO),
where the structural differences are largest, which districts lie far from the
kommun on several indicators at once, the RegSO area types and the kommun's trends.
The rules are documented here and printed in the report (``RANKING_RULE``,
``FAR_RULE``, ``TREND_RULE`` in :mod:`sodd.export.report_texts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import pandas as pd

from sodd.area_types import AREA_TYPE_INDICATOR, AREA_TYPES, latest_area_types
from sodd.geo import name_districts
from sodd.indicators.catalog import Catalog
from sodd.report_rules import (
    FAR_MIN_INDICATORS,
    FarDistrict,
    Spread,
    Trend,
    build_spread,
    build_trends,
    far_from_kommun,
    rank_differences,
)
from sodd.schema import LEVELS

__all__ = [
    "DISTRICT_LEVELS",
    "FAR_MIN_INDICATORS",
    "FarDistrict",
    "KommunReport",
    "Spread",
    "Trend",
    "build_kommun_report",
]

DISTRICT_LEVELS: Final = ("deso", "regso")


@dataclass(frozen=True)
class KommunReport:
    """Everything the social report of one kommun shows."""

    kommun_code: str
    kommun_name: str
    lan_code: str | None
    lan_name: str | None
    district_counts: dict[str, int]  # level → number of districts
    vintages: dict[str, str]  # level → the vintage used
    names: dict[tuple[str, str], str]  # (level, code) → readable name
    spreads: tuple[Spread, ...]  # catalog order, DeSO before RegSO
    ranking: tuple[Spread, ...]  # largest structural difference first
    far: dict[str, tuple[FarDistrict, ...]]  # level → districts, most indicators first
    area_types: dict[int, tuple[str, ...]]  # type 1–5 → RegSO codes
    area_type_period: str | None
    trends: tuple[Trend, ...]  # largest relative change first
    provenance: tuple[str, ...] = ()  # every ``provider:table_id`` behind the figures

    def name(self, level: str, code: str) -> str:
        """The readable name of a district (its code when unnamed)."""
        return self.names.get((level, code), code)

    def periods(self) -> tuple[str, ...]:
        """Every period the report shows, sorted."""
        found = {s.period for s in self.spreads} | {t.last_period for t in self.trends}
        found |= {t.first_period for t in self.trends}
        if self.area_type_period:
            found.add(self.area_type_period)
        return tuple(sorted(found))


def _provenance(frames: list[pd.DataFrame]) -> tuple[str, ...]:
    labels: set[str] = set()
    for frame in frames:
        for text in frame["provenance"].dropna().unique():
            labels.update(part.strip() for part in str(text).split(";") if part.strip())
    return tuple(sorted(labels))


def _latest_districts(
    index: pd.DataFrame, kommun_code: str, level: str, values: pd.DataFrame
) -> pd.DataFrame:
    found = index.loc[(index["level"] == level) & (index["kommun_code"] == kommun_code)]
    if found.empty:
        return found
    # DeSO 2018 and 2025 both exist: the report uses one division, never a mix – the
    # newest one the store has values for (else simply the newest).
    at_level = values.loc[values["level"] == level]
    with_values = set(at_level.loc[at_level["region_code"].isin(set(found["region_code"])),
                                   "geo_vintage"])  # fmt: skip
    vintages = sorted(set(found["geo_vintage"]) & with_values) or sorted(found["geo_vintage"])
    latest: pd.DataFrame = found.loc[found["geo_vintage"] == vintages[-1]]
    return latest


def build_kommun_report(
    kommun_code: str, regions: pd.DataFrame, values: pd.DataFrame, catalog: Catalog
) -> KommunReport:
    """Build the social report of a kommun from the store's frames.

    Parameters
    ----------
    kommun_code
        The kommun, e.g. ``"1780"``.
    regions
        The regions table (geometry optional) with names and parent codes.
    values
        Indicator values (all periods) of the kommun and of its districts; other
        rows are ignored.
    catalog
        The indicator catalog.

    Returns
    -------
    KommunReport

    Raises
    ------
    ValueError
        When the kommun is not in ``regions`` or has no DeSO or RegSO there.
    """
    index = pd.DataFrame(regions.drop(columns="geometry", errors="ignore"))
    index = index.assign(geo_vintage=index["geo_vintage"].fillna("").astype("str"))
    match = index.loc[(index["level"] == "kommun") & (index["region_code"] == kommun_code)]
    if match.empty:
        raise ValueError(f"kommunen {kommun_code!r} finns inte i datalagret.")
    kommun = match.iloc[0]
    lan_code = kommun.get("lan_code") if isinstance(kommun.get("lan_code"), str) else None
    lan = index.loc[(index["level"] == "lan") & (index["region_code"] == lan_code)]
    named = name_districts(index)
    values = values.assign(geo_vintage=values["geo_vintage"].fillna("").astype("str"))
    own = values.loc[(values["level"] == "kommun") & (values["region_code"] == kommun_code)]
    spreads: list[Spread] = []
    counts, vintages, names = {}, {}, {}
    used = [own]
    for level in DISTRICT_LEVELS:
        districts = _latest_districts(named, kommun_code, level, values)
        if districts.empty:
            continue
        vintage = str(districts["geo_vintage"].iloc[0])
        counts[level], vintages[level] = len(districts), vintage
        names.update({(level, str(c)): str(n) for c, n in zip(
            districts["region_code"], districts["name"], strict=True)})  # fmt: skip
        rows = values.loc[
            (values["level"] == level)
            & (values["geo_vintage"] == vintage)
            & values["region_code"].isin(set(districts["region_code"]))
        ]
        used.append(rows)
        for ind in catalog.indicators:
            if LEVELS.index(level) < LEVELS.index(ind.lowest_level) or ind.unit == "klass":
                continue
            spread = build_spread(
                ind,
                level,
                vintage,
                rows.loc[rows["indicator_id"] == ind.id],
                own.loc[own["indicator_id"] == ind.id],
            )
            if spread is not None:
                spreads.append(spread)
    if not counts:
        raise ValueError(f"kommunen {kommun_code!r} har inga DeSO eller RegSO i datalagret.")
    types = latest_area_types(
        values.loc[
            (values["indicator_id"] == AREA_TYPE_INDICATOR)
            & (values["level"] == "regso")
            & (values["geo_vintage"] == vintages.get("regso", ""))
            & values["region_code"].isin({c for lvl, c in names if lvl == "regso"})
        ]
    )
    all_spreads = tuple(spreads)
    return KommunReport(
        kommun_code=kommun_code,
        kommun_name=str(kommun["name"]),
        lan_code=lan_code,
        lan_name=str(lan["name"].iloc[0]) if not lan.empty else None,
        district_counts=counts,
        vintages=vintages,
        names=names,
        spreads=all_spreads,
        ranking=rank_differences(all_spreads),
        far={lvl: far_from_kommun(all_spreads, names, lvl) for lvl in counts},
        area_types={
            n: tuple(sorted(types.loc[types["area_type"] == n, "region_code"])) for n in AREA_TYPES
        },
        area_type_period=str(types["period"].max()) if not types.empty else None,
        trends=build_trends(catalog, own),
        provenance=_provenance(used),
    )
