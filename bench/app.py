"""Benchmark of the dashboard: a rerun of each page against the bare DuckDB queries it runs.

    .venv/bin/python bench/app.py [--scales 1 100] [--runs 15] [--reload] [--profile PAGE]

For each scale (1x: the shipped sample; 100x: `tools.sample.generate(..., scale=100)`), loaded
under bench/out/parquet-<scale>x (reused when bench/etl.py or an earlier run made them; ignored
by git), with EINCLUSIE_DATA pointing there:

- rerun: the page through Streamlit's AppTest (`app.py`, then `switch_page`), run once to warm
  the caches, then `--runs` reruns timed; the median. This is what a user waits for when they
  change nothing that misses the cache (a widget that leaves the selection alone, a reload).
- queries: the query functions that page calls (the list per page below, read from pages/*.py
  and dashboard/), called directly and uncached with the same selection, timed `--runs` times
  as a whole; the median. The DuckDB connection is warm (opened once per loaded version).
- zonder cache (for information): a rerun with Streamlit's cache emptied first, i.e. what a
  user waits for after choosing another year, wijk or programme.

Targets at 100x: every page reruns in at most 300 ms and at most 3x its bare queries. The
script checks that the lists below match the calls the pages really make through
`dashboard.data.get` and says so when they drift.
"""

from __future__ import annotations

import argparse
import ast
import cProfile
import datetime as dt
import os
import pstats
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
OUT = PROJECT / "bench" / "out"
sys.path.insert(0, str(PROJECT))

import streamlit.logger  # noqa: E402

# AppTest runs pages outside a server: Streamlit's warnings about that are noise here.
streamlit.logger.set_log_level("error")

from dashboard import data  # noqa: E402
from einclusie.charts.catalogue import (  # noqa: E402
    MONTHLY_KEYS,
    MONTHLY_TREND_KEYS,
    PER_WIJK_KEYS,
    TREND_KEYS,
)
from einclusie.figures.queries import (  # noqa: E402
    data_overview,
    devices_by_type,
    devices_by_way,
    devices_monthly,
    failed_expectations,
    help_requests_by,
    help_requests_by_categories,
    help_requests_monthly_by_programme,
    kpi_by_wijk,
    kpi_monthly,
    kpi_yearly,
    lending_by_organisation,
    programme_figures,
    quarantine_files,
    quarantined_rows,
    refused_files,
    replaced_files,
    replaced_rows,
    skipped_files,
    source_columns,
    training_by_programme,
    training_monthly,
)
from einclusie.figures.selection import Selection  # noqa: E402
from einclusie.figures.status import (  # noqa: E402
    available_years,
    data_range,
    data_status,
    wijk_names,
    wijk_table,
)
from einclusie.figures.values import compare, no_data_reason, wijk_fiche  # noqa: E402

TARGET_MS = 300
TARGET_RATIO = 3

# What the app shows without a link: 2022, heel Gent, alle programma's.
SELECTION = Selection.year(2022)
Call = tuple[Callable, tuple, dict]

# Every page's frame (dashboard/layout.page and the sidebar filters of dashboard/filters.py).
FRAME: list[Call] = [
    (available_years, (), {}),
    (data_range, (), {}),
    (wijk_names, (), {}),
    (no_data_reason, (SELECTION,), {}),
    (data_status, (), {}),
    (refused_files, (), {}),  # the notice for a databeheerder (the local user is one)
]
# Pages that work on the data (dashboard/layout.tool_page): their frame asks for no figures.
TOOL_PAGES = {"aanleveren", "gebruikers"}


def frame(page: str) -> list[Call]:
    """The frame's calls on `page`."""
    if page in TOOL_PAGES:
        return [call for call in FRAME if call[0] is not no_data_reason]
    return FRAME


FIRST_PER_WIJK_KEY = PER_WIJK_KEYS[0]


SHOWN_ROWS = 25  # pages/gegevens.py's rows per table page


def _gegevens_page() -> list[Call]:
    # The first page of rows, and the column order of the sources on it.
    first = {"file": None, "limit": SHOWN_ROWS, "load": None, "offset": 0, "source": None}
    shown = quarantined_rows(**first)["bron"].unique()
    return [
        (data_overview, (), {}),
        (refused_files, (), {}),
        (skipped_files, (), {}),
        (quarantine_files, (), {}),
        (quarantined_rows, (), first),
        *[(source_columns, (source,), {}) for source in shown],
        (replaced_files, (), {}),
        (replaced_rows, (), {"file": None, "limit": SHOWN_ROWS, "offset": 0}),
        (failed_expectations, (), {}),
    ]


