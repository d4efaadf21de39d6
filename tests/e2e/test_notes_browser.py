"""Real browser: a note holding HTML and script is shown as text and runs nothing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.load import serve
from sodd.notes_store import add_note
from sodd.store import Store
from tests.e2e.test_browser import CHROMIUM_ARGS, _chromium_or_fail

pytestmark = pytest.mark.browser

AREA = "1780X0010"
PAYLOAD = (
    '<img src=x onerror="window.__soddXss=1"><script>window.__soddXss=2</script> '
    "**fet** [länk](javascript:window.__soddXss=3)"
)
SIGNATURE = "<b id=sodd-injected>AB</b>"


@pytest.fixture(scope="module")
def server(demo_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # A private copy: the note is written before the app starts.
    folder = tmp_path_factory.mktemp("notes-browser")
    store_dir = folder / "store"
    shutil.copytree(demo_store_dir, store_dir)
    add_note(Store(store_dir), AREA, "deso", "trygghet", PAYLOAD, SIGNATURE, geo_vintage="2025")
    try:
        with serve(store_dir, folder / "streamlit.log") as (base, _pid):
            yield base
    except RuntimeError as error:  # the server never became healthy: show its log
        pytest.fail(str(error))


def test_note_with_script_payload_is_text_and_runs_nothing(server: str) -> None:
    executable = _chromium_or_fail()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page(locale="sv-SE")
        try:
            page.goto(
                f"{server}/omradesprofil?area={AREA}&level=deso&vintage=2025",
                wait_until="domcontentloaded",
            )
            page.get_by_role("heading", name="Lokala iakttagelser").first.wait_for(timeout=90_000)
            shown = page.get_by_text("window.__soddXss=2", exact=False).first
            shown.wait_for(timeout=30_000)
            text = " ".join(shown.inner_text().split())
            # The characters typed, markup and all, are what the reader sees.
            assert '<img src=x onerror="window.__soddXss=1">' in text
            assert "<script>window.__soddXss=2</script>" in text
            assert "**fet** [länk](javascript:window.__soddXss=3)" in text
            page.get_by_text(SIGNATURE, exact=False).first.wait_for(timeout=10_000)
            page.wait_for_timeout(1000)
            # Nothing of it became an element or ran.
            assert page.evaluate("window.__soddXss") is None
            assert page.locator('img[src="x"]').count() == 0
            assert page.locator("#sodd-injected").count() == 0
            assert page.locator('a[href^="javascript"]').count() == 0
            assert page.locator('[data-testid="stException"]').count() == 0
        finally:
            page.close()
            browser.close()
