"""The year's pack for the annual report: one ZIP with every chart (SVG and PNG) and its data,
a workbook with the twelve figures and a sheet per programme, and a Dutch A4 PDF summary.

The Export page and `python -m etl report` both call `build_pack`.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import os
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from einclusie.charts.catalogue import Chart, NoMap, direct, every_chart
from einclusie.exports import files as chart_files
from einclusie.exports.render import RenderUnavailable, renderer
from einclusie.exports.tables import (
    ExportContext,
    Sheet,
    csv_bytes,
    export_file_name,
    source_line,
    xlsx_bytes,
)
from einclusie.figures.queries import programme_figures
from einclusie.figures.registry import PROGRAMME_PAGES, Unit
from einclusie.figures.selection import Selection
from einclusie.figures.status import SAMPLE_NOTICE, DataStatus, data_status
from einclusie.figures.values import (
    FigureValue,
    NoDataError,
    kpi_values,
    require_data,
    resolve_wijken,
)
from einclusie.format import format_date

# The charts the PDF summary shows after the figures (by chart key; maps only when drawn).
KEY_CHARTS = (
    "kerncijfers-per-maand",
    "hulpvragen-per-maand",
    "hulpvragen-per-wijk-kaart",
    "toestellen-per-manier",
    "vorming-burgers-per-programma",
    "vorming-per-maand",
)
Progress = Callable[[float, str], None]


class ReportError(Exception):
    """The pack cannot be made for what was asked; str() says why in Dutch."""


@dataclass
class Pack:
    """A finished pack: its file name and bytes, and what it holds."""

    name: str
    content: bytes
    charts: int
    files: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # 'what: why', also in LEESMIJ.txt
    images_problem: str | None = None  # why the charts are HTML and there is no PDF


def _quiet(fraction: float, text: str) -> None:
    pass


def build_pack(
    year: int,
    wijken: Sequence[str] = (),
    data_dir: Path | None = None,
    progress: Progress = _quiet,
) -> Pack:
    """Make the pack of `year` for the city or some wijken; raises ReportError."""
    progress(0.0, "Cijfers opvragen")
    status = data_status(data_dir)
    try:
        require_data(Selection.year(year), data_dir)
        selection = Selection.year(year, tuple(resolve_wijken(wijken, data_dir)))
    except (NoDataError, ValueError) as refused:
        raise ReportError(str(refused)) from refused
    figures = kpi_values(selection, data_dir)
    charts: list[Chart] = []
    left_out: list[str] = []
    for item in every_chart(selection, direct(data_dir)):
        if isinstance(item, NoMap):
            left_out.append(f"kaarten per wijk: {item}")
        elif item.is_empty:
            left_out.append(f"{item.title}: {item.empty}")
        else:
            charts.append(item)

    files: dict[str, bytes] = {}
    contexts = {c.key: chart_files.context(c.title, selection, status, c.note) for c in charts}
    for item in charts:
        files[f"gegevens/{export_file_name(item.key, selection, 'csv')}"] = csv_bytes(
            item.frame, contexts[item.key]
        )
    progress(0.05, "Grafieken tekenen")
    try:
        images = _images(charts, contexts, selection, progress)
        images_problem = None
    except RenderUnavailable as problem:
        images, images_problem = {}, str(problem)
        for item in charts:
            name = export_file_name(item.key, selection, "html")
            files[f"grafieken/{name}"] = chart_files.interactive_html(item, contexts[item.key])
    files.update({f"grafieken/{name}": data for name, data in images.items()})

    progress(0.85, "Werkmap maken")
    workbook_name = export_file_name("kerncijfers", selection, "xlsx")
    files[workbook_name] = _workbook(figures, selection, status, data_dir)
    if images_problem is None:
        progress(0.9, "Samenvatting (PDF) maken")
        summary = _summary_html(figures, selection, status, images)
        pdf_name = export_file_name("samenvatting", selection, "pdf")
        try:
            files[pdf_name] = renderer().pdf_from_html(summary)
        except RenderUnavailable as problem:
            images_problem = str(problem)
    if images_problem is not None:
        left_out.append(f"afbeeldingen en samenvatting (PDF): {images_problem}")

    progress(0.97, "ZIP maken")
    root = export_file_name("jaarpakket", selection, "zip").removesuffix(".zip")
    files["LEESMIJ.txt"] = _readme(selection, status, files, left_out, images_problem).encode()
    content = _zip({f"{root}/{name}": data for name, data in files.items()})
    progress(1.0, "Klaar")
    return Pack(f"{root}.zip", content, len(charts), sorted(files), left_out, images_problem)


def write_pack(pack: Pack, folder: Path) -> Path:
    """Write the ZIP into `folder` at once: a half-written pack never carries its real name."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / pack.name
    partial = folder / f".{pack.name}.deel"
    partial.write_bytes(pack.content)
    os.replace(partial, target)
    return target


