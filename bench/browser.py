"""Benchmark of the dashboard in a real browser: what a user waits for, beside the bare queries.

    .venv/bin/python bench/browser.py [--scale 100] [--runs 5] [--pages PAGE ...]
                                      [--profile PAGE] [--no-check]

The real server (`streamlit run serve.py`, tests/test_browser.py's `streamlit_server`) over the
sample at `--scale` (bench/app.py's `prepare`: bench/out/parquet-<scale>x, reused when present),
driven through Debian's Chromium by Playwright (the launch of tests/conftest.py). One server and
one browser tab for the whole run, so the caches behave as for one user:

- start: from starting the server to /_stcore/health answering "ok" (polled every 0,2 s by
  `streamlit_server`), and from then to the Overzicht at `/` finished;
- switch cold: the first click on each page's link in the sidebar navigation: the page's own
  queries are not in Streamlit's cache yet (the sidebar's are, from the first page). The
  Overzicht has none: it is the first page, see "start";
- switch warm: `--runs` more rounds through the navigation (each page from the one before it);
  every query is then a hit in st.cache_data (dashboard/data.py); the median;
- filter: on each page with filters (not Aanleveren and Gebruikers, whose sidebar only names
  the selection), `--runs` times a wijk picked in the sidebar's "Wijk" multiselect, each
  time another wijk, so the page's queries miss the cache (the median); after each pick the
  wijk is removed again, which brings back the selection seen at the switch (a warm rerun; the
  median is "filter back");
- queries: in this process, what the page asks through `data.get`, called directly on the same
  data folder without Streamlit's cache: the frame (sidebar, title) and the page's charts built
  by einclusie/charts/catalogue.py with a direct fetch (figures included, not drawn), each
  distinct query once per run as within one of the page's runs; the median of `--runs`, for
  heel Gent and for the same wijken the filter changes chose. The tool pages (Aanleveren,
  Gebruikers) read their own files beside the frame: the load's history and the uploads, the
  users file and the download audit; those reads, uncached, are their queries too.
  `--no-check` skips checking these lists against the calls the pages really make through
  data.get (AppTest, bench/app.py's Recorder).

"Finished" is measured in the page: from the user's last input event before the browser sends
its rerun request (the click on a link or on an option) to the first animation frame after the
run's script_finished message (read off the websocket) where stApp's data-test-script-state is
notRunning, no element is stale and every Plotly chart and data grid is drawn; a run that
starts within 0,3 s after (st.rerun) moves the end to its finish. The parts of that time (the
click, the server starting the run, the run's messages, the drawing) are in a second table.

Targets at 100x: the first page under 3 s after the server is healthy; every switch and filter
change under 1 s and at most 4x its bare queries. The table is printed and written to
bench/out/browser.md (bench/out/ is ignored by git), the samples to bench/out/browser.json.
`--profile PAGE` instead runs py-spy on the server during that page's cold switch and filter
changes and writes its raw stacks to bench/out/py-spy-<page>.txt, with a summary.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import importlib.util
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
OUT = PROJECT / "bench" / "out"
sys.path.insert(0, str(PROJECT))


def _bench_app() -> Any:
    # bench/app.py by path: `import app` would find the dashboard's own app.py.
    spec = importlib.util.spec_from_file_location("bench_app", PROJECT / "bench" / "app.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench_app = _bench_app()  # also quiets Streamlit's logger, as AppTest runs pages here

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from dashboard import aanlevering  # noqa: E402
from einclusie.access import read_downloads, read_users, users_path  # noqa: E402
from einclusie.charts import catalogue  # noqa: E402
from einclusie.figures.queries import (  # noqa: E402
    data_overview,
    failed_expectations,
    kpi_monthly,
    parts_frame,
    programme_figures,
    quarantine_files,
    quarantined_rows,
    refused_files,
    replaced_files,
    replaced_rows,
    skipped_files,
    source_columns,
)
from einclusie.figures.selection import Selection  # noqa: E402
from einclusie.figures.status import (  # noqa: E402
    available_years,
    data_range,
    data_status,
    wijk_names,
)
from einclusie.figures.values import compare, no_data_reason, wijk_fiche  # noqa: E402
from etl import upload  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORT  # noqa: E402
from tests.test_browser import (  # noqa: E402
    _SEEN,
    COUNT_RUNS,
    _navigation,
    sidebar_multiselect,
    streamlit_server,
    wait_for_app,
)

SHOWN_ROWS = 25  # pages/gegevens.py's rows per table page

TARGET_FIRST_MS = 3000
TARGET_MS = 1000
TARGET_RATIO = 4
TIMEOUT = 120_000  # ms for one action to finish: a loaded 2-core machine is slow
QUIET_MS = 300  # a run starting this soon after another finished belongs to the same action

# Timestamps in the page (performance.now()) of every input event and of the messages that
# start and end a run: stApp's data-test-script-state alone misses a fast run (React may
# render "running" and "notRunning" as one update), the websocket does not. A top-level scan
# of the protobuf: BackMsg field 11 is rerun_script; ForwardMsg field 4 new_session (a run
# starts), 6 script_finished (its status; 2 is "stopped early for a rerun", not an end).
TIMESTAMPS = """(() => {
    window.__inputs = [];
    window.__sent = [];
    window.__starts = [];
    window.__finishes = [];
    for (const type of ['pointerdown', 'mousedown', 'mouseup', 'click', 'keydown', 'keyup',
                        'input']) {
        document.addEventListener(type, () => window.__inputs.push(performance.now()), true);
    }
    const fields = bytes => {
        const found = new Map();
        let i = 0;
        const varint = () => {
            let value = 0, shift = 0, byte;
            do {
                byte = bytes[i++];
                value += (byte & 0x7f) * 2 ** shift;
                shift += 7;
            } while (byte & 0x80 && i < bytes.length);
            return value;
        };
        while (i < bytes.length) {
            const key = varint(), field = Math.floor(key / 8), wire = key % 8;
            if (wire === 0) found.set(field, varint());
            else if (wire === 2) {
                const length = varint();  // not `i += varint()`: that adds to the old i
                i += length;
                found.set(field, null);
            }
            else if (wire === 1) { i += 8; found.set(field, null); }
            else if (wire === 5) { i += 4; found.set(field, null); }
            else break;
        }
        return found;
    };
    const view = data => data instanceof ArrayBuffer ? new Uint8Array(data)
        : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
        : null;
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
        constructor(...args) {
            super(...args);
            this.addEventListener('message', event => {
                const at = performance.now(), bytes = view(event.data);
                if (!bytes) return;
                const found = fields(bytes);
                if (found.has(4)) window.__starts.push(at);
                if (found.has(6) && found.get(6) !== 2) window.__finishes.push(at);
            });
        }
        send(data) {
            const bytes = view(data);
            if (bytes && fields(bytes).has(11)) window.__sent.push(performance.now());
            return super.send(data);
        }
    };
})();"""

# The time of the frame where a run since `seen` has ended and everything is on screen.
FINISHED = """seen => {
    const app = document.querySelector("[data-testid='stApp']");
    if (window.__finishes.length <= seen || !app
        || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (document.querySelector("[data-stale='true']")) return false;
    const drawn = (selector, inner) => [...document.querySelectorAll(selector)]
        .every(element => element.querySelector(inner));
    if (!drawn("[data-testid='stPlotlyChart']", '.main-svg')) return false;
    if (!drawn("[data-testid='stDataFrame']", 'canvas')) return false;
    return performance.now();
}"""

COUNTS = (
    "[window.__inputs.length, window.__sent.length, window.__starts.length, "
    "window.__finishes.length]"
)


# --- the browser ---------------------------------------------------------------------------


def _finish(page: Page, finished_before: int) -> float:
    """Wait until a run ends after `finished_before` runs and all is drawn; the page's time."""
    seen = finished_before
    while True:
        done = page.wait_for_function(FINISHED, arg=seen, timeout=TIMEOUT).json_value()
        seen, starts = page.evaluate("[window.__finishes.length, window.__starts.length]")
        page.wait_for_timeout(QUIET_MS)
        if page.evaluate("window.__starts.length") == starts:
            return done
        # Another run began (st.rerun): the action ends when that one does.


def timed(page: Page, action: Callable[[], object]) -> dict[str, float]:
    """Ms from the last input `action` gives before its run's request to the end ("total"),
    and its parts: "click" until the browser sends the request, "start" until the run's first
    message arrives, "script" until its last, "draw" until all is on screen."""
    inputs, sent, starts, finishes = page.evaluate(COUNTS)
    action()
    done = _finish(page, finishes)
    input_at, sent_at, start_at, end_at = page.evaluate(
        """([inputs, sent, starts, done]) => {
            const request = window.__sent[sent];
            const before = window.__inputs.slice(inputs).filter(t => t <= request);
            const ends = window.__finishes.filter(t => t <= done);
            return [before.length ? before[before.length - 1] : request, request,
                    window.__starts[starts], ends[ends.length - 1]];
        }""",
        [inputs, sent, starts, done],
    )
    _check(page)
    setattr(page, _SEEN, page.evaluate("window.__runs ?? 0"))  # wait_for_app counts from here
    return {
        "total": done - input_at,
        "click": sent_at - input_at,
        "start": start_at - sent_at,
        "script": end_at - start_at,
        "draw": done - end_at,
    }


def _check(page: Page) -> None:
    errors = page.locator("[data-testid='stException']")
    if errors.count():
        raise SystemExit(f"{page.url} toont een fout:\n" + "\n".join(errors.all_inner_texts()))


def nav_link(page: Page, title: str) -> Callable[[], None]:
    link = page.locator("[data-testid='stSidebarNav']").get_by_role("link", name=title, exact=True)
    return link.click


def pick_wijk(page: Page, name: str) -> Callable[[], None]:
    def pick() -> None:
        wijk = sidebar_multiselect(page, "Wijk")
        wijk.click()
        wijk.get_by_role("combobox").fill(name)
        page.locator("[role='listbox'] [role='option']").filter(
            has_text=re.compile(rf"^\s*{re.escape(name)}\s*$")
        ).click()

    return pick


def remove_wijk(page: Page, name: str) -> Callable[[], None]:
    button = sidebar_multiselect(page, "Wijk").get_by_role(
        "button", name=f"Remove {name}", exact=True
    )
    return button.click


@contextmanager
def browser_page() -> Iterator[Page]:
    """Debian's Chromium, launched as the tests do, with one tab that counts runs."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport=VIEWPORT, locale="nl-BE").new_page()
            page.add_init_script(COUNT_RUNS)
            page.add_init_script(TIMESTAMPS)
            yield page
        finally:
            browser.close()


@contextmanager
def server(
    data_dir: Path, script: str = "serve.py", env: dict[str, str] | None = None
) -> Iterator[tuple[str, float, float]]:
    """The real server over `data_dir` (or `script`, another app): base URL, epoch ms of its
    start and of healthy."""
    logs = OUT / "browser-logs" / Path(script).stem
    logs.mkdir(parents=True, exist_ok=True)
    started = time.time() * 1000
    with streamlit_server(data_dir, logs, script=script, env=env) as base:
        yield base, started, time.time() * 1000


def first_page(page: Page, base: str, healthy: float) -> float:
    """Ms from `healthy` (epoch ms) to the Overzicht at / finished."""
    page.goto(f"{base}/", timeout=TIMEOUT)
    done = _finish(page, 0)
    _check(page)
    setattr(page, _SEEN, page.evaluate("window.__runs ?? 0"))
    return page.evaluate("performance.timeOrigin") + done - healthy  # both epoch ms


def browser_part(
    page: Page, nav: list[dict], runs: int, wijken_for: dict[str, list[str]]
) -> dict[str, dict[str, Any]]:
    """Switch and filter timings (ms) per page url_path, as the docstring says."""
    result: dict[str, dict[str, Any]] = {
        p["url_path"]: {"cold": None, "warm": [], "filter": [], "back": []} for p in nav
    }
    order = nav[1:] + nav[:1]  # from the first page on, back to it at the end of a round
    for item in order[:-1]:
        cold = result[item["url_path"]]["cold"] = timed(page, nav_link(page, item["title"]))
        print(f"  wissel koud {item['url_path']}: {cold['total']:.0f} ms", flush=True)
    result[nav[0]["url_path"]]["warm"].append(timed(page, nav_link(page, nav[0]["title"])))
    for _ in range(runs):
        for item in order:
            if len(result[item["url_path"]]["warm"]) < runs:
                result[item["url_path"]]["warm"].append(timed(page, nav_link(page, item["title"])))
    for item in order:
        path = item["url_path"]
        if not wijken_for[path]:  # a page without filters
            continue
        nav_link(page, item["title"])()
        wait_for_app(page)
        for name in wijken_for[path]:
            result[path]["filter"].append(timed(page, pick_wijk(page, name)))
            page.keyboard.press("Escape")  # close the list; no run
            result[path]["back"].append(timed(page, remove_wijk(page, name)))
        shown = {m: medians(result[path][m])["total"] for m in ("warm", "filter", "back")}
        print(
            f"  {path}: wissel warm {shown['warm']:.0f}, filter {shown['filter']:.0f}, "
            f"terug {shown['back']:.0f} ms",
            flush=True,
        )
    return result


def floor_part(data_dir: Path, runs: int, names: list[str]) -> dict[str, dict[str, float]]:
    """bench/floor.py's switches and filter changes (ms medians; warm, filter, back): the same
    navigation and sidebar as the dashboard, without a query. Its own server and tab, after
    the dashboard's, so neither waits for the other."""
    env = {"EINCLUSIE_FLOOR_WIJKEN": json.dumps(names, ensure_ascii=False)}
    nav = _navigation()
    # Three light pages of the dashboard, then back to the first.
    order = [*(p["title"] for p in nav[-3:]), nav[0]["title"]]
    samples: dict[str, list[dict[str, float]]] = {"warm": [], "filter": [], "back": []}
    with browser_page() as page, server(data_dir, "bench/floor.py", env) as (base, _, healthy):
        first_page(page, base, healthy)
        for title in order:  # each page drawn once before it is timed
            timed(page, nav_link(page, title))
        for _ in range(runs):
            for title in order:
                samples["warm"].append(timed(page, nav_link(page, title)))
        for name in names[:runs]:
            samples["filter"].append(timed(page, pick_wijk(page, name)))
            page.keyboard.press("Escape")
            samples["back"].append(timed(page, remove_wijk(page, name)))
    floor = {m: medians(samples[m]) for m in samples}
    print(
        "  vloer (bench/floor.py): "
        + ", ".join(f"{m} {floor[m]['total']:.0f}" for m in ("warm", "filter", "back"))
        + " ms",
        flush=True,
    )
    return floor


def medians(samples: list[dict[str, float]]) -> dict[str, float]:
    """The median of each part on its own (so the parts need not add up to the total)."""
    return {part: statistics.median(s[part] for s in samples) for part in samples[0]}


# --- the bare queries ----------------------------------------------------------------------

Calls = list[tuple[str, tuple, dict]]


def bare_fetch(data_dir: Path, calls: Calls | None = None) -> Callable[..., Any]:
    """catalogue.direct(data_dir), each distinct call once (as Streamlit's cache within one
    run of a page); `calls` records them as bench/app.py's Recorder records the page's."""
    fetch = catalogue.direct(data_dir)
    memo: dict[str, Any] = {}

    def once(query: Callable, *args: object, **kwargs: object) -> Any:
        named = dict(sorted(kwargs.items()))  # as dashboard.data.get hands them on
        if calls is not None:
            calls.append((query.__name__, args, named))
        key = repr((query.__module__, query.__name__, args, named))
        if key not in memo:
            memo[key] = query(*args, **named, data_dir=data_dir) if named else fetch(query, *args)
        return memo[key]

    return once


def _frame(selection: Selection, fetch: Callable[..., Any], figures: bool = True) -> None:
    # dashboard/filters.sidebar and dashboard/layout.page (the chart's downloads: data_status);
    # a page that works on the data (layout.tool_page) asks whether there are figures not.
    fetch(available_years)
    fetch(data_range)
    fetch(wijk_names)
    if figures:
        fetch(no_data_reason, selection)
    fetch(data_status)
    fetch(refused_files)  # the notice for a databeheerder (the local user is one)


def _overzicht(selection: Selection, fetch: Callable[..., Any]) -> None:
    fetch(compare, selection)
    fetch(kpi_monthly, selection, catalogue.MONTHLY_KEYS)
    catalogue.key_figures_monthly(selection, fetch)
    catalogue.key_figures_yearly(selection, fetch)


def _hulpvragen(selection: Selection, fetch: Callable[..., Any]) -> None:
    catalogue.help_requests_monthly(selection, fetch)
    for dimension in ("programma", "kanaal", "vraagtype", "leeftijdsgroep", "locatie"):
        catalogue.help_requests_split(selection, fetch, dimension)


def _toestellen(selection: Selection, fetch: Callable[..., Any]) -> None:
    catalogue.devices_per_way(selection, fetch)
    catalogue.devices_per_type(selection, fetch)
    catalogue.devices_per_month(selection, fetch)
    if not selection.wijken:  # the page says "niet per wijk" instead
        catalogue.loans_per_organisation(selection, fetch)


def _vorming(selection: Selection, fetch: Callable[..., Any]) -> None:
    for audience in catalogue.TRAINING_AUDIENCES:
        catalogue.training_per_programme(selection, fetch, audience)
    catalogue.training_per_month(selection, fetch)


def _wijken(selection: Selection, fetch: Callable[..., Any]) -> None:
    names = fetch(wijk_names)
    key = catalogue.PER_WIJK_KEYS[0]  # the page's default KPI
    try:
        catalogue.wijk_choropleth(selection, fetch, key)
    except catalogue.NoMap:
        pass
    catalogue.wijk_ranking(selection, fetch, key)
    fetch(wijk_fiche, selection, tuple(selection.wijken[:2] or names[:1]))


def _programme(programme: str) -> Callable[[Selection, Callable[..., Any]], None]:
    def page(selection: Selection, fetch: Callable[..., Any]) -> None:
        if not parts_frame(fetch(programme_figures, selection, programme)).empty:
            catalogue.programme_parts(selection, fetch, programme)

    return page


def _export(selection: Selection, fetch: Callable[..., Any]) -> None:
    if not selection.is_year:
        fetch(available_years)


def _gegevens(selection: Selection, fetch: Callable[..., Any]) -> None:
    for query in (data_overview, refused_files, skipped_files, quarantine_files):
        fetch(query)
    # The first page of rows, and the column order of the sources on it (all six).
    rows = fetch(quarantined_rows, source=None, file=None, load=None, limit=SHOWN_ROWS, offset=0)
    for source in rows["bron"].unique():
        fetch(source_columns, source)
    fetch(replaced_files)
    fetch(replaced_rows, file=None, limit=SHOWN_ROWS, offset=0)
    fetch(failed_expectations)


# The tool pages (layout.tool_page) ask little through data.get: their own reads, uncached,
# are the rest of their queries. `data_dir` is the folder the server shows.
def _gebruikers(selection: Selection, fetch: Callable[..., Any], data_dir: Path) -> None:
    read_users(users_path())  # dashboard.access.users(), kept until the file changes
    read_downloads(data_dir)


def _aanleveren(selection: Selection, fetch: Callable[..., Any], data_dir: Path) -> None:
    # dashboard/aanlevering.py: the history (kept per loaded version), the uploads that can
    # be undone and the loaded version (every run).
    aanlevering.history_tables(data_dir)
    upload.uploads(data_dir)
    upload.loaded_version(data_dir)


# What each page file asks (pages/*.py, dashboard/programme.py), by page file stem.
PAGES: dict[str, Callable[[Selection, Callable[..., Any]], None]] = {
    "overzicht": _overzicht,
    "hulpvragen": _hulpvragen,
    "toestellen": _toestellen,
    "vorming": _vorming,
    "wijken": _wijken,
    "digipunten": _programme("Digipunten"),
    "digibanken": _programme("Digibanken"),
    "allemaal_digitaal": _programme("Allemaal Digitaal"),
    "bibliotheek": _programme("Bibliotheek"),
    "uitleendienst": _programme("Uitleendienst"),
    "export": _export,
    "gegevens": _gegevens,
}
# What the tool pages read themselves, beside their frame, by page file stem.
TOOL_READS: dict[str, Callable[[Selection, Callable[..., Any], Path], None]] = {
    "gebruikers": _gebruikers,
    "aanleveren": _aanleveren,
}


def bare_page(stem: str, selection: Selection, data_dir: Path, calls: Calls | None = None) -> None:
    """One uncached run of what page `stem` asks for `selection`."""
    fetch = bare_fetch(data_dir, calls)
    _frame(selection, fetch, figures=stem not in bench_app.TOOL_PAGES)
    if stem in TOOL_READS:
        TOOL_READS[stem](selection, fetch, data_dir)
    else:
        PAGES[stem](selection, fetch)


def bare_ms(stem: str, selections: list[Selection], data_dir: Path) -> float:
    """Median ms of bare_page over `selections` (one run each), after a run to warm DuckDB."""
    bare_page(stem, selections[0], data_dir)
    times = []
    for selection in selections:
        started = time.perf_counter()
        bare_page(stem, selection, data_dir)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def check_lists(paths: dict[str, str], selections: list[Selection], data_dir: Path) -> list[str]:
    """Where PAGES differs from what the pages ask through data.get (AppTest), per selection."""
    from streamlit.testing.v1 import AppTest

    problems = []
    for selection in selections:
        app = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=600)
        app.query_params = {"jaar": str(selection.start.year)}
        if selection.wijken:
            app.query_params["wijk"] = list(selection.wijken)
        app.run()
        for stem, path in paths.items():
            app.switch_page(path)
            with bench_app.Recorder() as recorder:
                app.run()
            if app.exception:
                problems.append(f"{stem}: {app.exception[0].value}")
                continue
            ours: Calls = []
            bare_page(stem, selection, data_dir, ours)
            theirs = {repr(call) for call in recorder.calls}
            mine = {repr(call) for call in ours}
            if mine != theirs:
                problems.append(
                    f"{stem} ({selection.wijk_label()}): mist {sorted(theirs - mine)}, "
                    f"te veel {sorted(mine - theirs)}"
                )
    return problems


