"""The dashboard in a real browser: the real Streamlit server, driven through Debian's Chromium.

A fixture starts `streamlit run serve.py` (app.py, as make run serves it) on a free port over
the shipped sample (loaded for real) and waits for `/_stcore/health`; Playwright (pytest-playwright's fixtures) drives
/usr/bin/chromium. The test is never skipped: without Chromium it fails and says how to install
it. Full-page screenshots of every page go to tests/artifacts/ (ignored by git).
"""

from __future__ import annotations

import ast
import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.conftest import PROJECT, VIEWPORT

ARTIFACTS = PROJECT / "tests" / "artifacts"
TIMEOUT = 30_000  # ms, for every wait on the page
STARTUP = 60  # s, for the server to answer /_stcore/health

expect.set_options(timeout=15_000)  # a slow CI machine redraws slowly, too

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def _navigation() -> list[dict]:
    """Every st.Page of app.py's PAGES, in the order of the navigation: url_path, title,
    default, icon and section (the heading it is listed under)."""
    tree = ast.parse((PROJECT / "app.py").read_text(encoding="utf-8"))
    sections = next(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "PAGES"
    )
    pages = []
    for section, calls in zip(sections.keys, sections.values, strict=True):
        for call in calls.elts:
            options = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
            pages.append(
                {
                    "url_path": options.get("url_path", Path(ast.literal_eval(call.args[0])).stem),
                    "title": options["title"],
                    "default": bool(options.get("default")),
                    "icon": options.get("icon"),
                    "section": ast.literal_eval(section),
                }
            )
    return pages


NAVIGATION = _navigation()
PAGES = [p["url_path"] for p in NAVIGATION]


# --- the server --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="module")
def server(sample_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`streamlit run serve.py` on a free port over the loaded sample; yields its base URL."""
    with streamlit_server(sample_data, tmp_path_factory.mktemp("streamlit")) as base:
        yield base


@contextlib.contextmanager
def streamlit_server(
    data_dir: Path,
    logs: Path,
    *,
    args: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    port: int | None = None,
    script: str = "serve.py",
) -> Iterator[str]:
    """`streamlit run serve.py` on a free port (or `port`) over `data_dir`, until the block
    ends; `args` are more command-line options, `env` more environment variables, `script`
    another app to run (the benchmark's empty app)."""
    port = port or _free_port()
    env = {**os.environ, "EINCLUSIE_DATA": str(data_dir), **(env or {})}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,  # serve.py as make run: app.py, warmed up before it reports healthy
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        # Edits to the project while the test runs must not rerun the app under our feet.
        "--server.fileWatcherType",
        "none",
        *args,
    ]
    # Output goes to files, not pipes: a full pipe would block the server.
    with (logs / "stdout.txt").open("wb") as out, (logs / "stderr.txt").open("wb") as err:
        process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=out, stderr=err)

    def output() -> str:
        return "\n".join(
            f"--- streamlit {name} ---\n{(logs / f'{name}.txt').read_text(errors='replace')}"
            for name in ("stdout", "stderr")
        )

    def stop() -> None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP
    while not _healthy(f"{base}/_stcore/health"):
        if process.poll() is not None or time.monotonic() > deadline:
            stop()
            pytest.fail(
                f"The Streamlit server did not become healthy on {base} within {STARTUP} s "
                f"(exit code {process.returncode}).\n{output()}",
                pytrace=False,
            )
        time.sleep(0.2)
    try:
        yield base
    finally:
        stop()


# --- helpers -----------------------------------------------------------------------------


# Counts the runs Streamlit starts (stApp's script state turning "running"), so a wait can
# tell that the run an action started is already over, instead of looking for it for a second.
COUNT_RUNS = """(() => {
    window.__runs = 0;
    new MutationObserver(records => {
        for (const record of records) {
            if (record.target.getAttribute('data-test-script-state') === 'running') {
                window.__runs++;
            }
        }
    }).observe(document, {subtree: true, attributes: true,
                          attributeFilter: ['data-test-script-state']});
})();"""
_SEEN = "_einclusie_runs_seen"


def wait_for_app(page: Page) -> None:
    """Wait until Streamlit has finished the run that the last action started (if any)."""
    seen = getattr(page, _SEEN, 0)
    try:  # a run that began since the last wait, even one that is over already
        page.wait_for_function("seen => (window.__runs ?? 0) > seen", arg=seen, timeout=1_000)
    except PlaywrightTimeoutError:
        pass  # the action started no run
    page.wait_for_selector(IDLE, timeout=TIMEOUT)
    page.wait_for_timeout(150)  # the last deltas of the run reach the DOM
    setattr(page, _SEEN, page.evaluate("window.__runs ?? 0"))