def _images(
    charts: Sequence[Chart],
    contexts: dict[str, ExportContext],
    selection: Selection,
    progress: Progress,
) -> dict[str, bytes]:
    """Every chart as SVG and PNG, rendered in one batch over the shared browser's tabs."""
    names, jobs = [], []
    for item in charts:
        names += [export_file_name(item.key, selection, fmt) for fmt in ("svg", "png")]
        jobs += chart_files.image_jobs(item, contexts[item.key], ("svg", "png"))

    def step(done: int, total: int) -> None:
        progress(round(0.05 + 0.8 * done / total, 3), f"Grafieken tekenen: {done} van {total}")

    return dict(zip(names, renderer().images(jobs, progress=step), strict=True))


def figure_table(figures: Sequence[FigureValue], first: str = "Kerncijfer") -> pd.DataFrame:
    """Figures as numbers with their definitions: a per-part figure gives a row per part; a
    figure without a value for the wijken chosen has an empty cell and the note saying why."""
    rows = []
    for f in figures:
        unit = "%" if f.figure.unit is Unit.PERCENTAGE else ""
        parts = f.parts.items() if f.parts else [("", f.value)]
        for part, value in parts:
            rows.append((f.label, part, value, unit, f.definition, f.note))
    frame = pd.DataFrame(
        rows, columns=[first, "Onderdeel", "Waarde", "Eenheid", "Definitie", "Opmerking"]
    ).astype({"Waarde": "Int64"})
    if not frame["Onderdeel"].any():
        frame = frame.drop(columns="Onderdeel")
    if not frame["Eenheid"].any():
        frame = frame.drop(columns="Eenheid")
    return frame


def headline_table(figures: Sequence[FigureValue]) -> pd.DataFrame:
    """The twelve figures as numbers, with their definitions."""
    return figure_table(figures)


def _workbook(
    figures: Sequence[FigureValue],
    selection: Selection,
    status: DataStatus,
    data_dir: Path | None,
) -> bytes:
    def context(what: str) -> ExportContext:
        return chart_files.context(f"{what} {selection.start.year}", selection, status)

    sheets = [Sheet("Kerncijfers", headline_table(figures), context("Kerncijfers"))]
    for programme in PROGRAMME_PAGES:
        table = figure_table(programme_figures(selection, programme, data_dir), "Cijfer")
        sheets.append(Sheet(programme, table, context(programme)))
    return xlsx_bytes(sheets)


def _summary_html(
    figures: Sequence[FigureValue],
    selection: Selection,
    status: DataStatus,
    images: dict[str, bytes],
) -> str:
    """The A4 summary: the twelve figures with definitions, then the key charts."""
    year = selection.start.year
    scope = selection.wijk_label()
    rows = "".join(
        "<tr><td><strong>{}</strong><div class='definition'>{}{}</div></td>"
        "<td class='value'>{}</td></tr>".format(
            html.escape(f.label),
            html.escape(f.definition),
            f" <em>({html.escape(f.note)})</em>" if f.note else "",
            html.escape(f.shown()),
        )
        for f in figures
    )
    pictures = []
    for key in KEY_CHARTS:
        svg = images.get(export_file_name(key, selection, "svg"))
        if svg is not None:
            data = base64.b64encode(svg).decode()
            pictures.append(f"<figure><img src='data:image/svg+xml;base64,{data}'></figure>")
    notice = (
        f"<p class='notice'><strong>Voorbeeldgegevens.</strong> {html.escape(SAMPLE_NOTICE)}</p>"
        if status.sample
        else ""
    )
    source = source_line(chart_files.shown_until(selection, status))
    return f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>e-inclusie Gent: {year} in cijfers</title>
