"""The sliders page in a real headless Chromium: served by `tpmodel app` (Voila) on 127.0.0.1.

Moves a slider and checks that the NPV on the page becomes the value the engine
gives for that setting; types a percentage, and a value outside its slider's
range (refused with a message naming the control); moves another into a
combination the validation rejects and checks the message is shown beside the
sliders while the last good NPV stays. At 1440, 1024 and 768 px wide: no element
is wider than the page, the NPV and the who-benefits table are fully visible,
the controls are above the results when narrow; a screenshot of each width goes
to docs/images/. Every request the page makes to a host other than 127.0.0.1 is
blocked and fails the test. The server answers 403 to a request naming another
host (DNS rebinding), and its memory stays flat over 50 page loads (slow test).

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
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
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
IMAGES = ROOT / "docs" / "images"
PAGE_TIMEOUT_MS = 180_000  # first kernel start and notebook execution on a slow CI machine
UPDATE_TIMEOUT_MS = 30_000
WIDTHS = (1440, 1024, 768)


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


@contextlib.contextmanager
def app_server(folder: Path, *options: str) -> Iterator[tuple[str, Path, subprocess.Popen, Path]]:
    """`tpmodel app` on a free localhost port with a private copy of params/; yields (url, params, server, log)."""
    params = folder / "params"
    shutil.copytree(ROOT / "params", params)
    port = free_port()
    log = folder / "voila.log"
    command = [sys.executable, "-m", "tpmodel.cli", "app", "--port", str(port), "--no-browser", "--params",
               str(params), *options]  # fmt: skip
    with log.open("w") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, cwd=ROOT)
    try:
        deadline = time.monotonic() + 90
        while not port_open(port):  # not an HTTP GET: each GET of the page starts a kernel
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Voila did not start; its log:\n{log.read_text()}")
            time.sleep(0.5)
        yield f"http://127.0.0.1:{port}/", params, server, log
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the server's own process group: tpmodel app and its kernels
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: .ci/run must apt-get install chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    """`tpmodel app` for this module's tests; yields (url, params, log)."""
    with app_server(tmp_path_factory.mktemp("voila")) as (url, params, _, log):
        yield url, params, log


@pytest.fixture(scope="module")
def page(chromium_path: Path, served: tuple[str, Path, Path]):
    from playwright.sync_api import sync_playwright

    url = served[0]
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
            tab = browser.new_page(viewport={"width": 1440, "height": 1000})
            tab.route("**/*", only_localhost)
            tab.goto(url, timeout=PAGE_TIMEOUT_MS)
            tab.wait_for_selector(".tp-npv", timeout=PAGE_TIMEOUT_MS)
            tab.outside_requests = outside
            yield tab
        finally:
            browser.close()


def assert_stayed_local(page) -> None:
    """Nothing but 127.0.0.1 was asked for: no CDN font, icon or script (the template has none)."""
    assert page.outside_requests == []


def npv_shown(page) -> str:
    return page.inner_text(".tp-npv").strip()


def wait_for_npv(page, expected: str) -> str:
    """The NPV shown once it reads `expected`, or whatever it reads after the timeout."""
    script = "want => document.querySelector('.tp-npv').textContent.trim() === want"
    with contextlib.suppress(PlaywrightTimeout):  # the assertion that follows reports what the page shows
        page.wait_for_function(script, arg=expected, timeout=UPDATE_TIMEOUT_MS)
    return npv_shown(page)


def open_tab(page, title: str) -> None:
    page.locator(".tp-tabs .lm-TabBar-tab", has_text=title).click()


def press(page, path: str, key: str, times: int = 1) -> None:
    handle = page.locator(f".{css_name(path)} .noUi-handle")
    handle.focus()
    for _ in range(times):
        handle.press(key)


def shown_value(page, path: str) -> str:
    """The value beside a slider: the box where it can be typed, or a year slider's readout."""
    box = page.locator(f".{css_name(path)} .tp-entry input")
    if box.count():
        return box.input_value().strip()
    return page.inner_text(f".{css_name(path)} .widget-readout").strip()


def type_value(page, path: str, text: str) -> None:
    box = page.locator(f".{css_name(path)} .tp-entry input")
    box.fill(text)
    box.press("Enter")


def whole_page(page, path: Path) -> None:
    """A screenshot of the whole page at the current width: Voila scrolls the page inside an element of its
    own, so the window is made as tall as the page for the picture, then put back."""
    size = page.viewport_size
    height = page.evaluate("() => Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))")
    page.set_viewport_size({"width": size["width"], "height": height})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)


