"""Turn a saved map view (its query parameters) into map choices the store can serve.

Pure: the presenter page calls :func:`resolve_map_choice` with the catalog and the
region index, then :func:`resolve_period` once it has the indicator's values. A value the
store can no longer serve (a kommun not in the store, an indicator removed from the
catalog, a year without data) falls back to what the Karta page would show by default,
with a :class:`sodd.url_state.Notice`, as a link opened on the Karta page does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

import pandas as pd

from sodd.indicators.catalog import Catalog
from sodd.maps import CLASS_METHODS
from sodd.schema import LEVELS
from sodd.url_state import KARTA, Notice, validate_value

__all__ = ["SCOPE_KINDS", "SCOPE_LEVELS", "MapChoice", "resolve_map_choice", "resolve_period"]

SCOPE_KINDS: Final = ("kommun", "lan", "riket")
# The levels a map of each scope offers (as on the Karta page).
SCOPE_LEVELS: Final[dict[str, tuple[str, ...]]] = {
    "kommun": ("deso", "regso"),
    "lan": ("deso", "regso", "kommun"),
    "riket": ("deso", "regso", "kommun", "lan"),
}


@dataclass(frozen=True)
class MapChoice:
    """What one map view shows, after checking the saved values against the store."""

    scope_kind: str
    scope_code: str | None
    scope_name: str
    indicator_id: str
    level: str
    method: str
    year: str | None  # as saved; checked by resolve_period
    notices: tuple[Notice, ...] = field(default=())


def _pick(
    name: str, params: Mapping[str, str], options: Sequence[str], notices: list[Notice]
) -> str | None:
    raw = params.get(name)
    if raw is None:
        return None
    value, notice = validate_value(KARTA.param(name), raw, list(options))
    if notice is not None:
        notices.append(notice)
    return None if value is None else str(value)


def resolve_map_choice(
    params: Mapping[str, str], catalog: Catalog, index: pd.DataFrame, lang: str = "sv"
) -> MapChoice:
    """Check a saved map view's parameters against the catalog and the regions.

    Parameters
    ----------
    params
        The view's query parameters (names as in :data:`sodd.url_state.KARTA`).
    catalog
        The indicator catalog.
    index
        Regions without geometry (``region_code``, ``level``, ``name``).
    lang
        Language of the name of Sweden.

    Returns
    -------
    MapChoice
        Values the store has, with a notice for each saved value that was replaced.
    """
    notices: list[Notice] = []
    kind = _pick("visa", params, SCOPE_KINDS, notices) or "kommun"
    code: str | None = None
    name = "Sverige" if lang == "sv" else "Sweden"
    if kind != "riket":
        rows = index.loc[index["level"] == kind].sort_values("name")
        names = dict(zip(rows["region_code"], rows["name"], strict=True))
        code = _pick(kind, params, list(names), notices)
        if code is None and names:
            code = next(iter(names))
        name = names.get(code or "", code or "")
    indicator_ids = [i.id for i in catalog.indicators]
    indicator_id = _pick("indikator", params, indicator_ids, notices) or indicator_ids[0]
    indicator = catalog.get(indicator_id)
    lowest = LEVELS.index(indicator.lowest_level)
    levels = [lvl for lvl in SCOPE_LEVELS[kind] if LEVELS.index(lvl) >= lowest] or [
        indicator.lowest_level
    ]
    level = _pick("niva", params, levels, notices) or levels[0]
    method = _pick("klass", params, CLASS_METHODS, notices) or CLASS_METHODS[0]
    return MapChoice(
        kind, code, name, indicator_id, level, method, params.get("ar"), tuple(notices)
    )


def resolve_period(choice: MapChoice, periods: Sequence[str]) -> tuple[str | None, Notice | None]:
    """The saved year when the store has it, else the latest, with a notice.

    Returns
    -------
    tuple
        ``(period, notice)``; ``period`` is ``None`` when ``periods`` is empty.
    """
    if not periods:
        return None, None
    if choice.year is None:
        return periods[-1], None
    value, notice = validate_value(KARTA.param("ar"), choice.year, list(periods))
    return (periods[-1] if value is None else str(value)), notice
