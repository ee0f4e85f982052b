"""The year's pack for the annual report: one ZIP with every chart (SVG and PNG) and its data,
a workbook and a Dutch A4 PDF summary.

- The PDF (HTML printed by the shared Chromium, in Open Sans, every page numbered): its first
  page is "<jaar> in cijfers" as the annual report lays it out (a group per theme, the big
  figures, the change against the year before); then the key charts two to a page, drawn at
  the text width so their text prints at 8 pt or more; the definitions fill the last half page.
- The workbook: the twelve figures beside the year before, the figures per month (months as
  date cells), a sheet per programme (percentages as percentage cells).

Every number comes from the figure registry through `einclusie.figures.values`; this module
only lays them out. The Export page and `python -m etl report` both call `build_pack`.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import os
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from einclusie.charts.catalogue import Chart, NoMap, direct, every_chart
from einclusie.exports import files as chart_files
from einclusie.exports.render import ImageJob, RenderUnavailable, renderer
from einclusie.exports.tables import (
    MAX_SHEET_NAME,
    ExportContext,
    Percentage,
    Sheet,
    csv_bytes,
    export_file_name,
    source_line,
    xlsx_bytes,
)
from einclusie.figures import publication
from einclusie.figures.disclosure import protection_note
from einclusie.figures.publication import HIDDEN_COLUMN
from einclusie.figures.queries import programme_figures
from einclusie.figures.registry import FIGURES, HEADLINE_KEYS, PROGRAMME_PAGES, Kind, Unit
from einclusie.figures.selection import Selection
from einclusie.figures.status import SAMPLE_NOTICE, DataStatus, data_status
from einclusie.figures.values import (
    Comparison,
    FigureValue,
    NoDataError,
    compare,
    has_data,
    per_period,
    require_data,
    resolve_wijken,
)
from einclusie.format import SHORT_MONTHS, format_date, format_number

# The charts the PDF summary shows after its first page, most important first (by chart key;
# maps only when drawn). Two share a page and the definitions take the last half page; when
# that would leave a half page empty, the last chart is left out (it is in grafieken/).
KEY_CHARTS = (
    "kerncijfers-per-maand",
    "hulpvragen-per-maand",
    "hulpvragen-per-wijk-kaart",
    "toestellen-per-manier",
    "toestellen-per-maand",
    "vorming-burgers-per-programma",
    "vorming-per-maand",
)
# "<jaar> in cijfers" as the annual report lays it out: a group per theme, led by its total
# (the registry's parts follow it) or by its one figure.
SPREAD_GROUPS = (
    ("Hulpvragen", "help_requests_total"),
    ("Toestellen", "devices_total"),
    ("Vorming", "people_trained"),
    ("Coaching", "professionals_coached"),
)
# A chart in the PDF: the A4 text width (180 mm) is 800 px, so 14 px prints at 8,9 pt.
PDF_CHART_WIDTH = 800
PDF_CHART_HEIGHT = 470  # two charts with their titles and notes fill a page
PDF_MIN_TEXT = 13  # px: 8,3 pt on paper, the smallest text of a chart in the PDF
# The workbook's sheets, each a short Dutch name of its own (Excel allows 31 characters).
HEADLINE_SHEET = "Kerncijfers"
MONTHLY_SHEET = "Per maand"
WORKBOOK_SHEETS = (HEADLINE_SHEET, MONTHLY_SHEET, *PROGRAMME_PAGES)
if any(len(name) > MAX_SHEET_NAME for name in WORKBOOK_SHEETS) or len(
    {n.casefold() for n in WORKBOOK_SHEETS}
) != len(WORKBOOK_SHEETS):
    raise ValueError(f"Sheet names must be unique and at most 31 characters: {WORKBOOK_SHEETS}")
MONTH_LABEL = re.compile(rf"({'|'.join(SHORT_MONTHS)}) (\d{{4}})")  # 'sep 2022'
MINUS = "\u2212"  # the minus sign of print, not a hyphen
NBSP = "\u00a0"
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

    @property
    def images(self) -> int:
        """Images in grafieken/: each chart as SVG and as PNG."""
        return sum(_in(n, "grafieken/", (".svg", ".png")) for n in self.files)

    @property
    def interactive(self) -> int:
        """Charts in grafieken/ as interactive HTML (made without a browser)."""
        return sum(_in(n, "grafieken/", (".html",)) for n in self.files)

    @property
    def tables(self) -> int:
        """The charts' data in gegevens/ (CSV)."""
        return sum(_in(n, "gegevens/", (".csv",)) for n in self.files)

    @property
    def has_summary(self) -> bool:
        return any(n.endswith(".pdf") for n in self.files)

    def size_text(self) -> str:
        """'8,0 MB' (decimal comma; 1 MB = 1.000.000 bytes)."""
        return f"{format_number(len(self.content) / 1e6, 1)}{NBSP}MB"

    def contents(self) -> str:
        """What is inside, in Dutch: '72 afbeeldingen (36 grafieken als SVG en PNG), 36
        tabellen (CSV), de samenvatting (PDF), de werkmap (XLSX) en LEESMIJ.txt'."""
        parts = []
        if self.images:
            parts.append(
                f"{format_number(self.images)} afbeeldingen "
                f"({format_number(self.images // 2)} grafieken als SVG en PNG)"
            )
        if self.interactive:
            parts.append(f"{format_number(self.interactive)} interactieve grafieken (HTML)")
        parts.append(f"{format_number(self.tables)} tabellen (CSV)")
        if self.has_summary:
            parts.append("de samenvatting (PDF)")
        parts.append("de werkmap (XLSX)")
        text = f"{', '.join(parts)} en LEESMIJ.txt"
        return text if self.has_summary else f"{text}, zonder PDF"