def test_page_shows_the_engine_npv_and_follows_a_slider(page, served) -> None:
    params = served[1]
    assert npv_shown(page) == engine_npv(params, {})
    press(page, "shared_services.max_rate", "ArrowRight", times=4)  # 20% -> 22% in steps of 0.5%
    page.wait_for_function(
        "() => document.querySelector('.tp-shared_services--max_rate .tp-entry input').value === '22%'",
        timeout=UPDATE_TIMEOUT_MS,
    )
    expected = engine_npv(params, {"shared_services.max_rate": 0.22})
    assert expected != engine_npv(params, {})
    assert wait_for_npv(page, expected) == expected
    page.wait_for_function("() => document.querySelector('.tp-status').textContent.includes('1 setting changed')")
    SCREENSHOTS.mkdir(exist_ok=True)
    whole_page(page, SCREENSHOTS / "voila-sliders.png")
    assert_stayed_local(page)


def test_a_typed_percentage_and_a_refused_value(page, served) -> None:
    """Typing 5 for the discount rate means 5%; 150 is refused with a message naming it, nothing clipped."""
    params = served[1]
    page.get_by_role("button", name="Reset to scenario").click()
    assert wait_for_npv(page, engine_npv(params, {})) == engine_npv(params, {})
    open_tab(page, "Appraisal")
    assert shown_value(page, "appraisal.discount_rate") == "3.5%"
    type_value(page, "appraisal.discount_rate", "5")
    expected = engine_npv(params, {"appraisal.discount_rate": 0.05})
    assert wait_for_npv(page, expected) == expected
    assert shown_value(page, "appraisal.discount_rate") == "5%"
    type_value(page, "appraisal.discount_rate", "150")
    page.wait_for_selector(".tp-status .tp-error", timeout=UPDATE_TIMEOUT_MS)
    message = page.inner_text(".tp-status")
    assert "Discount rate, a year: 150% is outside the range of its slider, 0% to 100%; not applied." in message
    assert npv_shown(page) == expected  # not clipped to 100%: the value before stays
    page.wait_for_function(
        "() => document.querySelector('.tp-appraisal--discount_rate .tp-entry input').value === '5%'",
        timeout=UPDATE_TIMEOUT_MS,
    )
    assert_stayed_local(page)


def year_shown(page, path: str) -> int:
    """A year slider's value from its readout, which shows the financial year ('2011-12' -> 2011)."""
    text = shown_value(page, path)
    assert len(text) == 7 and text[4] == "-", text
    return int(text[:4])


def test_rejected_combination_shows_the_message_and_keeps_the_last_results(page, served) -> None:
    page.get_by_role("button", name="Reset to scenario").click()
    assert wait_for_npv(page, engine_npv(served[1], {})) == engine_npv(served[1], {})
    open_tab(page, "Shared services")
    good = npv_shown(page)
    start = year_shown(page, "shared_services.start_year")
    press(page, "shared_services.start_year", "Home")  # the slider's lowest year, before the horizon starts
    page.wait_for_selector(".tp-status .tp-error", timeout=UPDATE_TIMEOUT_MS)
    message = page.inner_text(".tp-status")
    assert "Shared services: First year: 2009 is below the minimum" in message  # the control, by its name
    assert "shared_services.start_year" not in message
    assert "still show the last allowed settings" in message  # where the results are
    assert "Traceback" not in page.inner_text("body")
    assert npv_shown(page) == good  # the last good results stay
    whole_page(page, SCREENSHOTS / "voila-sliders-rejected.png")
    press(
        page, "shared_services.start_year", "ArrowRight", times=start - year_shown(page, "shared_services.start_year")
    )
    page.wait_for_selector(".tp-status .tp-error", state="detached", timeout=UPDATE_TIMEOUT_MS)
    assert wait_for_npv(page, good) == good
    assert_stayed_local(page)


def test_the_last_year_slider_shortens_the_appraisal(page, served) -> None:
    """horizon.last_year reads as a financial year; moving it five years back gives the engine's npv, and
    the by-year table then ends in 2014-15."""
    params = served[1]
    page.get_by_role("button", name="Reset to scenario").click()  # from the scenario's own values
    assert wait_for_npv(page, engine_npv(params, {})) == engine_npv(params, {})
    open_tab(page, "Appraisal")
    page.wait_for_selector(f".{css_name('horizon.last_year')} .noUi-handle", state="visible")
    assert shown_value(page, "horizon.last_year") == "2019-20"
    press(page, "horizon.last_year", "ArrowLeft", times=5)
    assert shown_value(page, "horizon.last_year") == "2014-15"
    expected = engine_npv(params, {"horizon.last_year": 2014})
    assert wait_for_npv(page, expected) == expected
    tables = page.inner_text(".tp-tables")
    assert "2014-15" in tables and "2015-16" not in tables
    press(page, "horizon.last_year", "ArrowRight", times=5)
    assert wait_for_npv(page, engine_npv(params, {})) == engine_npv(params, {})
    assert_stayed_local(page)


