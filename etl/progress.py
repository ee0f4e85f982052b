"""Per-file progress on a terminal, and the summary printed at the end of a load."""

from __future__ import annotations

from typing import TextIO

from einclusie.format import format_number
from einclusie.terminal import FileProgress, StepProgress
from etl.load import LoadReport

__all__ = ["FileProgress", "StepProgress", "print_summary"]


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
        return
    took = format_number(report.duration_s, 1)  # 7,9 s
    out.write(f"Lading {report.run} klaar in {took} s -> {report.version_dir}\n")
    width = max((len(f.bestand) for f in report.files), default=10)
    for f in report.files:
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
        out.write(f"  ok        {f.bestand:<{width}}  {_n(f.rijen_geladen):>7} rijen{note}\n")
    loaded = sum(f.rijen_geladen for f in report.files)
    quarantined = sum(f.rijen_quarantaine for f in report.files)
    out.write(
        f"Totaal: {len(report.files)} bestanden, {_n(loaded)} rijen geladen, "
        f"{_n(quarantined)} in quarantaine, {len(report.refused)} bestand(en) geweigerd.\n"
    )
    if quarantined:
        out.write("De geweigerde rijen en hun reden staan in quarantaine.parquet.\n")