def _in(name: str, folder: str, endings: tuple[str, ...]) -> bool:
    return name.startswith(folder) and name.endswith(endings)


def _quiet(fraction: float, text: str) -> None:
    pass


def build_pack(
    year: int,
    wijken: Sequence[str] = (),
    data_dir: Path | None = None,
    progress: Progress = _quiet,
    threshold: int = 0,
) -> Pack:
    """Make the pack of `year` for the city or some wijken; raises ReportError. With a
    `threshold`, the public pack: the public view's figures only, small numbers protected
    as there (heel Gent only)."""
    if threshold and wijken:
        raise ReportError(
            "Een publiek jaarpakket geldt voor heel Gent (per wijk staan de cijfers erin per "
            "wijk, afgeschermd); kies geen wijk."
        )
    with publication.public(threshold):
        return _build_pack(year, wijken, data_dir, progress)


def _public_note(note: str) -> str:
    """A file's note, and in the public pack why some numbers are missing."""
    if not publication.threshold():
        return note
    return f"{note} {protection_note(publication.threshold())}".strip()


def _build_pack(
    year: int, wijken: Sequence[str], data_dir: Path | None, progress: Progress
) -> Pack:
    progress(0.0, "Cijfers opvragen")
    status = data_status(data_dir)
    try:
        require_data(Selection.year(year), data_dir)
        selection = Selection.year(year, tuple(resolve_wijken(wijken, data_dir)))
    except (NoDataError, ValueError) as refused:
        raise ReportError(str(refused)) from refused
    comparisons = compare(selection, HEADLINE_KEYS, data_dir)
    earlier = has_data(selection.previous(), data_dir)
    charts: list[Chart] = []
    left_out: list[str] = []
    public = bool(publication.threshold())
    if public:
        left_out.append(
            "Toestellen, Vorming en de programma's: hun cijfers horen (nog) niet bij de "
            "publieke cijfers"
        )
    for item in every_chart(selection, direct(data_dir), public=public):
        if isinstance(item, NoMap):
            left_out.append(f"kaarten per wijk: {item}")
        elif item.is_empty:
            left_out.append(f"{item.title}: {item.empty}")
        else:
            charts.append(item)

    files: dict[str, bytes] = {}
    contexts = {
        c.key: chart_files.context(c.title, selection, status, _public_note(c.note)) for c in charts
    }
    for item in charts:
        files[f"gegevens/{export_file_name(item.key, selection, 'csv')}"] = csv_bytes(
            item.frame, contexts[item.key]
        )
    progress(0.05, "Grafieken tekenen")
    in_summary = summary_charts(charts)
    try:
        images = _images(charts, contexts, selection, progress)
        images_problem = None
    except RenderUnavailable as problem:
        images, images_problem = {}, str(problem)
        for item in charts:
            name = export_file_name(item.key, selection, "html")
            files[f"grafieken/{name}"] = chart_files.interactive_html(item, contexts[item.key])
    files.update({f"grafieken/{name}": data for name, data in images.items()})

    progress(0.8, "Werkmap maken")
    workbook_name = export_file_name("kerncijfers", selection, "xlsx")
    files[workbook_name] = _workbook(comparisons, earlier, selection, status, data_dir)
    if images_problem is None:
        try:
            pictures = _summary_pictures(in_summary, progress)
            progress(0.9, "Samenvatting (PDF) maken")
            summary = _summary_html(comparisons, earlier, selection, status, in_summary, pictures)
            files[export_file_name("samenvatting", selection, "pdf")] = renderer().pdf_from_html(
                summary
            )
        except RenderUnavailable as problem:
            images_problem = str(problem)
    if images_problem is not None:
        left_out.append(f"afbeeldingen en samenvatting (PDF): {images_problem}")

    progress(0.97, "ZIP maken")
    root = export_file_name("jaarpakket", selection, "zip").removesuffix(".zip")
    root += "_publiek" if public else ""
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


