"""Every page at a phone's, a laptop's and a desktop's width: nothing cut, nothing English.

The real server over the shipped sample, driven through Debian's Chromium (see
test_browser.py). Each page is opened once and looked at in 1440, 1024 and 390 px; the
screenshots go to tests/artifacts/screens/ (ignored by git), for a person to look at.

"Cut" is what a reader sees cut: a text element whose content is wider than its box while
the box hides the rest (or ends it with an ellipsis), a chart's text that sticks out of the
chart, or a page that scrolls sideways. "English" is a list of the words Streamlit, Plotly
and Great Expectations would show if left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from einclusie.format import MONTHS, SHORT_MONTHS
from tests.conftest import PROJECT
from tests.test_browser import NAVIGATION, open_page, streamlit_server, wait_for_app

SCREENS = PROJECT / "tests" / "artifacts" / "screens"
WIDTHS = (1440, 1024, 390)
HEIGHT = 900

# UI text the libraries bring in English. Matched as whole words, case-sensitive.
ENGLISH = (
    "Page not found",
    "Upload",
    "per file",
    "Drag and drop files here",
    "Print",
    "Record a screencast",
    "Record screen",
    "Made with Streamlit",
    "Deploy",
    "Rerun",
    "Settings",
    "Clear cache",
    "About",
    "Show/hide columns",
    "Download as CSV",
    "Search",
    "Fullscreen",
    "Close fullscreen",
    "Download plot as a PNG",
    "Download plot",
    "Zoom",
    "Zoom in",
    "Zoom out",
    "Pan",
    "Autoscale",
    "Reset axes",
    "Box Select",
    "Lasso Select",
    "Produced with Plotly",
    "January",
    "February",
    "March",
    "June",
    "July",
    "August",
    "October",
    "December",
    "Sun",
    "Mon",
    "Choose a date",
    "Select all",
    "Clear all",
    "No results",
    "No options to select",
    "Running",
    "Stop",
    "Source",
)
# Names that only the code uses: a Great Expectations rule, a source's key.
CODE_NAMES = re.compile(
    r"\bexpect_[a-z_]+|\b(allemaal_digitaal|digipunten|digibanken|uitleendienst)\b(?!/)"
)
DECIMAL_POINT = re.compile(r"\b\d+\.\d+ ?(s|sec|seconden|MB|%)\b")  # 7.9 s, not 7,9 s

# Everything visible a reader can read, with where it is: text, tooltips and button labels.
VISIBLE_TEXT = """() => {
    const shown = el => {
        const box = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        return box.width > 0 && box.height > 0 && style.visibility !== 'hidden'
            && style.display !== 'none' && Number(style.opacity) > 0;
    };
    const texts = [document.body.innerText];
    for (const el of document.querySelectorAll('[title], [aria-label], [placeholder]')) {
        if (!shown(el)) continue;
        for (const name of ['title', 'aria-label', 'placeholder']) {
            const value = el.getAttribute(name);
            if (value) texts.push(value);
        }
    }
    return texts.join('\\n');
}"""

# Text that the reader sees cut, as "where: what" lines.
CUT_TEXT = """() => {
    const problems = [];
    const describe = el => (el.innerText || el.textContent || '').trim().slice(0, 80);
    const shown = el => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    };
    const roots = [...document.querySelectorAll(
        "[data-testid='stMain'], [data-testid='stSidebar']")];
    for (const root of roots) {
        for (const el of root.querySelectorAll('*')) {
            if (el.closest('.js-plotly-plot') || !shown(el)) continue;
            const hasText = [...el.childNodes].some(
                n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
            if (!hasText) continue;
            const style = getComputedStyle(el);
            const hides = ['hidden', 'clip'].includes(style.overflowX)
                || style.textOverflow === 'ellipsis';
            if (hides && el.scrollWidth > el.clientWidth + 1) {
                problems.push(`tekst afgesneden: ${describe(el)}`);
            }
        }
    }
    // A chart's text (title, ticks, legend, labels on bars) that sticks out of the chart.
    for (const plot of document.querySelectorAll('.js-plotly-plot')) {
        const frame = plot.getBoundingClientRect();
        if (!frame.width) continue;
        for (const text of plot.querySelectorAll('text')) {
            const box = text.getBoundingClientRect();
            if (!box.width || !text.textContent.trim()) continue;
            if (box.left < frame.left - 1 || box.right > frame.right + 1
                    || box.top < frame.top - 1 || box.bottom > frame.bottom + 1) {
                const title = plot.layout?.meta?.titel ?? '';
                problems.push(`grafiek "${title}": tekst buiten de grafiek: ${text.textContent}`);
            }
        }
    }
    // A table or block that scrolls sideways inside the page: its right part is out of view.
    for (const el of document.querySelectorAll("[data-testid='stMain'] *")) {
        if (el.closest(".js-plotly-plot, [data-testid='stDataFrame']") || !shown(el)) continue;
        const style = getComputedStyle(el);
        if (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1) {
            problems.push(`schuift zijwaarts: ${describe(el).slice(0, 60)}`);
        }
    }
    // A page that scrolls sideways.
    const main = document.querySelector("[data-testid='stMain']");
    if (main && main.scrollWidth > main.clientWidth + 1) {
        problems.push(`de pagina schuift zijwaarts (${main.scrollWidth} > ${main.clientWidth})`);
    }
    return problems;
}"""


# Words broken in the middle, as "where: word" lines: a word (between spaces, hyphens, soft
# hyphens and slashes, where a line may break) whose letters stand on two lines, as a card title
# "Eerstelijnsprofession / als" or a table column one letter wide did.
BROKEN_WORDS = r"""() => {
    const problems = [];
    const roots = [...document.querySelectorAll(
        "[data-testid='stMain'], [data-testid='stSidebar']")];
    for (const root of roots) {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const el = node.parentElement;
            if (!el || el.closest('.js-plotly-plot, script, style')) continue;
            const box = el.getBoundingClientRect();  // not the folded sidebar, nor hidden text
            if (box.width < 2 || box.right <= 0 || box.left >= innerWidth
                || getComputedStyle(el).visibility === 'hidden') continue;
            const text = node.textContent;
            // The first and the last letter of the word on one line. A letter after a break
            // at a soft hyphen also has a box for the hyphen shown before the break: its own
            // is the last one.
            const top = i => {
                const range = document.createRange();
                range.setStart(node, i);
                range.setEnd(node, i + 1);
                const box = [...range.getClientRects()].filter(r => r.width > 0).pop();
                return box ? Math.round(box.top + box.height / 2) : null;
            };
            for (const match of text.matchAll(/[^\s\u00ad\-\/]{2,}/g)) {
                const first = top(match.index), last = top(match.index + match[0].length - 1);
                if (first !== null && last !== null && Math.abs(first - last) > 2) {
                    const where = (el.innerText || '').replaceAll('\u00ad', '').trim();
                    const word = match[0].slice(0, 40);
                    problems.push(`woord gebroken: ${word} (in "${where.slice(0, 40)}")`);
                }
            }
        }
    }
    return [...new Set(problems)];
}"""


CONTENT_HEIGHT = """() => Math.max(...['stMain', 'stSidebarContent'].map(
    id => document.querySelector(`[data-testid='${id}']`)?.scrollHeight ?? 0))"""


def english_in(text: str) -> list[str]:
    found = [word for word in ENGLISH if re.search(rf"(?<![\w/]){re.escape(word)}(?![\w/])", text)]
    found += [m.group(0) for m in CODE_NAMES.finditer(text)]
    found += [m.group(0) for m in DECIMAL_POINT.finditer(text)]
    return found


@pytest.fixture(scope="module")
def server(sample_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with streamlit_server(sample_data, tmp_path_factory.mktemp("streamlit")) as base:
        yield base


def settle(page: Page) -> None:
    """Until the charts are drawn and tables painted at the current width."""
    page.wait_for_timeout(200)  # Plotly redraws on resize
    page.wait_for_function(
        """() => [...document.querySelectorAll('.js-plotly-plot')]
                .every(p => !p._transitioning && p.querySelector('.main-svg'))
            && [...document.querySelectorAll("[data-testid='stDataFrame']")]
                .every(t => t.querySelector('canvas'))
            && !document.querySelector("[data-testid='stSkeleton']")""",
        timeout=30_000,
    )


def look(page: Page, name: str) -> list[str]:
    """Problems of the page as shown now, at every width; a screenshot of each."""
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        settle(page)
        # Streamlit scrolls inside stMain, not the document: the viewport grows to the content,
        # so the screenshot shows the whole page.
        height = page.evaluate(CONTENT_HEIGHT)
        page.set_viewport_size({"width": width, "height": max(HEIGHT, min(height, 30_000))})
        settle(page)
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / f"{name}_{width}.png"), full_page=True)
        problems += [f"{width} px: {p}" for p in page.evaluate(CUT_TEXT)]
        problems += [f"{width} px: {p}" for p in page.evaluate(BROKEN_WORDS)]
        problems += [f"{width} px: Engels: {w}" for w in english_in(page.evaluate(VISIBLE_TEXT))]
    page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
    return problems


def test_the_english_list_finds_what_it_should():
    assert english_in("Download as CSV · Show/hide columns") == [
        "Show/hide columns",
        "Download as CSV",
    ]
    assert english_in("expect_column_values_to_be_between op allemaal_digitaal, 7.9 s") == [
        "expect_column_values_to_be_between",
        "allemaal_digitaal",
        "7.9 s",
    ]
    # Dutch words and file names that merely contain the English ones are fine.
    assert english_in("Pand · Printer · Zoomen · digipunten/2022-01.csv · 7,9 s") == []


@pytest.mark.parametrize("nav", NAVIGATION, ids=[n["url_path"] for n in NAVIGATION])
def test_every_page_fits_every_width_and_speaks_dutch(server: str, page: Page, nav: dict):
    path = "" if nav["default"] else nav["url_path"]
    open_page(page, f"{server}/{path}?jaar=2022")
    problems = look(page, nav["url_path"])
    assert not problems, f"{nav['title']}:\n" + "\n".join(problems)


@pytest.fixture(scope="module")
def public_server(sample_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The public view (EINCLUSIE_PUBLIEK=1): its pages carry marks and notes of their own."""
    logs = tmp_path_factory.mktemp("streamlit-publiek")
    with streamlit_server(sample_data, logs, env={"EINCLUSIE_PUBLIEK": "1"}) as base:
        yield base


