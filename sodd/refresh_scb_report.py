"""The result of an SCB refresh, per table, and its text forms (report and progress bar).

Kept apart from :mod:`sodd.refresh_scb` so the app can import the result types without
the refresh machinery, and so both stay short.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Final, TextIO

from sodd.formatting import format_number

STATUS_UPDATED: Final = "uppdaterad"
STATUS_UNCHANGED: Final = "oförändrad"
STATUS_FAILED: Final = "misslyckades"
STATUSES: Final = (STATUS_UPDATED, STATUS_UNCHANGED, STATUS_FAILED)


@dataclass(frozen=True)
class TableResult:
    """How one table fared in a refresh.

    Attributes
    ----------
    table_id
        SCB's table id.
    status
        ``"uppdaterad"``, ``"oförändrad"`` or ``"misslyckades"``.
    rows
        Observations stored for the table (for an unchanged table: already stored).
    requests
        HTTP requests sent for the table, the ``updated`` check included.
    message
        Swedish explanation; empty when there is nothing to add.
    seconds
        Wall time spent on the table.
    """

    table_id: str
    status: str
    rows: int
    requests: int
    message: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class RefreshReport:
    """Every table's result, plus what the refresh covered.

    Attributes
    ----------
    tables
        One result per table, in refresh order.
    scope_label
        Swedish description of the area, e.g. ``"kommun 1780"``.
    levels
        District levels fetched.
    first_year
        First reference year fetched.
    indicators_recomputed
        Whether indicator values were recomputed (some table changed).
    """

    tables: list[TableResult]
    scope_label: str
    levels: tuple[str, ...]
    first_year: int
    indicators_recomputed: bool = False

    @property
    def ok(self) -> bool:
        """Whether no table failed."""
        return all(result.status != STATUS_FAILED for result in self.tables)

    def count(self, status: str) -> int:
        """Number of tables with ``status``."""
        return sum(result.status == status for result in self.tables)

    @property
    def requests(self) -> int:
        """HTTP requests sent in total."""
        return sum(result.requests for result in self.tables)

    def summary_sv(self) -> str:
        """Return the report as Swedish text: one line per table, then a summary line."""
        lines = [
            f"SCB-uppdatering för {self.scope_label} ({' och '.join(self.levels)}, "
            f"från {self.first_year}):"
        ]
        width = max((len(result.table_id) for result in self.tables), default=0)
        for result in self.tables:
            line = (
                f"  {result.table_id:<{width}}  {result.status:<12} "
                f"{format_number(result.rows):>10} rader  {result.requests:>3} anrop  "
                f"{format_number(result.seconds, 1):>5} s"
            )
            if result.message:
                line += f"  – {result.message}"
            lines.append(line)
        failed = self.count(STATUS_FAILED)
        lines.append(
            f"{self.count(STATUS_UPDATED)} uppdaterade, {self.count(STATUS_UNCHANGED)} "
            f"oförändrade, {failed} misslyckade; {self.requests} anrop."
            + (" Indikatorerna har räknats om." if self.indicators_recomputed else "")
        )
        if failed:
            lines.append("Tabeller som misslyckades behåller sina tidigare data.")
        return "\n".join(lines)


class TextProgressBar:
    """A progress bar per table drawn with plain text, e.g. ``TAB6574 [#####-----] 3/6``.

    Parameters
    ----------
    stream
        Where to draw; standard error when omitted.
    width
        Characters inside the brackets.

    On a terminal the bar is redrawn in place; elsewhere (a log file) only the
    finished bar is written, one line per table.
    """

    def __init__(self, stream: TextIO | None = None, *, width: int = 30) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self._live = bool(getattr(self.stream, "isatty", lambda: False)())

    def __call__(self, table_id: str, done: int, total: int) -> None:
        """Draw the bar of ``table_id`` at ``done`` of ``total`` requests."""
        total = max(total, 1)
        done = min(max(done, 0), total)
        filled = round(self.width * done / total)
        bar = f"{table_id} [{'#' * filled}{'-' * (self.width - filled)}] {done}/{total}"
        if self._live:
            self.stream.write("\r" + bar + ("\n" if done == total else ""))
        elif done == total:
            self.stream.write(bar + "\n")
        self.stream.flush()
