"""Kolada v3 payloads: which KPIs sodd wants, how a KPI is confirmed, and data → observations.

Kolada's KPI ids are not trusted from memory (data-sources §8.5 lists conflicting
candidates): at refresh time sodd searches ``/kpi?title=…`` and keeps a KPI only when
its title contains the words that define the measure and none that narrow it (an age
group, households instead of residents, a cost). Pure functions, no I/O.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import pandas as pd

from sodd.errors import SourceError
from sodd.schema import OBSERVATION_COLUMNS, RIKET_CODE, STATUS_SUPPRESSED
from sodd.sources.tabular import normalise_header

PROVIDER: Final = "kolada"
GENDERS: Final = ("T", "K", "M")


@dataclass(frozen=True)
class KpiTarget:
    """A measure sodd looks for in Kolada.

    Attributes
    ----------
    table_id, variable, unit
        Where its values go in the store (sodd's own names, as in the catalog); unit
        ``"auto"`` is read from the confirmed title (:func:`unit_from_title`).
    searches
        Title searches sent to ``/kpi?title=``.
    require
        Groups of folded word beginnings; the title needs one word of every group.
    exclude
        Folded word beginnings that rule a title out.
    required
        Whether a refresh reports a missing KPI as a failure (else it is only noted).
    """

    table_id: str
    variable: str
    unit: str
    searches: tuple[str, ...]
    require: tuple[tuple[str, ...], ...]
    exclude: tuple[str, ...] = ()
    required: bool = True

    def accepts(self, title: str) -> bool:
        """Whether a KPI title names this measure."""
        words = normalise_header(title).split()

        def has(part: str) -> bool:
            return any(word.startswith(part) for word in words)

        return all(any(has(p) for p in group) for group in self.require) and not any(
            has(p) for p in self.exclude
        )


_NARROWER: Final = ("barn", "unga", "ungdom", "utrikes", "inrikes", "kostnad", "kr", "kvinn")
TARGETS: Final = (
    KpiTarget(
        "ekonomiskt_bistand", "andel_invanare_bistand", "procent", ("ekonomiskt bistånd",),
        (("ekonomisk",), ("bistand",), ("invanare", "befolkning"), ("andel",)),
        ("langvarig", "hushall", "20", "18", "65", "vuxna", "aldre", *_NARROWER),
    ),
    KpiTarget(
        "ekonomiskt_bistand", "andel_langvarigt_bistand", "procent",
        ("långvarigt ekonomiskt bistånd", "ekonomiskt bistånd"),
        (("langvarig",), ("bistand",), ("andel",)), ("hushall", *_NARROWER),
    ),
    KpiTarget(
        "avhysningar", "verkstallda_per_100000", "per_100000", ("vräkningar", "avhysningar"),
        (("vrak", "avhys"), ("100",)), ("barn", "ansok"),
    ),
    KpiTarget(
        "avhysningar", "barn_berorda_per_100000", "per_100000", ("vräkningar", "avhysningar"),
        (("vrak", "avhys"), ("barn",), ("100",)), (), required=False,
    ),
    KpiTarget(
        "bostad", "hemloshet", "auto", ("hemlös",), (("hemlos",),), ("kostnad", "kr"),
        required=False,
    ),
    KpiTarget(
        "bostad", "trangboddhet", "auto", ("trångbodd",), (("trangbo",), ("andel",)),
        ("kostnad",), required=False,
    ),
)  # fmt: skip


@dataclass(frozen=True)
class Kpi:
    """A KPI as listed by ``/v3/kpi``: id and title (the rest is kept in the raw file)."""

    id: str
    title: str


def parse_kpi_list(body: bytes | Mapping[str, Any]) -> list[Kpi]:
    """The KPIs of one ``/v3/kpi`` page.

    Raises
    ------
    SourceError
        When the payload is not a Kolada KPI list.
    """
    payload = _payload(body)
    values = payload.get("values")
    if not isinstance(values, list):
        raise SourceError("Kolada: svaret från /kpi saknar listan 'values'.")
    kpis = []
    for item in values:
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
            raise SourceError(f"Kolada: KPI utan id i svaret från /kpi: {item!r:.120}")
        kpis.append(Kpi(item["id"], str(item.get("title", ""))))
    return kpis


def choose_kpi(target: KpiTarget, candidates: Sequence[Kpi]) -> Kpi | None:
    """The KPI whose title confirms ``target``; the shortest title wins (least narrowed).

    Kolada publishes both municipal (``N``) and other (``U``) series; the id does not
    decide, the title does. Ties go to the lowest id, so the choice is stable.
    """
    fitting = [kpi for kpi in candidates if target.accepts(kpi.title)]
    if not fitting:
        return None
    return min(fitting, key=lambda kpi: (len(kpi.title), kpi.id))


def unit_from_title(title: str) -> str:
    """Unit for a Kolada title: ``procent``, ``per_100000``, ``per_10000`` or ``antal``."""
    words = normalise_header(title).split()
    text = " ".join(words)
    if "100 000" in text or "100000" in words:
        return "per_100000"
    if "10 000" in text or "10000" in words:
        return "per_10000"
    return "procent" if "andel" in words or "%" in title else "antal"


def next_url(body: bytes | Mapping[str, Any]) -> str | None:
    """The ``next_url`` of a page, or ``None`` on the last page."""
    url = _payload(body).get("next_url")
    return url if isinstance(url, str) and url else None


def region_of(municipality: str) -> tuple[str, str] | None:
    """Region code and level of a Kolada municipality id; ``None`` for groups (``G…``).

    ``"0000"`` is riket (``"00"``), ``"00XX"`` is Region XX = län ``"XX"``, other four
    digits are a kommun (data-sources §8.4).

    Raises
    ------
    SourceError
        For an id of none of these forms.
    """
    if municipality.startswith("G"):
        return None  # municipality groups are unweighted means, not areas
    if len(municipality) != 4 or not municipality.isdigit():
        raise SourceError(f"Kolada: okänd kommun-/regionkod {municipality!r} i svaret.")
    if municipality == "0000":
        return RIKET_CODE, "riket"
    if municipality.startswith("00"):
        return municipality[2:], "lan"
    return municipality, "kommun"


def parse_kolada(
    body: bytes | Mapping[str, Any],
    kpis: Mapping[str, KpiTarget],
    *,
    fetched_at: str,
) -> pd.DataFrame:
    """Observations from one page of ``/v3/data/...``.

    Parameters
    ----------
    body
        The page as received (bytes) or decoded.
    kpis
        Kolada KPI id → the target it was confirmed as (table, variable, unit).
    fetched_at
        When the page was fetched (ISO 8601 UTC).

    Returns
    -------
    pandas.DataFrame
        One row per KPI, area, year and gender (dims ``{"kon": "T"|"K"|"M"}``). A null
        value gets Kolada's status string, or ``..`` when that is empty. Municipality
        groups and rows flagged ``isdeleted`` are dropped.

    Raises
    ------
    SourceError
        When the payload is malformed or holds a KPI that was not asked for.
    """
    values = _payload(body).get("values")
    if not isinstance(values, list):
        raise SourceError("Kolada: svaret från /data saknar listan 'values'.")
    records: list[dict[str, Any]] = []
    for item in values:
        try:
            kpi, municipality, period = item["kpi"], str(item["municipality"]), item["period"]
            cells = item["values"]
        except (KeyError, TypeError):
            raise SourceError(f"Kolada: ofullständig rad i svaret: {item!r:.160}") from None
        if not isinstance(kpi, str) or not isinstance(cells, list):
            raise SourceError(f"Kolada: felaktig rad i svaret: {item!r:.160}")
        if item.get("isdeleted"):
            continue
        target = kpis.get(kpi)
        if target is None:
            raise SourceError(
                f"Kolada: svaret innehåller nyckeltalet {kpi}, som inte efterfrågades."
            )
        region = region_of(municipality)
        if region is None:
            continue
        for cell in cells:
            if not isinstance(cell, dict):
                raise SourceError(f"Kolada: felaktigt värde för {kpi} {municipality}: {cell!r:.80}")
            gender = cell.get("gender")
            if gender not in GENDERS:
                raise SourceError(f"Kolada: okänt kön {gender!r} för {kpi} {municipality}.")
            value = _number(cell.get("value"), kpi, municipality)
            status = None if value is not None else (cell.get("status") or STATUS_SUPPRESSED)
            records.append(
                {
                    "provider": PROVIDER,
                    "table_id": target.table_id,
                    "variable": target.variable,
                    "region_code": region[0],
                    "geo_vintage": "",
                    "level": region[1],
                    "period": str(period),
                    "dims": json.dumps({"kon": gender}),
                    "value": value,
                    "status": status,
                    "unit": target.unit,
                    "fetched_at": fetched_at,
                }
            )
    frame = pd.DataFrame.from_records(records, columns=list(OBSERVATION_COLUMNS))
    frame["value"] = frame["value"].astype("float64")
    frame["status"] = frame["status"].astype("str")  # None stays missing
    return frame


def _number(value: Any, kpi: str, municipality: str) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise SourceError(
            f"Kolada: värdet {value!r:.40} för {kpi} {municipality} är inget tal."
        ) from None


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
