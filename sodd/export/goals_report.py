"""The follow-up report of the kommun's goals ("Mål och uppföljning"): parts, XLSX, CLI.

Every goal is reported with its indicator, area, target, direction, date, responsible
nämnd, note, the values per period exactly as stored (a withheld value stays ``..``),
its status and the rule that gave it, the sources with fetch dates and, when any data
in the store is synthetic, the demo label. PDF, DOCX and XLSX are
drawn by :mod:`sodd.export.goals_report_docs`.
"""

from __future__ import annotations

import argparse
from typing import Any, Final

from sodd.export.tidy import (
    ExportContext,
    SourceLine,
    describe_source,
    sources_of,
    status_symbol,
)
from sodd.goals_store import load_goals
from sodd.goals_text import direction_word, format_goal_value, status_label
from sodd.goals_view import GoalView, build_goal_views
from sodd.i18n import register, t
from sodd.indicators.catalog_model import Catalog
from sodd.schema import LEVEL_NAMES_EN, LEVEL_NAMES_SV
from sodd.store import Store

GOALS_FORMATS: Final = ("pdf", "docx", "xlsx")

register(
    {
        "gr_title": ("Mål och uppföljning", "Goals and follow-up"),
        "gr_indicator": ("Indikator", "Indicator"),
        "gr_area": ("Område", "Area"),
        "gr_target": ("Mål", "Target"),
        "gr_date": ("Måldatum", "Target date"),
        "gr_baseline": ("Basår", "Baseline year"),
        "gr_baseline_all": ("alla år", "all years"),
        "gr_responsible": ("Ansvarig nämnd", "Responsible committee"),
        "gr_note": ("Anteckning", "Note"),
        "gr_status": ("Status", "Status"),
        "gr_period": ("Period", "Period"),
        "gr_value": ("Värde", "Value"),
        "gr_value_status": ("Statuskod", "Status code"),
        "gr_rule_heading": ("Så bedöms målen", "How goals are judged"),
        "gr_unknown_indicator": (
            "Indikatorn {id} finns inte längre i katalogen.",
            "The indicator {id} is no longer in the catalog.",
        ),
        "gr_none": (
            "Det finns inga mål att följa upp. Sätt ett mål på sidan Mål och uppföljning.",
            "There are no goals to follow up. Set a goal on the page Goals and follow-up.",
        ),
        "gr_goals_sheet": ("Mål", "Goals"),
        "gr_values_sheet": ("Värden", "Values"),
        "gr_goal_id": ("Mål-id", "Goal id"),
        "gr_latest": ("Senaste värde", "Latest value"),
        "gr_latest_period": ("Senaste period", "Latest period"),
    }
)


def goal_heading(view: GoalView, lang: str) -> str:
    """``"Hemlöshet … – Karlstad"`` (the id when the indicator is unknown)."""
    name = view.indicator.name(lang) if view.indicator else view.goal.indicator_id
    return f"{name} – {view.area_name}"


def target_text(view: GoalView, lang: str) -> str:
    """``"högst 15,0 per 10 000 inv."``."""
    goal = view.goal
    if view.indicator is None:
        return f"{direction_word(goal.direction, lang)} {goal.target_value:g}"
    value = format_goal_value(goal.target_value, view.indicator, lang)
    return f"{direction_word(goal.direction, lang)} {value}"


def goal_lines(view: GoalView, lang: str) -> list[tuple[str, str]]:
    """``(label, text)`` pairs describing one goal, its status and its summary."""
    goal = view.goal
    levels = LEVEL_NAMES_EN if lang == "en" else LEVEL_NAMES_SV
    level = levels.get(goal.level, goal.level)
    vintage = f" {goal.geo_vintage}" if goal.geo_vintage else ""
    indicator = (
        f"{view.indicator.name(lang)} ({goal.indicator_id})"
        if view.indicator
        else t("gr_unknown_indicator", lang, id=goal.indicator_id)
    )
    lines = [
        (t("gr_indicator", lang), indicator),
        (t("gr_area", lang), f"{view.area_name} ({goal.region_code}), {level}{vintage}"),
        (t("gr_target", lang), target_text(view, lang)),
        (t("gr_date", lang), goal.target_date),
        (t("gr_baseline", lang), goal.baseline_period or t("gr_baseline_all", lang)),
        (t("gr_responsible", lang), goal.responsible),
    ]
    if goal.note:
        lines.append((t("gr_note", lang), goal.note))
    lines.append((t("gr_status", lang), status_label(view.judged.status, lang)))
    return lines


def value_headers(lang: str) -> list[str]:
    """Headers of :func:`value_rows`."""
    return [t("gr_period", lang), t("gr_value", lang), t("gr_value_status", lang)]


