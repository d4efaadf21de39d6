"""Each goal with its series, status and sentence: what the page and the report show. Pure.

:func:`build_goal_views` joins the stored goals to the catalog, the area names and the
stored indicator values once, so the page (:mod:`sodd.ui_goals`) and the follow-up
report (:mod:`sodd.export.goals_report`) cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from sodd.errors import CatalogError
from sodd.goals import Goal, GoalStatus, goal_series, judge
from sodd.goals_text import summary_sentence
from sodd.indicators.catalog_model import Catalog, Indicator


@dataclass(frozen=True)
class GoalView:
    """One goal ready to show.

    Attributes
    ----------
    goal
        The stored goal.
    indicator
        Its catalog entry, or ``None`` when the catalog no longer has it.
    area_name
        The area's name (the code when the store has no name).
    series
        The stored rows of the goal's indicator and area, oldest first (``period,
        value, status, provenance, usable``): values exactly as stored.
    judged
        The status and the figures behind it.
    summary
        The one-sentence summary (empty when the indicator is unknown).
    """

    goal: Goal
    indicator: Indicator | None
    area_name: str
    series: pd.DataFrame
    judged: GoalStatus
    summary: str

    def provenances(self) -> list[str]:
        """The ``provider:table`` labels behind the series, sorted, without repeats."""
        if "provenance" not in self.series.columns:
            return []
        labels = {
            part.strip()
            for text in self.series["provenance"].dropna().astype("str")
            for part in text.split(";")
            if part.strip()
        }
        return sorted(labels)


def build_goal_views(
    goals: Sequence[Goal],
    values: pd.DataFrame,
    catalog: Catalog,
    area_names: Mapping[str, str],
    lang: str = "sv",
) -> list[GoalView]:
    """Judge every goal against the stored values.

    Parameters
    ----------
    goals
        The goals (e.g. :func:`sodd.goals_store.load_goals`).
    values
        Indicator values covering the goals' areas (any extra rows are ignored).
    catalog
        The catalog in use (official and the kommun's own indicators).
    area_names
        Region code → name.
    lang
        ``"sv"`` or ``"en"``.

    Returns
    -------
    list of GoalView
        In the order of ``goals``.
    """
    views = []
    for goal in goals:
        try:
            indicator: Indicator | None = catalog.get(goal.indicator_id)
        except CatalogError:
            indicator = None
        series = goal_series(values, goal)
        judged = judge(goal, series)
        name = area_names.get(goal.region_code, goal.region_code)
        summary = (
            summary_sentence(goal, judged, indicator, name, lang) if indicator is not None else ""
        )
        views.append(GoalView(goal, indicator, name, series, judged, summary))
    return views
