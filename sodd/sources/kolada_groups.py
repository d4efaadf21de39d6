"""SKR's kommungruppsindelning from Kolada's municipality groups: parse, confirm, store.

Swedish planners compare a kommun with "kommuner av samma typ", meaning SKR's nine
kommungrupper. Kolada lists them among its municipality groups (``/v3/municipality_groups``,
ids starting with ``G``). The titles are not trusted from memory: a group is kept only
when its title contains one of SKR's nine group names, and when a kommun is in several
such groups (an older and a newer indelning) the group whose title names the
indelning and the latest year wins. Pure functions, no I/O.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import pandas as pd

from sodd.errors import SourceError
from sodd.schema import OBSERVATION_COLUMNS
from sodd.sources.tabular import normalise_header

PROVIDER: Final = "kolada"
TABLE_ID: Final = "kommungrupp"
VARIABLE: Final = "grupp"
UNIT: Final = "grupp"
DEMO_GROUP_ID: Final = "exempel"
# SKR's kommungruppsindelning 2023: number, Swedish name, English name.
SKR_GROUPS: Final = (
    (1, "Storstäder", "Metropolitan municipalities"),
    (2, "Pendlingskommun nära storstad", "Commuting municipality near a metropolis"),
    (3, "Större stad", "Large town"),
    (4, "Lågpendlingskommun nära större stad", "Low-commuting municipality near a large town"),
    (5, "Pendlingskommun nära större stad", "Commuting municipality near a large town"),
    (6, "Mindre stad/tätort", "Small town"),
    (7, "Pendlingskommun nära mindre stad/tätort", "Commuting municipality near a small town"),
    (8, "Landsbygdskommun", "Rural municipality"),
    (9, "Landsbygdskommun med besöksnäring", "Rural municipality with tourism"),
)  # fmt: skip


@dataclass(frozen=True)
class MunicipalityGroup:
    """A Kolada municipality group: id (``G…``), title and member kommun ids."""

    id: str
    title: str
    members: tuple[str, ...]


def skr_group_name(number: int, lang: str = "sv") -> str:
    """SKR's name of group ``number`` (1–9) in ``lang``; ``"grupp N"`` when unknown."""
    for code, name_sv, name_en in SKR_GROUPS:
        if code == number:
            return name_en if lang == "en" else name_sv
    return f"grupp {number}" if lang == "sv" else f"group {number}"


def _fold(text: str) -> str:
    return " ".join(normalise_header(text.replace("/", " ")).split())


def skr_group_number(title: str) -> int | None:
    """The SKR group (1–9) a Kolada group title names, or ``None``.

    Names match whole words, and the longest matching name wins: "Landsbygdskommun
    med besöksnäring" also contains "Landsbygdskommun", and "Pendlingskommun nära
    större stad" contains "Större stad".
    """
    folded = f" {_fold(title)} "
    found = [
        (len(_fold(name)), number) for number, name, _ in SKR_GROUPS if f" {_fold(name)} " in folded
    ]
    return max(found)[1] if found else None


def _preference(group: MunicipalityGroup) -> tuple[int, int, int, str]:
    folded = _fold(group.title)
    names_indelning = int("kommungrupp" in folded or "skr" in folded.split())
    years = [int(y) for y in re.findall(r"\b(?:19|20)\d{2}\b", group.title)]
    # Larger is better for the first three; the id makes the choice stable.
    return (names_indelning, max(years, default=0), -len(group.title), group.id)


def parse_municipality_groups(body: bytes | Mapping[str, Any]) -> list[MunicipalityGroup]:
    """The groups of one ``/v3/municipality_groups`` page.

    Members may be listed as objects (``{"id": "1780", "title": "Karlstad"}``) or as
    plain ids.

    Raises
    ------
    SourceError
        When the payload is not a list of groups with ids and members.
    """
    payload = _payload(body)
    values = payload.get("values")
    if not isinstance(values, list):
        raise SourceError("Kolada: svaret från /municipality_groups saknar listan 'values'.")
    groups = []
    for item in values:
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
            raise SourceError(f"Kolada: kommungrupp utan id i svaret: {item!r:.120}")
        members = item.get("members", [])
        if not isinstance(members, list):
            raise SourceError(f"Kolada: kommungruppen {item['id']} saknar medlemslista.")
        ids = [str(m.get("id", "")) if isinstance(m, Mapping) else str(m) for m in members]
        if any(not (len(code) == 4 and code.isdigit()) for code in ids):
            raise SourceError(f"Kolada: okänd medlem i kommungruppen {item['id']}: {ids!r:.120}")
        groups.append(MunicipalityGroup(item["id"], str(item.get("title", "")), tuple(ids)))
    return groups


def choose_groups(groups: Sequence[MunicipalityGroup]) -> dict[str, MunicipalityGroup]:
    """Kommun code → the SKR group it belongs to (only groups confirmed by title).

    Regions (``00XX``) and riket are not kommuner and are left out.
    """
    chosen: dict[str, MunicipalityGroup] = {}
    for group in groups:
        if skr_group_number(group.title) is None:
            continue
        for member in group.members:
            if member.startswith("00"):
                continue
            old = chosen.get(member)
            if old is None or _preference(group) > _preference(old):
                chosen[member] = group
    return chosen


def membership_observations(
    chosen: Mapping[str, MunicipalityGroup], *, period: str, fetched_at: str
) -> pd.DataFrame:
    """Observations ``kolada``/``kommungrupp``: one row per kommun, value = SKR group 1–9.

    ``dims`` keeps the Kolada group id (``{"grupp_id": "G…"}``) so the figure can be
    traced back; ``period`` is the year the membership was read.
    """
    records = [
        {
            "provider": PROVIDER,
            "table_id": TABLE_ID,
            "variable": VARIABLE,
            "region_code": kommun,
            "geo_vintage": "",
            "level": "kommun",
            "period": period,
            "dims": json.dumps({"grupp_id": group.id}),
            "value": float(skr_group_number(group.title) or 0),
            "status": None,
            "unit": UNIT,
            "fetched_at": fetched_at,
        }
        for kommun, group in sorted(chosen.items())
    ]
    frame = pd.DataFrame.from_records(records, columns=list(OBSERVATION_COLUMNS))
    frame["value"] = frame["value"].astype("float64")
    frame["status"] = frame["status"].astype("str")
    return frame


def _payload(body: bytes | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(body, Mapping):
        return body
    try:
        payload = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise SourceError(f"Kolada: svaret är inte JSON ({error}).") from None
    if not isinstance(payload, Mapping):
        raise SourceError("Kolada: svaret är inte ett JSON-objekt.")
    return payload
