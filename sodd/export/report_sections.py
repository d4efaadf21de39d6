"""The social report laid out as sections of blocks both the PDF and the DOCX render. Pure.

Figures are formatted like the profile exports (Swedish number format, unit suffix);
a withheld value stays its status symbol (``..``) and is never part of a spread.
"""

from __future__ import annotations

from typing import Final

import sodd.export.report_texts  # noqa: F401  (registers the report texts)
from sodd.area_types import AREA_TYPES, area_type_label
from sodd.export.report_parts import (
    Block,
    Section,
    Table,
    change_text,
    level_short,
    number_text,
    value_text,
)
from sodd.formatting import format_number
from sodd.i18n import t
from sodd.profile import Figure
from sodd.profile_sections import flag_rule_text
from sodd.report import FAR_MIN_INDICATORS, KommunReport, Spread

# How many indicators the running text names; the tables list them all.
TOP_SENTENCES: Final = 5


def _ratio(value: float | None, lang: str) -> str:
    return format_number(value, 1, lang) if value is not None else ""


def _end(report: KommunReport, spread: Spread, figure: Figure | None, lang: str) -> str:
    if figure is None:
        return ""
    name = report.name(spread.level, figure.region_code)
    return f"{value_text(spread.indicator, figure, lang)} – {name}"


def _differences(report: KommunReport, lang: str) -> Section:
    sentences = []
    for spread in report.ranking[:TOP_SENTENCES]:
        ind, low, high = spread.indicator, spread.lowest, spread.highest
        times = t("rep_times", lang, ratio=_ratio(spread.ratio, lang)) if spread.ratio else ""
        sentences.append(
            t(
                "rep_ranking_sentence",
                lang,
                name=ind.name(lang),
                p10=number_text(ind, spread.p10, lang),
                p90=number_text(ind, spread.p90, lang),
                times=times,
                low=report.name(spread.level, low.region_code) if low else "",
                low_value=value_text(ind, low, lang),
                high=report.name(spread.level, high.region_code) if high else "",
                high_value=value_text(ind, high, lang),
            )
        )
    rows = tuple(
        (
            str(number),
            s.indicator.name(lang),
            number_text(s.indicator, s.p10, lang),
            number_text(s.indicator, s.p90, lang),
            _ratio(s.ratio, lang),
            level_short(s.level, lang),
            s.period,
        )
        for number, s in enumerate(report.ranking, start=1)
    )
    keys = ("rank", "indicator", "p10", "p90", "ratio", "level", "year")
    table = Table(
        tuple(t(f"rep_col_{k}", lang) for k in keys),
        rows,
        (0.06, 0.42, 0.12, 0.12, 0.1, 0.1, 0.08),
    )
    return Section(
        t("rep_differences", lang),
        (
            Block("bullets", tuple(sentences)),
            Block("table", table=table),
            Block("note", (t("rep_ranking_rule", lang),)),
        ),
    )


def _far(report: KommunReport, lang: str) -> Section:
    blocks = [Block("text", (t("rep_far_rule", lang, min=FAR_MIN_INDICATORS),))]
    for level, districts in report.far.items():
        blocks.append(Block("h2", (level_short(level, lang),)))
        sentences = tuple(
            t(
                "rep_far_sentence",
                lang,
                name=d.name,
                code=d.region_code,
                count=len(d.indicators),
                which=", ".join(i.name(lang) for i in d.indicators),
            )
            for d in districts
        )
        none = t("rep_far_none", lang, level=level_short(level, lang), min=FAR_MIN_INDICATORS)
        blocks.append(Block("bullets", sentences or (none,)))
    blocks.append(Block("note", (flag_rule_text(lang),)))
    return Section(t("rep_far", lang), tuple(blocks))


