"""Command line: `python -m etl load|kpis|report` (see the raw-export contract)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from etl.progress import StepProgress
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
    kpis = commands.add_parser("kpis", help="de kerncijfers van een jaar tonen")
    kpis.add_argument("--year", type=int, required=True)
    kpis.add_argument("--wijk", action="append", default=[], metavar="NAAM")
    kpis.add_argument("--data", type=Path, default=None, help="standaard data/parquet")
    kpis.add_argument("--json", action="store_true")
    report = commands.add_parser("report", help="het jaarpakket (ZIP) voor het jaarverslag maken")
    report.add_argument("--year", type=int, required=True)
    report.add_argument("--wijk", action="append", default=[], metavar="NAAM")
    report.add_argument("--data", type=Path, default=None, help="standaard data/parquet")
    report.add_argument("--out", type=Path, required=True, help="map waarin de ZIP komt")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "load":
        return _load(args)
    if args.command == "report":
        return _report(args)
    return _kpis(args)


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


def _kpis(args: argparse.Namespace) -> int:
    from einclusie.format import format_number
    from einclusie.kpis import NoDataError, UnknownWijkError, headline_kpis

    try:
        figures = headline_kpis(args.year, args.wijk, data_dir=args.data)
    except (NoDataError, UnknownWijkError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({f.key: f.value for f in figures}, ensure_ascii=False))
        return 0
    scope = ", ".join(args.wijk) if args.wijk else "heel Gent"
    print(f"Kerncijfers {args.year} ({scope})")
    width = max(len(f.label) for f in figures)
    for f in figures:
        note = f"  ({f.note})" if f.note else ""
        print(f"  {f.label:<{width}}  {format_number(f.value):>8}{note}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from einclusie.db import NoDataError
    from einclusie.report import ReportError, build_pack, write_pack

    with StepProgress(sys.stderr) as progress:
        try:
            pack = build_pack(args.year, args.wijk, data_dir=args.data, progress=progress)
        except (NoDataError, ReportError) as refused:
            progress.clear()
            print(f"Geen jaarpakket gemaakt: {refused}", file=sys.stderr)
            return 2
    path = write_pack(pack, args.out)
    print(f"Jaarpakket {args.year}: {path} ({pack.charts} grafieken, {len(pack.files)} bestanden)")
    for why in pack.left_out:
        print(f"  niet in het pakket: {why}")
    return 1 if pack.images_problem else 0
