"""Goals in the store: validate, save, delete and load ("Mål och uppföljning").

All goals live in one small dataset, ``lokal__mal`` (kind ``goals``, provider
``kommun``), whose rows are replaced whole on every save or delete, in one transaction,
the way :mod:`sodd.custom_areas_store` keeps custom areas. A goal may name any
indicator of the catalog it is given (official ones and the kommun's own) and any area
in the store: the kommun, a DeSO/RegSO or a custom area.
"""

from __future__ import annotations

import math
import uuid
from datetime import date
from typing import Final

import pandas as pd

from sodd.errors import CatalogError, SoddError
from sodd.goals import DIRECTIONS, Goal, period_end
from sodd.indicators.catalog_model import Catalog
from sodd.manifest import utc_now_iso
from sodd.schema import CUSTOM_LEVEL, GOAL_COLUMNS, LEVELS
from sodd.store import Store

GOALS_ID: Final = "lokal__mal"
GOALS_KIND: Final = "goals"
_PROVIDER: Final = "kommun"
_TITLE: Final = "Mål och uppföljning (kommunens egna mål)"
# Indicators published only for the kommun or coarser have no values for custom areas.
_DISTRICT_LEVELS: Final = ("deso", "regso")


class GoalError(SoddError):
    """A goal that cannot be saved or found; the message (Swedish) names the field."""


def goals_frame(goals: list[Goal]) -> pd.DataFrame:
    """The goals as a frame with the ``goals`` contract (``GOAL_COLUMNS``)."""
    rows = [{column: getattr(goal, column) for column in GOAL_COLUMNS} for goal in goals]
    frame = pd.DataFrame(rows, columns=list(GOAL_COLUMNS))
    text = [c for c in GOAL_COLUMNS if c != "target_value"]
    return frame.astype(dict.fromkeys(text, "str") | {"target_value": "float64"})


def goals_from_frame(frame: pd.DataFrame) -> list[Goal]:
    """Goals from stored rows, in the order they were saved (new goals are appended)."""
    goals = []
    for row in frame.to_dict("records"):
        fields = {c: "" if _missing(row.get(c)) else str(row[c]) for c in GOAL_COLUMNS}
        goals.append(Goal(**(fields | {"target_value": float(row["target_value"])})))  # type: ignore[arg-type]
    return goals


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def load_goals(store: Store) -> list[Goal]:
    """Return the saved goals in the order they were saved (none when nothing is saved)."""
    if GOALS_ID not in store.manifest().datasets:
        return []
    return goals_from_frame(store.read(GOALS_KIND, dataset_ids=[GOALS_ID]))


def _number(raw: float | str) -> float:
    try:
        value = float(str(raw).strip().replace("\u2212", "-").replace(",", ".").replace(" ", ""))
    except ValueError:
        raise GoalError(f"Målvärdet {raw!r} är inte ett tal (målvärde).") from None
    if not math.isfinite(value):
        raise GoalError(f"Målvärdet {raw!r} är inte ett ändligt tal (målvärde).")
    return value


def _date(raw: date | str) -> str:
    if isinstance(raw, date):
        return raw.isoformat()
    try:
        return date.fromisoformat(str(raw).strip()).isoformat()
    except ValueError:
        raise GoalError(
            f"Måldatumet {raw!r} är inte ett datum; skriv det som ÅÅÅÅ-MM-DD (måldatum)."
        ) from None


def _check_level(indicator_id: str, lowest: str, level: str) -> None:
    fine = level in LEVELS and lowest in LEVELS and LEVELS.index(level) >= LEVELS.index(lowest)
    if level == CUSTOM_LEVEL:
        fine = lowest in _DISTRICT_LEVELS or lowest not in LEVELS
    if not fine and lowest in LEVELS:
        raise GoalError(
            f"Indikatorn {indicator_id!r} redovisas inte finare än nivån {lowest}; välj "
            f"kommunen eller ett större område (område)."
        )


def _check_area(store: Store, region_code: str, level: str, geo_vintage: str) -> None:
    found = store.read_regions(
        filters=[("region_code", "==", region_code), ("level", "==", level)],
        columns=["region_code", "level", "geo_vintage"],
    )
    vintages = set(found["geo_vintage"].fillna("").astype("str"))
    if geo_vintage not in vintages:
        where = f" ({geo_vintage})" if geo_vintage else ""
        raise GoalError(
            f"Området {region_code!r} på nivån {level}{where} finns inte i datalagret (område)."
        )


def new_goal(
    store: Store,
    catalog: Catalog,
    *,
    indicator_id: str,
    region_code: str,
    level: str,
    target_value: float | str,
    direction: str,
    target_date: date | str,
    responsible: str,
    geo_vintage: str = "",
    baseline_period: str = "",
    note: str = "",
    created_at: str | None = None,
) -> Goal:
    """Validate the fields of a new goal and return it (not yet saved).

    Raises
    ------
    GoalError
        In Swedish, naming the field: unknown indicator, area not in the store, level
        finer than the indicator is published at, target not a number, unknown
        direction, target date not a date, baseline not a period, no responsible nämnd.
    """
    try:
        indicator = catalog.get(indicator_id)
    except CatalogError:
        raise GoalError(f"Okänd indikator {indicator_id!r} (indikator).") from None
    if direction not in DIRECTIONS:
        raise GoalError(
            f"Riktningen {direction!r} är okänd; välj at_most (högst) eller at_least "
            "(minst) (riktning)."
        )
    value = _number(target_value)
    day = _date(target_date)
    baseline = str(baseline_period or "").strip()
    if baseline and period_end(baseline) is None:
        raise GoalError(f"Basåret {baseline!r} är ingen period som 2024 eller 2024M03 (basår).")
    if not responsible.strip():
        raise GoalError("Ange vilken nämnd som ansvarar för målet (ansvarig nämnd).")
    code, vintage = str(region_code).strip(), str(geo_vintage or "").strip()
    _check_level(indicator_id, indicator.lowest_level, level)
    _check_area(store, code, level, vintage)
    return Goal(
        goal_id=uuid.uuid4().hex[:12],
        indicator_id=indicator_id,
        region_code=code,
        level=level,
        geo_vintage=vintage,
        target_value=value,
        direction=direction,
        target_date=day,
        baseline_period=baseline,
        responsible=responsible.strip(),
        note=note.strip(),
        created_at=created_at or utc_now_iso(),
    )


def save_goal(store: Store, goal: Goal) -> Goal:
    """Add a goal (from :func:`new_goal`) to the stored ones, in one transaction.

    Raises
    ------
    GoalError
        When a goal with the same id is already saved.
    StoreError
        When the store cannot be written.
    """
    with store.transaction() as tx:
        goals = load_goals(store)
        if any(g.goal_id == goal.goal_id for g in goals):
            raise GoalError(f"Det finns redan ett mål med id {goal.goal_id!r}.")
        tx.write(
            GOALS_ID, GOALS_KIND, goals_frame([*goals, goal]), provider=_PROVIDER, title=_TITLE
        )
    return goal


def delete_goal(store: Store, goal_id: str) -> None:
    """Delete a goal; the dataset goes when the last goal does.

    Raises
    ------
    GoalError
        When no goal has that id.
    """
    with store.transaction() as tx:
        goals = load_goals(store)
        kept = [g for g in goals if g.goal_id != goal_id]
        if len(kept) == len(goals):
            raise GoalError(f"Det finns inget mål med id {goal_id!r}.")
        if kept:
            tx.write(GOALS_ID, GOALS_KIND, goals_frame(kept), provider=_PROVIDER, title=_TITLE)
        else:
            tx.remove(GOALS_ID)
