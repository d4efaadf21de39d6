"""Fuzz every parser and importer with many generated inputs (issue 9, item 3).

Runs the targets of ``tests/unit/test_fuzz_parsers.py`` with far more examples than
``make test`` does. An unexpected exception (anything but ``SourceError``) or a broken
contract is counted and described instead of stopping the run, so one bug does not hide
the next. Prints inputs, failures and seconds per target.
"""

from __future__ import annotations

import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.test_fuzz_parsers import (
    TABLE_ROWS,
    TARGETS_UNDER_FUZZ,
    check_no_partial_write,
    key_file,
    seeded_store,
    tabular_file,
)
from tests.unit.test_local_fuzz import check_upload_file, upload_files

PER_TARGET = 1600  # 7 parser targets + the store target give well over 10 000 inputs
STORE_EXAMPLES = 600  # successful imports recompute indicator values: slower per input


def _where(error: BaseException) -> str:
    """Exception type and the innermost sodd frame, to group failures by cause."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if "/sodd/" in f.filename]
    place = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    return f"{type(error).__name__} at {place}"


def _run(
    name: str, inputs: st.SearchStrategy[Any], check: Callable[[Any], None], examples: int
) -> dict[str, Any]:
    seen = 0
    failures: Counter[str] = Counter()
    samples: dict[str, str] = {}

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(inputs)
    def run(value: Any) -> None:
        nonlocal seen
        seen += 1
        try:
            check(value)
        except Exception as error:
            key = _where(error)
            failures[key] += 1
            samples.setdefault(key, f"{error!s:.120} | input {value!r:.200}")

    start = time.perf_counter()
    run()
    return {
        "name": name,
        "inputs": seen,
        "failures": sum(failures.values()),
        "causes": dict(failures),
        "samples": samples,
        "seconds": time.perf_counter() - start,
    }


def main() -> list[dict[str, Any]]:
    """Run every target, print a table and each distinct failure; return the rows."""
    rows = [_run(t.name, t.inputs, t.check, PER_TARGET) for t in TARGETS_UNDER_FUZZ]
    rows.append(
        _run("local upload check (Egna uppgifter)", upload_files(), check_upload_file, PER_TARGET)
    )
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        store = seeded_store(folder)
        rows.append(
            _run(
                "import into a store (no partial writes)",
                st.one_of(tabular_file(TABLE_ROWS), key_file()),
                lambda file: check_no_partial_write(store, file, folder),
                STORE_EXAMPLES,
            )
        )
    width = max(len(row["name"]) for row in rows)
    print("sodd fuzz (hypothesis)")
    print(f"  {'target':<{width}}  {'inputs':>7}  {'failures':>8}  {'seconds':>8}")
    for row in rows:
        print(
            f"  {row['name']:<{width}}  {row['inputs']:>7}  {row['failures']:>8}"
            f"  {row['seconds']:>8.1f}"
        )
    total = sum(row["inputs"] for row in rows)
    failed = sum(row["failures"] for row in rows)
    print(f"  {'total':<{width}}  {total:>7}  {failed:>8}")
    for row in rows:
        for cause, count in row["causes"].items():
            print(f"  ! {row['name']}: {count} x {cause}: {row['samples'][cause]}")
    print()
    return rows


if __name__ == "__main__":
    main()