def open_page(page: Page, url: str) -> None:
    if not getattr(page, "_einclusie_counting", False):
        page.add_init_script(COUNT_RUNS)  # on every document this page loads from now on
        page._einclusie_counting = True
    setattr(page, _SEEN, 0)  # a new document counts from 0
    page.goto(url, timeout=TIMEOUT)
    wait_for_app(page)
    expect(page.locator("h1").first).to_be_visible(timeout=TIMEOUT)


def sidebar_multiselect(page: Page, label: str) -> Locator:
    return page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").filter(
        has=page.get_by_role("combobox", name=label, exact=True)
    )


def first_card_value(page: Page) -> Locator:
    return page.locator("[data-testid='stMetric']").first.locator("[data-testid='stMetricValue']")


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def chart_total(page: Page, title: str) -> int:
    """The sum of the values drawn in the Plotly chart whose title starts with `title`."""
    return page.evaluate(
        """title => {
            const plot = [...document.querySelectorAll('.js-plotly-plot')]
                .find(p => (p.layout.meta?.titel ?? p.layout.title?.text ?? "").startsWith(title));
            if (!plot) return null;
            return plot._fullData.reduce((sum, trace) => {
                const values = trace.orientation === 'h' ? trace.x : trace.y;
                return sum + Array.from(values).reduce((a, b) => a + Number(b), 0);
            }, 0);
        }""",
        title,
    )


def full_page_screenshot(page: Page, path: Path) -> None:
    """Streamlit scrolls inside stMain, not the document: grow the viewport to the content."""
    measure = """() => Math.max(...['stMain', 'stSidebarContent'].map(
        id => document.querySelector(`[data-testid='${id}']`)?.scrollHeight ?? 0))"""
    # Charts and tables draw after the run has finished: wait until they are there.
    page.wait_for_function(
        """() => [...document.querySelectorAll("[data-testid='stPlotlyChart']")]
                .every(c => c.querySelector('.main-svg'))
            && [...document.querySelectorAll("[data-testid='stDataFrame']")]
                .every(t => t.querySelector('canvas'))""",
        timeout=TIMEOUT,
    )
    height = 0
    for _ in range(20):  # until the height holds still (the viewport's growth may add more)
        wanted = max(VIEWPORT["height"], page.evaluate(measure))
        if wanted == height:
            break
        height = wanted
        page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
        # Plotly redraws on resize and tables paint new rows: wait for a frame, then for the
        # charts to settle, instead of a fixed pause.
        page.wait_for_timeout(150)
        page.wait_for_function(
            """() => [...document.querySelectorAll('.js-plotly-plot')]
                    .every(p => !p._transitioning && p.querySelector('.main-svg'))""",
            timeout=TIMEOUT,
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(VIEWPORT)


# --- the tests ---------------------------------------------------------------------------


def test_the_navigation_of_app_py_is_read():
    assert len(NAVIGATION) > 1
    assert len(set(PAGES)) == len(PAGES)
    assert [p["url_path"] for p in NAVIGATION if p["default"]] == ["overzicht"]


def test_a_wijk_chosen_in_the_sidebar_stays_chosen_across_pages_and_in_the_url(
    server: str, page: Page
):
    # The 2022 overview for the whole city: the published figure.
    open_page(page, f"{server}/?jaar=2022")
    expect(page.locator("h1").first).to_have_text("2022 in cijfers")
    first_card = page.locator("[data-testid='stMetric']").first
    expect(first_card.locator("[data-testid='stMetricLabel']")).to_have_text(
        "Digitale hulpvragen beantwoord"
    )
    expect(first_card_value(page)).to_have_text("11.877")

    # Choose Ledeberg in the sidebar's "Wijk" multiselect, as a user does.
    wijk = sidebar_multiselect(page, "Wijk")
    wijk.click()
    wijk.get_by_role("combobox").fill("Ledeberg")
    page.locator("[role='listbox'] [role='option']").filter(
        has_text=re.compile(r"^\s*Ledeberg\s*$")
    ).click()
    page.keyboard.press("Escape")  # close the popover
    wait_for_app(page)

    expect(first_card_value(page)).not_to_have_text("11.877", timeout=TIMEOUT)
    expect(page).to_have_url(re.compile(r"[?&]wijk=Ledeberg(&|$)"))
    ledeberg_total = int(first_card_value(page).inner_text().replace(".", ""))
    assert 0 < ledeberg_total < 11_877
    expect(page.locator("[data-testid='stCaptionContainer']").first).to_contain_text("· Ledeberg ·")

    # Another page through the sidebar navigation: the wijk goes along.
    page.locator("[data-testid='stSidebarNav']").get_by_role(
        "link", name="Hulpvragen", exact=True
    ).click()
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"/hulpvragen\?"))
    expect(page.locator("h1").first).to_have_text("Hulpvragen 2022")
    assert query(page).get("wijk") == ["Ledeberg"], page.url
    assert query(page).get("jaar") == ["2022"], page.url
    expect(sidebar_multiselect(page, "Wijk").locator("[data-tag]")).to_have_text(["Ledeberg"])
    expect(page.locator("[data-testid='stCaptionContainer']").first).to_contain_text("· Ledeberg ·")
    # The page's figures are Ledeberg's: the help requests per programme add up to the
    # overview's card for Ledeberg, not to the city's 11.877.
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot').length > 1", timeout=TIMEOUT
    )
    assert chart_total(page, "Per programma") == ledeberg_total

    # A link with values that do not exist: a Dutch warning, and the default year instead.
    open_page(page, f"{server}/?jaar=1999&wijk=Atlantis")
    warnings = page.locator("[data-testid='stAlertContentWarning']")
    expect(warnings.filter(has_text="Het jaar '1999' uit de link bestaat niet")).to_be_visible()
    expect(warnings.filter(has_text="De wijk 'Atlantis' uit de link bestaat niet")).to_be_visible()
    expect(page.locator("h1").first).to_have_text("2022 in cijfers")
    expect(first_card_value(page)).to_have_text("11.877")


