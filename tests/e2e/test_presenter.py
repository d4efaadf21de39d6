"""Real browser: a shared Karta link reproduces the view; presenter mode steps with keys."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.load import serve
from sodd.agenda import Agenda, add_view, new_agenda, new_view, save_agenda
from sodd.store import Store
from tests.e2e.test_browser import (
    CHROMIUM_ARGS,
    _assert_no_serious_accessibility_violations,
    _chromium_or_fail,
)

pytestmark = pytest.mark.browser

KARTA_QUERY = "visa=kommun&kommun=1784&indikator=lag_ekonomisk_standard&niva=regso&ar=2019"


@pytest.fixture(scope="module")
def agenda_store(
    demo_store_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Agenda]:
    """A copy of the demo store with a two-view agenda (the shared demo stays clean)."""
    data_dir = tmp_path_factory.mktemp("presenter") / "store"
    shutil.copytree(demo_store_dir, data_dir)
    agenda = new_agenda("Workshop")
    agenda = add_view(agenda, new_view("Första vyn", "karta", "kommun=1780&indikator=folkmangd"))
    agenda = add_view(agenda, new_view("Andra vyn", "karta", f"{KARTA_QUERY}&klass=quantiles"))
    save_agenda(Store(data_dir), agenda)
    return data_dir, agenda


@pytest.fixture(scope="module")
def server(
    agenda_store: tuple[Path, Agenda], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    log_path = tmp_path_factory.mktemp("server") / "streamlit.log"
    try:
        with serve(agenda_store[0], log_path) as (base, _pid):
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


def test_karta_link_opens_the_same_view_and_copies_its_link(server: str, browser: object) -> None:
    context = browser.new_context(  # type: ignore[attr-defined]
        locale="sv-SE",
        viewport={"width": 1400, "height": 1000},
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    try:
        page.goto(f"{server}/?{KARTA_QUERY}", wait_until="domcontentloaded")
        heading = "Andel med låg ekonomisk standard, Arvika 2019"
        page.get_by_role("heading", name=heading).first.wait_for(timeout=60_000)
        indicator = page.locator(".st-key-map_indicator input").input_value()
        assert indicator == "Andel med låg ekonomisk standard"
        year = page.locator(".st-key-map_year input[type=range]")
        assert year.get_attribute("aria-valuetext") == "2019"
        page.wait_for_timeout(1000)
        assert page.get_by_text("does not seem to exist").count() == 0
        assert "ar=2019" in page.url and "kommun=1784" in page.url
        button = page.get_by_role("button", name="Kopiera länk", exact=True)
        button.focus()
        page.keyboard.press("Enter")  # a real button: works from the keyboard
        page.get_by_text("Länken är kopierad").wait_for(timeout=10_000)
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.url
        field = page.get_by_label("Länk till den här vyn")
        assert "indikator=lag_ekonomisk_standard" in field.input_value()
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        context.close()


def test_presenter_steps_with_arrow_keys_and_passes_axe(
    server: str, browser: object, agenda_store: tuple[Path, Agenda]
) -> None:
    _, agenda = agenda_store
    page = browser.new_page(locale="sv-SE", viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    try:
        # Preparing: the agenda with its views, the add-view form and the copy control.
        page.goto(f"{server}/presentera?agenda={agenda.agenda_id}")
        page.get_by_role("heading", name="Presentera", exact=True).wait_for(timeout=60_000)
        page.get_by_text("1. Första vyn").wait_for(timeout=30_000)
        page.wait_for_timeout(1500)
        assert page.locator('[data-testid="stException"]').count() == 0
        _assert_no_serious_accessibility_violations(page)

        page.goto(f"{server}/presentera?agenda={agenda.agenda_id}&vy=1")
        page.get_by_role("heading", name="Första vyn", exact=True).wait_for(timeout=60_000)
        page.get_by_text("Vy 1 / 2").wait_for(timeout=30_000)
        # The presenter's style sheet hides the sidebar once it is applied.
        page.locator('[data-testid="stSidebar"]').first.wait_for(state="hidden", timeout=10_000)
        font_size = page.evaluate("getComputedStyle(document.documentElement).fontSize")
        assert font_size == "24px"
        page.wait_for_timeout(1500)
        assert page.locator('[data-testid="stException"]').count() == 0
        _assert_no_serious_accessibility_violations(page)

        page.keyboard.press("ArrowRight")
        page.get_by_role("heading", name="Andra vyn", exact=True).wait_for(timeout=30_000)
        page.get_by_text("Vy 2 / 2").wait_for(timeout=30_000)
        page.wait_for_url("**vy=2**", timeout=10_000)
        page.keyboard.press("PageUp")  # what a presentation clicker sends for "back"
        page.get_by_role("heading", name="Första vyn", exact=True).wait_for(timeout=30_000)
        page.wait_for_url("**vy=1**", timeout=10_000)
    finally:
        page.close()