def _area_types(report: KommunReport, lang: str) -> Section:
    if report.area_type_period is None:
        return Section(t("rep_area_types", lang), (Block("text", (t("area_type_none", lang),)),))
    total = sum(len(codes) for codes in report.area_types.values())
    sentences = tuple(
        t(
            "rep_area_type_sentence",
            lang,
            count=len(codes),
            total=total,
            label=t(f"area_type_{number}", lang),
            number=number,
        )
        for number, codes in report.area_types.items()
        if codes
    )
    rows = tuple(
        (
            area_type_label(number, lang),
            str(len(report.area_types.get(number, ()))),
            ", ".join(report.name("regso", c) for c in report.area_types.get(number, ())),
        )
        for number in AREA_TYPES
    )
    keys = ("type", "count", "regso")
    table = Table(tuple(t(f"rep_col_{k}", lang) for k in keys), rows, (0.4, 0.1, 0.5))
    return Section(
        t("rep_area_types", lang),
        (
            Block("text", (t("rep_area_type_year", lang, period=report.area_type_period),)),
            Block("bullets", sentences),
            Block("table", table=table),
            Block("note", (t("area_type_definitions", lang),)),
        ),
    )


def _trends(report: KommunReport, lang: str) -> Section:
    if not report.trends:
        return Section(t("rep_trends", lang), (Block("text", (t("rep_trends_none", lang),)),))
    sentences = tuple(
        t(
            "rep_trend_sentence",
            lang,
            name=tr.indicator.name(lang),
            first=number_text(tr.indicator, tr.first_value, lang),
            first_year=tr.first_period,
            last=number_text(tr.indicator, tr.last_value, lang),
            last_year=tr.last_period,
            change=change_text(tr, lang),
        )
        for tr in report.trends[:TOP_SENTENCES]
    )
    rows = tuple(
        (
            tr.indicator.name(lang),
            f"{tr.first_period}: {number_text(tr.indicator, tr.first_value, lang)}",
            f"{tr.last_period}: {number_text(tr.indicator, tr.last_value, lang)}",
            change_text(tr, lang),
        )
        for tr in report.trends
    )
    keys = ("indicator", "first", "last", "change")
    table = Table(tuple(t(f"rep_col_{k}", lang) for k in keys), rows, (0.4, 0.18, 0.18, 0.24))
    return Section(
        t("rep_trends", lang),
        (
            Block("bullets", sentences),
            Block("table", table=table),
            Block("note", (t("rep_trend_rule", lang),)),
        ),
    )


def _spreads(report: KommunReport, lang: str) -> Section:
    blocks = []
    keys = ("indicator", "kommun", "lowest", "highest", "p10", "p90", "year")
    headers = tuple(t(f"rep_col_{k}", lang) for k in keys)
    for level in report.district_counts:
        spreads = [s for s in report.spreads if s.level == level]
        if not spreads:
            continue
        rows = tuple(
            (
                s.indicator.name(lang),
                value_text(s.indicator, s.kommun, lang),
                _end(report, s, s.lowest, lang),
                _end(report, s, s.highest, lang),
                number_text(s.indicator, s.p10, lang),
                number_text(s.indicator, s.p90, lang),
                s.period,
            )
            for s in spreads
        )
        widths = (0.21, 0.12, 0.21, 0.21, 0.09, 0.09, 0.07)
        withheld = tuple(
            t("rep_withheld", lang, count=s.withheld, name=s.indicator.name(lang))
            for s in spreads
            if s.withheld
        )
        blocks += [
            Block("h2", (t("rep_spreads_level", lang, level=level_short(level, lang)),)),
            Block("table", table=Table(headers, rows, widths)),
        ]
        if withheld:
            blocks.append(Block("note", withheld))
    return Section(t("rep_spreads", lang), tuple(blocks))


def report_sections(report: KommunReport, lang: str = "sv") -> tuple[Section, ...]:
    """The report's sections in reading order (sources and own notes are the renderers')."""
    lang = "en" if lang == "en" else "sv"
    return (
        _differences(report, lang),
        _far(report, lang),
        _area_types(report, lang),
        _trends(report, lang),
        _spreads(report, lang),
    )