#: Elements wider than the page, or reaching past its right edge (their selectors), at the current width.
TOO_WIDE = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.width > width + 0.5 || r.right > width + 0.5 || r.left < -0.5) {
      out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, out: out.slice(0, 10)};
}"""

#: Whether an element is wholly on screen once scrolled to: inside the window and inside every ancestor that
#: clips its content (overflow other than visible).
FULLY_VISIBLE = """selector => {
  const el = document.querySelector(selector);
  el.scrollIntoView({block: 'center', inline: 'nearest'});
  const r = el.getBoundingClientRect();
  const w = document.documentElement.clientWidth, h = document.documentElement.clientHeight;
  if (r.width === 0 || r.left < -0.5 || r.right > w + 0.5) return `outside the page: ${r.left}..${r.right} of ${w}`;
  if (r.height <= h && (r.top < -0.5 || r.bottom > h + 0.5)) return `not in the window: ${r.top}..${r.bottom} of ${h}`;
  for (let a = el.parentElement; a; a = a.parentElement) {
    const s = getComputedStyle(a);
    if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
    const q = a.getBoundingClientRect();
    if (r.left < q.left - 0.5 || r.right > q.right + 0.5 || (s.overflowY !== 'visible' && a !== document.body
        && a !== document.documentElement && (r.top < q.top - 0.5 || r.bottom > q.bottom + 0.5)))
      return `clipped by ${a.tagName.toLowerCase()}.${[...a.classList].join('.')}`;
  }
  return 'visible';
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_the_layout_fits_each_width(page, served, width: int) -> None:
    """1440 (desktop), 1024 (laptop), 768 (tablet): nothing wider than the page, the NPV and the who-benefits
    table fully visible, the controls beside the results when wide and above them when narrow."""
    page.set_viewport_size({"width": width, "height": 900})
    page.get_by_role("button", name="Reset to scenario").click()
    assert wait_for_npv(page, engine_npv(served[1], {})) == engine_npv(served[1], {})
    open_tab(page, "Shared services")
    page.wait_for_timeout(500)  # the reflow after the resize
    wide = page.evaluate(TOO_WIDE)
    assert wide["out"] == [] and wide["scroll"] <= wide["width"], wide
    for selector in (".tp-npv", ".tp-headline", "table.tp-who"):
        assert page.evaluate(FULLY_VISIBLE, selector) == "visible", (selector, width)
    controls = page.locator(".tp-controls-pane").bounding_box()
    results = page.locator(".tp-results-pane").bounding_box()
    if width >= 1200:
        assert results["x"] >= controls["x"] + controls["width"] - 1  # side by side
    else:
        assert results["y"] >= controls["y"] + controls["height"] - 1  # controls above results
    IMAGES.mkdir(exist_ok=True)
    whole_page(page, IMAGES / f"sliders-{width}.png")
    page.set_viewport_size({"width": 1440, "height": 1000})
    assert_stayed_local(page)


def get(url: str, host: str | None = None) -> int:
    """HTTP status of a GET of `url`, with another Host header if given."""
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_only_requests_addressed_to_this_machine_are_served(served) -> None:
    """A page elsewhere that points its own name at 127.0.0.1 (DNS rebinding) is refused: Host is checked."""
    url, _, log = served
    port = url.rsplit(":", 1)[1].strip("/")
    assert f"serving the sliders on http://127.0.0.1:{port}/" in log.read_text()  # the port it really serves on
    for host in (f"attacker.example:{port}", "attacker.example", f"127.0.0.1.nip.io:{port}"):
        assert get(url, host) == 403, host
    assert get(f"{url}api/kernels", f"attacker.example:{port}") == 403


def tree_memory(pid: int) -> int:
    """Resident memory of a process and all its children (the kernels) [bytes]."""
    import psutil

    parent = psutil.Process(pid)
    total = 0
    for process in [parent, *parent.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += process.memory_info().rss
    return total


def kernels(pid: int) -> int:
    import psutil

    return len(psutil.Process(pid).children(recursive=True))


@pytest.mark.slow
def test_memory_stays_flat_over_50_page_loads(tmp_path) -> None:
    """Each load of the page starts a kernel; one whose page is gone is culled, so 50 loads (two at a time)
    leave the server's memory, kernels included, less than 300 MB above where it started."""
    cull = 2
    with app_server(tmp_path, "--cull-after", str(cull)) as (url, _, server, log):
        assert get(url) == 200  # the first load, then its kernel culled: the baseline
        deadline = time.monotonic() + 60
        while kernels(server.pid) and time.monotonic() < deadline:
            time.sleep(1)
        before = tree_memory(server.pid)
        with ThreadPoolExecutor(max_workers=2) as pool:
            assert list(pool.map(lambda _: get(url), range(50))) == [200] * 50
        deadline = time.monotonic() + 60
        while kernels(server.pid) and time.monotonic() < deadline:
            time.sleep(1)
        assert kernels(server.pid) == 0, log.read_text()[-2000:]
        grown = tree_memory(server.pid) - before
        print(f"server and kernels: {before / 2**20:.0f} MB before, grew {grown / 2**20:.0f} MB over 50 loads")
        assert grown < 300 * 2**20, f"grew {grown / 2**20:.0f} MB"