def _wijken_page() -> list[Call]:
    first_wijk = wijk_names()[0]  # the fiche's default wijk without a wijk filter
    return [
        (kpi_by_wijk, (SELECTION, FIRST_PER_WIJK_KEY), {}),
        (wijk_table, (), {}),
        (wijk_names, (), {}),
        (wijk_fiche, (SELECTION, (first_wijk,)), {}),
    ]


# The query functions each page calls (pages/*.py), by page file; the wijken page's list
# depends on the data (its default wijk), hence a function.
PAGE_QUERIES: dict[str, Callable[[], list[Call]]] = {
    "overzicht": lambda: [
        (compare, (SELECTION,), {}),
        (kpi_monthly, (SELECTION, MONTHLY_KEYS), {}),
        (kpi_monthly, (SELECTION, MONTHLY_TREND_KEYS), {}),
        (kpi_yearly, (SELECTION, TREND_KEYS), {}),
    ],
    "hulpvragen": lambda: [
        (help_requests_monthly_by_programme, (SELECTION,), {}),
        (help_requests_by, (SELECTION, "programma"), {}),
        (help_requests_by_categories, (SELECTION,), {}),  # kanaal, vraagtype, leeftijdsgroep
        (help_requests_by, (SELECTION, "locatie"), {}),
    ],
    "toestellen": lambda: [
        (devices_by_way, (SELECTION,), {}),
        (devices_by_type, (SELECTION,), {}),
        (devices_monthly, (SELECTION,), {}),
        (lending_by_organisation, (SELECTION,), {}),
    ],
    "vorming": lambda: [
        (training_by_programme, (SELECTION,), {}),
        (training_monthly, (SELECTION,), {}),
    ],
    "wijken": _wijken_page,
    **{
        page: lambda programme=programme: [
            (programme_figures, (SELECTION, programme), {}),
        ]
        for page, programme in (
            ("digipunten", "Digipunten"),
            ("digibanken", "Digibanken"),
            ("allemaal_digitaal", "Allemaal Digitaal"),
            ("bibliotheek", "Bibliotheek"),
            ("uitleendienst", "Uitleendienst"),
        )
    },
    "export": lambda: [(available_years, (), {})],
    "gegevens": _gegevens_page,
    "gebruikers": lambda: [],  # the users file and the download audit, no figures
    "aanleveren": lambda: [],  # the uploader and the load's history, no figures
}


def navigation() -> list[str]:
    """The page files of app.py's navigation, in order (e.g. 'pages/overzicht.py')."""
    tree = ast.parse((PROJECT / "app.py").read_text(encoding="utf-8"))
    return [
        ast.literal_eval(node.args[0])
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "st.Page"
    ]


# --- data --------------------------------------------------------------------------------


def _load(raw: Path, out: Path) -> None:
    command = [sys.executable, "-m", "etl", "load", "--raw", str(raw), "--out", str(out)]
    status = subprocess.run(command, cwd=PROJECT, stdout=subprocess.DEVNULL).returncode
    if status not in (0, 1):  # 1: a file was refused whole (the sample has such files)
        raise SystemExit(f"{' '.join(command)} failed with exit code {status}")


def prepare(scale: int, reload: bool) -> Path:
    """bench/out/parquet-<scale>x with the sample at that scale loaded; reused when present."""
    out = OUT / f"parquet-{scale}x"
    if (out / "current").exists() and not reload:
        return out
    if scale == 1:
        raw = PROJECT / "data" / "raw"
    else:
        from tools.sample import generate

        raw = OUT / f"raw-{scale}x"
        if not raw.exists() or reload:
            print(f"{scale}x: voorbeeldexports genereren in {raw} ...", flush=True)
            generate(raw, PROJECT / "data" / "reference", scale=scale)
    print(f"{scale}x: laden naar {out} ...", flush=True)
    _load(raw, out)
    return out


# --- timing ------------------------------------------------------------------------------


def median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def bare(calls: list[Call]) -> None:
    for function, args, kwargs in calls:
        function(*args, **kwargs)


