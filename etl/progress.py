"""Per-file progress on a terminal, and the summary printed at the end of a load."""

from __future__ import annotations

from typing import TextIO

import pandas as pd

from einclusie.format import format_number, month_name
from einclusie.terminal import FileProgress, StepProgress
from etl.load import FileResult, LoadReport

__all__ = ["FileProgress", "StepProgress", "print_dry_run", "print_summary"]

GEGEVENS_PAGE = "de pagina Gegevens van het dashboard"
SHOWN_QUARANTINE = 20  # rows of the dry run's quarantine on a terminal


def _n(value: int) -> str:
    return format_number(value)


def print_summary(report: LoadReport, out: TextIO) -> None:
    for warning in report.warnings:
        out.write(f"Let op: {warning}\n")
    if not report.changed:
        out.write(
            f"Niets gewijzigd: alle exports, referentiegegevens en verwachtingen zijn dezelfde "
            f"als bij lading {report.run}. Er is niets opnieuw geladen.\n"
        )
        _still_refused(report, out)
        return
    took = format_number(report.duration_s, 1)  # 7,9 s
    out.write(f"Lading {report.run} klaar in {took} s -> {report.version_dir}\n")
    _file_lines(report.files, out)
    loaded = sum(f.rijen_geladen for f in report.files)
    quarantined = sum(f.rijen_quarantaine for f in report.files)
    out.write(
        f"Totaal: {len(report.files)} bestanden, {_n(loaded)} rijen geladen, "
        f"{_n(quarantined)} in quarantaine, {len(report.refused)} bestand(en) geweigerd.\n"
    )
    if quarantined or report.refused:
        out.write(f"De geweigerde bestanden en rijen, en waarom: zie {GEGEVENS_PAGE}.\n")


def _still_refused(report: LoadReport, out: TextIO) -> None:
    if not report.refused:
        return
    out.write(f"Nog altijd geweigerd ({len(report.refused)}), verbeter ze en laad opnieuw:\n")
    width = max(len(f.bestand) for f in report.refused)
    for f in report.refused:
        out.write(f"  GEWEIGERD {f.bestand:<{width}}  {f.melding}\n")
    out.write(f"Zie ook {GEGEVENS_PAGE}.\n")


def _file_lines(files: list[FileResult], out: TextIO, verb: str = "") -> None:
    width = max((len(f.bestand) for f in files), default=10)
    for f in files:
        if f.status == "geweigerd":
            out.write(f"  GEWEIGERD {f.bestand:<{width}}  {f.melding}\n")
            continue
        extra = []
        if f.rijen_quarantaine:
            extra.append(f"{_n(f.rijen_quarantaine)} in quarantaine")
        if f.rijen_vervangen:
            extra.append(f"{_n(f.rijen_vervangen)} vervangen door een latere export")
        if f.persoonsgegevens_verwijderd:
            extra.append("persoonsgegevens weggelaten: " + ", ".join(f.persoonsgegevens_verwijderd))
        note = f"  ({'; '.join(extra)})" if extra else ""
        rows = f"{_n(f.rijen_geladen):>7} rijen{verb}"
        out.write(f"  ok        {f.bestand:<{width}}  {rows}{note}\n")


def print_dry_run(report: LoadReport, out: TextIO) -> None:
    """What a load would load, quarantine and change; nothing was stored."""
    for warning in report.warnings:
        out.write(f"Let op: {warning}\n")
    out.write("Proeflading: er is niets opgeslagen en niets gewijzigd.\n")
    found = report.changes
    if not report.changed or found is None or found.nothing:
        out.write(
            "Een lading zou niets wijzigen: de exports geven dezelfde cijfers als de laatste "
            "lading.\n"
        )
        _still_refused(report, out)
        return
    states = dict(zip(found.files["bestand"], found.files["toestand"], strict=True))
    touched = [f for f in report.files if f.bestand in states]
    rows = found.rows.set_index("bestand")
    out.write("Bestanden die anders zijn dan bij de laatste lading:\n")
    width = max((len(name) for name in states), default=10)
    for f in touched:
        state = states[f.bestand]
        if f.status == "geweigerd":
            out.write(f"  {state:<10} {f.bestand:<{width}}  GEWEIGERD: {f.melding}\n")
            continue
        new, replacing, again = (
            int(rows.at[f.bestand, c]) for c in ("nieuw", "vervangt", "eerder")
        )
        parts = [f"{_n(new)} nieuw"]
        if replacing:
            parts.append(f"{_n(replacing)} vervangen een rij van een eerdere export")
        if again:
            parts.append(f"{_n(again)} al geladen uit dit bestand")
        out.write(
            f"  {state:<10} {f.bestand:<{width}}  {_n(f.rijen_gelezen)} rijen gelezen, "
            f"{_n(f.rijen_geladen)} zouden laden ({', '.join(parts)}), "
            f"{_n(f.rijen_quarantaine)} in quarantaine\n"
        )
    for name, state in states.items():
        if state == "verwijderd":  # gone from the folder: its rows count no more
            out.write(f"  {state:<10} {name:<{width}}  niet meer in de map met exports\n")
    _print_quarantine(report.quarantine, out)
    _print_figures(found.figures, out)
    _still_refused(report, out)


def _print_quarantine(rows: pd.DataFrame | None, out: TextIO) -> None:
    if rows is None or rows.empty:
        out.write("Geen rij van deze bestanden zou in quarantaine gaan.\n")
        return
    first = f" (de eerste {SHOWN_QUARANTINE})" if len(rows) > SHOWN_QUARANTINE else ""
    out.write(f"Rijen die in quarantaine zouden gaan: {_n(len(rows))}{first}\n")
    for row in rows.head(SHOWN_QUARANTINE).itertuples():
        out.write(f"  {row.bestand} rij {row.rij}: {row.reden}\n")


def _print_figures(figures: pd.DataFrame, out: TextIO) -> None:
    if figures.empty:
        out.write("Geen kerncijfer zou wijzigen.\n")
        return
    out.write("Kerncijfers die zouden wijzigen (per maand: nu -> na de lading):\n")
    width = max(len(label) for label in figures["label"])
    for row in figures.itertuples():
        month = pd.Timestamp(row.maand)
        difference = int(row.straks) - int(row.nu)
        sign = "+" if difference > 0 else ""
        out.write(
            f"  {row.label:<{width}}  {month_name(month.month)} {month.year}: "
            f"{_n(int(row.nu))} -> {_n(int(row.straks))} ({sign}{_n(difference)})\n"
        )