@pytest.mark.parametrize("path", ["", "hulpvragen", "wijken?kpi=devices_public_computers"])
def test_the_public_pages_fit_every_width_and_speak_dutch(
    public_server: str, page: Page, path: str
):
    open_page(page, f"{public_server}/{path}")
    name = "publiek_" + (path.split("?")[0] or "overzicht")
    problems = look(page, name)
    assert not problems, f"{name}:\n" + "\n".join(problems)
    expect(page.locator("[data-testid='stSidebarNav'] a")).to_have_count(3)


def test_the_menu_the_period_lists_and_a_table_stay_dutch_when_opened(server: str, page: Page):
    open_page(page, f"{server}/wijken?jaar=2022")
    # No English main menu: the app sets no menu items, so there is none to open.
    expect(page.locator("[data-testid='stMainMenu']")).to_have_count(0)
    # The period as a range of months: the lists open in Dutch.
    page.locator("[data-testid='stSidebar']").get_by_text("Periode", exact=True).last.click()
    wait_for_app(page)
    start = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(
        has_text="Van"
    )
    options = page.locator("[role='listbox'] [role='option']")
    for _ in range(3):  # a click while the rerun of the switch still draws the list is lost
        expect(start).to_be_visible()
        start.click()
        try:
            expect(options.first).to_be_visible(timeout=5_000)
            break
        except AssertionError:
            wait_for_app(page)
    expect(options.first).to_be_visible()
    months = "|".join(MONTHS)
    assert all(re.fullmatch(rf"({months}) 20\d\d", t.strip()) for t in options.all_inner_texts())
    problems = english_in(page.evaluate(VISIBLE_TEXT))
    page.keyboard.press("Escape")
    # Streamlit's tables show an English toolbar on hover; ours (layout.static_table) are
    # plain HTML tables: hovering shows nothing English either.
    table = page.locator("[data-testid='stDataFrame'], .statische-tabel").first
    table.hover()
    page.wait_for_timeout(300)
    problems += english_in(page.evaluate(VISIBLE_TEXT))
    problems += look(page, "wijken_periode")
    assert not problems, problems


def test_a_printed_page_has_no_sidebar_or_buttons_and_its_charts_fit_the_paper(
    server: str, page: Page, tmp_path: Path
):
    from pypdf import PdfReader

    open_page(page, f"{server}/hulpvragen?jaar=2022")
    # Every chart there and drawn (settle alone holds at once while no chart exists yet).
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=30_000)
    expect(page.locator(".js-plotly-plot")).to_have_count(6, timeout=30_000)
    settle(page)
    page.pdf(path=str(tmp_path / "print.pdf"), prefer_css_page_size=True, print_background=True)
    text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "print.pdf").pages)
    # The title, and the filters and source line under it, at the top.
    assert text.index("Hulpvragen 2022") < text.index("heel Gent · alle programma's")
    for gone in ("Selectie", "Downloaden", "Overzicht"):  # sidebar, buttons, navigation
        assert gone not in text, gone
    # The monthly chart is scaled to the paper: every month is there, the last one at the
    # right edge too.
    missing = [m for m in SHORT_MONTHS if not re.search(rf"\b{m}(?![a-z])", text)]
    assert not missing, f"{missing} not in the printed page:\n{text}"
