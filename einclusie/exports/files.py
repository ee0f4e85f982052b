"""A chart as the files a report writer downloads: PNG, SVG and PDF images, the interactive
HTML, and its data as CSV and XLSX, each carrying the title, the filters and the source."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import replace

import plotly.graph_objects as go

from einclusie.charts.catalogue import Chart
from einclusie.charts.style import PRINT_WIDTH, for_print
from einclusie.exports.render import ImageJob, known_problem, renderer
from einclusie.exports.tables import ExportContext, context_for, csv_bytes, xlsx_bytes_for
from einclusie.figures.selection import Selection
from einclusie.figures.status import DataStatus

IMAGE_FORMATS = ("png", "svg", "pdf")
MIME_TYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "html": "text/html",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
PNG_SCALE = 2  # 2 x 1100 px: print quality


def shown_until(selection: Selection, status: DataStatus) -> dt.date | None:
    """The last day a file of `selection` shows: the newest data, or the period's end."""
    newest = status.newest_date
    return min(newest, selection.end) if newest is not None else None


NOTE_LABEL = "Let op"


def context(title: str, selection: Selection, status: DataStatus, note: str = "") -> ExportContext:
    """Title, filters and 'Bron: ... gegevens t.e.m. <date>' of a file for `selection`, and
    the chart's note ('Let op: ...') when it has one."""
    made = context_for(title, selection, shown_until(selection, status))
    if note:
        made = replace(made, filters=[*made.filters, (NOTE_LABEL, note)])
    return made


def image_problem() -> str | None:
    """Why images cannot be made here (Dutch), or None. Never waits: a page shows at once while
    the shared browser starts in the background."""
    return known_problem()


def _filters_line(context: ExportContext) -> str:
    return " · ".join(
        f"{label}: {value}" for label, value in context.filters if label != NOTE_LABEL
    )


def _note(context: ExportContext) -> str:
    return next((value for label, value in context.filters if label == NOTE_LABEL), "")


def printable(chart: Chart, context: ExportContext) -> go.Figure:
    """The chart as it goes into a file: title, filters and source written on it."""
    return for_print(
        chart.figure, chart.title, _filters_line(context), context.source, _note(context)
    )


def image_jobs(chart: Chart, context: ExportContext, formats: Sequence[str]) -> list[ImageJob]:
    """The chart's print version in each format: built once (Plotly is slow to build a
    figure), drawn once per format."""
    figure = printable(chart, context).to_dict()
    height = int(figure["layout"]["height"])
    return [
        ImageJob(figure, fmt, PRINT_WIDTH, height, PNG_SCALE if fmt == "png" else 1)
        for fmt in formats
    ]


def image(chart: Chart, context: ExportContext, fmt: str) -> bytes:
    """PNG, SVG or PDF, drawn by the shared kaleido browser; raises RenderUnavailable."""
    return renderer().images(image_jobs(chart, context, [fmt]))[0]


def interactive_html(chart: Chart, context: ExportContext) -> bytes:
    """A self-contained HTML page (plotly.js inside, no CDN): the fallback without a browser
    on the server. Opened in any browser, its camera button saves a PNG."""
    figure = printable(chart, context).update_layout(width=None)
    page = figure.to_html(
        include_plotlyjs=True,
        full_html=True,
        config={"displaylogo": False, "toImageButtonOptions": {"scale": PNG_SCALE}},
    )
    head = f'<head><meta charset="utf-8"><title>{html.escape(chart.title)}</title>'
    return page.replace("<head>", head, 1).encode()


def data_csv(chart: Chart, context: ExportContext) -> bytes:
    return csv_bytes(chart.frame, context)


def data_xlsx(chart: Chart, context: ExportContext) -> bytes:
    return xlsx_bytes_for(chart.frame, context)
