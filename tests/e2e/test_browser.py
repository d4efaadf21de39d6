"""Real browser: `streamlit run` on a free loopback port, every page in headless Chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.load import serve

CHROMIUM = os.environ.get("SODD_CHROMIUM", "/usr/bin/chromium")
# Flags that keep Chromium from reaching for the network at start-up (this machine has
# none) and let it run as root in a container.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The start page (Karta) is served at the root.
PAGES = {
    "": "Karta",
    "omradesprofil": "Områdesprofil",
    "bostadsloshet": "Bostadslöshet och avhysningar",
    "egna-uppgifter": "Egna uppgifter",
    "mal": "Mål och uppföljning",
    "presentera": "Presentera",
    "datakallor": "Datakällor",
}

pytestmark = pytest.mark.browser


def _chromium_or_fail() -> str:
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return CHROMIUM
    message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("SODD_REQUIRE_BROWSER", "") == "1":
        pytest.fail(message + "; SODD_REQUIRE_BROWSER=1 makes this a failure")
    pytest.skip(message)


@pytest.fixture(scope="module")
def server(demo_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log_path = tmp_path_factory.mktemp("server") / "streamlit.log"
    try:
        with serve(demo_store_dir, log_path) as (base, _pid):
            yield base
    except RuntimeError as error:  # the server never became healthy: show its log
        pytest.fail(str(error))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = _chromium_or_fail()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.mark.parametrize("path", list(PAGES))
def test_page_renders_without_exception(server: str, browser: object, path: str) -> None:
    page = browser.new_page(locale="sv-SE")  # type: ignore[attr-defined]
    try:
        page.goto(f"{server}/{path}", wait_until="domcontentloaded")
        page.get_by_role("heading", name=PAGES[path], exact=True).first.wait_for(timeout=60_000)
        page.get_by_text("Exempeldata – inte verklig statistik").first.wait_for(timeout=30_000)
        if path == "":
            page.locator('[data-testid="stDeckGlJsonChart"]').first.wait_for(
                state="attached", timeout=60_000
            )
            page.locator("canvas").first.wait_for(state="attached", timeout=60_000)
        # Let the script run finish before looking for error boxes.
        page.wait_for_timeout(1500)
        assert page.locator('[data-testid="stException"]').count() == 0
        # A direct link must open its page without Streamlit's "Page not found" dialog.
        assert page.get_by_text("does not seem to exist").count() == 0
        assert page.evaluate("document.documentElement.lang") == "sv"
        _assert_no_serious_accessibility_violations(page)
    finally:
        page.close()


def _assert_no_serious_accessibility_violations(page: object) -> None:
    """axe-core (bundled in axe-playwright-python, no download) over WCAG 2.1 A and AA."""
    from axe_playwright_python.sync_playwright import Axe

    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": tags}})
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert not serious, "\n".join(serious)


def _blend(hex_colour: str, alpha: float = 220 / 255) -> tuple[int, int, int]:
    """A fill colour as it looks over the white map background."""
    rgb = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
    return tuple(round(c * alpha + 255 * (1 - alpha)) for c in rgb)  # type: ignore[return-value]


def test_map_draws_the_choropleth_and_a_click_opens_the_profile(
    server: str, browser: object
) -> None:
    from io import BytesIO

    import numpy as np
    from PIL import Image

    from sodd.maps import NEUTRAL_RAMP

    page = browser.new_page(locale="sv-SE", viewport={"width": 1400, "height": 1100})  # type: ignore[attr-defined]
    try:
        page.goto(server, wait_until="domcontentloaded")
        chart = page.locator('[data-testid="stDeckGlJsonChart"]').first
        chart.wait_for(state="visible", timeout=60_000)
        page.wait_for_timeout(3000)  # let deck.gl draw
        image = Image.open(BytesIO(chart.screenshot())).convert("RGB")
        pixels = np.asarray(image, dtype=int).reshape(-1, 3)
        # The default view (population, a neutral indicator) uses the Blues ramp; a
        # blank or single-colour canvas would mean the layer did not render.
        found = set()
        for colour in NEUTRAL_RAMP:
            target = _blend(colour)
            if (np.abs(pixels - np.array(target)).max(axis=1) <= 10).sum() > 200:
                found.add(colour)
        assert len(found) >= 3, f"choropleth colours on the map: {sorted(found)}"
        box = chart.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_url("**/omradesprofil?*", timeout=30_000)
        page.get_by_role("heading", name="Profil för", exact=False).first.wait_for(timeout=30_000)
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        page.close()
