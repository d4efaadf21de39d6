"""The main flow in a real browser, with the mouse and with the keyboard only.

Choose a kommun → change indicator and year → open a district's profile → download its
PDF and XLSX, which must arrive, open (pypdf, openpyxl) and name the district. The
keyboard run uses only Tab/Shift+Tab, typing, arrow keys and Enter, and checks at every
stop of the flow that the focused control visibly shows its focus (its pixels change
when it loses focus). Every request the page makes must stay on the loopback server.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader

from tests.e2e.test_browser import browser, server  # noqa: F401 (shared fixtures)

pytestmark = pytest.mark.browser

# Streamlit turns page_icon=":material/…:" into a favicon fetched from Google Fonts; the
# flows tolerate only that request (aborted here), test_no_request_leaves_loopback not.
MATERIAL_FAVICON = "fonts.gstatic.com/s/i/short-term/release/materialsymbolsrounded/"

FOCUS_INFO = """() => {
  const e = document.activeElement;
  return {tag: e.tagName, role: e.getAttribute('role'), label: e.getAttribute('aria-label'),
          text: (e.innerText || e.value || '').trim().slice(0, 80),
          testid: e.getAttribute('data-testid')};
}"""
# The box whose pixels show the focus: Streamlit draws a select's focus ring on the
# select's frame and a slider's on its thumb, not on the <input> itself.
FOCUS_BOX = """() => {
  const e = document.activeElement;
  const frame = e.closest('[data-testid="stSelectbox"]') || e.closest('[data-testid="stSlider"]')
    || e;
  const r = frame.getBoundingClientRect();
  return {x: r.x, y: r.y, width: r.width, height: r.height};
}"""


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:  # noqa: F811 (the imported fixture)
    """A page that records every request leaving the loopback server."""
    context = browser.new_context(
        locale="sv-SE", viewport={"width": 1400, "height": 1100}, accept_downloads=True
    )
    page = context.new_page()
    outside: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if re.match(r"^(https?|wss?)://(127\.0\.0\.1|localhost)(:\d+)?/", url) or url.startswith(
            ("data:", "blob:")
        ):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", guard)
    page.outside_requests = outside
    try:
        yield page
    finally:
        context.close()
    unexplained = [url for url in outside if MATERIAL_FAVICON not in url]
    assert unexplained == [], f"requests outside the loopback server: {unexplained}"


def _focused(page: Any) -> dict[str, Any]:
    info: dict[str, Any] = page.evaluate(FOCUS_INFO)
    return info


def _assert_focus_visible(page: Any, what: str) -> None:
    """The focused control looks different from the same control without focus."""
    box = page.evaluate(FOCUS_BOX)
    assert box["width"] > 0 and box["height"] > 0, f"{what}: focused element is not visible"
    pad = 6
    clip = {
        "x": max(box["x"] - pad, 0),
        "y": max(box["y"] - pad, 0),
        "width": box["width"] + 2 * pad,
        "height": box["height"] + 2 * pad,
    }
    focused = page.screenshot(clip=clip)
    page.evaluate("window.__sodd_focus = document.activeElement; document.activeElement.blur()")
    page.wait_for_timeout(150)
    plain = page.screenshot(clip=clip)
    page.evaluate("window.__sodd_focus.focus({focusVisible: true})")
    page.wait_for_timeout(150)
    assert focused != plain, f"{what}: no visible focus indicator ({_focused(page)})"


def _tab_to(page: Any, matches: Any, what: str, *, limit: int = 400, back: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches; then check its focus."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if matches(_focused(page)):
            _assert_focus_visible(page, what)
            return
    raise AssertionError(f"{what}: not reached with the keyboard in {limit} presses")


def _combobox(label: str) -> Any:
    return lambda f: f["role"] == "combobox" and f["label"] == label


def _wait_for_rerun(page: Any) -> None:
    page.wait_for_timeout(400)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=60_000)
    page.wait_for_timeout(300)


def _combobox_value(page: Any, label: str) -> str:
    return str(page.locator(f'input[aria-label="{label}"]').first.input_value())


def _year(page: Any) -> str:
    slider = page.locator('[data-testid="stSlider"] input[type="range"]').first
    return str(slider.get_attribute("aria-valuetext"))


def _check_downloads(pdf: Any, xlsx: Any, name: str, code: str) -> None:
    assert pdf.suggested_filename == f"omradesprofil_{code}_2024.pdf" or re.fullmatch(
        rf"omradesprofil_{code}_\d{{4}}\.pdf", pdf.suggested_filename
    )
    with open(pdf.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert name in text, f"{name!r} not in the PDF"
    assert re.fullmatch(rf"omradesprofil_{code}_\d{{4}}\.xlsx", xlsx.suggested_filename)
    with open(xlsx.path(), "rb") as handle:
        book = openpyxl.load_workbook(io.BytesIO(handle.read()))
    cells = [str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
    assert any(name in cell for cell in cells), f"{name!r} not in the XLSX"


def _profile_heading(page: Any) -> str:
    heading = page.get_by_role("heading", name="Profil för", exact=False).first
    heading.wait_for(timeout=60_000)
    return str(heading.inner_text()).removeprefix("Profil för").strip()


def _open_karta(page: Any, server: str) -> None:  # noqa: F811
    page.goto(server, wait_until="domcontentloaded")
    page.locator('[data-testid="stDeckGlJsonChart"]').first.wait_for(
        state="visible", timeout=60_000
    )
    _wait_for_rerun(page)


# ------------------------------------------------------------------------ tests


def test_no_request_leaves_loopback(server: str, page: Any) -> None:  # noqa: F811
    _open_karta(page, server)
    page.wait_for_timeout(1000)
    assert page.outside_requests == []


def test_main_flow_with_the_mouse(server: str, page: Any) -> None:  # noqa: F811
    _open_karta(page, server)
    page.locator('input[aria-label="Kommun"]').click()
    page.keyboard.type("Karlstad")
    page.get_by_role("option", name="Karlstad (1780)").click()
    _wait_for_rerun(page)
    assert "Karlstad (1780)" in _combobox_value(page, "Kommun")

    before = _combobox_value(page, "Indikator")
    page.locator('input[aria-label="Indikator"]').click()
    options = page.get_by_role("option")
    options.nth(1).click()
    _wait_for_rerun(page)
    assert _combobox_value(page, "Indikator") != before

    year = _year(page)
    thumb = page.locator('[data-testid="stSlider"] input[type="range"]').first.locator("xpath=..")
    box = thumb.bounding_box()
    track = page.locator('[data-testid="stSlider"] [role="group"]').first.bounding_box()
    assert box is not None and track is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(track["x"] + 5, box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()
    _wait_for_rerun(page)
    assert _year(page) != year

    chart = page.locator('[data-testid="stDeckGlJsonChart"]').first
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(2000)  # let deck.gl draw before picking
    area = chart.bounding_box()
    assert area is not None
    page.mouse.click(area["x"] + area["width"] / 2, area["y"] + area["height"] / 2)
    page.wait_for_url("**/omradesprofil?*", timeout=30_000)
    name = _profile_heading(page)
    code = re.search(r"area=([^&]+)", page.url)
    assert code is not None and code.group(1).startswith("1780")
    _wait_for_rerun(page)
    with page.expect_download(timeout=60_000) as pdf:
        page.get_by_role("button", name=re.compile(r"^(download\s*)?PDF$")).click()
    with page.expect_download(timeout=60_000) as xlsx:
        page.get_by_role("button", name=re.compile(r"Excel \(XLSX\)$")).click()
    _check_downloads(pdf.value, xlsx.value, name, code.group(1))


def test_main_flow_with_the_keyboard_only(server: str, page: Any) -> None:  # noqa: F811
    _open_karta(page, server)
    page.locator("body").focus()

    _tab_to(page, _combobox("Kommun"), "Kommun")
    page.keyboard.type("Karlstad")
    page.keyboard.press("Enter")
    _wait_for_rerun(page)
    assert "Karlstad (1780)" in _combobox_value(page, "Kommun")
    assert _focused(page)["label"] == "Kommun", _focused(page)  # focus survives the rerun

    before = _combobox_value(page, "Indikator")
    _tab_to(page, _combobox("Indikator"), "Indikator")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    _wait_for_rerun(page)
    assert _combobox_value(page, "Indikator") != before

    year = _year(page)
    _tab_to(page, lambda f: f["label"] == "År", "År")
    page.keyboard.press("ArrowLeft")
    _wait_for_rerun(page)
    assert int(_year(page)) == int(year) - 1

    _tab_to(page, _combobox("Öppna områdesprofil"), "Öppna områdesprofil (välj)")
    page.keyboard.type("område 2")
    page.keyboard.press("Enter")
    _wait_for_rerun(page)
    chosen = _combobox_value(page, "Öppna områdesprofil")
    code = re.search(r"\((1780[^)]+)\)", chosen)
    assert code is not None, chosen
    _tab_to(page, lambda f: f["testid"] == "stPageLink-NavLink", "Öppna områdesprofil (länk)")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/omradesprofil?*area={code.group(1)}*", timeout=30_000)
    name = _profile_heading(page)
    assert name and name in chosen
    _wait_for_rerun(page)

    page.locator("body").focus()
    _tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"].endswith("PDF")
            and "rapport" not in f["text"], "PDF")  # fmt: skip
    with page.expect_download(timeout=60_000) as pdf:
        page.keyboard.press("Enter")
    _tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"].endswith("Excel (XLSX)"), "XLSX")
    with page.expect_download(timeout=60_000) as xlsx:
        page.keyboard.press(" ")
    _check_downloads(pdf.value, xlsx.value, name, code.group(1))
