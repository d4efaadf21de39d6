"""Custom areas: a named group of DeSO or RegSO of one vintage ("Planområde Kronoparken").

Pure: the area itself, its validation (Swedish messages), its polygon (the union of its
members) and its frame form for the store. Its indicator values are computed in
:mod:`sodd.custom_areas_aggregate`; reading and writing the store is in
:mod:`sodd.custom_areas_store`.

A custom area has the level ``"custom"`` (:data:`sodd.schema.CUSTOM_LEVEL`), which is not
part of the DeSO → riket hierarchy, and the ``geo_vintage`` ``""`` in regions and values,
like kommun rows: its code is unique whatever the vintage of its members, which is kept
in :attr:`CustomArea.geo_vintage`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

import geopandas as gpd
import pandas as pd
import shapely

from sodd.errors import SoddError
from sodd.schema import CUSTOM_LEVEL, LEVEL_SHORT_SV, REGION_COLUMNS

__all__ = [
    "CODE_PREFIX",
    "MEMBER_LEVELS",
    "CustomArea",
    "CustomAreaError",
    "custom_area_region",
    "custom_areas_frame",
    "custom_areas_from_frame",
    "is_custom_code",
    "make_code",
    "new_custom_area",
]

# SCB and demo codes are digits with at most one capital letter, so a code starting
# with "EGET-" can never name an official or demo area.
CODE_PREFIX: Final = "EGET-"
MEMBER_LEVELS: Final = ("deso", "regso")
MAX_NAME_LENGTH: Final = 80
# Extra columns of the custom areas' regions rows (the store keeps columns outside the
# contract): the members as JSON text, their level and vintage, and the creation time.
EXTRA_COLUMNS: Final = ("members", "member_level", "member_vintage", "created_at")


class CustomAreaError(SoddError, ValueError):
    """A custom area cannot be created as asked; the message (Swedish) says why."""


@dataclass(frozen=True)
class CustomArea:
    """A user's own area made of DeSO or RegSO of one vintage.

    Attributes
    ----------
    name
        The name the user gave, e.g. ``"Planområde Kronoparken"``.
    code
        Generated id (``EGET-planomrade-kronoparken``), never an SCB or demo code.
    level
        The members' level, ``deso`` or ``regso``.
    geo_vintage
        The members' area division, e.g. ``"2025"``.
    members
        The members' codes, sorted.
    created_at
        ISO 8601 time of creation (UTC).
    """

    name: str
    code: str
    level: str
    geo_vintage: str
    members: tuple[str, ...]
    created_at: str


def is_custom_code(code: object) -> bool:
    """Tell whether ``code`` is a custom area's code."""
    return isinstance(code, str) and code.startswith(CODE_PREFIX)


