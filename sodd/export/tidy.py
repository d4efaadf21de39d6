"""What every export shares: the context, the tidy table and the metadata lines. Pure.

Machine-readable formats (CSV, XLSX, GeoPackage) carry the values exactly as stored;
documents (HTML, DOCX, PDF) show them formatted the way the profile page does. In
both, a withheld value is its status symbol (``..``, ``.``, ``–``), never a number,
and the legend, sources with fetch dates and (for demo data) the demo label go
along (data-sources §10.2 rule 7).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Final

from shapely.geometry.base import BaseGeometry

import sodd.export.texts  # noqa: F401  (registers the export texts)
from sodd.export import trend_texts as _trend_texts  # noqa: F401  (registers texts)
from sodd.formatting import format_timestamp, format_value, unit_name
from sodd.i18n import t
from sodd.manifest import DatasetEntry
from sodd.notes import Note
from sodd.profile import AreaProfile, Figure, ProfileRow
from sodd.profile_sections import CKM_FIRST_YEAR, describe_unknown, flag_rule_text
from sodd.profile_trends import change_text
from sodd.schema import (
    LEVEL_NAMES_EN,
    LEVEL_NAMES_SV,
    PROVIDER_NAMES,
    STATUS_FEW,
    STATUS_LABELS_EN,
    STATUS_LABELS_SV,
)

COMPARATORS: Final = ("kommun", "lan", "riket")
# Keys of the tidy table, in column order; headers come from the ``exp_col_*`` texts.
TIDY_COLUMNS: Final = (
    "theme",
    "id",
    "indicator",
    "value",
    "unit",
    "status",
    "period",
    "level",
    "kommun",
    "lan",
    "riket",
    "flag",
    "change",
    "peer_name",
    "peer_code",
    "peer",
    "peer_flag",
    "source",
    "table",
)
Cell = float | str | None


@dataclass(frozen=True)
class ExportContext:
    """Everything an export needs besides the profile.

    Attributes
    ----------
    entries
        The manifest's dataset entries (provider, table id, fetch date, demo flag).
    area_geometry, kommun_geometry
        Polygons (EPSG:4326) of the area and of its kommun, when the store has them.
    lang
        ``"sv"`` or ``"en"``.
    exported_at
        ISO 8601 UTC time of the export.
    notes
        Local observations about the area (user text, not statistics; escape it).
    """

    entries: tuple[DatasetEntry, ...] = ()
    area_geometry: BaseGeometry | None = None
    kommun_geometry: BaseGeometry | None = None
    lang: str = "sv"
    exported_at: str = field(
        default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    notes: tuple[Note, ...] = ()

    @property
    def demo(self) -> bool:
        """Whether any dataset behind the export is synthetic demo data."""
        return any(entry.demo for entry in self.entries)


@dataclass(frozen=True)
class SourceLine:
    """One table the profile's figures come from, with its manifest data."""

    label: str  # provider:table_id as in provenance
    provider: str
    table_id: str
    title: str
    fetched_at: str | None
    demo: bool


# sodd's own status codes are words; exports show a symbol the legend explains. SCB's
# symbols ("..", ".") are shown as published.
OWN_SYMBOLS: Final = {STATUS_FEW: "–", "not_aggregatable": "×"}


def status_symbol(status: str | None) -> str:
    """The symbol shown for a withheld value (``few`` is ``–``, ``not_aggregatable`` ``×``)."""
    if not status:
        return ""
    return OWN_SYMBOLS.get(status, status)


def raw_cell(figure: Figure | None) -> Cell:
    """A figure as the store holds it: the float, the status symbol, or ``None``."""
    if figure is None:
        return None
    if figure.value is None:
        return status_symbol(figure.status) or ".."
    return figure.value


def text_cell(figure: Figure | None, row: ProfileRow, lang: str) -> str:
    """A figure formatted like the profile page (``12,3 %``, ``..``)."""
    if figure is None:
        return ""
    if figure.value is None:
        return status_symbol(figure.status) or ".."
    ind = row.indicator
    return format_value(figure.value, unit=ind.unit, decimals=ind.decimals, lang=lang)


def _table_of(row: ProfileRow) -> str:
    figures = [row.area, *row.comparators.values()]
    return next((f.provenance for f in figures if f is not None and f.provenance), "")


def tidy_records(profile: AreaProfile, lang: str = "sv") -> list[dict[str, Cell]]:
    """One record per indicator with the exact stored values (keys :data:`TIDY_COLUMNS`)."""
    records: list[dict[str, Cell]] = []
    for theme, rows in profile.themes:
        for row in rows:
            ind = row.indicator
            record: dict[str, Cell] = {
                "theme": theme.name(lang),
                "id": ind.id,
                "indicator": ind.name(lang),
                "value": raw_cell(row.area),
                "unit": unit_name(ind.unit, lang),
                "status": status_symbol(row.area.status) if row.area else "",
                "period": row.period or "",
                "level": profile.level,
                "flag": t("exp_flag_word_" + row.flag, lang) if row.flag else "",
                "change": change_text(row.change, lang),
                # The peer's name and code on every row keep each row self-describing.
                "peer_name": profile.peer.name if profile.peer else "",
                "peer_code": profile.peer.region_code if profile.peer else "",
                "peer": raw_cell(row.comparators.get("peer")),
                "peer_flag": t("exp_peer_flag_word_" + row.peer_flag, lang)
                if row.peer_flag
                else "",
                "source": ind.attribution,
                "table": _table_of(row),
            }
            for level in COMPARATORS:
                record[level] = raw_cell(row.comparators.get(level))
            records.append(record)
    return records


def headers(lang: str = "sv") -> list[str]:
    """Column headers of the tidy table in ``lang``."""
    return [t(f"exp_col_{key}", lang) for key in TIDY_COLUMNS]


