"""Which profile rows get a trend chart, and the chart's lines, gaps and caption. Pure.

Which indicators get a chart: those with a marked difference (against the kommun or the
peer area) or a marked change over time, and the Barnperspektiv (BKA) indicators, at most
:data:`MAX_PER_THEME` per theme. Charting all ~50 indicators would add pages nobody
reads; the marked ones are what a planner has to explain, and the BKA ones are what a
child impact assessment asks about. Used by the PDF (ReportLab) and HTML (SVG) charts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from sodd.formatting import format_number, unit_name
from sodd.i18n import t
from sodd.indicators.catalog import Theme
from sodd.profile import AreaProfile, ProfileRow
from sodd.profile_sections import CHILD_INDICATORS

MAX_PER_THEME: Final = 2
# Line order: the area, then the comparison lines.
SERIES: Final = ("area", "kommun", "riket", "peer")

History = Sequence[tuple[str, float | None]]


def _year(period: str) -> float | None:
    head = period[:4]
    return float(head) if head.isdigit() else None


def segments(history: History) -> list[list[tuple[float, float]]]:
    """Split a series at withheld years: each run of published values is one line.

    Parameters
    ----------
    history
        ``(period, value or None)`` oldest first.

    Returns
    -------
    list of list of (year, value)
        Runs of consecutive published values; a ``None`` ends a run (a gap, never 0).
    """
    runs: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for period, value in history:
        year = _year(period)
        if year is None:
            continue
        if value is None:
            if current:
                runs.append(current)
            current = []
            continue
        current.append((year, value))
    if current:
        runs.append(current)
    return runs


def series_of(row: ProfileRow) -> dict[str, History]:
    """The chart's lines, in :data:`SERIES` order, that have at least one value.

    Counts of different areas are never drawn together: the larger area's count is
    orders of magnitude larger and would flatten the other lines. So a count shows the
    area (and a peer, of similar size), or without the area only its nearest comparator.
    """
    keys = list(SERIES)
    if row.indicator.kind == "count":
        nearest = next((key for key in keys if key != "area" and key in row.history), None)
        keys = ["area", "peer"] if "area" in row.history else [nearest] if nearest else []
    return {
        key: row.history[key]
        for key in keys
        if key in row.history and any(v is not None for _, v in row.history[key])
    }


def chartable(row: ProfileRow) -> bool:
    """Whether a row has at least two years to draw (area, or the comparators without it)."""
    lines = series_of(row)
    main = lines.get("area") or lines.get("kommun") or ()
    return sum(v is not None for _, v in main) >= 2


def _priority(row: ProfileRow) -> int | None:
    # A marked change first (the chart shows it), then a marked difference, then BKA.
    if row.change is not None and row.change.direction:
        return 0
    if row.flag or row.peer_flag:
        return 1
    return 2 if row.indicator.id in CHILD_INDICATORS else None


def chart_rows(profile: AreaProfile) -> list[tuple[Theme, list[ProfileRow]]]:
    """The rows to chart per theme: marked or BKA, at most :data:`MAX_PER_THEME`.

    Within a theme a marked change comes first, then a marked difference, then the
    BKA indicators; the charts keep catalog order.
    """
    chosen = []
    for theme, rows in profile.themes:
        ranked = [
            (p, i)
            for i, row in enumerate(rows)
            if chartable(row)
            if (p := _priority(row)) is not None
        ]
        picked = sorted(i for _, i in sorted(ranked)[:MAX_PER_THEME])
        if picked:
            chosen.append((theme, [rows[i] for i in picked]))
    return chosen


def series_names(profile: AreaProfile, lang: str) -> dict[str, str]:
    """The name of each line: the area, its kommun, riket and the peer area."""
    return {
        "area": profile.name,
        "kommun": profile.kommun_name or t("exp_col_kommun", lang),
        "riket": t("exp_col_riket", lang),
        "peer": profile.peer.name if profile.peer else "",
    }


def cell_text(history: dict[str, float | None], period: str, decimals: int, lang: str) -> str:
    """A value of a chart's table: the number, ``..`` when withheld, empty when absent."""
    if period not in history:
        return ""
    value = history[period]
    return ".." if value is None else format_number(value, decimals, lang)


def table_rows(row: ProfileRow, profile: AreaProfile, lang: str) -> list[list[str]]:
    """The chart's values as a table: a header, then one row per year, one column per line."""
    lines = series_of(row)
    names = series_names(profile, lang)
    periods = sorted({p for history in lines.values() for p, _ in history})
    known = {key: dict(history) for key, history in lines.items()}
    header = [t("exp_col_year", lang), *(names[key] for key in lines)]
    body = [
        [p, *(cell_text(known[key], p, row.indicator.decimals, lang) for key in lines)]
        for p in periods
    ]
    return [header, *body]


def chart_caption(row: ProfileRow, lang: str) -> str:
    """The caption, e.g. ``Andel 0–19 år (procent), 2019–2024. Källa: SCB.``."""
    periods = sorted({p for history in series_of(row).values() for p, _ in history})
    ind = row.indicator
    return t(
        "exp_chart_caption",
        lang,
        indicator=ind.name(lang),
        unit=unit_name(ind.unit, lang),
        first=periods[0] if periods else "",
        last=periods[-1] if periods else "",
        # The catalog's attribution may already start with "Källa:".
        source=ind.attribution.removeprefix("Källa: ").removeprefix("Source: "),
    )
