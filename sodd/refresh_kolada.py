"""Refresh Kolada KPIs into the store: look up, confirm by title, fetch, one transaction per table.

The KPI ids are searched at every refresh (``/kpi?title=…``) and confirmed by the words
of their titles (:data:`sodd.sources.kolada_model.TARGETS`); the report says which id
and title each measure got. Each sodd table (``ekonomiskt_bistand``, ``avhysningar``,
``bostad``) is written in its own transaction with its raw pages; a failing table keeps
its previous data and the others go on. Rows of other kommuner and years stay, so
refreshing one kommun does not drop another. Indicator values are recomputed at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final

import pandas as pd

from sodd.errors import SoddError, SourceError
from sodd.file_import import write_merged
from sodd.pipeline import recompute_indicator_values
from sodd.sources.http import RetryPolicy
from sodd.sources.kolada import KoladaClient, KoladaPage, kolada_api_url
from sodd.sources.kolada_model import (
    PROVIDER,
    TARGETS,
    Kpi,
    KpiTarget,
    parse_kolada,
    unit_from_title,
)
from sodd.store import Store

Progress = Callable[[str], None]
TITLES: Final = {
    "ekonomiskt_bistand": "Ekonomiskt bistånd (Kolada)",
    "avhysningar": "Avhysningar per 100 000 invånare (Kolada)",
    "bostad": "Hemlöshet och boende (Kolada)",
}


@dataclass(frozen=True)
class KoladaResult:
    """How one sodd table fared: ``uppdaterad`` or ``misslyckades``, rows, message."""

    table_id: str
    status: str
    rows: int
    message: str = ""


@dataclass
class KoladaReport:
    """Results per table and the KPIs chosen (variable → (id, title)) or missing."""

    results: list[KoladaResult] = field(default_factory=list)
    kpis: dict[str, tuple[str, str]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    missing_optional: list[str] = field(default_factory=list)
    recomputed: bool = False

    @property
    def ok(self) -> bool:
        """Whether every table was stored and every required KPI found."""
        return not self.missing and all(r.status == "uppdaterad" for r in self.results)

    def summary_sv(self) -> str:
        """A few Swedish lines for the command line and the app."""
        lines = [f"{var}: {kpi_id} – {title}" for var, (kpi_id, title) in self.kpis.items()]
        if self.missing:
            lines.append("Hittade inget nyckeltal för: " + ", ".join(self.missing))
        if self.missing_optional:
            lines.append("Finns inte i Kolada (valfria): " + ", ".join(self.missing_optional))
        lines += [
            f"{r.table_id}: {r.status}, {r.rows} rader {r.message}".rstrip() for r in self.results
        ]
        return "\n".join(lines)


def _municipalities(kommun_codes: Sequence[str] | None) -> list[str] | None:
    if kommun_codes is None:
        return None
    # Each kommun with its Region ("00" + län code, data-sources §8.4) and riket.
    regions = sorted({f"00{code[:2]}" for code in kommun_codes})
    return [*sorted(set(kommun_codes)), *regions, "0000"]


def refresh_kolada(
    store: Store,
    client: KoladaClient,
    *,
    kommun_codes: Sequence[str] | None = None,
    years: Sequence[int],
    progress: Progress | None = None,
) -> KoladaReport:
    """Fetch the Kolada KPIs sodd uses into ``store``.

    Parameters
    ----------
    store
        The store to write to.
    client
        Kolada v3 client.
    kommun_codes
        Kommuner to fetch (with their län and riket); ``None`` for every kommun.
    years
        Reference years.
    progress
        Receives one Swedish line per step.

    Returns
    -------
    KoladaReport
        KPIs chosen, and one result per table.
    """
    say = progress or (lambda _line: None)
    report = KoladaReport()
    say("Kolada: söker nyckeltal …")
    chosen, search_pages = client.resolve(TARGETS)
    for target in TARGETS:
        if target in chosen:
            report.kpis[target.variable] = (chosen[target].id, chosen[target].title)
        else:
            (report.missing if target.required else report.missing_optional).append(target.variable)
    tables = dict.fromkeys(target.table_id for target in TARGETS)
    places = _municipalities(kommun_codes)
    for table_id in tables:
        wanted = {
            kpi.id: _with_unit(target, kpi)
            for target, kpi in chosen.items()
            if target.table_id == table_id
        }
        if not wanted:
            continue
        try:
            rows = _refresh_table(store, client, table_id, wanted, years, places, search_pages)
        except SoddError as error:
            say(f"{table_id}: misslyckades – {error}")
            report.results.append(KoladaResult(table_id, "misslyckades", 0, str(error)))
            continue
        say(f"{table_id}: {rows} observationer sparade.")
        report.results.append(KoladaResult(table_id, "uppdaterad", rows))
    if any(result.status == "uppdaterad" for result in report.results):
        recompute_indicator_values(store, progress=say)
        report.recomputed = True
    return report


def _with_unit(target: KpiTarget, kpi: Kpi) -> KpiTarget:
    return replace(target, unit=unit_from_title(kpi.title)) if target.unit == "auto" else target


def _refresh_table(
    store: Store,
    client: KoladaClient,
    table_id: str,
    wanted: dict[str, KpiTarget],
    years: Sequence[int],
    places: list[str] | None,
    search_pages: list[KoladaPage],
) -> int:
    pages = client.data(sorted(wanted), years, places)
    frames = [parse_kolada(page.body, wanted, fetched_at=page.fetched_at) for page in pages]
    observations = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if observations.empty:
        raise SourceError(f"Kolada gav inga värden för {table_id} åren {min(years)}–{max(years)}.")
    if observations.duplicated(["variable", "region_code", "period", "dims"]).any():
        raise SourceError(f"Kolada: samma värde kom flera gånger för {table_id}; sparas inte.")
    periods = {str(year) for year in years}
    regions = set(observations["region_code"])

    def keep_old(old: pd.DataFrame) -> pd.Series:
        replaced = old["period"].isin(periods)
        if places is not None:
            replaced &= old["region_code"].isin(regions)
        return ~replaced

    raw = {f"search_{i:03d}.json": page.body for i, page in enumerate(search_pages)}
    raw |= {f"data_{i:03d}.json": page.body for i, page in enumerate(pages)}
    query = {
        "source": client.base_url,
        "kpis": {kpi_id: target.variable for kpi_id, target in sorted(wanted.items())},
        "years": sorted(periods),
        "municipalities": places or "alla",
        "fetched_at": max(page.fetched_at for page in pages),
    }
    _, total, _ = write_merged(
        store, observations, provider=PROVIDER, table_id=table_id, title=TITLES[table_id],
        keep_old=keep_old, raw=raw, query_item=query, url=pages[0].url,
    )  # fmt: skip
    return total


# ----------------------------------------------------------------- command line


def add_parser(refresh_subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``kolada`` command to the subparsers of ``sodd refresh``.

    Parameters
    ----------
    refresh_subparsers
        The object returned by ``add_subparsers()`` of the ``refresh`` parser.

    Returns
    -------
    argparse.ArgumentParser
        The new ``kolada`` parser; its ``func`` default is :func:`run`.
    """
    parser: argparse.ArgumentParser = refresh_subparsers.add_parser(
        "kolada",
        help="hämta Koladas nyckeltal (ekonomiskt bistånd, avhysningar) per kommun",
        description="Söker Koladas nyckeltal efter titel, bekräftar dem och hämtar dem för "
        "kommunerna (med län och riket) eller för alla kommuner.",
    )
    parser.add_argument(
        "--kommun", metavar="KOD", nargs="+", type=_kommun_code, help="kommunkoder (standard: alla)"
    )
    parser.add_argument(
        "--from", dest="first_year", metavar="ÅR", type=int, default=None,
        help="första år (standard: SODD_SCB_FIRST_YEAR)",
    )  # fmt: skip
    parser.set_defaults(func=run)
    return parser


def _kommun_code(text: str) -> str:
    if len(text) != 4 or not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} är ingen kommunkod (4 siffror, t.ex. 1780)")
    return text


def run(args: argparse.Namespace) -> int:
    """Run ``sodd refresh kolada`` with parsed arguments; 0 when everything was stored."""
    from sodd.config import load_settings

    settings = load_settings()
    first = args.first_year if args.first_year is not None else settings.scb_first_year
    years = list(range(first, dt.date.today().year + 1))
    report = refresh_kolada(
        Store.from_settings(settings),
        KoladaClient(
            kolada_api_url(), policy=RetryPolicy(timeout_seconds=settings.http_timeout_seconds)
        ),
        kommun_codes=args.kommun,
        years=years,
        progress=lambda line: print(line, file=sys.stderr, flush=True),
    )
    print(report.summary_sv(), flush=True)
    return 0 if report.ok else 1
