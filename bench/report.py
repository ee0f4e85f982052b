"""Benchmark of the year's pack: the 2022 pack against one chart rendered the same way.

    .venv/bin/python bench/report.py [--runs 3] [--tabs 2] [--reload]

Over the shipped sample, loaded under bench/out/parquet-1x (reused when present), in one run:

- browser start: the first `renderer()`, i.e. starting Debian's Chromium with kaleido's tabs.
- single chart: a chart as SVG and PNG made alone, as its download buttons make it (one image
  per call, same figure, size and browser as in the pack, the browser already running). Maps
  and rankings cost more than small bar charts, so every chart of the pack is made alone
  once and the mean is "one chart".
- pack: `build_pack(2022)` whole: queries, every chart as SVG and PNG in one batch, the
  workbook, the PDF summary and the ZIP; the browser already running; the median of --runs.
  Its image part is timed too (from the first to the last image, via the progress callback).

Prints the total, the charts per second and the ratio pack / (charts x single chart).
Targets: the whole pack well under a minute here (browser start included), and batching
making each chart cheaper than a single render (ratio below 1).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from einclusie.charts.catalogue import Chart, direct, every_chart  # noqa: E402
from einclusie.exports import files as chart_files  # noqa: E402
from einclusie.exports import render  # noqa: E402
from einclusie.exports.pack import build_pack  # noqa: E402
from einclusie.figures.selection import Selection  # noqa: E402
from einclusie.figures.status import data_status  # noqa: E402

YEAR = 2022
TARGET_S = 60
DATA = PROJECT / "bench" / "out" / "parquet-1x"  # shared with bench/app.py; ignored by git


def prepare(reload: bool) -> Path:
    """The shipped sample loaded under bench/out/parquet-1x (reused when present)."""
    if reload or not (DATA / "current").exists():
        command = [sys.executable, "-m", "etl", "load", "--out", str(DATA)]
        status = subprocess.run(command, cwd=PROJECT, stdout=subprocess.DEVNULL).returncode
        if status not in (0, 1):  # 1: a file refused whole (the sample has such files)
            raise SystemExit(f"{' '.join(command)} failed with exit code {status}")
    return DATA


def single_charts(data_dir: Path) -> tuple[float, float, int]:
    """Seconds for one chart (SVG and PNG) made alone, as a chart's download buttons make it:
    one image per call to the warm browser. Returns the mean over every chart of the pack,
    the help-requests-per-month chart's own time, and the number of charts."""
    selection = Selection.year(YEAR)
    status = data_status(data_dir)
    charts = [c for c in every_chart(selection, direct(data_dir)) if isinstance(c, Chart)]
    charts = [c for c in charts if not c.is_empty]
    times = {}
    for chart in charts:
        context = chart_files.context(chart.title, selection, status)
        started = time.perf_counter()
        for fmt in ("svg", "png"):
            chart_files.image(chart, context, fmt)
        times[chart.key] = time.perf_counter() - started
    return statistics.mean(times.values()), times["hulpvragen-per-maand"], len(charts)


def pack(data_dir: Path) -> tuple[float, float, int, int]:
    """Seconds for the whole pack and for its images; the number of charts; ZIP bytes."""
    marks: dict[str, float] = {}

    def progress(fraction: float, text: str) -> None:
        if text.startswith("Grafieken tekenen") and "first" not in marks:
            marks["first"] = time.perf_counter()
        if text == "Werkmap maken":
            marks["last"] = time.perf_counter()

    started = time.perf_counter()
    result = build_pack(YEAR, data_dir=data_dir, progress=progress)
    total = time.perf_counter() - started
    return total, marks["last"] - marks["first"], result.charts, len(result.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tabs", type=int, default=render.TABS, help="kaleido tabs")
    parser.add_argument("--reload", action="store_true", help="load the sample again")
    args = parser.parse_args()
    os.chdir(PROJECT)
    data_dir = prepare(args.reload)

    started = time.perf_counter()
    render._instance = render.Renderer(tabs=args.tabs)  # the shared browser, with --tabs
    start = time.perf_counter() - started

    pack(data_dir)  # warm: plotly.js loaded in every tab, the queries' files opened
    single, monthly, alone = single_charts(data_dir)
    packs = [pack(data_dir) for _ in range(args.runs)]
    total = statistics.median(p[0] for p in packs)
    images = statistics.median(p[1] for p in packs)
    charts, size = packs[0][2], packs[0][3]
    assert charts == alone, (charts, alone)
    render.shutdown()

    print(f"Jaarpakket {YEAR} (voorbeeldgegevens), {args.tabs} tabs, mediaan van {args.runs}:")
    print(f"  browser starten                     {start:6.2f} s")
    print(
        f"  één grafiek alleen (SVG + PNG)      {single:6.2f} s   (gemiddelde over de {charts}"
        f" grafieken; hulpvragen per maand: {monthly:.2f} s)"
    )
    print(
        f"  pakket: {charts} grafieken (SVG + PNG), werkmap, PDF, ZIP ({size / 1e6:.1f} MB)"
        f"\n    totaal                            {total:6.2f} s"
        f"   ({charts / total:.1f} grafieken/s)"
        f"\n    waarvan afbeeldingen              {images:6.2f} s"
        f"   ({charts / images:.1f} grafieken/s)"
    )
    ratio, image_ratio = total / (charts * single), images / (charts * single)
    print(f"  pakket / (grafieken x één grafiek)  {ratio:6.2f}")
    print(f"  afbeeldingen / (grafieken x één)    {image_ratio:6.2f}")
    whole = start + total
    print(
        f"\n{dt.date.today():%d/%m/%Y}, {os.cpu_count()} cores. Doel: het pakket ruim onder "
        f"{TARGET_S} s (met browserstart: {whole:.1f} s, "
        f"{'gehaald' if whole < TARGET_S else 'GEMIST'}); per grafiek goedkoper in het pakket "
        f"dan alleen (verhouding {ratio:.2f}, {'gehaald' if ratio < 1 else 'GEMIST'})."
    )


if __name__ == "__main__":
    main()
