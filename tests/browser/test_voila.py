"""The sliders page in a real headless Chromium: served by `tpmodel app` (Voila) on 127.0.0.1.

Moves a slider and checks that the NPV on the page becomes the value the engine
gives for that setting; moves another into a combination the validation rejects
and checks the message is shown beside the sliders while the last good NPV stays;
saves a screenshot under outputs/ for the docs. Every request the page makes to a
host other than 127.0.0.1 is blocked and fails the test.

Needs Debian's chromium at /usr/bin/chromium (installed by .ci/run); skipped
without it, except under CI=true where its absence is a failure.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tpmodel.model import load_run_inputs, run_central
from tpmodel.params import override
from tpmodel.widgets import css_name, format_money

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "outputs"
PAGE_TIMEOUT_MS = 180_000  # first kernel start and notebook execution on a slow CI machine
UPDATE_TIMEOUT_MS = 30_000


def engine_npv(params: Path, values: dict) -> str:
    """The NPV the engine gives for the standard scenario with `values`, as the page shows it."""
    resolved, places = load_run_inputs("standard", params_dir=params)
    simulation = run_central(override(resolved, values), places)
    return format_money(float(simulation.outcome.headlines.npv[0]))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: .ci/run must apt-get install chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`tpmodel app` on a free localhost port with a private copy of params/; yields (url, params)."""
    params = tmp_path_factory.mktemp("voila") / "params"
    shutil.copytree(ROOT / "params", params)
    port = free_port()
    log = params.parent / "voila.log"
    command = [sys.executable, "-m", "tpmodel.cli", "app", "--port", str(port), "--no-browser", "--params", str(params)]
    with log.open("w") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, cwd=ROOT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
        while not port_open(port):  # not an HTTP GET: each GET of the page starts a kernel
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Voila did not start; its log:\n{log.read_text()}")
            time.sleep(0.5)
        yield url, params
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the server's own process group: tpmodel app and its voila
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def page(chromium_path: Path, served: tuple[str, Path]):
    from playwright.sync_api import sync_playwright

    url, _ = served
    outside: list[str] = []

    def only_localhost(route, request) -> None:
        if request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport={"width": 1500, "height": 1100})
            tab.route("**/*", only_localhost)
            tab.goto(url, timeout=PAGE_TIMEOUT_MS)
            tab.wait_for_selector(".tp-npv", timeout=PAGE_TIMEOUT_MS)
            tab.outside_requests = outside
            yield tab
        finally:
            browser.close()


#: Voila's page template links Font Awesome from a CDN; the test blocks it (icons are not used).
TEMPLATE_CDN = "https://cdn.jsdelivr.net/npm/@fortawesome/"


def assert_stayed_local(page) -> None:
    """Nothing but 127.0.0.1 was reached: the only other requests were the template's, and were blocked."""
    assert [url for url in page.outside_requests if not url.startswith(TEMPLATE_CDN)] == []


def npv_shown(page) -> str:
    return page.inner_text(".tp-npv").strip()


def wait_for_npv(page, expected: str) -> str:
    """The NPV shown once it reads `expected`, or whatever it reads after the timeout."""
    script = "want => document.querySelector('.tp-npv').textContent.trim() === want"
    with contextlib.suppress(PlaywrightTimeout):  # the assertion that follows reports what the page shows
        page.wait_for_function(script, arg=expected, timeout=UPDATE_TIMEOUT_MS)
    return npv_shown(page)


def press(page, path: str, key: str, times: int = 1) -> None:
    handle = page.locator(f".{css_name(path)} .noUi-handle")
    handle.focus()
    for _ in range(times):
        handle.press(key)


def readout(page, path: str) -> str:
    return page.inner_text(f".{css_name(path)} .widget-readout").strip()


def test_page_shows_the_engine_npv_and_follows_a_slider(page, served) -> None:
    _, params = served
    assert npv_shown(page) == engine_npv(params, {})
    press(page, "shared_services.max_rate", "ArrowRight", times=4)  # 0.200 -> 0.220 in steps of 0.005
    assert readout(page, "shared_services.max_rate") == "0.220"
    expected = engine_npv(params, {"shared_services.max_rate": 0.22})
    assert expected != engine_npv(params, {})
    assert wait_for_npv(page, expected) == expected
    page.wait_for_function("() => document.querySelector('.tp-status').textContent.includes('1 value(s) changed')")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "voila-sliders.png"), full_page=True)
    assert_stayed_local(page)


def year_shown(page, path: str) -> int:
    """A year slider's value from its readout, which shows the financial year ('2011-12' -> 2011)."""
    text = readout(page, path)
    assert len(text) == 7 and text[4] == "-", text
    return int(text[:4])


def test_rejected_combination_shows_the_message_and_keeps_the_last_results(page) -> None:
    good = npv_shown(page)
    start = year_shown(page, "shared_services.start_year")
    press(page, "shared_services.start_year", "Home")  # the slider's lowest year, before the horizon starts
    page.wait_for_selector(".tp-error", timeout=UPDATE_TIMEOUT_MS)
    message = page.inner_text(".tp-error")
    assert "shared_services.start_year" in message
    assert "below the minimum" in message
    assert "Traceback" not in page.inner_text("body")
    assert npv_shown(page) == good  # the last good results stay
    page.screenshot(path=str(SCREENSHOTS / "voila-sliders-rejected.png"), full_page=True)
    press(
        page, "shared_services.start_year", "ArrowRight", times=start - year_shown(page, "shared_services.start_year")
    )
    page.wait_for_selector(".tp-error", state="detached", timeout=UPDATE_TIMEOUT_MS)
    assert wait_for_npv(page, good) == good
    assert_stayed_local(page)


def test_the_last_year_slider_shortens_the_appraisal(page, served) -> None:
    """horizon.last_year reads as a financial year; moving it five years back gives the engine's npv, and
    the by-year table then ends in 2014-15."""
    _, params = served
    page.get_by_role("button", name="Reset to scenario").click()  # from the scenario's own values
    assert wait_for_npv(page, engine_npv(params, {})) == engine_npv(params, {})
    page.locator(".tp-tabs .lm-TabBar-tab", has_text="Appraisal").click()  # the slider's tab
    page.wait_for_selector(f".{css_name('horizon.last_year')} .noUi-handle", state="visible")
    assert readout(page, "horizon.last_year") == "2019-20"
    press(page, "horizon.last_year", "ArrowLeft", times=5)
    assert readout(page, "horizon.last_year") == "2014-15"
    expected = engine_npv(params, {"horizon.last_year": 2014})
    assert wait_for_npv(page, expected) == expected
    tables = page.inner_text(".tp-tables")
    assert "2014-15" in tables and "2015-16" not in tables
    press(page, "horizon.last_year", "ArrowRight", times=5)
    assert wait_for_npv(page, engine_npv(params, {})) == engine_npv(params, {})
    assert_stayed_local(page)