def summary_charts(charts: Sequence[Chart]) -> list[Chart]:
    """The key charts the PDF shows, in KEY_CHARTS order: an even number with the
    definitions' half page, so that every page after the first is full."""
    by_key = {c.key: c for c in charts}
    chosen = [by_key[key] for key in KEY_CHARTS if key in by_key]
    return chosen[:-1] if len(chosen) % 2 == 0 else chosen


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
        text = f"Grafieken tekenen: {done} van {total} afbeeldingen"
        progress(round(0.05 + 0.75 * done / total, 3), text)

    return dict(zip(names, renderer().images(jobs, progress=step), strict=True))


def _summary_pictures(in_summary: Sequence[Chart], progress: Progress) -> dict[str, bytes]:
    """The summary's charts as SVG at the PDF's size: chart key -> SVG."""

    def step(done: int, total: int) -> None:
        text = f"Samenvatting (PDF): {done} van {total} grafieken tekenen"
        progress(round(0.82 + 0.07 * done / total, 3), text)

    jobs = [_summary_job(item) for item in in_summary]
    drawn = renderer().images(jobs, progress=step)
    return {item.key: svg for item, svg in zip(in_summary, drawn, strict=True)}


def _summary_job(chart: Chart) -> ImageJob:
    """The chart as the PDF shows it: the A4 text width, its title and note in the page's
    text instead of on the image, text no smaller than PDF_MIN_TEXT."""
    figure = go.Figure(chart.figure)
    figure.update_layout(
        width=PDF_CHART_WIDTH,
        height=PDF_CHART_HEIGHT,
        title={"text": ""},
        margin={"t": 16},
        # Above the plot, in a row: on the right it took a third of the text width.
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
    )
    _months_without_year(figure)
    chart_files.on_paper(figure, PDF_MIN_TEXT)
    return ImageJob(figure.to_dict(), "svg", PDF_CHART_WIDTH, PDF_CHART_HEIGHT, 1)


