"""Command line: `python -m etl load|kpis|figures|report` (see the raw-export contract).

`load` is the ETL's own; the figure commands are handed to `einclusie.cli`."""

from __future__ import annotations

import argparse
import errno
import sys
from pathlib import Path
from typing import NoReturn

import duckdb

from einclusie.cli import COMMANDS, add_commands, run
from etl.register import ReferenceDataError
from etl.validation import SuiteError


class _Parser(argparse.ArgumentParser):
    """Usage errors end with exit 2 and a Dutch sentence (argparse's own detail in brackets)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"Ongeldige opdracht ({message}). Zie: {self.prog} --help\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m etl", description="KPI-dashboard e-inclusie Gent: laden en cijfers."
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    load = commands.add_parser("load", help="CSV-exports laden in Parquet")
    load.add_argument("--raw", type=Path, default=Path("data/raw"))
    load.add_argument("--reference", type=Path, default=Path("data/reference"))
    load.add_argument("--out", type=Path, default=Path("data/parquet"))
    load.add_argument(
        "--dry-run",
        action="store_true",
        help="tonen wat zou laden, in quarantaine gaan en wijzigen, zonder iets op te slaan",
    )
    add_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "load":
        return _load(args)
    if args.command in COMMANDS:
        return run(args)
    raise AssertionError(args.command)


_WRITE_PROBLEMS = {
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "de schijfruimte van dit account is op",
    errno.EROFS: "de schijf is alleen-lezen",
    errno.EACCES: "dit account mag daar niet schrijven",
    errno.EPERM: "dit account mag daar niet schrijven",
    errno.ENOENT: "de map bestaat niet en kan niet gemaakt worden",
}


def _write_problem(exc: Exception) -> str:
    """Why writing failed, in Dutch; DuckDB's own message names no errno, so it is searched."""
    code = getattr(exc, "errno", None)
    if code in _WRITE_PROBLEMS:
        return _WRITE_PROBLEMS[code]
    text = str(exc).lower()
    if "no space" in text:
        return _WRITE_PROBLEMS[errno.ENOSPC]
    if "read-only" in text:
        return _WRITE_PROBLEMS[errno.EROFS]
    if "permission" in text:
        return _WRITE_PROBLEMS[errno.EACCES]
    return "is de schijf vol, of mag dit account daar niet schrijven?"


def _load(args: argparse.Namespace) -> int:
    from etl.load import run_load, who_on_the_command_line
    from etl.progress import FileProgress, print_dry_run, print_summary

    if not args.raw.is_dir():
        print(f"De map met exports bestaat niet: {args.raw}", file=sys.stderr)
        return 2
    if args.out.exists() and not args.out.is_dir():
        print(f"--out moet een map zijn, maar {args.out} is een bestand.", file=sys.stderr)
        return 2
    if args.out.resolve().is_relative_to(args.raw.resolve()):
        print(f"--out mag niet in de map met exports liggen ({args.raw}).", file=sys.stderr)
        return 2
    try:
        with FileProgress(sys.stderr) as progress:
            report = run_load(
                args.raw,
                args.reference,
                args.out,
                progress=progress,
                dry_run=args.dry_run,
                who=who_on_the_command_line(),
            )
    except (ReferenceDataError, SuiteError, RuntimeError) as exc:
        print(f"Laden gestopt, er is niets gewijzigd: {exc}", file=sys.stderr)
        return 1
    except (OSError, duckdb.IOException) as exc:
        print(
            f"Laden gestopt, er is niets gewijzigd: er kan niet geschreven worden in "
            f"{args.out} ({_write_problem(exc)}).",
            file=sys.stderr,
        )
        return 1
    (print_dry_run if args.dry_run else print_summary)(report, sys.stdout)
    return 1 if report.refused else 0
