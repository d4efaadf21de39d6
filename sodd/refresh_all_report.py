"""The report of a full refresh: one line per dataset the refresh touched or tried.

Kept apart from :mod:`sodd.refresh_all` so the app and the tests can use the result
types without the refresh machinery. The outcome of each dataset is stated in words
a planner understands and is backed by the manifest: only a dataset reported as
``ny version`` has a new entry (file, sha256, fetched_at) after the refresh.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from sodd.formatting import format_number
from sodd.manifest import DatasetEntry, Manifest

OUTCOME_NEW: Final = "ny version"
OUTCOME_UNCHANGED: Final = "oförändrad, tidigare version behålls"
OUTCOME_FAILED_KEPT: Final = "misslyckades, tidigare version behålls"
OUTCOME_FAILED_NONE: Final = "misslyckades, inga tidigare data"
OUTCOME_NOTHING: Final = "inget att hämta för området"
OUTCOME_REMOVED: Final = "borttagen (exempeldata)"
OUTCOMES: Final = (
    OUTCOME_NEW,
    OUTCOME_UNCHANGED,
    OUTCOME_FAILED_KEPT,
    OUTCOME_FAILED_NONE,
    OUTCOME_NOTHING,
    OUTCOME_REMOVED,
)
FAILED_OUTCOMES: Final = (OUTCOME_FAILED_KEPT, OUTCOME_FAILED_NONE)

# Source labels shown in the report.
SOURCE_SCB: Final = "SCB statistik"
SOURCE_GEO: Final = "SCB geodata"
SOURCE_KOLADA: Final = "Kolada"
SOURCE_DERIVED: Final = "härledd"


@dataclass(frozen=True)
class DatasetOutcome:
    """How one dataset fared in a full refresh.

    Attributes
    ----------
    dataset_id
        The store's dataset id, e.g. ``scb__tab6574``.
    source
        Where it comes from: ``SCB statistik``, ``SCB geodata``, ``Kolada`` or
        ``härledd`` (computed from other datasets, e.g. indicator values).
    outcome
        One of :data:`OUTCOMES`.
    message
        The error or note in Swedish; empty when there is nothing to add.
    requests
        HTTP requests sent for the dataset (retries included), or ``None`` where the
        source does not count them per dataset.
    rows
        Rows stored for the dataset after the refresh (0 when it has none).
    """

    dataset_id: str
    source: str
    outcome: str
    message: str = ""
    requests: int | None = None
    rows: int = 0

    @property
    def failed(self) -> bool:
        """Whether the dataset could not be refreshed."""
        return self.outcome in FAILED_OUTCOMES


@dataclass(frozen=True)
class FullRefreshReport:
    """Every dataset a full refresh touched or tried, plus what it covered.

    Attributes
    ----------
    scope_label
        Swedish description of the area, e.g. ``"kommun 1780"``.
    datasets
        One outcome per dataset, source by source, derived datasets last.
    requests_by_source
        HTTP requests sent per source label (retries included).
    generation_before, generation_after
        The manifest generation when the refresh started and when it ended.
    source_errors
        Errors that stopped a whole source (e.g. Kolada's search failed), in Swedish.
    """

    scope_label: str
    datasets: tuple[DatasetOutcome, ...]
    requests_by_source: dict[str, int] = field(default_factory=dict)
    generation_before: int = 0
    generation_after: int = 0
    source_errors: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether nothing failed."""
        return not self.source_errors and not any(item.failed for item in self.datasets)

    @property
    def failures(self) -> tuple[DatasetOutcome, ...]:
        """The datasets that failed."""
        return tuple(item for item in self.datasets if item.failed)

    def outcome_of(self, dataset_id: str) -> DatasetOutcome:
        """Return the outcome of ``dataset_id``.

        Raises
        ------
        KeyError
            When the refresh did not touch or try the dataset.
        """
        for item in self.datasets:
            if item.dataset_id == dataset_id:
                return item
        raise KeyError(dataset_id)

    def count(self, outcome: str) -> int:
        """Number of datasets with ``outcome``."""
        return sum(item.outcome == outcome for item in self.datasets)

    def summary_sv(self) -> str:
        """Return the report as Swedish text: one line per dataset, then a summary."""
        lines = [f"Uppdatering av alla källor för {self.scope_label}:"]
        width = max((len(item.dataset_id) for item in self.datasets), default=0)
        for item in self.datasets:
            requests = "" if item.requests is None else f"{item.requests:>4} anrop  "
            line = (
                f"  {item.dataset_id:<{width}}  {item.source:<13}  {item.outcome}  "
                f"({format_number(item.rows)} rader)  {requests}"
            ).rstrip()
            if item.message:
                line += f"  – {item.message}"
            lines.append(line)
        lines.extend(f"  Fel: {error}" for error in self.source_errors)
        failed = len(self.failures)
        sent = ", ".join(f"{name} {count}" for name, count in self.requests_by_source.items())
        lines.append(
            f"{self.count(OUTCOME_NEW)} nya versioner, {self.count(OUTCOME_UNCHANGED)} "
            f"oförändrade, {failed} misslyckade" + (f"; anrop: {sent}." if sent else ".")
        )
        if failed or self.source_errors:
            lines.append(
                "Datamängder som misslyckades behåller sin tidigare version (om den fanns); "
                "ingen datamängd sparas till hälften."
            )
        return "\n".join(lines)


def entry_changed(before: DatasetEntry | None, after: DatasetEntry | None) -> bool:
    """Whether a dataset's manifest entry differs between two snapshots."""
    if before is None or after is None:
        return before is not after
    return (before.sha256, before.fetched_at, before.file) != (
        after.sha256,
        after.fetched_at,
        after.file,
    )


def derived_outcomes(before: Manifest, after: Manifest, reported: set[str]) -> list[DatasetOutcome]:
    """Outcomes of datasets changed by the refresh that no source reported itself.

    These are the datasets a refresh writes as a consequence: indicator values
    recomputed, kommun/län borders staged, demo datasets removed.
    """
    found: list[DatasetOutcome] = []
    for dataset_id in sorted(set(before.datasets) | set(after.datasets)):
        if dataset_id in reported:
            continue
        old, new = before.datasets.get(dataset_id), after.datasets.get(dataset_id)
        if not entry_changed(old, new):
            continue
        if new is None:
            found.append(DatasetOutcome(dataset_id, SOURCE_DERIVED, OUTCOME_REMOVED))
        else:
            found.append(DatasetOutcome(dataset_id, SOURCE_DERIVED, OUTCOME_NEW, rows=new.rows))
    return found
