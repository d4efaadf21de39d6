"""Small-number protection for the kommun's own counts: ``<5`` plus secondary suppression.

A count of persons or households below the configured minimum (``Settings.disclosure_min``,
``SODD_DISCLOSURE_MIN``, default 5) could point out individuals, so it is never shown:
it is marked :data:`SMALL` and displayed as ``<5``. Hiding it alone is not enough when
the table also shows a total: the hidden count would be the total minus the other parts.
Secondary suppression therefore hides one more cell (:data:`HIDDEN`, displayed ``..``)
in every group of parts that adds up to a shown total and would otherwise have exactly
one hidden cell. Hiding one cell can leave another group with a single hidden cell, so
the rule is applied over every dimension until nothing changes (the cascade).

Choices, and why:

- **Zero is shown.** Only ``0 < n < minimum`` is primary-protected. A zero describes no
  person, and SCB and Socialstyrelsen normally publish zeros while masking small positive
  counts; hiding zeros would also blank most of a sparse local table for no gain.
- **Secondary cell = the smallest other non-zero part**, preferring an ordinary part
  over one that is itself a total (a total hidden costs more readers more information).
  Only if no such part exists is the group's own total hidden, and last of all a zero
  part; either still leaves two unknowns in one equation.
- **Missing cells (NaN) are left alone**: they are neither protected nor chosen, and do
  not count as hidden (an attacker may know them from elsewhere).
- Only groups whose total is in the table are protected against subtraction: without
  the total there is nothing to subtract from. Use :func:`add_totals` first when the
  table is shown (or exported) with its totals.
- Columns other than the dimensions and the value (region, period, ...) are "by"
  columns: each combination is a separate table and is protected on its own.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Sequence

import pandas as pd

from sodd.formatting import format_number
from sodd.i18n import register, t

SMALL = "small"
HIDDEN = "hidden"

register(
    {
        "disclosure_legend": (
            "<{n} = färre än {n} (visas inte för att skydda enskilda personer). "
            ".. = dold för att ett litet värde inte ska kunna räknas fram ur summan.",
            "<{n} = fewer than {n} (not shown, to protect individuals). "
            ".. = hidden so that a small value cannot be worked out from the total.",
        ),
    }
)

Key = tuple[Hashable, ...]


def _by_columns(frame: pd.DataFrame, value: str, dims: Sequence[str]) -> list[str]:
    missing = [c for c in [value, *dims] if c not in frame.columns]
    if missing:
        raise ValueError(f"Tabellen saknar kolumnen {', '.join(missing)}.")
    return [c for c in frame.columns if c != value and c not in dims]


def add_totals(
    frame: pd.DataFrame, *, value: str, dims: Sequence[str], total_label: str = "Totalt"
) -> pd.DataFrame:
    """Add every missing margin (sum over each subset of ``dims``) to a table of counts.

    Margins are summed from the detail rows (rows where no dimension is ``total_label``)
    separately for each combination of the other ("by") columns. Rows already present
    are kept as they are, so a published total is never replaced by a computed one.

    Parameters
    ----------
    frame
        Long table: one row per cell, the count in ``value``.
    value
        Name of the count column.
    dims
        Dimension columns the table is broken down by.
    total_label
        Label a dimension takes in a margin row.

    Returns
    -------
    pandas.DataFrame
        ``frame`` with the missing margin rows appended (index renumbered).
    """
    by = _by_columns(frame, value, dims)
    dims = list(dims)
    if not dims or frame.empty:
        return frame.reset_index(drop=True)
    is_total = (frame[dims].astype("object") == total_label).any(axis=1)
    detail = frame.loc[~is_total]
    keys = by + dims
    present = set(_row_keys(frame, keys))
    added: list[pd.DataFrame] = []
    for size in range(1, len(dims) + 1):
        for summed in itertools.combinations(dims, size):
            kept = by + [d for d in dims if d not in summed]
            if kept:
                margin = (
                    detail.groupby(kept, dropna=False, sort=False)[value]
                    .sum(min_count=1)
                    .reset_index()
                )
            else:
                margin = pd.DataFrame({value: [detail[value].sum(min_count=1)]})
            for dim in summed:
                margin[dim] = total_label
            margin = margin[[*keys, value]]
            new = [k not in present for k in _row_keys(margin, keys)]
            added.append(margin.loc[new])
    result = pd.concat(
        [frame.astype(dict.fromkeys(dims, "object")), *added], ignore_index=True, sort=False
    )
    return result


def _row_keys(frame: pd.DataFrame, columns: Sequence[str]) -> list[Key]:
    return [tuple(row) for row in frame[list(columns)].itertuples(index=False, name=None)]


def _groups(keys: list[Key], total_label: str) -> list[tuple[int, list[int]]]:
    """Each (total position, part positions) along one dimension, others held fixed."""
    where = {k: i for i, k in enumerate(keys)}
    groups: list[tuple[int, list[int]]] = []
    for axis in range(len(keys[0]) if keys else 0):
        parts_of: dict[Key, list[int]] = {}
        for i, key in enumerate(keys):
            if key[axis] != total_label:
                rest = key[:axis] + key[axis + 1 :]
                parts_of.setdefault(rest, []).append(i)
        for rest, parts in parts_of.items():
            total = where.get((*rest[:axis], total_label, *rest[axis:]))
            if total is not None:
                groups.append((total, parts))
    return groups


def _pick_secondary(
    total: int,
    parts: list[int],
    values: list[float],
    marks: list[str | None],
    is_margin: list[bool],
) -> int | None:
    open_parts = [i for i in parts if marks[i] is None and not math.isnan(values[i])]
    nonzero = [i for i in open_parts if values[i] != 0]
    if nonzero:
        return min(nonzero, key=lambda i: (is_margin[i], values[i], i))
    if marks[total] is None and not math.isnan(values[total]):
        return total
    return open_parts[0] if open_parts else None


def _protect_table(
    keys: list[Key], values: list[float], minimum: int, total_label: str
) -> list[str | None]:
    marks: list[str | None] = [
        SMALL if not math.isnan(v) and 0 < v < minimum else None for v in values
    ]
    if len(set(keys)) != len(keys):
        raise ValueError("Tabellen har flera rader för samma cell; slå ihop dem först.")
    is_margin = [total_label in key for key in keys]
    groups = _groups(keys, total_label)
    changed = True
    while changed:
        changed = False
        for total, parts in groups:
            hidden = sum(marks[i] is not None for i in [total, *parts])
            if hidden != 1:
                continue
            pick = _pick_secondary(total, parts, values, marks, is_margin)
            if pick is not None:
                marks[pick] = HIDDEN
                changed = True
    return marks


def protect_counts(
    frame: pd.DataFrame,
    *,
    value: str,
    dims: Sequence[str],
    minimum: int,
    total_label: str = "Totalt",
) -> pd.Series:
    """Mark the cells of a table of counts that must not be shown.

    Primary: ``0 < count < minimum`` is :data:`SMALL`. Secondary: in every group of
    parts adding up to a total present in the table (along each dimension, the others
    fixed, margins included as parts of higher totals) with exactly one hidden cell,
    the smallest other non-zero part is :data:`HIDDEN`; repeated until stable. See the
    module docstring for the choices (zeros shown, NaN left alone).

    Parameters
    ----------
    frame
        Long table: one row per cell; margins are rows whose dimension is ``total_label``.
    value
        Name of the count column.
    dims
        Dimension columns; every other column except ``value`` is a "by" column.
    minimum
        Smallest count that may be shown (``Settings.disclosure_min``).
    total_label
        Label of a margin in a dimension column.

    Returns
    -------
    pandas.Series
        Index-aligned with ``frame``: ``None``, :data:`SMALL` or :data:`HIDDEN`.

    Raises
    ------
    ValueError
        When a column is missing or a cell occurs twice.
    """
    by = _by_columns(frame, value, dims)
    result = pd.Series([None] * len(frame), index=frame.index, dtype="object")
    if frame.empty:
        return result
    numbers = pd.to_numeric(frame[value], errors="coerce").astype("float64")
    parts = frame.groupby(by, dropna=False, sort=False).indices if by else {(): range(len(frame))}
    for positions in parts.values():
        rows = list(positions)
        keys = _row_keys(frame.iloc[rows], list(dims))
        marks = _protect_table(keys, numbers.iloc[rows].tolist(), minimum, total_label)
        result.iloc[rows] = marks
    return result


def format_protected(
    value: float | None,
    protection: str | None,
    minimum: int,
    lang: str,
    *,
    decimals: int = 0,
) -> str:
    """Format a count for screen or export, respecting its protection mark.

    Parameters
    ----------
    value
        The count; ``None``/NaN gives an empty string (a missing cell, not a hidden one).
    protection
        ``None``, :data:`SMALL` or :data:`HIDDEN` (from :func:`protect_counts`).
    minimum
        The threshold shown in ``"<5"``.
    lang
        ``"sv"`` or ``"en"``.
    decimals
        Digits after the decimal sign for a shown value.

    Returns
    -------
    str
        ``"<5"``, ``".."`` or the number in the language's format.
    """
    if protection == SMALL:
        return f"<{minimum}"
    if protection == HIDDEN:
        return ".."
    return format_number(value, decimals, lang)


def protection_legend(minimum: int, lang: str) -> str:
    """Explain ``<N`` and ``..`` in one or two sentences for a table's footnote.

    Parameters
    ----------
    minimum
        The threshold (``Settings.disclosure_min``).
    lang
        ``"sv"`` or ``"en"``.

    Returns
    -------
    str
        The legend text.
    """
    return t("disclosure_legend", lang, n=minimum)