def _months_without_year(figure: go.Figure) -> None:
    """Months of one year on the x axis as 'jan', 'feb': the title names the year, and twelve
    labels 'jan 2022' would have to be turned to fit the text width."""
    labels: list[str] = []
    for trace in figure.data:
        if trace.type in ("bar", "scatter") and trace.x is not None:
            labels += [str(x) for x in trace.x if str(x) not in labels]
    months = [MONTH_LABEL.fullmatch(label) for label in labels]
    if labels and all(months) and len({m.group(2) for m in months if m}) == 1:
        figure.update_xaxes(tickvals=labels, ticktext=[m.group(1) for m in months if m])


# --- The workbook ---------------------------------------------------------------------------


def figure_table(figures: Sequence[FigureValue], first: str = "Kerncijfer") -> pd.DataFrame:
    """Figures as numbers with their definitions: a per-part figure gives a row per part; a
    figure without a value for the wijken chosen has an empty cell and the note saying why.
    A percentage is a Percentage (51 % as 0.51), shown by the workbook as a percentage."""
    rows = []
    for f in figures:
        percentage = f.figure.unit is Unit.PERCENTAGE
        unit = "€" if f.figure.unit is Unit.EURO else ""
        parts = f.parts.items() if f.parts else [("", f.hidden or f.value)]
        for part, value in parts:
            shown = Percentage(value / 100, 0) if percentage and isinstance(value, int) else value
            rows.append((f.label, part, shown, unit, f.definition, f.note))
    columns = [first, "Onderdeel", "Waarde", "Eenheid", "Definitie", "Opmerking"]
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    if not any(isinstance(v, Percentage | str) for v in frame["Waarde"]):
        frame = frame.astype({"Waarde": "Int64"})
    if not frame["Onderdeel"].any():
        frame = frame.drop(columns="Onderdeel")
    if not frame["Eenheid"].any():
        frame = frame.drop(columns="Eenheid")
    return frame


def headline_table(figures: Sequence[FigureValue]) -> pd.DataFrame:
    """The twelve figures as numbers, with their definitions."""
    return figure_table(figures)


def relative_change(comparison: Comparison) -> float | None:
    """The change as a fraction of the earlier value (0.828 for +82,8 %); None without one."""
    change, before = comparison.change, comparison.before
    if change is None or before is None or not before.value:
        return None
    return change / before.value


def is_new(comparison: Comparison, earlier_has_data: bool) -> bool:
    """A figure with a value now that the same period a year earlier did not have (while that
    period had data: without an earlier year there is nothing to compare)."""
    return earlier_has_data and comparison.is_new  # the one rule, as the cards say it


def comparison_table(
    comparisons: Sequence[Comparison], earlier_has_data: bool, period: str
) -> pd.DataFrame:
    """The figures of `period` ('2022') beside the same period a year earlier: columns
    Kerncijfer, Waarde, 'Waarde <earlier>', Verschil, 'Verschil in %' (a Percentage),
    Definitie, Opmerking (what the comparison lacks, and the wijk notes)."""
    label = comparisons[0].before_label if comparisons else ""
    rows = []
    for c in comparisons:
        now = c.now
        share = relative_change(c)
        notes = [now.note] if now.note else []
        if is_new(c, earlier_has_data):
            lacking = "" if c.before else f" (geen gegevens voor {label})"
            notes.append(f"nieuw in {period}{lacking}")
        elif c.before is None and now.applies:
            notes.append(c.text())
        if c.missing_text():
            notes.append(c.missing_text())
        rows.append(
            (
                now.label,
                now.hidden or now.value,  # the public pack: '<5' or '×' where hidden
                (c.before.hidden or c.before.value) if c.before is not None else None,
                c.change,
                Percentage(share) if share is not None else None,
                now.definition,
                "; ".join(notes) or None,
            )
        )
    columns = [
        "Kerncijfer",
        "Waarde",
        f"Waarde {label}",
        "Verschil",
        "Verschil in %",
        "Definitie",
        "Opmerking",
    ]
    return pd.DataFrame(rows, columns=columns, dtype=object)


