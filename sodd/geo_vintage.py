"""Never mix area vintages: values of one DeSO/RegSO vintage join only polygons of the same.

SCB did not recompute old years on the 2025 areas, and one code can name two different
areas in DeSO 2018 and DeSO 2025 (data-sources §1.2). A join across vintages would give
silently wrong or empty maps, so it is refused with a message that says what to do.
"""

from __future__ import annotations

import pandas as pd

from sodd.i18n import register

# The store's kinds are shown on the sources page as "kind_<kind>"; this module is
# imported wherever regions are (via sodd.geo), so the crosswalk kind always has a label.
register({"kind_crosswalk": ("Kopplingstabell", "Key table")})

VINTAGED_LEVELS = ("deso", "regso")
_LEVEL_NAMES = {"deso": "DeSO", "regso": "RegSO"}


def _vintages(frame: pd.DataFrame, level: str) -> set[str]:
    rows = frame.loc[frame["level"] == level, "geo_vintage"].fillna("").astype("str")
    return {v for v in rows.unique().tolist() if v}


def check_vintage(values: pd.DataFrame, regions: pd.DataFrame) -> None:
    """Raise when values of one area vintage are about to be joined to another's polygons.

    For DeSO and RegSO, every vintage among the values must be one the regions have at
    that level; regions without any row at the level are not checked (nothing to mix
    with). Kommun, län and riket have no vintage.

    Parameters
    ----------
    values
        Frame with ``level`` and ``geo_vintage`` (indicator values or observations).
    regions
        Frame with ``level`` and ``geo_vintage`` (regions, with or without geometry).

    Raises
    ------
    ValueError
        In Swedish, naming the level and both vintages.
    """
    for level in VINTAGED_LEVELS:
        wanted = _vintages(values, level)
        have = _vintages(regions, level)
        if not wanted or not have:
            continue
        foreign = sorted(wanted - have)
        if foreign:
            name = _LEVEL_NAMES[level]
            raise ValueError(
                f"Värdena gäller {name} {', '.join(foreign)}, men områdena är "
                f"{name} {', '.join(sorted(have))}. Indelningarna får inte blandas: "
                f"en {name}-kod kan avse olika områden i olika årgångar. Välj ett år "
                f"som redovisas på {name} {', '.join(sorted(have))}, eller hämta gränserna "
                f"för {name} {', '.join(foreign)} (sodd refresh geo)."
            )


__all__ = ["VINTAGED_LEVELS", "check_vintage"]
