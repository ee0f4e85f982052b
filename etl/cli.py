"""Command line: `python -m etl load|kpis|figures|report` (see the raw-export contract).

`load` is the ETL's own; the figure commands are handed to `einclusie.cli`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from einclusie.cli import COMMANDS, add_commands, run
from etl.register import ReferenceDataError
from etl.validation import SuiteError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m etl", description="KPI-dashboard e-inclusie Gent: laden en cijfers."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("load", help="CSV-exports laden in Parquet")
    load.add_argument("--raw", type=Path, default=Path("data/raw"))
    load.add_argument("--reference", type=Path, default=Path("data/reference"))
    load.add_argument("--out", type=Path, default=Path("data/parquet"))
    add_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "load":
        return _load(args)
    if args.command in COMMANDS:
        return run(args)
    raise AssertionError(args.command)


def _load(args: argparse.Namespace) -> int:
    from etl.load import run_load
    from etl.progress import FileProgress, print_summary

    if not args.raw.is_dir():
        print(f"De map met exports bestaat niet: {args.raw}", file=sys.stderr)
        return 2
    try:
        with FileProgress(sys.stderr) as progress:
            report = run_load(args.raw, args.reference, args.out, progress=progress)
    except (ReferenceDataError, SuiteError, RuntimeError) as exc:
        print(f"Laden gestopt, er is niets gewijzigd: {exc}", file=sys.stderr)
        return 1
    print_summary(report, sys.stdout)
    return 1 if report.refused else 0