MONTHLY_NOTE = (
    "Aantallen in de maand, behalve {stocks}: de stand op de laatste dag van de maand. "
    "{mixed} telt standen en aantallen samen en staat er daarom niet in."
)


def monthly_table(selection: Selection, data_dir: Path | None = None) -> pd.DataFrame:
    """The headline figures per month: a column Maand (the first day of each month) and one
    per figure with a monthly series (stocks at the month's end), in the report's order."""
    keys = [
        k
        for k in HEADLINE_KEYS
        if FIGURES[k].kind is not Kind.MIXED and FIGURES[k].unit is not Unit.PERCENTAGE
    ]
    months = per_period(selection, keys, "month", data_dir)
    if months.empty:
        return pd.DataFrame({"Maand": pd.Series([], dtype="datetime64[ns]")})
    if HIDDEN_COLUMN in months:  # the public pack: a hidden month keeps its mark
        marked = months["waarde"].astype(object).where(months[HIDDEN_COLUMN] == "")
        months = months.assign(waarde=marked.fillna(months[HIDDEN_COLUMN]))
        wide = months.pivot(index="maand", columns="figuur", values="waarde")
        shown = [k for k in keys if k in wide.columns]
        frame = wide[shown].rename(columns=lambda k: FIGURES[k].label)
        return frame.rename_axis(columns=None).reset_index(names="Maand")
    wide = months.pivot_table(index="maand", columns="figuur", values="waarde", aggfunc="sum")
    shown = [k for k in keys if k in wide.columns]
    frame = wide[shown].astype("Int64").rename(columns=lambda k: FIGURES[k].label)
    return frame.rename_axis(columns=None).reset_index(names="Maand")


def _monthly_note() -> str:
    stocks = [f"'{FIGURES[k].label}'" for k in HEADLINE_KEYS if FIGURES[k].kind is Kind.STOCK]
    mixed = [f"'{FIGURES[k].label}'" for k in HEADLINE_KEYS if FIGURES[k].kind is Kind.MIXED]
    return MONTHLY_NOTE.format(stocks=" en ".join(stocks), mixed=" en ".join(mixed))


def _workbook(
    comparisons: Sequence[Comparison],
    earlier_has_data: bool,
    selection: Selection,
    status: DataStatus,
    data_dir: Path | None,
) -> bytes:
    year = selection.start.year

    def context(what: str, note: str = "") -> ExportContext:
        return chart_files.context(f"{what} {year}", selection, status, _public_note(note))

    sheets = [
        Sheet(
            HEADLINE_SHEET,
            comparison_table(comparisons, earlier_has_data, selection.period_label()),
            context("Kerncijfers"),
        ),
        Sheet(
            MONTHLY_SHEET,
            monthly_table(selection, data_dir),
            context("Kerncijfers per maand", _monthly_note()),
        ),
    ]
    if publication.threshold():  # the programmes' figures are not in the public tables
        return xlsx_bytes(sheets)
    for programme in PROGRAMME_PAGES:
        table = figure_table(programme_figures(selection, programme, data_dir), "Cijfer")
        sheets.append(Sheet(programme, table, context(programme)))
    return xlsx_bytes(sheets)


# --- The PDF summary ------------------------------------------------------------------------


def _signed(number: int) -> str:
    """'+5.378', '−1.631' (a minus sign), '0'."""
    text = format_number(abs(number))
    return f"+{text}" if number > 0 else f"{MINUS}{text}" if number < 0 else text


def _signed_percent(fraction: float) -> str:
    """'+82,8 %', '−5,1 %': one decimal, as the dashboard's cards write it."""
    percent = 100 * fraction
    text = format_number(abs(percent), 1)
    sign = "+" if percent > 0 else MINUS if percent < 0 else ""
    return f"{sign}{text}{NBSP}%"


