"""Small trend charts for the PDF, drawn with ReportLab graphics (no matplotlib).

The rows charted are chosen by :func:`sodd.export.chart_data.chart_rows`. Each chart
shows the area with the kommun, riket and the peer area as comparison lines (for a count
only the area and the peer). A withheld year is a gap in the line, never zero; the
caption names indicator, unit, source and years, and a table under the chart repeats
every value for readers who cannot see it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table, TableStyle

from sodd.export.chart_data import (
    MAX_PER_THEME,
    chart_caption,
    chart_rows,
    segments,
    series_names,
    series_of,
    table_rows,
)
from sodd.formatting import format_number
from sodd.i18n import t
from sodd.profile import AreaProfile, ProfileRow

CHART_WIDTH: Final = 84 * mm
CHART_HEIGHT: Final = 44 * mm
# Area, kommun, riket, peer: distinguishable in grey print too (weight and dash differ).
SERIES_STYLE: Final = {
    "area": (colors.HexColor("#1F5F8B"), 2.0, None),
    "kommun": (colors.HexColor("#C55A11"), 1.2, None),
    "riket": (colors.HexColor("#444444"), 1.0, [3, 2]),
    "peer": (colors.HexColor("#2E7D32"), 1.2, [1, 1.5]),
}


def trend_chart(row: ProfileRow, profile: AreaProfile, lang: str, font: str) -> Drawing:
    """A line chart of the row's history; Swedish (or English) numbers on the value axis.

    Parameters
    ----------
    row
        The profile row (its ``history``); must have at least one value.
    profile
        The profile (names of the lines).
    lang
        ``"sv"`` or ``"en"``.
    font
        A registered font name for the labels.

    Returns
    -------
    Drawing
        One :class:`LinePlot` with one line per published run of each series, and a legend.
    """
    lines = series_of(row)
    names = series_names(profile, lang)
    plot = LinePlot()
    plot.x, plot.y = round(12 * mm), round(16 * mm)
    plot.width, plot.height = round(CHART_WIDTH - 16 * mm), round(CHART_HEIGHT - 20 * mm)
    data: list[list[tuple[float, float]]] = []
    styles = []
    for key, history in lines.items():
        for run in segments(history):
            data.append(run)
            styles.append(SERIES_STYLE[key])
    plot.data = data
    for number, (color, width, dash) in enumerate(styles):
        plot.lines[number].strokeColor = color
        plot.lines[number].strokeWidth = width
        plot.lines[number].strokeDashArray = dash
        # A marker keeps a single published year between two gaps visible.
        plot.lines[number].symbol = makeMarker(  # type: ignore[no-untyped-call]
            "FilledCircle", size=2.2, fillColor=color
        )
    years = sorted({x for run in data for x, _ in run})
    values = [y for run in data for _, y in run]
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = years[0] - 0.3, years[-1] + 0.3
    plot.xValueAxis.valueSteps = years
    plot.xValueAxis.labelTextFormat = _year_label
    low, high = min(values), max(values)
    pad = (high - low) * 0.1 or abs(high) * 0.1 or 1.0
    plot.yValueAxis.valueMin = 0.0 if low >= 0 and low - pad < 0 else low - pad
    plot.yValueAxis.valueMax = high + pad
    plot.yValueAxis.labelTextFormat = _number_label(high - low, lang)
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName, axis.labels.fontSize = font, 6
    drawing = Drawing(CHART_WIDTH, CHART_HEIGHT)
    drawing.add(plot)
    legend = Legend()
    # Two rows of two: long district names stay inside the chart's width.
    legend.x, legend.y = round(2 * mm), round(9 * mm)
    legend.fontName, legend.fontSize = font, 6
    legend.alignment, legend.columnMaximum = "right", 2
    legend.dx, legend.dy, legend.dxTextSpace = 8, 4, 3
    legend.deltax, legend.deltay = round(CHART_WIDTH / 2), 8
    legend.colorNamePairs = [(SERIES_STYLE[key][0], _short(names[key])) for key in lines]
    drawing.add(legend)
    return drawing


def _short(name: str, limit: int = 34) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _year_label(value: float) -> str:
    # Years without thousands separators: "2024", never "2 024".
    return str(round(value))


def _number_label(span: float, lang: str) -> Callable[[float], str]:
    decimals = 0 if span >= 10 else 1 if span >= 1 else 2

    def label(value: float) -> str:
        return format_number(value, decimals, lang)

    return label


def value_table(
    row: ProfileRow,
    profile: AreaProfile,
    lang: str,
    cell: ParagraphStyle,
    escape: Callable[[str], str],
) -> Table:
    """Every value of the chart: one row per year, one column per line (``..`` withheld)."""
    rows = table_rows(row, profile, lang)
    data = [[Paragraph(escape(text), cell) for text in line] for line in rows]
    first = 12 * mm
    other = (CHART_WIDTH - first) / max(len(rows[0]) - 1, 1)
    table = Table(data, colWidths=[first] + [other] * (len(rows[0]) - 1), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#BBBBBB")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF3")),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def chart_flowables(
    profile: AreaProfile,
    lang: str,
    font: str,
    styles: dict[str, ParagraphStyle],
    escape: Callable[[str], str],
) -> list[Flowable]:
    """The "Utveckling över tid" section: per theme, charts two abreast with captions.

    Returns an empty list when no row qualifies (:func:`~sodd.export.chart_data.chart_rows`).
    """
    chosen = chart_rows(profile)
    if not chosen:
        return []
    small = ParagraphStyle("chartcell", parent=styles["cell"], fontSize=6, leading=7.5)
    story: list[Flowable] = [
        Paragraph(escape(t("exp_trends", lang)), styles["h1"]),
        Paragraph(escape(t("exp_trends_intro", lang, count=MAX_PER_THEME)), styles["body"]),
    ]
    for theme, rows in chosen:
        blocks = [
            [
                trend_chart(row, profile, lang, font),
                Paragraph(escape(chart_caption(row, lang)), styles["cell"]),
                value_table(row, profile, lang, small, escape),
            ]
            for row in rows
        ]
        pairs = [blocks[i : i + 2] for i in range(0, len(blocks), 2)]
        grid = Table(
            [pair + [[]] * (2 - len(pair)) for pair in pairs],
            colWidths=[CHART_WIDTH + 3 * mm] * 2,
        )
        grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(KeepTogether([Paragraph(escape(theme.name(lang)), styles["h2"]), grid]))
    return story
