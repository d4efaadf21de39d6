"""Delete one stored upload of the kommun's own data (kind, kommun, period[, indicator]).

Uses :func:`sodd.local.store.rewrite_local`, the write path of saves, so the derived
indicator values and the saved custom areas are rebuilt exactly as after a save.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sodd.errors import SoddError
from sodd.local.store import DATASETS, load_local, rewrite_local
from sodd.local.templates import KIND_NAMES_SV
from sodd.manifest import utc_now_iso
from sodd.store import Store


class NothingToDeleteError(SoddError):
    """No stored rows match what was asked to be deleted; nothing changed."""


@dataclass(frozen=True)
class DeleteResult:
    """What a deletion removed: dataset, rows removed and rows left in it."""

    dataset_id: str
    rows_removed: int
    rows_left: int


def delete_local(
    store: Store,
    kind: str,
    kommun_code: str,
    period: str,
    *,
    disclosure_min: int,
    indicator: str | None = None,
) -> DeleteResult:
    """Delete one stored upload: a kind's rows for one kommun and period.

    Goes through the same write path as :func:`save_local`, so the derived indicator
    values and the saved custom areas follow.

    Parameters
    ----------
    store
        The store.
    kind
        ``kartlaggning``, ``insatser`` or ``indikator``.
    kommun_code, period
        The upload's kommun and period.
    disclosure_min
        ``Settings.disclosure_min``, for the rebuilt indicator values.
    indicator
        For ``indikator``: the own indicator's name or id (required).

    Returns
    -------
    DeleteResult
        What was removed.

    Raises
    ------
    NothingToDeleteError
        When nothing stored matches (Swedish message naming kind, kommun and period).
    StoreError
        When the store cannot be written (nothing changes then).
    """
    if kind == "indikator" and not indicator:
        raise NothingToDeleteError("Ange vilken egen indikator som ska tas bort (indikator).")
    removed = 0

    def drop(old: pd.DataFrame | None) -> pd.DataFrame:
        nonlocal removed
        if old is None:
            old = load_local(store, kind)
        match = (old["kommun_code"] == str(kommun_code)) & (old["period"] == str(period))
        if kind == "indikator":
            match &= (old["variable"] == indicator) | (old["name"] == indicator)
        removed = int(match.sum())
        if not removed:
            what = f"indikatorn {indicator!r} i " if kind == "indikator" else ""
            raise NothingToDeleteError(
                f"Det finns inga sparade uppgifter ({KIND_NAMES_SV[kind].lower()}, "
                f"{what}kommun {kommun_code}, period {period}) att ta bort."
            )
        return old.loc[~match]

    left = rewrite_local(store, kind, drop, disclosure_min=disclosure_min, when=utc_now_iso())
    return DeleteResult(DATASETS[kind], removed, len(left))