def stored_status(value: object) -> str:
    """A stored status as text: ``""`` for a shown value (``None``/NaN in the store)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def stored_value(value: object) -> float | None:
    """A stored value as a float, ``None`` when missing."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return float(str(value))


def value_rows(view: GoalView, lang: str) -> list[list[str]]:
    """Period, value (formatted; the status symbol when withheld) and stored status."""
    rows = []
    for row in view.series.to_dict("records"):
        symbol = status_symbol(stored_status(row.get("status")))
        value = stored_value(row.get("value"))
        if symbol or value is None:
            shown = symbol or ".."
        elif view.indicator is not None:
            shown = format_goal_value(value, view.indicator, lang)
        else:
            shown = f"{value:g}"
        rows.append([str(row["period"]), shown, symbol])
    return rows


def source_lines(views: list[GoalView], context: ExportContext) -> list[SourceLine]:
    """The tables behind every goal's series, matched to their manifest entries."""
    return sources_of(sorted({label for view in views for label in view.provenances()}), context)


def source_texts(views: list[GoalView], context: ExportContext) -> list[str]:
    """One line per source, with its fetch date."""
    return [describe_source(line, context.lang) for line in source_lines(views, context)]


def load_goal_views(store: Store, catalog: Catalog, lang: str = "sv") -> list[GoalView]:
    """Read the goals, the names of their areas and their values from the store."""
    goals = load_goals(store)
    if not goals:
        return []
    codes = sorted({g.region_code for g in goals})
    regions = store.read_regions(
        filters=[("region_code", "in", codes)], columns=["region_code", "name"]
    )
    names = dict(zip(regions["region_code"], regions["name"], strict=True))
    values = store.read("indicator_values", filters=[("region_code", "in", codes)])
    return build_goal_views(goals, values, catalog, names, lang)


def render_goals_report(views: list[GoalView], context: ExportContext, fmt: str) -> bytes:
    """Render the follow-up report as ``pdf``, ``docx`` or ``xlsx``.

    Raises
    ------
    ValueError
        When ``fmt`` is not one of :data:`GOALS_FORMATS`.
    """
    # Imported here: the renderers import this module's helpers.
    from sodd.export import goals_report_docs as docs

    renderers = {
        "pdf": docs.render_goals_pdf,
        "docx": docs.render_goals_docx,
        "xlsx": docs.render_goals_xlsx,
    }
    if fmt in renderers:
        return renderers[fmt](views, context)
    raise ValueError(f"okänt format {fmt!r} (tillåtna: {', '.join(GOALS_FORMATS)})")


def goals_filename(fmt: str, exported_at: str) -> str:
    """``uppfoljning_mal_2026-11-30.pdf``."""
    return f"uppfoljning_mal_{exported_at[:10]}.{fmt}"


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``uppfoljning`` to the subcommands of ``sodd export``.

    Parameters
    ----------
    subparsers
        The object returned by ``add_subparsers()`` of the ``export`` parser.

    Returns
    -------
    argparse.ArgumentParser
        The new ``uppfoljning`` parser.
    """
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "uppfoljning",
        help="uppföljningsrapport för kommunens mål som PDF, Word eller Excel",
        description="Skriver alla mål med utveckling, status och regeln för statusen.",
    )
    parser.add_argument(
        "--format", choices=GOALS_FORMATS, default="pdf", help="filformat (standard: pdf)"
    )
    parser.add_argument("--lang", choices=("sv", "en"), default=None, help="språk (sv eller en)")
    parser.add_argument("--ut", "--out", dest="out", default=None, metavar="FIL", help="filnamn")
    parser.set_defaults(func=run_goals_report)
    return parser


def run_goals_report(args: argparse.Namespace, catalog: Catalog | None = None) -> int:
    """Run ``sodd export uppfoljning``; returns 0 on success.

    Raises
    ------
    SoddError
        When there are no goals or the file cannot be written (Swedish message).
    """
    from pathlib import Path

    from sodd.config import load_settings
    from sodd.errors import SoddError
    from sodd.indicators.catalog import load_catalog
    from sodd.local.indicators import with_local_indicators

    settings = load_settings()
    store = Store.from_settings(settings)
    lang = args.lang or settings.language
    # Goals on the kommun's own indicators need their catalog entries, as on the page.
    views = load_goal_views(store, catalog or with_local_indicators(load_catalog(), store), lang)
    if not views:
        raise SoddError(t("gr_none", "sv"))
    context = ExportContext(entries=tuple(store.manifest().datasets.values()), lang=lang)
    data = render_goals_report(views, context, args.format)
    out = Path(args.out) if args.out else Path(goals_filename(args.format, context.exported_at))
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise SoddError(f"Kunde inte skriva filen {out} (--ut): {exc.strerror}") from exc
    print(f"Skrev {out} ({len(data)} byte): {len(views)} mål.")
    return 0
