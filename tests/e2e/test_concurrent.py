"""Several users at once: 3 browser contexts on the map and profile pages of one server."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.load import deso_codes, run_load, serve
from tests.e2e.test_browser import _chromium_or_fail

pytestmark = pytest.mark.browser


def test_three_concurrent_users_get_no_errors(demo_store_dir: Path, tmp_path: Path) -> None:
    chromium = _chromium_or_fail()
    with serve(demo_store_dir, tmp_path / "streamlit.log") as (base, pid):
        result = run_load(
            base, pid, deso_codes(demo_store_dir), sessions=3, seconds=10, chromium=chromium
        )
    assert result.errors == []
    # Every user finished at least one whole loop (map, indicator and year, profile) while
    # the others were busy too; a session started after the load window would show 0.
    loads = [(s.map_loads, s.profile_loads) for s in result.sessions]
    assert len(loads) == 3
    assert all(maps >= 1 and profiles >= 1 for maps, profiles in loads), loads
    assert result.rss_mb and all(mb > 0 for mb in result.rss_mb)