# --- the report ----------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}".replace(",", ".")


def _ratio(value: float | None, queries: float) -> str:
    return "–" if value is None else f"{value / queries:.2f}".replace(".", ",")


def table(
    rows: list[dict[str, Any]],
    start: dict[str, float],
    scale: int,
    runs: int,
    floor: dict[str, dict[str, float]],
) -> str:
    """The Markdown report: the start, one row per page with its verdict, the floor."""
    first_ok = start["first"] < TARGET_FIRST_MS
    lines = [
        f"Browser benchmark, {scale}x, {dt.datetime.now():%d/%m/%Y %H:%M}, "
        f"{os.cpu_count()} cores, load average {start['load_before']:.1f} before and "
        f"{os.getloadavg()[0]:.1f} after, CPUs idle {start['idle']:.0%} of the browser part "
        f"({start['steal']:.0f} s stolen by other VMs); medians of {runs}, milliseconds.",
        "",
        f"Server start to healthy: {_ms(start['healthy'])} ms; healthy to the Overzicht "
        f"finished: {_ms(start['first'])} ms (target < {TARGET_FIRST_MS}: "
        f"{'met' if first_ok else 'MISSED'}).",
        "",
        "| page | switch cold | switch warm | filter (new wijk) | filter back | "
        "queries Gent | queries wijk | cold / q | warm / q | filter / q | targets |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        q, qw = row["queries"], row["queries_wijk"]
        cold, warm, pick, back = (
            None if row[m] is None else row[m]["total"] for m in ("cold", "warm", "filter", "back")
        )
        # Per measure (time, its queries): each under 1 s and at most 4x.
        measures = {"cold": (cold, q), "warm": (warm, q), "filter": (pick, qw), "back": (back, q)}
        slow = [m for m, (t, _) in measures.items() if t is not None and t >= TARGET_MS]
        heavy = [m for m, (t, b) in measures.items() if t is not None and t > TARGET_RATIO * b]
        missed = ([f"{TARGET_MS} ms ({', '.join(slow)})"] if slow else []) + (
            [f"{TARGET_RATIO}x ({', '.join(heavy)})"] if heavy else []
        )
        lines.append(
            f"| {row['title']} | {_ms(cold)} | {_ms(warm)} | {_ms(pick)} | {_ms(back)} | "
            f"{_ms(q)} | {_ms(qw)} | {_ratio(cold, q)} | {_ratio(warm, q)} | "
            f"{_ratio(pick, qw)} | {'MISSED: ' + ', '.join(missed) if missed else 'met'} |"
        )
    warm, pick, back = (floor[m]["total"] for m in ("warm", "filter", "back"))
    lines.append(
        f"| *Streamlit alone (bench/floor.py)* | – | {_ms(warm)} | {_ms(pick)} | {_ms(back)} "
        "| 0 | 0 | – | – | – | – |"
    )
    lines += [
        "",
        f"The floor: the same navigation and sidebar without a query take {_ms(warm)} ms to "
        f"switch and {_ms(pick)} ms to pick a wijk; at most {TARGET_RATIO}x its queries can "
        f"only hold for a page whose queries take at least {_ms(warm / TARGET_RATIO)} ms "
        f"(switch) or {_ms(pick / TARGET_RATIO)} ms (filter).",
    ]
    lines += [
        "",
        "switch cold: the first click on the page's link (the Overzicht is the first page); "
        "switch warm: later clicks, every query cached; filter: a wijk not chosen before "
        "picked in the sidebar; filter back: that wijk removed (cached); queries: the page's "
        "queries and charts, uncached, in the benchmark's process. Targets: every time "
        f"< {TARGET_MS} ms and <= {TARGET_RATIO}x its queries (Gent, or wijk for 'filter').",
        "",
        "Where the time goes (medians, ms): click = the input until the browser sends the "
        "rerun request; start = until the run's first message (new_session) arrives; script "
        "= until its script_finished arrives; draw = until every chart is drawn.",
        "",
        "| page | cold: click / start / script / draw | warm: click / start / script / draw | "
        "filter: click / start / script / draw |",
        "|---|---|---|---|",
    ]
    for row in rows:
        parts = [
            "–"
            if row[m] is None
            else " / ".join(_ms(row[m][p]) for p in ("click", "start", "script", "draw"))
            for m in ("cold", "warm", "filter")
        ]
        lines.append(f"| {row['title']} | {' | '.join(parts)} |")
    floor_parts = [
        " / ".join(_ms(floor[m][p]) for p in ("click", "start", "script", "draw"))
        for m in ("warm", "filter")
    ]
    lines.append(f"| *Streamlit alone* | – | {' | '.join(floor_parts)} |")
    return "\n".join(lines) + "\n"


# --- profiling -----------------------------------------------------------------------------


def _server_pid() -> int:
    """The `streamlit run` child of this process (streamlit_server keeps its Popen)."""
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        for pid in (task / "children").read_text().split():
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            if b"streamlit" in command and b"run" in command:
                return int(pid)
    raise SystemExit("geen streamlit-server gevonden")


def profile(page: Page, nav: list[dict], stem: str, wijken: list[str]) -> None:
    """py-spy on the server while `stem` is switched to cold and filtered on."""
    item = next(p for p in nav if Path(p["file"]).stem == stem)
    target = OUT / f"py-spy-{stem}.txt"
    command = [
        str(Path(sys.executable).with_name("py-spy")),
        "record",
        "--pid",
        str(_server_pid()),
        "-r",
        "200",
        "-f",
        "raw",
    ]
    spy = subprocess.Popen([*command, "-o", str(target)], stdout=subprocess.DEVNULL)
    time.sleep(1)  # py-spy attaches
    print(f"  wissel koud {stem}: {timed(page, nav_link(page, item['title']))} ms")
    for name in wijken:
        print(f"  filter {name}: {timed(page, pick_wijk(page, name))} ms")
        page.keyboard.press("Escape")
        timed(page, remove_wijk(page, name))
    spy.send_signal(signal.SIGINT)
    spy.wait(timeout=60)
    summarise(target)


def summarise(raw: Path, top: int = 20) -> None:
    """From py-spy's raw stacks, the runs' thread only: the project's frames with the most
    samples (inclusive), and where the samples end (the leaf frame's package; DuckDB shows as
    db.py's execute; Streamlit's gc.collect after every run as its own line)."""
    # py-spy names files relative to their sys.path entry: the project's own start so.
    own = ("app.py", "dashboard/", "einclusie/", *(p.name for p in PROJECT.glob("pages/*.py")))
    inclusive: collections.Counter[str] = collections.Counter()
    leaves: collections.Counter[str] = collections.Counter()
    total = runs = 0
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        total += int(count)
        if "ScriptRunner._run_script " not in stack:
            continue  # the event loop, kaleido's browser threads, ...
        runs += int(count)
        frames = stack.split(";")
        for frame in set(frames):
            if frame.rpartition("(")[2].startswith(own):
                inclusive[frame] += int(count)
        leaf = frames[-1].rpartition("(")[2]
        if "_on_script_finished" in stack:
            leaf = "gc.collect after the run (runner.postScriptGC)"
        elif not leaf.startswith(own):
            leaf = leaf.split("/")[0].split(".")[0]
        leaves[leaf] += int(count)
    print(f"\n{raw}: {total} samples, {runs} in the script runs. Project frames (inclusive):")
    for frame, count in inclusive.most_common(top):
        print(f"  {100 * count / max(runs, 1):5.1f} %  {frame}")
    print("Where the runs' samples end (self, by package or project line):")
    for leaf, count in leaves.most_common(12):
        print(f"  {100 * count / max(runs, 1):5.1f} %  {leaf}")


def cpu_seconds() -> dict[str, float]:
    """The machine's CPU time so far by kind (/proc/stat), for how busy it was meanwhile."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:9]
    kinds = ("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal")
    tick = os.sysconf("SC_CLK_TCK")
    return {kind: int(value) / tick for kind, value in zip(kinds, fields, strict=True)}


# --- main ----------------------------------------------------------------------------------


def navigation() -> list[dict]:
    """tests/test_browser.py's navigation with each page's file (for PAGES)."""
    files = bench_app.navigation()
    return [{**item, "file": file} for item, file in zip(_navigation(), files, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5, help="clicks per page and measure")
    parser.add_argument("--pages", nargs="+", metavar="PAGE", help="only these (url_path)")
    parser.add_argument("--profile", metavar="PAGE", help="py-spy this page instead")
    parser.add_argument("--no-check", action="store_true", help="skip the AppTest check")
    args = parser.parse_args()
    os.chdir(PROJECT)
    load_before = os.getloadavg()[0]

    data_dir = bench_app.prepare(args.scale, reload=False)
    os.environ["EINCLUSIE_DATA"] = str(data_dir)  # for this process's queries and AppTest
    nav = navigation()
    if missing := [p["file"] for p in nav if Path(p["file"]).stem not in PAGES | TOOL_READS]:
        raise SystemExit(f"geen lijst met queries in bench/browser.py voor {missing}")
    if args.pages:
        nav = [nav[0]] + [p for p in nav[1:] if p["url_path"] in args.pages]
    years = available_years(data_dir=data_dir)
    year = 2022 if 2022 in years else years[-1]  # dashboard/filters.py's default
    names = wijk_names(data_dir=data_dir)
    # Another wijk for every pick, across pages too (25 wijken: they come round again).
    # The tool pages have no filters (dashboard/filters.py's `kept`): nothing to pick there.
    wijken_for = {
        p["url_path"]: []
        if Path(p["file"]).stem in bench_app.TOOL_PAGES
        else [names[(i * args.runs + j) % len(names)] for j in range(args.runs)]
        for i, p in enumerate(nav)
    }

    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} ontbreekt: apt-get install -y chromium")
    before = cpu_seconds()
    with browser_page() as page, server(data_dir) as (base, started, healthy):
        healthy_ms = healthy - started
        first_ms = first_page(page, base, healthy)
        print(f"server gezond na {healthy_ms:.0f} ms; eerste pagina {first_ms:.0f} ms later")
        if args.profile:
            profile(page, nav, args.profile, wijken_for.get(args.profile, names[: args.runs]))
            return
        timings = browser_part(page, nav, args.runs, wijken_for)
    used = {kind: seconds - before[kind] for kind, seconds in cpu_seconds().items()}
    floor = floor_part(data_dir, args.runs, names)

    print("queries zonder cache ...", flush=True)
    rows = []
    for item in nav:
        stem, path = Path(item["file"]).stem, item["url_path"]
        gent = Selection.year(year)
        with_wijk = [Selection.year(year, (name,)) for name in wijken_for[path]]
        rows.append(
            {
                "page": path,
                "title": item["title"],
                "cold": timings[path]["cold"],
                **{
                    m: medians(timings[path][m]) if timings[path][m] else None
                    for m in ("warm", "filter", "back")
                },
                "queries": bare_ms(stem, [gent] * args.runs, data_dir),
                "queries_wijk": bare_ms(stem, with_wijk, data_dir) if with_wijk else None,
                "samples": timings[path],
            }
        )
    problems = []
    if not args.no_check:
        paths = {Path(p["file"]).stem: p["file"] for p in nav}
        problems = check_lists(
            paths, [Selection.year(year), Selection.year(year, names[:1])], data_dir
        )
        for problem in problems:
            print(f"LET OP: lijst wijkt af van de pagina: {problem}", file=sys.stderr)
    start = {
        "healthy": healthy_ms,
        "first": first_ms,
        "load_before": load_before,
        "idle": used["idle"] / sum(used.values()),
        "steal": used["steal"],
    }
    report = table(rows, start, args.scale, args.runs, floor)
    if problems:
        report += "\nThe query lists differ from the pages: " + "; ".join(problems) + "\n"
    print("\n" + report)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "browser.md").write_text(report, encoding="utf-8")
    (OUT / "browser.json").write_text(
        json.dumps({"start": start, "rows": rows, "floor": floor}, indent=1, ensure_ascii=False),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
