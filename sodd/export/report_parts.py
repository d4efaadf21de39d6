"""Small pieces of the social report both renderers use: blocks, figures, header, sources.

Pure; :mod:`sodd.export.report_sections` arranges them into sections.
"""

from __future__ import annotations

from dataclasses import dataclass

import sodd.export.report_texts  # noqa: F401  (registers the report texts)
from sodd.export.tidy import ExportContext, SourceLine, legend_lines, sources_of, status_symbol
from sodd.formatting import format_number, format_timestamp, format_value
from sodd.i18n import t
from sodd.indicators.catalog import Indicator
from sodd.profile import Figure
from sodd.profile_sections import CKM_FIRST_YEAR
from sodd.report import KommunReport, Trend
from sodd.schema import LEVEL_SHORT_EN, LEVEL_SHORT_SV


@dataclass(frozen=True)
class Table:
    """A table: headers, rows of text and each column's share of the page width."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]


@dataclass(frozen=True)
class Block:
    """One piece of a section: ``h2``, ``text``, ``bullets``, ``note`` or ``table``."""

    kind: str
    texts: tuple[str, ...] = ()
    table: Table | None = None


@dataclass(frozen=True)
class Section:
    """A top-level heading and its blocks."""

    title: str
    blocks: tuple[Block, ...]


def level_short(level: str, lang: str) -> str:
    """``DeSO``, ``RegSO``, ``kommun`` and so on, for running text."""
    return (LEVEL_SHORT_EN if lang == "en" else LEVEL_SHORT_SV).get(level, level)


def value_text(indicator: Indicator, figure: Figure | None, lang: str) -> str:
    """A figure as the report shows it: ``12,3 %``, or its status symbol when withheld."""
    if figure is None:
        return ""
    if figure.value is None:
        return status_symbol(figure.status) or ".."
    return number_text(indicator, figure.value, lang)


def number_text(indicator: Indicator, value: float | None, lang: str) -> str:
    """A number in the indicator's unit and decimals (empty for ``None``)."""
    if value is None:
        return ""
    return format_value(value, unit=indicator.unit, decimals=indicator.decimals, lang=lang)


def change_text(trend: Trend, lang: str) -> str:
    """``+2,3 procentenheter`` for a share, ``+120 personer (+4,1 %)`` otherwise."""
    ind = trend.indicator
    sign = "+" if trend.change > 0 else ""
    if ind.unit == "procent":
        return f"{sign}{format_number(trend.change, ind.decimals, lang)} {t('rep_pp', lang)}"
    text = sign + number_text(ind, trend.change, lang)
    if trend.relative is not None:
        # A no-break space keeps "%" with its number, as the unit suffixes do.
        text += f" ({sign}{format_number(100 * trend.relative, 1, lang)}\u00a0%)"
    return text


def header_lines(report: KommunReport, context: ExportContext) -> list[tuple[str, str]]:
    """``(label, text)`` pairs naming the kommun, its län, the districts and export time."""
    lang = context.lang
    lines = [(t("rep_kommun", lang), f"{report.kommun_name} ({report.kommun_code})")]
    if report.lan_name:
        lines.append((t("exp_lan", lang), f"{report.lan_name} ({report.lan_code})"))
    for level, count in report.district_counts.items():
        text = t(
            "rep_district_count",
            lang,
            count=count,
            level=level_short(level, lang),
            vintage=report.vintages[level],
        )
        lines.append((t("rep_districts", lang), text))
    lines.append((t("exp_exported", lang), format_timestamp(context.exported_at, lang)))
    return lines


def report_sources(report: KommunReport, context: ExportContext) -> list[SourceLine]:
    """The tables behind the report's figures, matched to their manifest entries."""
    return sources_of(report.provenance, context)


def report_notes(report: KommunReport, lang: str = "sv") -> list[str]:
    """The status legend and, when a period is 2025 or later, SCB's noise note."""
    notes = legend_lines(lang)
    years = [int(p[:4]) for p in report.periods() if p[:4].isdigit()]
    if any(year >= CKM_FIRST_YEAR for year in years):
        notes.append(t("exp_ckm", lang))
    return notes


def intro_text(report: KommunReport, lang: str = "sv") -> str:
    """The opening sentence naming which districts are compared."""
    parts = [
        f"{count} {level_short(level, lang)}" for level, count in report.district_counts.items()
    ]
    return t("rep_intro", lang, parts=f" {t('rep_and', lang)} ".join(parts))
