"""The kommun's own mapping beside Socialstyrelsen's published figures, per year (pure)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from sodd.disclosure import protect_counts
from sodd.local.templates import SITUATION_NAMES, TOTAL
from sodd.local.values import mapping_totals


def local_by_situation(mapping: pd.DataFrame, kommun: str) -> pd.DataFrame:
    """Persons per year and situation in the kommun's own mapping.

    Uses the kommun-level rows; when the kommun mapped only districts, the districts of
    the finest level are added up.

    Returns
    -------
    pandas.DataFrame
        ``period``, ``situation`` (``"1"``–``"4"``), ``value``.
    """
    columns = ["period", "situation", "value"]
    rows = (
        mapping.loc[mapping["kommun_code"].astype(str) == kommun] if not mapping.empty else mapping
    )
    if rows.empty:
        return pd.DataFrame(columns=columns)
    own = rows.loc[rows["level"] == "kommun"]
    if own.empty:
        finest = "deso" if (rows["level"] == "deso").any() else "regso"
        own = rows.loc[rows["level"] == finest]
    situation = own["dims"].map(lambda text: json.loads(text).get("situation", TOTAL))
    parts = []
    for number in SITUATION_NAMES:
        chosen = own.loc[situation == number]
        if chosen.empty:
            continue
        totals = mapping_totals(chosen)
        summed = totals.groupby("period", as_index=False)["value"].sum()
        parts.append(summed.assign(situation=number))
    if not parts:
        return pd.DataFrame(columns=columns)
    result: pd.DataFrame = pd.concat(parts, ignore_index=True)[columns]
    return result


def official_by_situation(observations: pd.DataFrame, kommun: str) -> pd.DataFrame:
    """Socialstyrelsen's published persons per year and situation for the kommun.

    Returns
    -------
    pandas.DataFrame
        ``period``, ``situation``, ``value`` (NaN where not published).
    """
    rows = observations.loc[
        (observations["provider"] == "socialstyrelsen")
        & (observations["table_id"] == "hemloshetskartlaggning")
        & (observations["region_code"] == kommun)
        & (observations["variable"] == "personer")
    ]
    situation = rows["dims"].map(lambda text: str(json.loads(text).get("situation", "")))
    frame = pd.DataFrame(
        {"period": rows["period"].astype(str), "situation": situation, "value": rows["value"]}
    )
    return frame.loc[frame["situation"].isin(list(SITUATION_NAMES))].reset_index(drop=True)


def beside_official(
    mapping: pd.DataFrame, observations: pd.DataFrame, kommun: str, *, minimum: int
) -> pd.DataFrame:
    """Own and official counts per year and situation (1–4 and the total), side by side.

    The kommun's own counts carry a protection mark (``own_protection``: ``None``,
    ``"small"`` or ``"hidden"``) from :func:`sodd.disclosure.protect_counts`, with the
    total as the sum of the four situations.

    Returns
    -------
    pandas.DataFrame
        ``period``, ``situation`` (``"1"``–``"4"`` or ``"totalt"``), ``own``,
        ``own_protection``, ``official``; every year either has (NaN where one is missing).
    """
    own = local_by_situation(mapping, kommun)
    columns = ["period", "situation", "own", "own_protection", "official"]
    if own.empty:
        return pd.DataFrame(columns=columns)
    totals = own.groupby("period", as_index=False)["value"].sum().assign(situation=TOTAL)
    own = pd.concat([own, totals], ignore_index=True).rename(columns={"value": "own"})
    own["own_protection"] = protect_counts(
        own[["period", "situation", "own"]],
        value="own",
        dims=["situation"],
        minimum=minimum,
        total_label=TOTAL,
    ).to_numpy()
    official = official_by_situation(observations, kommun)
    if not official.empty:
        # A total only when every situation is published that year.
        complete = official.groupby("period")["value"].apply(lambda s: bool(s.notna().all()))
        sums = official.groupby("period")["value"].sum()
        official_totals = pd.DataFrame(
            {
                "period": sums.index,
                "situation": TOTAL,
                "value": sums.where(complete, np.nan).to_numpy(),
            }
        )
        official = pd.concat([official, official_totals], ignore_index=True)
    merged = own.merge(
        official.rename(columns={"value": "official"}), on=["period", "situation"], how="outer"
    )
    order = {key: i for i, key in enumerate([*SITUATION_NAMES, TOTAL])}
    merged = merged.sort_values(
        ["period", "situation"], key=lambda s: s.map(order) if s.name == "situation" else s
    )
    result: pd.DataFrame = merged.reset_index(drop=True)[columns]
    return result
