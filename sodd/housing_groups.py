"""Compare a kommun with kommuner of the same type (SKR's kommungrupp). Pure.

The comparison value is sodd's own figure: the unweighted mean of the published values
of the group's members that are in the store, per period (Kolada computes its group
values the same way, data-sources §8.4). It is never presented as a published figure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

import pandas as pd

from sodd.housing_view import SeriesView
from sodd.sources.kolada_groups import DEMO_GROUP_ID, PROVIDER, TABLE_ID, skr_group_name


@dataclass(frozen=True)
class KommunGroup:
    """A kommun's SKR group: number (1–9), Kolada id, member kommun codes, period read."""

    number: int
    group_id: str
    members: tuple[str, ...]
    period: str

    @property
    def is_demo(self) -> bool:
        """Whether the membership is the demo's synthetic one."""
        return self.group_id == DEMO_GROUP_ID

    def label(self, lang: str) -> str:
        """Line name, e.g. ``"Kommuner av samma typ (SKR): Större stad, medelvärde"``."""
        name = skr_group_name(self.number, lang)
        if lang == "en":
            text = f"Municipalities of the same type (SKR): {name}, mean"
            return text + " (demo groups)" if self.is_demo else text
        text = f"Kommuner av samma typ (SKR): {name}, medelvärde"
        return text + " (exempelgrupper)" if self.is_demo else text


def kommun_group(observations: pd.DataFrame, kommun: str) -> KommunGroup | None:
    """The SKR group of ``kommun`` from stored ``kolada``/``kommungrupp`` rows.

    Parameters
    ----------
    observations
        Observations (any; the membership rows are picked out).
    kommun
        Kommun code.

    Returns
    -------
    KommunGroup or None
        ``None`` when the store has no group for the kommun. Members are the kommuner
        with the same group in the latest period read.
    """
    rows = observations.loc[
        (observations["provider"] == PROVIDER)
        & (observations["table_id"] == TABLE_ID)
        & observations["value"].notna()
    ]
    if rows.empty:
        return None
    rows = rows.loc[rows["period"] == rows["period"].max()]
    own = rows.loc[rows["region_code"] == kommun]
    if own.empty:
        return None
    number = float(own["value"].iloc[0])
    members = rows.loc[rows["value"] == number, "region_code"]
    group_id = str(json.loads(str(own["dims"].iloc[0]) or "{}").get("grupp_id", ""))
    return KommunGroup(
        int(number), group_id, tuple(sorted(map(str, members))), str(own["period"].iloc[0])
    )


def group_mean(values: pd.DataFrame, indicator_id: str, members: tuple[str, ...]) -> pd.DataFrame:
    """Unweighted mean of the members' published kommun values, per period.

    Parameters
    ----------
    values
        Indicator values (any areas and indicators).
    indicator_id
        The indicator.
    members
        Kommun codes of the group.

    Returns
    -------
    pandas.DataFrame
        Index ``period``; columns ``mean`` and ``count`` (members with a value). A
        withheld value (any status) is left out, never filled in.
    """
    rows = values.loc[
        (values["indicator_id"] == indicator_id)
        & (values["level"] == "kommun")
        & values["region_code"].isin(list(members))
        & values["value"].notna()
        & ~values["status"].fillna("").astype(str).str.len().gt(0)
    ]
    grouped = rows.groupby("period")["value"]
    out = pd.DataFrame({"mean": grouped.mean(), "count": grouped.count()})
    out.index = out.index.astype(str)
    return out.sort_index()


def with_group(
    view: SeriesView, values: pd.DataFrame, group: KommunGroup, lang: str
) -> tuple[SeriesView, str | None]:
    """Add the group mean as one more column of the view's table, with a note.

    Counts (``kind = "count"``) and categorical values have no meaningful mean across
    kommuner of different sizes and are returned unchanged.

    Returns
    -------
    tuple
        The view (with the extra column when added) and one sentence saying how the
        mean was computed, or ``None`` when nothing was added.
    """
    if view.indicator.kind == "count" or view.indicator.unit == "läge":
        return view, None
    means = group_mean(values, view.indicator.id, group.members)
    if means.empty:
        return view, None
    table = view.table.copy()
    table.index = table.index.astype(str)
    table = table.reindex(table.index.union(means.index))
    table[group.label(lang)] = means["mean"].reindex(table.index)
    counts = means["count"]
    low, high = int(counts.min()), int(counts.max())
    shown = f"{low}" if low == high else f"{low}–{high}"
    total = len(group.members)
    if lang == "en":
        note = (
            f"The line for municipalities of the same type is sodd's unweighted mean of "
            f"the published values of {shown} of the group's {total} municipalities in "
            f"the store – not a published figure."
        )
    else:
        note = (
            f"Linjen för kommuner av samma typ är sodds oviktade medelvärde av de "
            f"publicerade värdena för {shown} av gruppens {total} kommuner i datalagret "
            f"– ingen publicerad siffra."
        )
    return replace(view, table=table), note
