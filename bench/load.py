"""Load test: several headless Chromium contexts use the map and profile pages at once.

Builds the small demo (Värmland, 6 districts per kommun) in a temporary folder, starts
``streamlit run app.py`` on a free loopback port and lets N browser contexts (one
Chromium, Playwright's async API) loop for a bounded time: open the map, change the
indicator and the year, open a district profile by its URL. Counts page loads and errors
(an exception box or a wait that times out), times each page until ready, and samples
the server's resident memory every second.

Run alone with ``python bench/load.py --seconds 60``; ``bench/run.py`` calls it shorter.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("SODD_CHROMIUM", "/usr/bin/chromium")
# Same flags as tests/e2e/test_browser.py: no network at start-up, runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WAIT_MS = 60_000
EXCEPTION = '[data-testid="stException"]'
CHART = '[data-testid="stDeckGlJsonChart"]'


@dataclass
class SessionStats:
    """What one browser context did."""

    map_loads: int = 0
    profile_loads: int = 0
    errors: list[str] = field(default_factory=list)
    ready_seconds: list[float] = field(default_factory=list)


@dataclass
class LoadResult:
    """Figures of one load run."""

    sessions: list[SessionStats]
    rss_mb: list[float]
    seconds: float

    @property
    def page_loads(self) -> int:
        """Map and profile loads over all sessions."""
        return sum(s.map_loads + s.profile_loads for s in self.sessions)

    @property
    def errors(self) -> list[str]:
        """Every error of every session."""
        return [e for s in self.sessions for e in s.errors]

    def ready_percentile(self, q: int) -> float:
        """The q-th percentile (1–99) of page-ready times in seconds."""
        times = sorted(t for s in self.sessions for t in s.ready_seconds)
        if len(times) < 2:
            return times[0] if times else float("nan")
        return statistics.quantiles(times, n=100, method="inclusive")[q - 1]

    def rss_growth(self) -> float:
        """Mean RSS of the last third over the first third (1.0 = no growth)."""
        third = max(1, len(self.rss_mb) // 3)
        first = statistics.fmean(self.rss_mb[:third])
        last = statistics.fmean(self.rss_mb[-third:])
        return last / first


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@contextmanager
def serve(data_dir: Path, log_path: Path) -> Iterator[tuple[str, int]]:
    """Run ``streamlit run app.py`` on a free 127.0.0.1 port; yield (base URL, pid)."""
    port = _free_port()
    env = {**os.environ, "SODD_DATA_DIR": str(data_dir)}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(PROJECT_ROOT / "app.py"),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as reply:
                        if reply.status == 200:
                            break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    tail = log_path.read_text(errors="replace")[-4000:]
                    raise RuntimeError(f"streamlit did not become healthy:\n{tail}")
                time.sleep(0.5)
            yield base, process.pid
        finally:
            if process.poll() is not None:
                # The server died while in use: show why (pytest prints it on failure).
                print("streamlit exited early:\n" + log_path.read_text(errors="replace")[-4000:])
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


async def _settle(page: Any) -> None:
    """Wait until the script run triggered by a widget change has finished."""
    await page.wait_for_timeout(300)
    await page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=WAIT_MS)


async def _check(page: Any, stats: SessionStats, where: str) -> None:
    if await page.locator(EXCEPTION).count():
        stats.errors.append(f"{where}: exception box")


async def _open_map(page: Any, base: str, stats: SessionStats) -> None:
    start = time.perf_counter()
    await page.goto(f"{base}/", wait_until="domcontentloaded")
    await page.locator(CHART).first.wait_for(state="attached", timeout=WAIT_MS)
    await page.locator("canvas").first.wait_for(state="attached", timeout=WAIT_MS)
    stats.ready_seconds.append(time.perf_counter() - start)
    stats.map_loads += 1
    await _check(page, stats, "map")


async def _change_widgets(page: Any, stats: SessionStats, step: int) -> None:
    # Keyboard on the selectbox: open it, move down a varying number of options, pick.
    box = page.get_by_label("Indikator", exact=True)
    await box.click()
    for _ in range(1 + step % 3):
        await page.keyboard.press("ArrowDown")
    await page.keyboard.press("Enter")
    await _settle(page)
    await _check(page, stats, "indicator")
    slider = page.get_by_role("slider")
    if await slider.count():
        await slider.first.focus()
        await page.keyboard.press("ArrowLeft")
        await _settle(page)
        await _check(page, stats, "year")


async def _open_profile(page: Any, base: str, code: str, stats: SessionStats) -> None:
    start = time.perf_counter()
    await page.goto(f"{base}/omradesprofil?area={code}&level=deso", wait_until="domcontentloaded")
    await page.get_by_role("heading", name="Profil för").first.wait_for(timeout=WAIT_MS)
    stats.ready_seconds.append(time.perf_counter() - start)
    stats.profile_loads += 1
    await _settle(page)
    await _check(page, stats, "profile")


async def _session(
    browser: Any, base: str, codes: list[str], index: int, until: float, *, once: bool = False
) -> SessionStats:
    stats = SessionStats()
    context = await browser.new_context(locale="sv-SE", viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    step = 0
    try:
        while once or time.monotonic() < until:
            code = codes[(index * 7 + step) % len(codes)]
            try:
                await _open_map(page, base, stats)
                await _change_widgets(page, stats, step + index)
                await _open_profile(page, base, code, stats)
            except Exception as error:  # a timed-out wait is an error to count, not a crash
                stats.errors.append(f"{type(error).__name__}: {str(error).splitlines()[0]}")
            step += 1
            once = False
    finally:
        await context.close()
    return stats


async def _sample(pid: int, samples: list[float], until: float) -> None:
    while time.monotonic() < until:
        samples.append(rss_mb(pid))
        await asyncio.sleep(1)


async def _drive(
    base: str, pid: int, codes: list[str], sessions: int, seconds: float, chromium: str
) -> LoadResult:
    from playwright.async_api import async_playwright

    samples: list[float] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        try:
            # Warm up (imports, caches) first: the memory bound is about growth under
            # load, not the one-off cost of the first script run.
            warm = await _session(browser, base, codes[:1], 0, 0.0, once=True)
            samples.append(rss_mb(pid))
            start = time.monotonic()
            until = start + seconds
            sampler = asyncio.create_task(_sample(pid, samples, until))
            stats = await asyncio.gather(
                *(_session(browser, base, codes, i, until) for i in range(sessions))
            )
            await sampler
            samples.append(rss_mb(pid))
            elapsed = time.monotonic() - start
        finally:
            await browser.close()
    stats[0].errors.extend(f"warm-up: {e}" for e in warm.errors)
    return LoadResult(list(stats), samples, elapsed)


def run_load(
    base: str,
    pid: int,
    codes: list[str],
    sessions: int,
    seconds: float,
    chromium: str = CHROMIUM,
) -> LoadResult:
    """Drive ``sessions`` browser contexts against a running server for ``seconds``."""
    return asyncio.run(_drive(base, pid, codes, sessions, seconds, chromium))


def deso_codes(data_dir: Path) -> list[str]:
    """District codes of the store in ``data_dir`` (for profile URLs)."""
    from sodd.store import Store

    regions = Store(data_dir).read_regions()
    return sorted(str(c) for c in regions.loc[regions["level"] == "deso", "region_code"])


def report(result: LoadResult) -> None:
    """Print the figures beside their targets."""
    rss = result.rss_mb
    growth = result.rss_growth()
    rows = [
        ("sessions (browser contexts)", f"{len(result.sessions)}", ""),
        ("duration", f"{result.seconds:.0f} s", ""),
        ("page loads (map + profile)", f"{result.page_loads}", ""),
        ("errors", f"{len(result.errors)}", "target 0"),
        ("page ready p50", f"{result.ready_percentile(50):.2f} s", ""),
        ("page ready p95", f"{result.ready_percentile(95):.2f} s", ""),
        ("server RSS start / max / end", f"{rss[0]:.0f} / {max(rss):.0f} / {rss[-1]:.0f} MB", ""),
        ("server RSS last third / first third", f"{growth:.2f}", "target <= 1.30"),
    ]
    width = max(len(label) for label, _, _ in rows)
    print("sodd load test (map and profile pages, headless Chromium)")
    for label, figure, target in rows:
        print(f"  {label:<{width}}  {figure:>20}  {target}")
    for error in result.errors[:10]:
        print(f"  error: {error}")


def main(argv: list[str] | None = None) -> LoadResult:
    """Build the small demo, start the app, run the load test and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--sessions", type=int, default=5)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(PROJECT_ROOT))
    from sodd.pipeline import install_demo
    from sodd.store import Store

    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "store"
        data_dir.mkdir()
        install_demo(Store(data_dir), lan_codes=["17"], districts_per_kommun=6)
        with serve(data_dir, Path(folder) / "streamlit.log") as (base, pid):
            result = run_load(base, pid, deso_codes(data_dir), args.sessions, args.seconds)
    report(result)
    return result


if __name__ == "__main__":
    main()