def display_row(
    row: ProfileRow, lang: str = "sv", *, peer: bool = False, arrows: bool = True
) -> list[str]:
    """A row as documents show it: indicator, area (``*`` when marked), comparators, year.

    With ``peer`` a column for the peer area follows riket (``*`` when the area clearly
    differs from it); the last column is the change over time (``arrows=False`` for fonts
    without ↑/↓).
    """
    area = text_cell(row.area, row, lang) + (" *" if row.flag else "")
    if row.area is None and row.period is not None:
        area = "–"
    cells = [row.indicator.name(lang), area]
    cells += [text_cell(row.comparators.get(level), row, lang) for level in COMPARATORS]
    if peer:
        cells.append(
            text_cell(row.comparators.get("peer"), row, lang) + (" *" if row.peer_flag else "")
        )
    return [*cells, row.period or "", change_text(row.change, lang, arrow=arrows)]


def display_headers(lang: str = "sv", peer_name: str | None = None) -> list[str]:
    """Headers matching :func:`display_row` (a peer column when ``peer_name`` is given)."""
    keys = ("indicator", "area", "kommun", "lan", "riket")
    heads = [t(f"exp_col_{key}", lang) for key in keys]
    if peer_name is not None:
        heads.append(t("exp_peer_column", lang, name=peer_name))
    return [*heads, t("exp_col_year", lang), t("exp_col_change", lang)]


def source_lines(profile: AreaProfile, context: ExportContext) -> list[SourceLine]:
    """The tables behind the profile's figures, matched to their manifest entries."""
    labels: dict[str, None] = {}
    for row in profile.rows():
        for figure in (row.area, *row.comparators.values()):
            if figure is not None and figure.provenance:
                for part in figure.provenance.split(";"):
                    labels.setdefault(part.strip(), None)
    return sources_of(sorted(labels), context)


def sources_of(labels: Iterable[str], context: ExportContext) -> list[SourceLine]:
    """Provenance labels (``provider:table``) matched to their manifest entries, in order."""
    lines = []
    for label in labels:
        provider, _, table_id = label.partition(":")
        entry = next(
            (e for e in context.entries if e.provider == provider and e.table_id == table_id),
            None,
        )
        lines.append(
            SourceLine(
                label=label,
                provider=PROVIDER_NAMES.get(provider, provider),
                table_id=table_id,
                title=entry.title if entry else "",
                fetched_at=entry.fetched_at if entry else None,
                demo=entry.demo if entry else context.demo,
            )
        )
    return lines


def describe_source(line: SourceLine, lang: str = "sv") -> str:
    """``SCB TAB6574 – title, hämtad 2026-11-30 12:00 UTC``."""
    text = f"{line.provider} {line.table_id}"
    if line.title:
        text += f" – {line.title}"
    if line.fetched_at:
        text += ", " + t("exp_fetched", lang, date=format_timestamp(line.fetched_at, lang))
    return text


def legend_lines(lang: str = "sv") -> list[str]:
    """The status legend, ``..`` first."""
    labels = STATUS_LABELS_EN if lang == "en" else STATUS_LABELS_SV
    lines = [t("exp_not_published", lang)]
    lines += [f"{status_symbol(code)} = {label}" for code, label in labels.items()]
    lines.append(t("exp_small_count", lang))
    return lines


def has_ckm_years(profile: AreaProfile) -> bool:
    """Whether any period shown is a Cell Key Method year (2025 or later)."""
    return any(
        (row.period or "")[:4].isdigit() and int((row.period or "")[:4]) >= CKM_FIRST_YEAR
        for row in profile.rows()
    )


def area_lines(profile: AreaProfile, context: ExportContext) -> list[tuple[str, str]]:
    """``(label, text)`` pairs naming the area, its level, vintage, parents and export time."""
    lang = context.lang
    names = LEVEL_NAMES_EN if lang == "en" else LEVEL_NAMES_SV
    lines = [
        (t("exp_area", lang), profile.name),
        (t("exp_code", lang), profile.region_code),
        (t("exp_level", lang), names.get(profile.level, profile.level)),
    ]
    if profile.geo_vintage:
        lines.append((t("exp_vintage", lang), profile.geo_vintage))
    if profile.kommun_name and profile.level != "kommun":
        lines.append((t("exp_kommun", lang), f"{profile.kommun_name} ({profile.kommun_code})"))
    if profile.lan_name and profile.level != "lan":
        lines.append((t("exp_lan", lang), f"{profile.lan_name} ({profile.lan_code})"))
    if profile.peer is not None:
        peer = profile.peer
        lines.append((t("exp_peer", lang), f"{peer.name} ({peer.region_code})"))
    lines.append((t("exp_exported", lang), format_timestamp(context.exported_at, lang)))
    return lines


def metadata_lines(profile: AreaProfile, context: ExportContext) -> list[tuple[str, str]]:
    """``(label, text)`` pairs every export carries: area, sources, legend, rules, demo."""
    lang = context.lang
    lines: list[tuple[str, str]] = []
    if context.demo:
        lines.append((t("exp_demo_label", lang), t("exp_demo", lang)))
    lines += area_lines(profile, context)
    lines += [
        (t("exp_source", lang), describe_source(s, lang)) for s in source_lines(profile, context)
    ]
    lines += [(t("exp_legend", lang), text) for text in legend_lines(lang)]
    if has_ckm_years(profile):
        lines.append((t("exp_legend", lang), t("exp_ckm", lang)))
    lines.append((t("exp_flag_rule", lang), flag_rule_text(lang)))
    lines += [(t("exp_unknowns", lang), describe_unknown(u, lang)) for u in profile.unknowns]
    return lines
