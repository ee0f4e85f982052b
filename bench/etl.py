"""Benchmark of `python -m etl load` against a bare DuckDB CSV -> Parquet copy of the same files.

    .venv/bin/python bench/etl.py [--scales 1 100]

Generates the sample exports scaled 1x and 100x (under bench/out/, ignored by git), loads them
with the real ETL in a child process, and in the same run copies the same files with DuckDB's
`read_csv` -> `COPY ... TO parquet`, also in a child process. Prints rows/s, the peak memory
(max RSS) of each child, and the ratio ETL / bare copy. Targets at 100x: ratio <= 3, peak < 2 GB.

Then, per scale, the data steward's month, in this process as the Aanleveren page runs it
(imports and Great Expectations already loaded by a first load): a full load of the sample
from scratch, then one month's export of one source added (the last Digipunten month again,
a month later, with new ids): the dry run and the load that uses the cache, each against the
full load. Target: each under 10 % of the full load. (tests/test_incremental.py checks that
the result equals a load from scratch.)
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
OUT = PROJECT / "bench" / "out"

BARE_COPY = r"""
import sys
from pathlib import Path
import duckdb
raw, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
con = duckdb.connect()
for i, path in enumerate(sorted(raw.glob("*/*.csv"))):
    source = path
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:  # DuckDB has no Windows-1252: hand it UTF-8
        source = out / f"{i}.utf8.csv"
        source.write_bytes(data.decode("cp1252").encode("utf-8"))
    target = str(out / f"{i}.parquet")
    con.execute(
        "COPY (SELECT * FROM read_csv(?, all_varchar = true,"
        " ignore_errors = true)) TO '" + target + "' (FORMAT parquet)",
        [str(source)],
    )
"""


def run_child(args: list[str]) -> tuple[float, float]:
    """Run a child process; return (seconds, peak RSS in MB) of that child alone."""
    started = time.perf_counter()
    child = subprocess.Popen(args, cwd=PROJECT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{args} failed with status {status}")
    return seconds, usage.ru_maxrss / 1024


def count_rows(raw: Path) -> int:
    """Data lines of all files (a quoted line break makes it a slight overcount)."""
    return sum(max(p.read_bytes().count(b"\n") - 1, 0) for p in raw.glob("*/*.csv"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 100])
    parser.add_argument(
        "--alleen-maand", action="store_true", help="only the steward's month (raw reused)"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(PROJECT))
    from tools.sample import generate

    python = sys.executable
    print(
        f"{'schaal':>6} {'rijen':>11} {'ETL s':>8} {'rijen/s':>10} {'piek MB':>8} "
        f"{'kopie s':>8} {'kopie MB':>8} {'ETL/kopie':>9}"
    )
    for scale in args.scales if not args.alleen_maand else []:
        raw = OUT / f"raw-{scale}x"
        shutil.rmtree(raw, ignore_errors=True)
        generate(raw, PROJECT / "data" / "reference", scale=scale)
        rows = count_rows(raw)
        etl_out, bare_out = OUT / f"parquet-{scale}x", OUT / f"bare-{scale}x"
        shutil.rmtree(etl_out, ignore_errors=True)
        shutil.rmtree(bare_out, ignore_errors=True)
        etl_s, etl_mb = run_child(
            [python, "-m", "etl", "load", "--raw", str(raw), "--out", str(etl_out)]
        )
        bare_s, bare_mb = run_child([python, "-c", BARE_COPY, str(raw), str(bare_out)])
        print(
            f"{scale:>5}x {rows:>11,} {etl_s:>8.1f} {rows / etl_s:>10,.0f} {etl_mb:>8.0f} "
            f"{bare_s:>8.1f} {bare_mb:>8.0f} {etl_s / bare_s:>9.2f}",
            flush=True,
        )
    for scale in args.scales:
        steward_month(scale)


def next_month(raw: Path) -> Path:
    """A new Digipunten export: the newest month's rows, one month later, with new ids."""
    import re

    newest = sorted((raw / "digipunten").glob("*.csv"))[-1]
    year, month = (int(x) for x in re.findall(r"\d+", newest.stem)[:2])
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    text = newest.read_bytes().decode("utf-8", errors="replace")
    moved = re.sub(
        r"\b(\d{2})([/-])(\d{2})\2(\d{4})\b",
        lambda m: f"{m[1]}{m[2]}{month:02d}{m[2]}{year}" if int(m[1]) <= 28 else m[0],
        text,
    )
    lines = moved.splitlines()
    body = [f"NIEUW-{n}-{line}" if n else line for n, line in enumerate(lines)]
    target = raw / "digipunten" / f"{year}-{month:02d}.csv"
    target.write_text("\n".join(body) + "\n", encoding="utf-8")
    return target


def steward_month(scale: int) -> None:
    from einclusie.figures.db import database
    from etl.load import run_load

    raw = OUT / f"raw-{scale}x"
    work = OUT / f"maand-{scale}x"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(raw, work / "raw")
    reference = PROJECT / "data" / "reference"
    run_load(work / "raw", reference, work / "opwarmen")  # imports, GX, the caches of code
    started = time.perf_counter()
    run_load(work / "raw", reference, work / "out")
    full = time.perf_counter() - started
    added = next_month(work / "raw")
    started = time.perf_counter()
    run_load(work / "raw", reference, work / "out", dry_run=True)  # as the command line
    cli_s = time.perf_counter() - started
    # The dashboard's process has the loaded version open (serve.py's warm-up, every page):
    # what a load changes in the figures then sums only the new version's.
    database(work / "out")
    started = time.perf_counter()
    dry = run_load(work / "raw", reference, work / "out", dry_run=True)
    dry_s = time.perf_counter() - started
    started = time.perf_counter()
    run_load(work / "raw", reference, work / "out")
    load_s = time.perf_counter() - started
    changed = 0 if dry.changes is None else len(dry.changes.figures)
    print(
        f"{scale:>5}x maand erbij ({added.name}): volledige lading {full:.1f} s; op de pagina "
        f"(geladen versie open): proeflading {dry_s:.1f} s ({100 * dry_s / full:.0f} %), "
        f"lading {load_s:.1f} s ({100 * load_s / full:.0f} %); proeflading op de opdrachtregel "
        f"{cli_s:.1f} s ({100 * cli_s / full:.0f} %); {changed} kerncijfers per maand "
        "wijzigen; doel: elk < 10 %",
        flush=True,
    )


if __name__ == "__main__":
    main()