<style>
@page {{ size: A4; margin: 15mm 15mm 16mm; }}
body {{ font-family: 'Source Sans Pro', Arial, sans-serif; color: #1f2a37; font-size: 10pt; }}
h1 {{ color: #0a4a7a; font-size: 22pt; margin: 0 0 2mm; }}
h2 {{ color: #0a4a7a; font-size: 14pt; margin: 0 0 4mm; }}
.scope {{ color: #5b6773; margin: 0 0 4mm; }}
.notice {{ background: #eef7fc; border-left: 4px solid #009de0; padding: 2mm 3mm; }}
table {{ width: 100%; border-collapse: collapse; }}
td {{ border-bottom: 1px solid #e5e9ee; padding: 1.6mm 2mm; vertical-align: top; }}
td.value {{ text-align: right; font-size: 13pt; font-weight: 700; color: #0a4a7a;
           white-space: nowrap; }}
.definition {{ color: #5b6773; font-size: 8.5pt; margin-top: 0.5mm; }}
.charts {{ break-before: page; }}
figure {{ margin: 0 0 6mm; break-inside: avoid; }}
img {{ width: 100%; }}
.source {{ color: #5b6773; font-size: 8.5pt; margin-top: 4mm; }}
</style></head><body>
<h1>e-inclusie Gent: {year} in cijfers</h1>
<p class="scope">{html.escape(scope[:1].upper() + scope[1:])} · {html.escape(source)} ·
gemaakt op {format_date(dt.date.today())}</p>
{notice}
<table>{rows}</table>
<p class="source">{html.escape(source)}</p>
<section class="charts"><h2>Kerngrafieken</h2>{"".join(pictures)}</section>
</body></html>"""


def _readme(
    selection: Selection,
    status: DataStatus,
    files: dict[str, bytes],
    left_out: Sequence[str],
    images_problem: str | None,
) -> str:
    lines = [
        f"Jaarpakket e-inclusie Gent {selection.start.year}",
        f"Wijken: {selection.wijk_label()}",
        source_line(chart_files.shown_until(selection, status)),
        "",
    ]
    if status.sample:
        lines += [f"Voorbeeldgegevens. {SAMPLE_NOTICE}", ""]
    lines += [
        "Inhoud:",
        "- kerncijfers_*.xlsx: de twaalf kerncijfers met hun definitie, en een blad per programma.",
        "- samenvatting_*.pdf: de cijfers en de belangrijkste grafieken op A4.",
        "- grafieken/: elke grafiek als SVG (vector, voor drukwerk) en PNG (2200 px breed).",
        "- gegevens/: de cijfers achter elke grafiek (CSV met ';', opent in Excel).",
        "",
    ]
    if images_problem:
        lines += [f"Let op: {images_problem} De grafieken staan er als interactieve HTML in.", ""]
    if left_out:
        lines += ["Niet in dit pakket:", *(f"- {why}" for why in left_out), ""]
    lines += ["Bestanden:", *(f"- {name}" for name in sorted(files))]
    return "\r\n".join(lines) + "\r\n"


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            # PNG and PDF are compressed already: storing them is as small and much faster.
            # An interactive chart holds all of plotly.js (4,8 MB): the fastest level makes it
            # 16 % larger and three times faster to pack.
            kind = zipfile.ZIP_STORED if name.endswith((".png", ".pdf")) else zipfile.ZIP_DEFLATED
            level = 1 if name.endswith(".html") else None
            archive.writestr(name, data, compress_type=kind, compresslevel=level)
    return buffer.getvalue()