class Recorder:
    """Records the calls pages make through dashboard.data.get (cached or not)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple, dict]] = []
        self._original = data._cached

    def __enter__(self) -> Recorder:
        data._chart.clear()  # a chart built by an earlier run would hide its calls

        def recording(
            version: str, public: int, module: str, name: str, args: tuple, kwargs: tuple
        ) -> object:
            self.calls.append((name, args, dict(kwargs)))
            return self._original(version, public, module, name, args, kwargs)

        data._cached = recording
        return self

    def __exit__(self, *exc: object) -> None:
        data._cached = self._original


def drift(page: str, calls: list[Call], recorded: list[tuple[str, tuple, dict]]) -> str | None:
    """Why the benchmark's list for `page` differs from what the page called, or None."""
    # Sets: a page may ask the cache for the same thing twice (a map and a ranking).
    ours = sorted({repr((f.__name__, a, k)) for f, a, k in calls + frame(page)})
    theirs = sorted({repr(call) for call in recorded})
    if ours == theirs:
        return None
    missing = sorted(set(theirs) - set(ours))
    extra = sorted(set(ours) - set(theirs))
    return f"{page}: lijst wijkt af van de pagina; mist {missing}, te veel {extra}"


def bench_scale(scale: int, runs: int, reload: bool, profile: str | None) -> list[dict]:
    from streamlit.testing.v1 import AppTest

    os.environ["EINCLUSIE_DATA"] = str(prepare(scale, reload))
    app = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=600)
    app.run()
    streamlit.logger.set_log_level("error")  # AppTest's config reset it
    rows = []
    for path in navigation():
        page = Path(path).stem
        if page not in PAGE_QUERIES:
            raise SystemExit(f"{page}: geen lijst met queries in bench/app.py; voeg ze toe")
        app.switch_page(path)
        with Recorder() as recorder:
            app.run()  # warms the caches
        if app.exception:
            raise SystemExit(f"{page} ({scale}x): {app.exception[0].value}")
        calls = frame(page) + PAGE_QUERIES[page]()
        problem = drift(page, PAGE_QUERIES[page](), recorder.calls)
        if problem:
            print(f"LET OP {problem}", file=sys.stderr)
        bare(calls)  # warm: DuckDB's connection and file metadata
        rerun = median_ms(app.run, runs)
        queries = median_ms(lambda calls=calls: bare(calls), runs)

        def cold(app: AppTest = app) -> None:
            data._cached.clear()  # what a new selection costs: every query misses the cache
            app.run()

        first = median_ms(cold, max(3, runs // 3))
        rows.append(
            {"page": page, "scale": scale, "rerun": rerun, "queries": queries, "cold": first}
        )
        if profile == page:
            profiled(page, scale, app.run, lambda calls=calls: bare(calls))
    return rows


def profiled(page: str, scale: int, rerun: Callable, queries: Callable) -> None:
    for name, action in (("rerun", rerun), ("queries", queries)):
        profiler = cProfile.Profile()
        profiler.runcall(lambda action=action: [action() for _ in range(5)])
        print(f"\n--- profiel {page} {scale}x: {name} (5 keer) ---")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--runs", type=int, default=15, help="timed reruns per page")
    parser.add_argument("--reload", action="store_true", help="generate and load again")
    parser.add_argument("--profile", metavar="PAGE", help="cProfile this page, e.g. overzicht")
    args = parser.parse_args()
    os.chdir(PROJECT)

    rows = [
        row
        for scale in args.scales
        for row in bench_scale(scale, args.runs, args.reload, args.profile)
    ]
    print(
        f"\n{'pagina':<18} {'schaal':>6} {'rerun ms':>9} {'queries ms':>11} "
        f"{'rerun/queries':>13}  {'doel 100x':<9} {'zonder cache ms':>15} {'/queries':>9}"
    )
    missed = []
    for row in rows:
        ratio = row["rerun"] / row["queries"]
        verdict = ""
        if row["scale"] == 100:
            ok = row["rerun"] <= TARGET_MS and ratio <= TARGET_RATIO
            verdict = "gehaald" if ok else "GEMIST"
            if not ok:
                missed.append(row["page"])
        print(
            f"{row['page']:<18} {row['scale']:>5}x {row['rerun']:>9.1f} "
            f"{row['queries']:>11.1f} {ratio:>13.2f}  {verdict:<9} {row['cold']:>15.1f} "
            f"{row['cold'] / row['queries']:>9.2f}"
        )
    print(
        f"\n{dt.date.today():%d/%m/%Y}, {os.cpu_count()} cores, {args.runs} reruns per pagina. "
        f"Doel bij 100x: rerun <= {TARGET_MS} ms en <= {TARGET_RATIO}x de queries. "
        "'zonder cache': st.cache_data leeg voor elke rerun (een nieuwe selectie)."
    )
    if missed:
        print(f"Doel gemist bij 100x: {', '.join(missed)}")


if __name__ == "__main__":
    main()
