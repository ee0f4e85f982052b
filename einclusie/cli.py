"""The figure commands of `python -m etl`: `kpis`, `figures` and `report`.

Each takes its numbers from the one query path (`figures.values`), as the pages do. A year
without any data, or an unknown wijk, exits 2 with a Dutch sentence and prints no zeros.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from einclusie.figures import publication
from einclusie.figures.disclosure import protection_note
from einclusie.figures.publication import PublicSelectionError
from einclusie.figures.registry import HEADLINE_KEYS, PROGRAMME_KEYS
from einclusie.figures.selection import Selection
from einclusie.figures.values import (
    FigureValue,
    NoDataError,
    UnknownWijkError,
    figure_values,
    require_data,
    resolve_wijken,
)
from einclusie.settings import settings
from einclusie.terminal import StepProgress

COMMANDS = ("kpis", "figures", "report")
FIRST_YEAR, LAST_YEAR = 2015, 2100  # the contract: no date before 2015


def year(text: str) -> int:
    """A year as `--year` takes it; anything else is a usage error in Dutch (exit 2)."""
    text = text.strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        text = text[:12]
    elif FIRST_YEAR <= int(text) <= LAST_YEAR:
        return int(text)
    raise argparse.ArgumentTypeError(f"'{text}' is geen jaar tussen {FIRST_YEAR} en {LAST_YEAR}")


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Add kpis, figures and report to `python -m etl`'s sub-commands."""
    for name, text in (
        ("kpis", "de twaalf kerncijfers van een jaar tonen"),
        ("figures", "elk cijfer van het register tonen: kerncijfers en programmacijfers"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("--year", type=year, required=True)
        command.add_argument("--wijk", action="append", default=[], metavar="NAAM")
        command.add_argument("--data", type=Path, default=None, help="standaard data/parquet")
        command.add_argument("--json", action="store_true")
        command.add_argument(
            "--publiek",
            action="store_true",
            help="zoals de publieke weergave: kleine aantallen afgeschermd ('<5', '×')",
        )
    report = commands.add_parser("report", help="het jaarpakket (ZIP) voor het jaarverslag maken")
    report.add_argument("--year", type=year, required=True)
    report.add_argument("--wijk", action="append", default=[], metavar="NAAM")
    report.add_argument("--data", type=Path, default=None, help="standaard data/parquet")
    report.add_argument("--out", type=Path, required=True, help="map waarin de ZIP komt")
    report.add_argument(
        "--publiek",
        action="store_true",
        help="het publieke pakket: de publieke cijfers, kleine aantallen afgeschermd",
    )


def run(args: argparse.Namespace) -> int:
    if args.command == "report":
        return _report(args)
    keys = HEADLINE_KEYS if args.command == "kpis" else (*HEADLINE_KEYS, *PROGRAMME_KEYS)
    threshold = settings().threshold if args.publiek else 0
    try:
        selection = Selection.year(
            args.year, tuple(resolve_wijken(args.wijk, args.data)) if args.wijk else ()
        )
        require_data(selection, args.data)
        with publication.public(threshold):  # the same small-number rule as the public view
            figures = figure_values(selection, keys, args.data)
    except (NoDataError, UnknownWijkError, PublicSelectionError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if args.json:
        headline = {f.key: f.value for f in figures if f.figure.headline}
        hidden = {f.key: f.hidden for f in figures if f.hidden}
        if args.command == "kpis":
            result: dict = headline
        else:
            programme = {
                f.key: f.parts if f.figure.per_part else f.value
                for f in figures
                if not f.figure.headline
            }
            result = {"headline": headline, "programme": programme}
        if args.publiek:  # hidden values are null; their marks, and why, beside them
            result = {**result, "afgeschermd": hidden, "afscherming": protection_note(threshold)}
        print(json.dumps(result, ensure_ascii=False))
        return 0
    _print(figures, args, selection.wijk_label())
    if args.publiek:
        print(protection_note(threshold))
    return 0


def _print(figures: Sequence[FigureValue], args: argparse.Namespace, scope: str) -> None:
    title = "Kerncijfers" if args.command == "kpis" else "Cijfers"
    print(f"{title} {args.year} ({scope})")
    width = max(len(f.label) for f in figures)
    for f in figures:
        note = f"  ({f.note})" if f.note else ""
        print(f"  {f.label:<{width}}  {f.shown():>13}{note}")
        for part, value in (f.parts or {}).items():
            print(f"    {part:<{width - 2}}  {FigureValue(f.figure, value, '').shown():>13}")


def _report(args: argparse.Namespace) -> int:
    from einclusie.exports.pack import ReportError, build_pack, write_pack

    with StepProgress(sys.stderr) as progress:
        try:
            pack = build_pack(
                args.year,
                args.wijk,
                data_dir=args.data,
                progress=progress,
                threshold=settings().threshold if args.publiek else 0,
            )
        except (NoDataError, ReportError) as refused:
            progress.clear()
            print(f"Geen jaarpakket gemaakt: {refused}", file=sys.stderr)
            return 2
    path = write_pack(pack, args.out)
    print(f"Jaarpakket {args.year}: {path}, {pack.size_text()}, met {pack.contents()}.")
    for why in pack.left_out:
        print(f"  niet in het pakket: {why}")
    return 1 if pack.images_problem else 0
