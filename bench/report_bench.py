"""Time the area profile PDF and the social report PDF (issue 6's bench targets).

Builds a one-kommun demo (Karlstad, about 60 DeSO) in a temporary store, then times
the profile PDF of one district and the social report PDF of the kommun, each from
reading the store to the finished bytes. Prints figures beside their targets;
asserts nothing.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sodd.export import build_export_context, render
from sodd.export.cli import load_profile
from sodd.export.report_files import load_kommun_report, render_report
from sodd.export.tidy import ExportContext
from sodd.pipeline import install_demo
from sodd.store import Store

KOMMUN = "1780"
DISTRICTS = 60
PROFILE_TARGET_S = 2.0
REPORT_TARGET_S = 60.0


def main() -> None:
    """Build the demo, time both PDFs and print them beside the targets."""
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder))
        install_demo(store, kommun_codes=[KOMMUN], districts_per_kommun=DISTRICTS)
        regions = store.read_regions(columns=["region_code", "level"])
        district = sorted(regions.loc[regions["level"] == "deso", "region_code"])[0]

        start = time.perf_counter()
        profile, all_regions = load_profile(store, district, "deso", None)
        context = build_export_context(profile, store.manifest(), all_regions, "sv")
        profile_pdf = render(profile, context, "pdf")
        profile_s = time.perf_counter() - start

        start = time.perf_counter()
        report = load_kommun_report(store, KOMMUN)
        report_context = ExportContext(entries=tuple(store.manifest().datasets.values()))
        report_pdf = render_report(report, report_context, "pdf")
        report_s = time.perf_counter() - start

    districts = report.district_counts.get("deso", 0)
    rows = [
        (
            f"profile PDF, one district ({district}, {len(profile_pdf) // 1024} kB)",
            profile_s,
            PROFILE_TARGET_S,
        ),
        (
            f"social report PDF, {KOMMUN} with {districts} DeSO ({len(report_pdf) // 1024} kB)",
            report_s,
            REPORT_TARGET_S,
        ),
    ]
    width = max(len(label) for label, _, _ in rows)
    print("sodd bench: exports (issue 6)")
    for label, seconds, target in rows:
        verdict = "within" if seconds <= target else "OVER"
        print(f"  {label:<{width}}  {seconds:8.2f} s  (target ≤ {target:.0f} s, {verdict})")


if __name__ == "__main__":
    main()
