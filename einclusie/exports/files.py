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
# The one font of everything printed (the PDF summary and every exported image): Open Sans,
# Debian's fonts-open-sans (`make fonts`), the open humanist sans closest to Stad Gent's Fira
# Sans that Debian ships. Where it is missing an image falls back to Arial.
PRINT_FONT = "Open Sans, Arial, sans-serif"
# The thickest bar of a printed chart, as a share of its width (55 px on 1100 px, 9 mm across
# an A4 text width): one or two bars stay bars, not slabs.
MAX_BAR_SHARE = 0.05
PLOTLY_BARGAP = 0.2  # Plotly's gap between bars when a figure sets none


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
    """Why images cannot be made here (Dutch), or None. Never waits and starts nothing: the
    shared browser starts on the first image a user asks for."""
    return known_problem()


def _filters_line(context: ExportContext) -> str:
    return " · ".join(
        f"{label}: {value}" for label, value in context.filters if label != NOTE_LABEL
    )


def _note(context: ExportContext) -> str:
    return next((value for label, value in context.filters if label == NOTE_LABEL), "")


def printable(chart: Chart, context: ExportContext) -> go.Figure:
    """The chart as it goes into a file: title, filters and source written on it, in the
    print font, its bars no thicker than MAX_BAR_SHARE of its width."""
    figure = chart.figure if chart.print_figure is None else chart.print_figure()
    printed = for_print(figure, chart.title, _filters_line(context), context.source, _note(context))
    return on_paper(printed)


def on_paper(figure: go.Figure, min_text: int = 0) -> go.Figure:
    """`figure` (sized: width and height set) in the print font, with its bars capped at
    MAX_BAR_SHARE of its width; text set smaller than `min_text` px is raised to it, and bar
    labels that would have to shrink below it are left out. Changes and returns `figure`."""
    layout = figure.layout
    width, height = layout.width or 1100, layout.height or 560
    base = max(layout.font.size or 14, min_text)
    figure.update_layout(font={"family": PRINT_FONT, "size": base})
    if min_text:
        figure.update_layout(uniformtext={"minsize": min_text, "mode": "hide"})
    for annotation in layout.annotations:
        annotation.font.family = PRINT_FONT
        if annotation.font.size is not None:
            annotation.font.size = max(annotation.font.size, min_text)
    fonts = [layout.title.subtitle.font, layout.legend.font, layout.legend.title.font]
    for axis in [*figure.select_xaxes(), *figure.select_yaxes()]:
        fonts += [axis.tickfont, axis.title.font]
    for font in fonts:  # sizes a chart set itself: the base size does not reach them
        if font.size is not None:
            font.size = max(font.size, min_text)
    bars = [t for t in figure.data if t.type == "bar" and t.visible is not False]
    if not bars:
        return figure
    horizontal = bars[0].orientation == "h"
    margin = layout.margin
    # The plot is at most the figure less its fixed margins; a legend or automargin only
    # makes it (and so the bars) smaller.
    if horizontal:
        length = height - (margin.t or 70) - (margin.b or 60)
    else:
        length = width - (margin.l or 70) - (margin.r or 20)
    # Per category axis (small multiples have one per panel): its share of the plot, its
    # categories and its bars side by side. The gap that keeps every axis's bars thin enough.
    axes: dict[str, tuple[set[str], int]] = {}
    for trace in bars:
        along = trace.y if horizontal else trace.x
        name = (trace.yaxis if horizontal else trace.xaxis) or ("y" if horizontal else "x")
        categories, traces = axes.get(name, (set(), 0))
        categories.update(str(v) for v in (along if along is not None else ()))
        axes[name] = (categories, traces + 1)
    gaps = []
    for name, (categories, traces) in axes.items():
        axis = layout[f"{'yaxis' if horizontal else 'xaxis'}{name[1:]}"]
        low, high = axis.domain if axis.domain is not None else (0, 1)
        slot = max(length * (high - low), 1) / max(len(categories), 1)
        side_by_side = traces if layout.barmode == "group" else 1
        gaps.append(1 - side_by_side * MAX_BAR_SHARE * width / slot)
    gap = max(gaps)
    current = layout.bargap if layout.bargap is not None else PLOTLY_BARGAP
    if gap > current:
        figure.update_layout(bargap=round(min(gap, 0.98), 3))
    return figure


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