@pytest.mark.parametrize("nav", NAVIGATION, ids=PAGES)
def test_every_page_renders_without_an_exception(server: str, page: Page, nav: dict):
    # Streamlit serves the default page at "/" only; its url_path shows "Page not found".
    path = "" if nav["default"] else nav["url_path"]
    open_page(page, f"{server}/{path}?jaar=2022")
    full_page_screenshot(page, ARTIFACTS / f"{nav['url_path']}.png")
    exceptions = page.locator("[data-testid='stException']")
    assert exceptions.count() == 0, f"{nav['title']} shows an exception:\n" + "\n\n".join(
        exceptions.all_inner_texts()
    )
    expect(page.get_by_text("Page not found")).to_have_count(0)
    current = page.locator("[data-testid='stSidebarNav'] a[aria-current='page']")
    expect(current).to_have_text(re.compile(rf"{re.escape(nav['title'])}\s*$"))
    expect(page.locator("[data-testid='stAlertContentWarning']")).to_have_count(0)


def test_a_chart_downloads_as_a_print_png_and_as_excel_with_its_filters(
    server: str, page: Page, tmp_path: Path
):
    from openpyxl import load_workbook
    from PIL import Image

    open_page(page, f"{server}/toestellen?jaar=2022&wijk=Ledeberg")
    page.locator("[data-testid='stPopover']").first.get_by_role("button").click()
    menu = page.locator("[data-testid='stPopoverBody']")
    expect(menu.get_by_role("button", name="PNG (afdruk)")).to_be_visible()
    with page.expect_download(timeout=90_000) as png:  # rendered on the click, by kaleido
        menu.get_by_role("button", name="PNG (afdruk)").click()
    assert png.value.suggested_filename == "toestellen-per-manier_2022_ledeberg.png"
    png.value.save_as(tmp_path / "chart.png")
    with Image.open(tmp_path / "chart.png") as image:
        assert image.format == "PNG" and image.width >= 2000
    with page.expect_download(timeout=TIMEOUT) as xlsx:
        menu.get_by_role("button", name="Excel (XLSX)").click()
    assert xlsx.value.suggested_filename == "toestellen-per-manier_2022_ledeberg.xlsx"
    xlsx.value.save_as(tmp_path / "chart.xlsx")
    sheet = load_workbook(tmp_path / "chart.xlsx").active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "Toestellen per manier van inzet, 2022" in cells and "Ledeberg" in cells


def test_the_export_page_builds_the_year_pack_with_one_button(
    server: str, page: Page, tmp_path: Path
):
    import zipfile

    open_page(page, f"{server}/export?jaar=2022")
    expect(page.locator("h1").first).to_have_text("Export voor het jaarverslag")
    page.get_by_role("button", name="Jaarpakket maken").click()
    expect(page.locator("[data-testid='stProgress']")).to_be_visible(timeout=TIMEOUT)
    ready = page.get_by_role("button", name="jaarpakket_2022_gent.zip downloaden")
    expect(ready).to_be_visible(timeout=120_000)
    with page.expect_download(timeout=TIMEOUT) as pack:
        ready.click()
    assert pack.value.suggested_filename == "jaarpakket_2022_gent.zip"
    pack.value.save_as(tmp_path / "pack.zip")
    with zipfile.ZipFile(tmp_path / "pack.zip") as archive:
        names = archive.namelist()
        assert archive.testzip() is None
    assert "jaarpakket_2022_gent/samenvatting_2022_gent.pdf" in names
    assert "jaarpakket_2022_gent/grafieken/hulpvragen-per-maand_2022_gent.svg" in names