def make_code(name: str, taken: Sequence[str] = ()) -> str:
    """Generate a safe code from a name: ``EGET-`` and a lower-case ASCII slug.

    Parameters
    ----------
    name
        The area's name.
    taken
        Codes already in use; a number is appended until the code is free.

    Returns
    -------
    str
        E.g. ``"EGET-planomrade-kronoparken"`` or ``"EGET-planomrade-kronoparken-2"``.
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40].strip("-")
    base = CODE_PREFIX + (slug or "omrade")
    code, number = base, 2
    while code in set(taken):
        code, number = f"{base}-{number}", number + 1
    return code


def _kinds(regions: pd.DataFrame) -> dict[str, set[tuple[str, str]]]:
    """Code → the (level, vintage) pairs it exists as among DeSO and RegSO."""
    districts = regions.loc[regions["level"].isin(MEMBER_LEVELS)]
    found: dict[str, set[tuple[str, str]]] = {}
    vintages = districts["geo_vintage"].fillna("").astype(str)
    for code, level, vintage in zip(
        districts["region_code"], districts["level"], vintages, strict=True
    ):
        found.setdefault(str(code), set()).add((str(level), vintage))
    return found


def _describe(level: str, vintage: str) -> str:
    return f"{LEVEL_SHORT_SV[level]} {vintage}".strip()


def new_custom_area(
    name: str,
    members: Sequence[str],
    regions: pd.DataFrame,
    existing: Sequence[CustomArea] = (),
    *,
    level: str | None = None,
    geo_vintage: str | None = None,
    created_at: str | None = None,
) -> CustomArea:
    """Validate a user's choice and make a :class:`CustomArea` of it.

    Parameters
    ----------
    name
        The name; surrounding spaces are dropped.
    members
        Codes of the DeSO or RegSO to combine.
    regions
        The regions table (geometry not needed), to check the codes against.
    existing
        The custom areas already saved (names must be unique, codes are kept unique).
    level, geo_vintage
        The members' level and vintage; taken from the first member when omitted (its
        newest vintage when the code exists in two).
    created_at
        Creation time; now when omitted.

    Returns
    -------
    CustomArea

    Raises
    ------
    CustomAreaError
        With a Swedish message naming what is wrong: an empty, too long or already used
        name, no members, an unknown code, or members of different levels or vintages.
    """
    clean = " ".join(str(name).split())
    if not clean:
        raise CustomAreaError("Ge det egna området ett namn.")
    if len(clean) > MAX_NAME_LENGTH:
        raise CustomAreaError(
            f"Namnet {clean[:20]!r}… är för långt ({len(clean)} tecken); "
            f"högst {MAX_NAME_LENGTH} tecken."
        )
    if any(area.name.casefold() == clean.casefold() for area in existing):
        raise CustomAreaError(f"Det finns redan ett eget område som heter {clean!r}.")
    codes = sorted(dict.fromkeys(str(code) for code in members))
    if not codes:
        raise CustomAreaError(f"Välj minst ett DeSO eller RegSO till området {clean!r}.")
    kinds = _kinds(regions)
    unknown = [code for code in codes if code not in kinds]
    if unknown:
        shown = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise CustomAreaError(
            f"Okänd områdeskod för {clean!r}: {shown}. Det finns inget DeSO eller RegSO "
            "med den koden i datalagret."
        )
    first = kinds[codes[0]]
    if level is None:
        # DeSO and RegSO codes differ in form, so a code is one or the other.
        level = min((lvl for lvl, _ in first), key=MEMBER_LEVELS.index)
    if geo_vintage is None:
        geo_vintage = max((vintage for lvl, vintage in first if lvl == level), default="")
    if level not in MEMBER_LEVELS:
        raise CustomAreaError(
            f"Ett eget område består av DeSO eller RegSO, inte {level!r} (området {clean!r})."
        )
    wanted = (level, geo_vintage)
    for code in codes:
        if wanted not in kinds[code]:
            other = ", ".join(_describe(*pair) for pair in sorted(kinds[code]))
            raise CustomAreaError(
                f"Området {code} är {other}, men {clean!r} består av "
                f"{_describe(*wanted)}. Ett eget område består av områden av en och samma "
                "nivå och områdesindelning."
            )
    return CustomArea(
        name=clean,
        code=make_code(clean, [area.code for area in existing]),
        level=level,
        geo_vintage=geo_vintage,
        members=tuple(codes),
        created_at=created_at or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


def _common(values: pd.Series) -> str | None:
    distinct = {str(v) for v in values if isinstance(v, str) and v}
    return distinct.pop() if len(distinct) == 1 and values.notna().all() else None


def custom_area_region(area: CustomArea, regions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The area as one regions row: the union of its members' polygons.

    Parameters
    ----------
    area
        The custom area.
    regions
        Regions with geometry, including the members (their level and vintage).

    Returns
    -------
    geopandas.GeoDataFrame
        One row with the regions contract (level ``custom``, ``geo_vintage`` ``""``,
        ``kommun_code`` and ``lan_code`` the members' common ones or None,
        ``parent_code`` None) plus the columns ``members`` (JSON list),
        ``member_level``, ``member_vintage`` and ``created_at``; EPSG:4326.

    Raises
    ------
    CustomAreaError
        When a member has no polygon in ``regions``.
    """
    rows = regions.loc[
        (regions["level"] == area.level)
        & (regions["geo_vintage"].fillna("") == area.geo_vintage)
        & regions["region_code"].isin(area.members)
    ]
    missing = sorted(set(area.members) - set(rows["region_code"].astype(str)))
    if missing:
        raise CustomAreaError(
            f"Områdesgränser saknas för {', '.join(missing[:5])} i {area.name!r}; hämta dem "
            "först (`sodd refresh geo`)."
        )
    geometry = shapely.union_all(rows.geometry.to_numpy())
    frame = pd.DataFrame(
        {
            "region_code": [area.code],
            "geo_vintage": [""],
            "level": [CUSTOM_LEVEL],
            "name": [area.name],
            "kommun_code": [_common(rows["kommun_code"])],
            "lan_code": [_common(rows["lan_code"])],
            "parent_code": [None],
            "members": [json.dumps(list(area.members))],
            "member_level": [area.level],
            "member_vintage": [area.geo_vintage],
            "created_at": [area.created_at],
        }
    )
    return gpd.GeoDataFrame(frame, geometry=[geometry], crs=regions.crs or "EPSG:4326")


def custom_areas_frame(rows: Sequence[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """Stack rows from :func:`custom_area_region` into one regions frame (text columns)."""
    columns = [*REGION_COLUMNS[:-1], *EXTRA_COLUMNS, "geometry"]
    if not rows:
        empty = {column: pd.Series([], dtype="str") for column in columns[:-1]}
        return gpd.GeoDataFrame(empty, geometry=gpd.GeoSeries([], crs="EPSG:4326"))
    stacked = pd.concat(list(rows), ignore_index=True)[columns]
    for column in columns[:-1]:
        values = stacked[column].astype(object)
        stacked[column] = values.where(values.notna(), None).astype("str")
    return gpd.GeoDataFrame(stacked, geometry="geometry", crs="EPSG:4326")


def custom_areas_from_frame(frame: pd.DataFrame) -> list[CustomArea]:
    """Read custom areas back from their regions rows, sorted by name.

    Raises
    ------
    CustomAreaError
        When a row's ``members`` is not a JSON list of codes.
    """
    areas = []
    for row in frame.itertuples(index=False):
        try:
            members = json.loads(str(row.members))
        except json.JSONDecodeError as exc:
            raise CustomAreaError(
                f"Medlemslistan för det egna området {row.name!r} är skadad: {exc}."
            ) from None
        if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
            raise CustomAreaError(
                f"Medlemslistan för det egna området {row.name!r} är inte en lista av koder."
            )
        areas.append(
            CustomArea(
                name=str(row.name),
                code=str(row.region_code),
                level=str(row.member_level),
                geo_vintage=str(row.member_vintage) if isinstance(row.member_vintage, str) else "",
                members=tuple(members),
                created_at=str(row.created_at),
            )
        )
    return sorted(areas, key=lambda area: area.name.casefold())