def change_text(comparison: Comparison, earlier_has_data: bool, period: str) -> str:
    """The change as the summary prints it: '+5.378 (+83 %) t.o.v. 2021', 'gelijk aan 2021',
    'nieuw in 2022' when the year before had nothing, '' when there is no earlier year (or
    the figure has no value here)."""
    if is_new(comparison, earlier_has_data):
        return f"nieuw in {period}"
    if earlier_has_data and comparison.now.applies and comparison.before is None:
        return comparison.text()  # 'geen gegevens voor 2021': its export did not exist yet
    change = comparison.change
    if not earlier_has_data or not comparison.now.applies or change is None:
        return ""
    before = comparison.before_label
    if change == 0:
        return f"gelijk aan {before}"
    if comparison.now.figure.unit is Unit.PERCENTAGE:
        return f"{_signed(change)} procentpunt t.o.v. {before}"
    share = relative_change(comparison)
    relative = f" ({_signed_percent(share)})" if share is not None else ""
    return f"{_signed(change)}{relative} t.o.v. {before}"


def spread_groups() -> list[tuple[str, str, tuple[str, ...]]]:
    """(group name, its leading figure, the figures under it) for every group of the first
    page: the registry's parts of a total follow it."""
    return [(name, key, FIGURES[key].parts) for name, key in SPREAD_GROUPS]


class _Footnotes:
    """Numbered notes under the first page; the same text keeps its number."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def mark(self, *texts: str) -> str:
        marks = []
        for text in filter(None, texts):
            sentence = text[:1].upper() + text[1:].rstrip(".") + "."
            if sentence not in self.texts:
                self.texts.append(sentence)
            marks.append(str(self.texts.index(sentence) + 1))
        return f"<sup>{','.join(marks)}</sup>" if marks else ""

    def html(self) -> str:
        if not self.texts:
            return ""
        items = "".join(f"<li>{html.escape(t)}</li>" for t in self.texts)
        return f"<ol class='notes'>{items}</ol>"


def _figure_html(
    comparison: Comparison,
    kind: str,
    earlier_has_data: bool,
    period: str,
    notes: _Footnotes,
) -> str:
    now = comparison.now
    missing = comparison.missing_text() if earlier_has_data else ""
    mark = notes.mark(now.note if now.applies else "", missing)
    change = change_text(comparison, earlier_has_data, period)
    number_class = "number" if now.applies and now.value is not None else "number none"
    return (
        f"<div class='figure {kind}'>"
        f"<div class='{number_class}'>{html.escape(now.shown())}</div>"
        f"<div class='label'>{html.escape(now.label)}</div>"
        f"<div class='change'>{html.escape(change)}{mark}</div>"
        "</div>"
    )


def _spread_html(
    comparisons: Sequence[Comparison],
    earlier_has_data: bool,
    selection: Selection,
    status: DataStatus,
) -> str:
    """The first page: '<jaar> in cijfers', a group per theme with its big figures."""
    by_key = {c.now.key: c for c in comparisons}
    period = selection.period_label()
    notes = _Footnotes()
    totals, singles = [], []
    for name, key, parts in spread_groups():
        lead = _figure_html(by_key[key], "lead", earlier_has_data, period, notes)
        heading = f"<h2>{html.escape(name)}</h2>"
        if parts:
            under = "".join(
                _figure_html(by_key[p], "part", earlier_has_data, period, notes) for p in parts
            )
            totals.append(
                f"<section class='group'>{heading}{lead}<div class='parts'>{under}</div></section>"
            )
        else:
            singles.append(f"<section class='group single'>{heading}{lead}</section>")
    scope = selection.wijk_label()
    source = source_line(chart_files.shown_until(selection, status))
    notice = (
        f"<p class='notice'><strong>Voorbeeldgegevens.</strong> {html.escape(SAMPLE_NOTICE)}</p>"
        if status.sample
        else ""
    )
    return f"""<section class="spread">
