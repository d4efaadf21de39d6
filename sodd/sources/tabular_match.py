"""Find the header row and the columns of an agency's table by tolerant Swedish names.

A layout names the columns it needs (region, year, measures, extra dimensions) by
aliases. A header matches an alias when every word of the alias starts one of the
header's words after folding (:func:`sodd.sources.tabular.normalise_header`), so
``"Verkställda avhysningar 2023"`` matches the alias ``"verkstall"``. Years may sit
in a column of their own (long layout), in the headers (``"Antal 2023"``, wide layout,
turned long here), in the sheet name or in the file name. When the columns cannot be
found the error lists the expected and the found headers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

import pandas as pd

from sodd.errors import SourceError
from sodd.sources.region_names import resolve_region
from sodd.sources.tabular import Cell, RawSheet, normalise_header, parse_number, parse_year

_HEADER_SCAN: Final = 40  # rows searched for the header (titles and notes come first)
# Words that say nothing about which measure a year column holds ("Antal 2023").
_GENERIC: Final = frozenset({"antal", "ar", "varde", "totalt", "summa", "andel", "procent"})


@dataclass(frozen=True)
class ColumnSpec:
    """One column sodd looks for.

    Attributes
    ----------
    key
        sodd's own name (a variable or dimension name).
    label
        Swedish name shown in messages and in the import preview.
    aliases
        Folded phrases; the header matches when every word of one alias begins a word
        of the header (a word ending in ``$`` must equal a header word).
    exclude
        Folded word beginnings that rule a header out (``barn`` for executed evictions).
    """

    key: str
    label: str
    aliases: tuple[str, ...]
    exclude: tuple[str, ...] = ()

    def matches(self, words: Sequence[str]) -> bool:
        """Whether a header, split into folded words, names this column."""
        if any(word.startswith(bad) for bad in self.exclude for word in words):
            return False
        return any(all(_has(words, part) for part in alias.split()) for alias in self.aliases)


def _has(words: Sequence[str], part: str) -> bool:
    if part.endswith("$"):
        return part[:-1] in words
    return any(word.startswith(part) for word in words)


@dataclass(frozen=True)
class Layout:
    """What a table must contain: region, measures, and optionally a year and dimensions."""

    what: str
    region: tuple[ColumnSpec, ...]  # in order of preference: a code column before a name
    measures: tuple[ColumnSpec, ...]
    year: ColumnSpec = ColumnSpec("year", "År", ("ar$", "year$", "artal$", "period$"))
    dims: tuple[ColumnSpec, ...] = ()
    required: tuple[str, ...] = ()
    min_measures: int = 1


@dataclass
class Extracted:
    """Long rows found in a file, and what was recognised (for the preview)."""

    frame: pd.DataFrame  # region_code, level, geo_vintage, period, measure, value, status, dims…
    matched: dict[str, list[str]] = field(default_factory=dict)  # label → headers as found
    sheets: list[str] = field(default_factory=list)


@dataclass
class _Plan:
    region: int
    fallback: int | None  # a second region column, used where the first is empty
    year: int | None
    dims: dict[str, int]
    # (column index, measure key, year from the header or None)
    values: list[tuple[int, str, str | None]]
    headers: tuple[str, ...]

    def score(self) -> int:
        return len(self.values) + len(self.dims) + (self.year is not None)


def _words(cell: Cell) -> list[str]:
    return normalise_header("" if cell is None else cell).split()


def _plan(layout: Layout, row: tuple[Cell, ...]) -> _Plan | None:
    headers = tuple(_header_text(c) for c in row)
    region = _region_column(layout, headers)
    if region is None:
        return None
    fallback = _region_column(layout, headers, skip=region)
    year = None
    dims: dict[str, int] = {}
    values: list[tuple[int, str, str | None]] = []
    for index, header in enumerate(headers):
        words = _words(header)
        if not words or index in {region, fallback}:
            continue
        header_year = parse_year(row[index])
        rest = [w for w in words if w != header_year]
        if header_year is None and year is None and layout.year.matches(words):
            year = index
        elif dim := next((d for d in layout.dims if d.key not in dims and d.matches(words)), None):
            dims[dim.key] = index
        elif measure := next((m for m in layout.measures if m.matches(rest)), None):
            values.append((index, measure.key, header_year))
        elif header_year is not None and len(layout.measures) == 1 and set(rest) <= _GENERIC:
            values.append((index, layout.measures[0].key, header_year))
    return _Plan(region, fallback, year, dims, values, headers)


def _header_text(cell: Cell) -> str:
    # Excel keeps a year header such as 2023 as a number; show it as "2023", not "2023.0".
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell)


def _region_column(layout: Layout, headers: tuple[str, ...], skip: int = -1) -> int | None:
    for spec in layout.region:
        for index, header in enumerate(headers):
            words = _words(header)
            if index != skip and words and parse_year(header) is None and spec.matches(words):
                return index
    return None


def _acceptable(layout: Layout, plan: _Plan) -> bool:
    found = {key for _, key, _ in plan.values}
    return len(found) >= layout.min_measures and set(layout.required) <= found


def _expected(layout: Layout) -> str:
    parts = [
        " eller ".join(spec.label for spec in layout.region),
        f"{layout.year.label} (eller år i rubrikerna)",
    ]
    parts += [d.label for d in layout.dims]
    required = [m.label for m in layout.measures if m.key in layout.required]
    optional = [m.label for m in layout.measures if m.key not in layout.required]
    if required:
        parts.append("alltid " + ", ".join(required))
    if optional:
        parts.append(f"minst {layout.min_measures} av: " + ", ".join(optional))
    return "; ".join(parts)


def _found_headers(sheet: RawSheet) -> str:
    # The row with most text cells is the best guess at what the user thinks is the header.
    rows = sheet.rows[:_HEADER_SCAN]
    best = max(rows, key=lambda r: sum(isinstance(c, str) for c in r), default=())
    found = [str(c) for c in best if c is not None]
    return ", ".join(f'"{h}"' for h in found) or "(inga)"


def find_plan(layout: Layout, sheet: RawSheet) -> tuple[int, _Plan] | None:
    """The header row (index) and column plan of ``sheet``, or ``None`` when not found."""
    best: tuple[int, _Plan] | None = None
    for number, row in enumerate(sheet.rows[:_HEADER_SCAN]):
        plan = _plan(layout, row)
        if plan is not None and _acceptable(layout, plan):
            if best is None or plan.score() > best[1].score():
                best = (number, plan)
    return best


def extract(layout: Layout, sheets: Sequence[RawSheet], *, filename: str) -> Extracted:
    """Read every sheet that has the layout's columns into long rows.

    The year of a value comes from its header, else its row's year column, else the
    sheet name, else a title above the header, else the file name.

    Raises
    ------
    SourceError
        When no sheet has the columns (the message lists the expected headers and the
        ones found), a value has no year, or a region cell is unknown.
    """
    frames: list[pd.DataFrame] = []
    result = Extracted(pd.DataFrame())
    for sheet in sheets:
        found = find_plan(layout, sheet)
        if found is None:
            continue
        header_row, plan = found
        frames.append(_rows(layout, sheet, header_row, plan, filename))
        result.sheets.append(sheet.sheet or sheet.filename)
        _note(result.matched, layout.region[0].label, plan.headers[plan.region])
        if plan.year is not None:
            _note(result.matched, layout.year.label, plan.headers[plan.year])
        labels = {c.key: c.label for c in (*layout.measures, *layout.dims)}
        for key, index in plan.dims.items():
            _note(result.matched, labels[key], plan.headers[index])
        for index, key, _ in plan.values:
            _note(result.matched, labels[key], plan.headers[index])
    if not frames:
        first = sheets[0] if sheets else RawSheet(filename, None, ())
        raise SourceError(
            f"{layout.what}: hittade inte de väntade kolumnerna i {first.where}. "
            f"Väntade rubriker: {_expected(layout)}. Hittade rubriker: {_found_headers(first)}."
        )
    result.frame = pd.concat(frames, ignore_index=True)
    if result.frame.empty:
        raise SourceError(
            f"{layout.what}: {filename} har rubrikerna men inga rader med områden och värden."
        )
    return result


def _note(matched: dict[str, list[str]], label: str, header: str) -> None:
    if header not in matched.setdefault(label, []):
        matched[label].append(header)


def _rows(
    layout: Layout, sheet: RawSheet, header_row: int, plan: _Plan, filename: str
) -> pd.DataFrame:
    title_year = next(
        (y for row in sheet.rows[:header_row] for c in row if (y := parse_year(c))), None
    )
    fallback_year = parse_year(sheet.sheet) or title_year or parse_year(filename)
    records: list[dict[str, object]] = []
    for offset, row in enumerate(sheet.rows[header_row + 1 :], start=header_row + 2):
        cell = _cell(row, plan.region)
        if cell is None and plan.fallback is not None:
            cell = _cell(row, plan.fallback)
        cells = [row[i] if i < len(row) else None for i, _, _ in plan.values]
        if cell is None:
            continue
        where = f"{sheet.where}, rad {offset}"
        try:
            region = resolve_region(cell, where=where)
        except SourceError:
            if all(c is None for c in cells):
                continue  # a footnote or source note below the table, not an area
            raise
        assert region is not None
        row_year = None
        if plan.year is not None and plan.year < len(row):  # a short row has no year cell
            row_year = parse_year(row[plan.year])
        dims = {key: _dim_value(row[i] if i < len(row) else None) for key, i in plan.dims.items()}
        for (index, key, header_year), value_cell in zip(plan.values, cells, strict=True):
            period = header_year or row_year or fallback_year
            if period is None:
                raise SourceError(
                    f"{where}: inget år för kolumnen {plan.headers[index]!r}. Lägg till en "
                    'kolumn År, skriv året i rubriken (t.ex. "Antal 2023") eller i filnamnet.'
                )
            value, status = parse_number(value_cell)
            records.append(
                {
                    "region_code": region[0],
                    "level": region[1],
                    "geo_vintage": region[2],
                    "period": period,
                    "measure": key,
                    "value": value,
                    "status": status,
                    "row": offset,
                    "where": sheet.where,
                    **dims,
                }
            )
    return pd.DataFrame.from_records(records)


def _cell(row: tuple[Cell, ...], index: int) -> Cell:
    return row[index] if index < len(row) else None


def _dim_value(cell: Cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell).strip()
