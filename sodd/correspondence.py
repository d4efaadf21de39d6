"""DeSO 2018 ↔ DeSO 2025 correspondence computed from the two sets of polygons.

SCB publishes no area-weighted key between the two DeSO vintages (data-sources §1.3),
and a code present in both is not guaranteed to cover the same area. Overlaps are
measured in SWEREF 99 TM (EPSG:3006, metres), so shares are true area shares. Pure:
GeoDataFrames in, a DataFrame out.
"""

from __future__ import annotations

from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from sodd.formatting import format_number
from sodd.i18n import register, t

METRIC_CRS: Final = "EPSG:3006"
# Mutual overlap at or above this counts as the same area (border generalisation and
# coordinate rounding differ a little between layers).
SAME_AREA: Final = 0.99
# Overlaps below this share of both areas are border noise, not a correspondence.
NOISE: Final = 0.01
CORRESPONDENCE_COLUMNS: Final = (
    "code_2018",
    "code_2025",
    "overlap_share_of_2018",
    "overlap_share_of_2025",
    "status",
)
STATUSES: Final = ("oförändrad", "ändrad", "gränsändring", "ny", "upphörd")

register(
    {
        "corr_unchanged": (
            "Området är oförändrat mellan DeSO 2018 och DeSO 2025.",
            "The area is unchanged between DeSO 2018 and DeSO 2025.",
        ),
        "corr_changed_2025": (
            "Området ändrades 2025: ytan kommer från {parts} i DeSO 2018.",
            "The area changed in 2025: its land comes from {parts} in DeSO 2018.",
        ),
        "corr_changed_2018": (
            "Området ändrades 2025: ytan ingår nu i {parts} i DeSO 2025.",
            "The area changed in 2025: its land is now part of {parts} in DeSO 2025.",
        ),
        "corr_new": (
            "Området är nytt i DeSO 2025 och har ingen motsvarighet i DeSO 2018.",
            "The area is new in DeSO 2025 and has no counterpart in DeSO 2018.",
        ),
        "corr_ended": (
            "Området upphörde 2025 och har ingen motsvarighet i DeSO 2025.",
            "The area ended in 2025 and has no counterpart in DeSO 2025.",
        ),
        "corr_part": ("{code} ({share} %)", "{code} ({share} %)"),
        "corr_and": (" och ", " and "),
    }
)


def _metric(frame: gpd.GeoDataFrame, code_column: str) -> gpd.GeoDataFrame:
    if not isinstance(frame, gpd.GeoDataFrame) or frame.crs is None:
        raise ValueError("Båda DeSO-indelningarna måste vara GeoDataFrames med koordinatsystem.")
    if code_column not in frame.columns:
        raise ValueError(f"DeSO-indelningen saknar kolumnen {code_column!r}.")
    if frame[code_column].duplicated().any():
        duplicate = frame.loc[frame[code_column].duplicated(), code_column].iloc[0]
        raise ValueError(f"DeSO-koden {duplicate!r} förekommer två gånger i samma indelning.")
    metric = frame[[code_column, frame.active_geometry_name]].to_crs(METRIC_CRS)
    metric = metric.sort_values(code_column, ignore_index=True)
    return metric.set_geometry(_partition(metric.geometry.values), crs=METRIC_CRS)


def _partition(geoms: np.ndarray) -> np.ndarray:
    """Remove overlaps between areas of one vintage: the lower code keeps the land.

    SCB's own layers are a clean partition, but copies simplified polygon by polygon
    overlap their neighbours by up to a fifth of a small area; counted as they are,
    those overlaps would read as boundary changes between unchanged areas.
    """
    geoms = shapely.make_valid(geoms)
    tree = shapely.STRtree(geoms)
    # Only overlapping neighbours matter, but a difference with a merely touching one
    # changes nothing and is cheaper than measuring each overlap first.
    left, right = tree.query(geoms, predicate="overlaps")
    earlier = right < left
    result = geoms.copy()
    for index in np.unique(left[earlier]):
        others = shapely.union_all(geoms[right[earlier & (left == index)]])
        result[index] = shapely.difference(geoms[index], others)
    return result


def _status(code_2018: str, code_2025: str, mutual: bool, old: set[str], new: set[str]) -> str:
    if code_2018 == code_2025:
        return "oförändrad" if mutual else "ändrad"
    if code_2025 not in old:
        return "ny"
    if code_2018 not in new:
        return "upphörd"
    return "gränsändring"