<header><p class="kicker">e-inclusie Gent</p><h1>{html.escape(period)} in cijfers</h1>
<p class="scope">{html.escape(scope[:1].upper() + scope[1:])} · {html.escape(source)}</p>
{notice}</header>
<div class="groups">{"".join(totals)}<div class="pair">{"".join(singles)}</div></div>
{notes.html()}
</section>"""


def _chart_html(chart: Chart, svg: bytes) -> str:
    data = base64.b64encode(svg).decode()
    note = f"<p class='note'>{html.escape(chart.note)}</p>" if chart.note else ""
    return (
        f"<figure class='block'><h3>{html.escape(chart.title)}</h3>"
        f"<img alt='' src='data:image/svg+xml;base64,{data}'>{note}</figure>"
    )


def _definitions_html(
    comparisons: Sequence[Comparison], selection: Selection, status: DataStatus
) -> str:
    rows = "".join(
        f"<dt>{html.escape(c.now.label)}</dt><dd>{html.escape(c.now.definition)}</dd>"
        for c in comparisons
    )
    source = source_line(chart_files.shown_until(selection, status))
    return (
        "<section class='block definitions'><h3>Wat elk cijfer telt</h3>"
        f"<dl>{rows}</dl>"
        f"<p class='colophon'>{html.escape(source)} · {html.escape(selection.describe())} · "
        f"gemaakt op {format_date(dt.date.today())}. Elke grafiek van het jaar staat als SVG "
        "en PNG in grafieken/ van het jaarpakket, de cijfers erachter in gegevens/ en in de "
        "werkmap.</p></section>"
    )


def _css_string(text: str) -> str:
    """`text` as a CSS string literal (for the page's margin boxes)."""
    escaped = "".join(ch if ch.isalnum() or ch in " .,·:-()'" else f"\\{ord(ch):x} " for ch in text)
    return f'"{escaped}"'


SUMMARY_CSS = """
@page {{ size: A4; margin: 14mm 15mm 17mm;
  @bottom-left {{ content: {footer}; font-family: 'Open Sans', sans-serif; font-size: 8pt;
                 color: #5b6773; vertical-align: top; padding-top: 5mm; }}
  @bottom-right {{ content: "pagina " counter(page) " van " counter(pages);
                  font-family: 'Open Sans', sans-serif; font-size: 8pt; color: #5b6773;
                  vertical-align: top; padding-top: 5mm; }} }}
html {{ font-family: 'Open Sans', sans-serif; }}
body {{ margin: 0; color: #1f2a37; font-size: 9.5pt; line-height: 1.35; }}
h1, h2, h3, p, dl, dd, figure, ol {{ margin: 0; }}
.spread {{ height: 264mm; display: flex; flex-direction: column; break-after: page; }}
.kicker {{ color: #009de0; font-weight: 700; font-size: 11pt; letter-spacing: 0.06em;
          text-transform: uppercase; }}
h1 {{ color: #0a4a7a; font-size: 42pt; font-weight: 800; line-height: 1.05; }}
.scope {{ color: #5b6773; font-size: 9pt; margin-top: 1.5mm; }}
.notice {{ background: #fff6e0; border-left: 1.2mm solid #f2a900; padding: 1.8mm 3mm;
          margin-top: 3mm; font-size: 8.5pt; }}
.groups {{ flex: 1; display: flex; flex-direction: column; justify-content: space-between;
          margin-top: 5mm; }}
.group {{ background: #f0f7fc; border-top: 1.2mm solid #009de0; padding: 3.5mm 5mm 4.5mm; }}
.group h2 {{ color: #007bb0; font-size: 9.5pt; font-weight: 700; letter-spacing: 0.1em;
            text-transform: uppercase; margin-bottom: 0.5mm; }}
.figure .number {{ color: #0a4a7a; font-weight: 800; line-height: 1.1;
                   font-variant-numeric: tabular-nums; }}
.figure .number.none {{ color: #5b6773; font-weight: 600; }}
.lead .number {{ font-size: 46pt; }}
.lead .number.none {{ font-size: 20pt; }}
.lead .label {{ font-size: 12pt; font-weight: 600; margin-top: 0.5mm; }}
.change {{ color: #3c4a57; font-size: 9pt; margin-top: 0.8mm; min-height: 1.35em; }}
.parts {{ display: grid; grid-template-columns: repeat(4, 1fr); column-gap: 5mm;
          border-top: 0.3mm solid #c5dbea; margin-top: 3.5mm; padding-top: 3mm; }}
.part .number {{ font-size: 24pt; }}
.part .number.none {{ font-size: 12pt; }}
.part .label {{ font-size: 8.5pt; line-height: 1.3; margin-top: 0.8mm; }}
.part .change {{ font-size: 8pt; }}
.pair {{ display: grid; grid-template-columns: 1fr 1fr; column-gap: 5mm; }}
sup {{ font-size: 6.5pt; line-height: 0; margin-left: 0.5mm; }}
ol.notes {{ color: #5b6773; font-size: 8pt; margin-top: 3mm; padding-left: 4mm; }}
.sheet {{ height: 264mm; display: flex; flex-direction: column; justify-content: space-between;
          break-before: page; }}
.block {{ height: 128mm; break-inside: avoid; }}
.block h3 {{ color: #0a4a7a; font-size: 11pt; font-weight: 700; line-height: 1.25;
            margin-bottom: 2mm; }}
.block img {{ display: block; width: 180mm; height: {chart_height:.1f}mm; }}
.block .note {{ color: #5b6773; font-size: 8pt; margin-top: 1.5mm; }}
.definitions dl {{ columns: 2; column-gap: 6mm; font-size: 8pt; line-height: 1.25; }}
.definitions dt {{ font-weight: 700; break-after: avoid; }}
.definitions dd {{ color: #3c4a57; margin-bottom: 1.2mm; break-inside: avoid; }}
.colophon {{ color: #5b6773; font-size: 8pt; margin-top: 3mm; }}
"""


def _summary_html(
    comparisons: Sequence[Comparison],
    earlier_has_data: bool,
    selection: Selection,
    status: DataStatus,
    in_summary: Sequence[Chart],
    pictures: dict[str, bytes],
) -> str:
    """The A4 summary: '<jaar> in cijfers' on the first page, then the key charts two to a
    page, the definitions of the figures in the last half page. Every page is numbered."""
    year = selection.start.year
    blocks = [_chart_html(c, pictures[c.key]) for c in in_summary if c.key in pictures]
    blocks.append(_definitions_html(comparisons, selection, status))
    sheets = "".join(
        f"<div class='sheet'>{''.join(blocks[i : i + 2])}</div>" for i in range(0, len(blocks), 2)
    )
    footer = f"e-inclusie Gent · {year} in cijfers · {selection.wijk_label()}"
    css = SUMMARY_CSS.format(
        footer=_css_string(footer), chart_height=180 * PDF_CHART_HEIGHT / PDF_CHART_WIDTH
    )
    return f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>e-inclusie Gent: {year} in cijfers</title>
<style>{css}</style></head><body>
{_spread_html(comparisons, earlier_has_data, selection, status)}
{sheets}
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
    if publication.threshold():
        lines += [f"Publieke cijfers. {protection_note(publication.threshold())}", ""]
    lines += [
        "Inhoud:",
        "- kerncijfers_*.xlsx: de twaalf kerncijfers met hun definitie en het jaar ervoor, de "
        "kerncijfers per maand, en een blad per programma.",
        "- samenvatting_*.pdf: op A4 het jaar in cijfers, de belangrijkste grafieken en wat elk "
        "cijfer telt.",
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
