"""The full refresh's report: outcomes, the Swedish text, derived datasets, the page view."""

from __future__ import annotations

import dataclasses

from streamlit.testing.v1 import AppTest

from sodd.manifest import DatasetEntry, Manifest
from sodd.refresh_all_report import (
    OUTCOME_FAILED_KEPT,
    OUTCOME_FAILED_NONE,
    OUTCOME_NEW,
    OUTCOME_REMOVED,
    DatasetOutcome,
    FullRefreshReport,
    derived_outcomes,
    entry_changed,
)

ENTRY = DatasetEntry(
    dataset_id="indicator_values", kind="indicator_values", provider="sodd", table_id=None,
    title="Indikatorer", url=None, query=None, fetched_at="2026-11-30T10:00:00Z", rows=10,
    sha256="a" * 64, schema_version=1, demo=False, periods=("2024",), levels=("deso",),
    file="files/indicator_values/indicator_values.aaaa.parquet", raw_files=(),
)  # fmt: skip
FAILED = DatasetOutcome(
    "scb__tab6574", "SCB statistik", OUTCOME_FAILED_KEPT, "SCB svarade 503 tre gånger", 3, 120
)
REPORT = FullRefreshReport(
    "kommun 1780",
    (
        DatasetOutcome("scb__tab6586", "SCB statistik", OUTCOME_NEW, "", 3, 93),
        FAILED,
        DatasetOutcome("kolada__avhysningar", "Kolada", OUTCOME_FAILED_NONE, "Kolada: 404"),
    ),
    {"SCB statistik": 6, "Kolada": 2},
)


def test_report_lists_every_failure_with_its_outcome_and_error() -> None:
    text = REPORT.summary_sv()
    assert text.splitlines()[0] == "Uppdatering av alla källor för kommun 1780:"
    line = next(line for line in text.splitlines() if "scb__tab6574" in line)
    assert "misslyckades, tidigare version behålls" in line and "SCB svarade 503" in line
    assert "3 anrop" in line and "120 rader" in line
    assert "kolada__avhysningar" in text and "misslyckades, inga tidigare data" in text
    assert (
        "1 nya versioner, 0 oförändrade, 2 misslyckade; anrop: SCB statistik 6, Kolada 2." in text
    )
    assert "ingen datamängd sparas till hälften" in text
    assert not REPORT.ok and REPORT.failures == (FAILED, REPORT.datasets[2])
    assert REPORT.outcome_of("scb__tab6574") is FAILED


def test_derived_datasets_are_found_from_the_manifests() -> None:
    demo = dataclasses.replace(ENTRY, dataset_id="demo__x", demo=True)
    before = Manifest(generation=1, datasets={"indicator_values": ENTRY, "demo__x": demo})
    newer = dataclasses.replace(ENTRY, sha256="b" * 64, fetched_at="2026-11-30T11:00:00Z")
    after = Manifest(generation=2, datasets={"indicator_values": newer})
    assert entry_changed(ENTRY, newer) and not entry_changed(ENTRY, ENTRY)
    found = derived_outcomes(before, after, reported=set())
    assert [(o.dataset_id, o.outcome, o.rows) for o in found] == [
        ("demo__x", OUTCOME_REMOVED, 0),
        ("indicator_values", OUTCOME_NEW, 10),
    ]
    assert derived_outcomes(before, after, reported={"indicator_values", "demo__x"}) == []


def _page() -> None:
    from sodd.refresh_all_report import (
        OUTCOME_FAILED_KEPT,
        OUTCOME_NEW,
        DatasetOutcome,
        FullRefreshReport,
    )
    from sodd.ui_refresh_all import show_report

    show_report(
        FullRefreshReport(
            "kommun 1780",
            (
                DatasetOutcome("scb__tab6586", "SCB statistik", OUTCOME_NEW, "", 3, 93),
                DatasetOutcome("scb__tab6574", "SCB statistik", OUTCOME_FAILED_KEPT, "503", 3, 9),
            ),
            {"SCB statistik": 6},
        ),
        "sv",
    )


def test_the_page_shows_one_row_per_dataset_and_the_failures() -> None:
    at = AppTest.from_function(_page).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["Datamängd"]) == ["scb__tab6586", "scb__tab6574"]
    assert list(table["Resultat"]) == [OUTCOME_NEW, OUTCOME_FAILED_KEPT]
    assert list(table["Kommentar"]) == ["", "503"]
    assert [e.value for e in at.error] == [
        "1 nya versioner, 0 oförändrade, 1 misslyckade; anrop: SCB statistik 6."
    ]
    assert any("behåller sin tidigare version" in c.value for c in at.caption)