def compute_correspondence(
    deso2018: gpd.GeoDataFrame, deso2025: gpd.GeoDataFrame, *, code_column: str = "region_code"
) -> pd.DataFrame:
    """Pair every DeSO 2018 with the DeSO 2025 it overlaps, and say how it changed.

    Parameters
    ----------
    deso2018, deso2025
        The polygons of each vintage (any CRS; measured in EPSG:3006).
    code_column
        The column holding the DeSO code in both frames.

    Returns
    -------
    pandas.DataFrame
        :data:`CORRESPONDENCE_COLUMNS`, one row per overlapping pair (share of either
        area ≥ 1 %), plus one row with a null partner for an area overlapping nothing.
        ``status``: ``oförändrad`` (same code, ≥ 99 % mutual overlap), ``ändrad`` (same
        code, other area), ``ny`` (the 2025 code did not exist in 2018), ``upphörd``
        (the 2018 code no longer exists), ``gränsändring`` (two codes of both vintages
        exchanging land).

    Raises
    ------
    ValueError
        When a frame lacks a CRS or the code column, or repeats a code.
    """
    old = _metric(deso2018, code_column)
    new = _metric(deso2025, code_column)
    old_codes, new_codes = set(old[code_column]), set(new[code_column])
    left, right = shapely.STRtree(new.geometry.values).query(
        old.geometry.values, predicate="intersects"
    )
    old_geoms, new_geoms = old.geometry.values[left], new.geometry.values[right]
    overlap = shapely.area(shapely.intersection(old_geoms, new_geoms))
    share_old = overlap / np.maximum(shapely.area(old_geoms), 1e-9)
    share_new = overlap / np.maximum(shapely.area(new_geoms), 1e-9)
    keep = (share_old >= NOISE) | (share_new >= NOISE)
    pairs = pd.DataFrame(
        {
            "code_2018": old[code_column].to_numpy()[left[keep]],
            "code_2025": new[code_column].to_numpy()[right[keep]],
            "overlap_share_of_2018": share_old[keep],
            "overlap_share_of_2025": share_new[keep],
        }
    )
    pairs["status"] = [
        _status(a, b, bool(s1 >= SAME_AREA and s2 >= SAME_AREA), old_codes, new_codes)
        for a, b, s1, s2 in zip(
            pairs["code_2018"],
            pairs["code_2025"],
            pairs["overlap_share_of_2018"],
            pairs["overlap_share_of_2025"],
            strict=True,
        )
    ]
    alone_old = sorted(old_codes - set(pairs["code_2018"]))
    alone_new = sorted(new_codes - set(pairs["code_2025"]))
    extra = pd.DataFrame(
        {
            "code_2018": [*alone_old, *[None] * len(alone_new)],
            "code_2025": [*[None] * len(alone_old), *alone_new],
            "overlap_share_of_2018": [0.0] * (len(alone_old) + len(alone_new)),
            "overlap_share_of_2025": [0.0] * (len(alone_old) + len(alone_new)),
            "status": ["upphörd"] * len(alone_old) + ["ny"] * len(alone_new),
        }
    )
    frames = [frame for frame in (pairs, extra) if not frame.empty]
    if not frames:
        return pd.DataFrame({column: [] for column in CORRESPONDENCE_COLUMNS})
    result = pd.concat(frames, ignore_index=True)
    return result.sort_values(["code_2018", "code_2025"], ignore_index=True, na_position="last")


def _parts(rows: pd.DataFrame, code_column: str, share_column: str, lang: str) -> str:
    rows = rows.sort_values(share_column, ascending=False)
    texts = [
        t("corr_part", lang, share=format_number(100 * share, 0, lang), code=code)
        for code, share in zip(rows[code_column], rows[share_column], strict=True)
    ]
    if len(texts) <= 1:
        return "".join(texts)
    return ", ".join(texts[:-1]) + t("corr_and", lang) + texts[-1]


def correspondence_note(table: pd.DataFrame, code: str, vintage: str, lang: str) -> str | None:
    """One sentence on how a DeSO changed between the vintages, for the area profile.

    Parameters
    ----------
    table
        From :func:`compute_correspondence` (for the area's kommun at least).
    code
        The DeSO code.
    vintage
        ``"2018"`` or ``"2025"``: the vintage the profile shows.
    lang
        ``"sv"`` or ``"en"``.

    Returns
    -------
    str or None
        The sentence, or ``None`` when the table does not cover the area.
    """
    if vintage not in ("2018", "2025"):
        return None
    own, other = ("code_2025", "code_2018") if vintage == "2025" else ("code_2018", "code_2025")
    rows = table.loc[table[own] == code]
    if rows.empty:
        return None
    if ((rows[other] == code) & (rows["status"] == "oförändrad")).any():
        return t("corr_unchanged", lang)
    partners = rows.dropna(subset=[other])
    if partners.empty:
        return t("corr_new" if vintage == "2025" else "corr_ended", lang)
    share = "overlap_share_of_2025" if vintage == "2025" else "overlap_share_of_2018"
    key = "corr_changed_2025" if vintage == "2025" else "corr_changed_2018"
    return t(key, lang, parts=_parts(partners, other, share, lang))


__all__ = [
    "CORRESPONDENCE_COLUMNS",
    "STATUSES",
    "compute_correspondence",
    "correspondence_note",
]
