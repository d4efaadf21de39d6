"""Words for goals: status names, the rule, and the one-sentence summary. Pure.

Shared by the page (:mod:`sodd.ui_goals`) and the follow-up report
(:mod:`sodd.export.goals_report`), so both say exactly the same thing.
"""

from __future__ import annotations

from sodd.formatting import format_value
from sodd.goals import AT_MOST, MET, NO_DATA, OFF_TRACK, ON_TRACK, Goal, GoalStatus
from sodd.i18n import register, t
from sodd.indicators.catalog_model import Indicator

register(
    {
        "goal_status_" + MET: ("Uppnått", "Met"),
        "goal_status_" + ON_TRACK: ("På väg", "On track"),
        "goal_status_" + OFF_TRACK: ("Inte på väg", "Not on track"),
        "goal_status_" + NO_DATA: ("Saknar data", "No data"),
        "goal_dir_at_most": ("högst", "at most"),
        "goal_dir_at_least": ("minst", "at least"),
        "goal_summary": (
            "{indicator} i {area} var {value} år {period}; målet är {direction} {target} "
            "senast {date}. {status}.",
            "{indicator} in {area} was {value} in {period}; the goal is {direction} {target} "
            "by {date}. {status}.",
        ),
        "goal_summary_none": (
            "{indicator} i {area} har inget publicerat värde ännu; målet är {direction} "
            "{target} senast {date}. {status}.",
            "{indicator} in {area} has no published value yet; the goal is {direction} "
            "{target} by {date}. {status}.",
        ),
        "goal_withheld": (
            "Det senaste året redovisas inte (..), så det senaste publicerade värdet används.",
            "The latest year is not published (..), so the latest published value is used.",
        ),
        "goal_rule": (
            "Bara publicerade värden används (skyddade värden, '..', "
            "räknas inte). Uppnått: det senaste värdet når målet. Saknar data: inget värde, "
            "eller färre än två värden från basåret och framåt. Inte på väg: målåret har "
            "redan passerats i statistiken utan att målet nåtts, eller utvecklingen går åt "
            "fel håll eller står still. På väg: en rät linje anpassad till värdena från "
            "basåret (minsta kvadratmetoden) når målet senast måldatumet. Ett år räknas "
            "som avslutat vid årets slut.",
            "Only published values are used (protected values, '..', "
            "do not count). Met: the latest value reaches the target. No data: no value, or "
            "fewer than two values from the baseline year on. Not on track: the target date "
            "has already passed in the statistics without the target being met, or the "
            "trend goes the wrong way or is flat. On track: a straight line fitted to the "
            "values from the baseline year (least squares) reaches the target by the "
            "target date. A year counts as complete at its end.",
        ),
    }
)


def status_label(status: str, lang: str = "sv") -> str:
    """The status in words (``"På väg"``)."""
    return t("goal_status_" + status, lang)


def direction_word(direction: str, lang: str = "sv") -> str:
    """``"högst"`` for ``at_most``, ``"minst"`` for ``at_least``."""
    return t("goal_dir_" + direction, lang)


def rule_text(lang: str = "sv") -> str:
    """The rule that turns a series into a status, in plain words."""
    return t("goal_rule", lang)


def format_goal_value(value: float | None, indicator: Indicator, lang: str = "sv") -> str:
    """A value or target in the indicator's unit and decimals (``"24,6 per 10 000 inv."``)."""
    return format_value(value, unit=indicator.unit, decimals=indicator.decimals, lang=lang)


def summary_sentence(
    goal: Goal, judged: GoalStatus, indicator: Indicator, area_name: str, lang: str = "sv"
) -> str:
    """One plain sentence: the latest value, the target and the status.

    Parameters
    ----------
    goal
        The goal.
    judged
        Its status from :func:`sodd.goals.judge`.
    indicator
        The goal's indicator (name, unit, decimals).
    area_name
        The area's name as shown to the user.
    lang
        ``"sv"`` or ``"en"``.

    Returns
    -------
    str
        E.g. "Hemlöshet … i Karlstad var 24,6 … år 2023; målet är högst 15 … senast
        2030-12-31. På väg."
    """
    values = {
        "indicator": indicator.name(lang),
        "area": area_name,
        "direction": direction_word(goal.direction if goal.direction else AT_MOST, lang),
        "target": format_goal_value(goal.target_value, indicator, lang),
        "date": goal.target_date,
        "status": status_label(judged.status, lang),
    }
    if judged.latest_value is None:
        text = t("goal_summary_none", lang, **values)
    else:
        text = t(
            "goal_summary",
            lang,
            value=format_goal_value(judged.latest_value, indicator, lang),
            period=judged.latest_period,
            **values,
        )
    if judged.latest_withheld and judged.latest_value is not None:
        text += " " + t("goal_withheld", lang)
    return text
