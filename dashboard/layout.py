"""The frame every page shares: sample-data notice, title, data caption, charts with downloads."""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import access, data, filters
from einclusie.access import Role
from einclusie.charts.catalogue import Chart
from einclusie.exports import files as chart_files
from einclusie.exports.tables import export_file_name
from einclusie.figures.db import NoDataError
from einclusie.figures.disclosure import protection_note
from einclusie.figures.queries import refused_files
from einclusie.figures.selection import Selection
from einclusie.figures.status import SAMPLE_NOTICE, data_status
from einclusie.figures.values import no_data_reason
from einclusie.format import format_number, hyphenated, markdown_literal

# Plotly's mode bar is English (the plotly.js that Streamlit bundles registers only the
# "en" locales, so config "locale": "nl" would change nothing) and its camera button bypasses
# the branded images: the project's own Downloaden menu is the one way to download. Hidden.
# Zooming stays: drag over the chart, double-click to go back.
PLOTLY_CONFIG = {"displayModeBar": False, "displaylogo": False}


def _ensure_navigation() -> None:
    """Run the page inside app.py's navigation, also when a visitor's first request is a link
    to a page. Streamlit then still assumes the old `pages/` folder mode (a class-wide guess
    made before app.py has run) and runs the page file alone: without the navigation, the
    wide layout or the shared sidebar. Correcting the guess and rerunning lets app.py run."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


STYLE = Path(__file__).with_name("page.css")
PRINT_SCRIPT = Path(__file__).with_name("print.html").read_text(encoding="utf-8")


def house_style() -> None:
    """The dashboard's styles (hidden English toolbars, card grid, print) and the script that
    fits charts to the page when printing. Both are files of this package, never data."""
    st.html(STYLE)
    st.sidebar.html(PRINT_SCRIPT, unsafe_allow_javascript=True)


def chart_grid() -> DeltaGenerator:
    """A container for charts side by side where the width allows two, else one below the
    other (page.css); put each chart in a `.container()` of it."""
    return st.container(key="grafieken")


def card_grid() -> DeltaGenerator:
    """A container for figure cards: as many side by side as the width allows (page.css)."""
    return st.container(key="kaarten")


def page(
    title: str, role: Role = Role.MEDEWERKER, public: bool = False, refused_notice: bool = True
) -> Selection:
    """Start a page: filters in the sidebar, notices, title and data caption.

    `title` may contain '{periode}', filled with the chosen period ('2022'). `role` is the
    least role that may open the page (checked here too, not only by the navigation);
    `public` whether the public view opens it (only pages whose every number is protected).
    A databeheerder (or beheerder) is told on every page while the last load refused files,
    unless `refused_notice` is False (the Gegevens page lists them itself).
    Stops the page with a clear message when nothing has been loaded yet.
    """
    _ensure_navigation()
    house_style()
    viewer = access.require(role, public)
    try:
        data.version()
    except NoDataError as missing:
        st.title(title.format(periode="").strip())
        st.warning(markdown_literal(missing))
        st.stop()
    selection = filters.sidebar(default_wijken=viewer.wijken, public=viewer.public)
    if (reason := data.get(no_data_reason, selection)) is not None:
        st.title(title.format(periode=selection.period_label()))
        st.warning(markdown_literal(reason), icon=":material/warning:")  # never a page of zeros
        st.stop()
    status = data.get(data_status)
    if status.sample:
        st.info(f"**Voorbeeldgegevens.** {SAMPLE_NOTICE}", icon=":material/info:")
    if refused_notice and viewer.may(Role.DATABEHEERDER):  # never in the public view
        _refused_files_notice()
    if viewer.public:
        st.info(
            f"**Publieke cijfers.** {protection_note(data.public_threshold())}",
            icon=":material/shield:",
        )
    st.title(title.format(periode=selection.period_label()))
    st.caption(
        markdown_literal(
            f"{status.caption()} · {selection.wijk_label()} · {selection.programme_label()}"
        )
    )
    return selection


def tool_page(title: str, role: Role) -> None:
    """Start a page that works on the data rather than showing figures (Aanleveren,
    Gebruikers): it also opens before anything is loaded, and for any period; once something
    is loaded, the sidebar says which selection the other pages show (no filters: they would
    change nothing here; the selection stays in the URL) and the data caption what is loaded."""
    _ensure_navigation()
    house_style()
    viewer = access.require(role, False)
    try:
        data.version()
    except NoDataError:
        st.title(title)
        return
    filters.kept(default_wijken=viewer.wijken)
    status = data.get(data_status)
    if status.sample:
        st.info(f"**Voorbeeldgegevens.** {SAMPLE_NOTICE}", icon=":material/info:")
    if viewer.may(Role.DATABEHEERDER):
        _refused_files_notice()
    st.title(title)
    st.caption(markdown_literal(status.caption()))


GEGEVENS_PAGE = "pages/gegevens.py"


def _refused_files_notice() -> None:
    """While the last load refused files: how many, and a link to the page that says why."""
    refused = len(data.get(refused_files))
    if not refused:
        return
    files = "1 bestand" if refused == 1 else f"{format_number(refused)} bestanden"
    with st.container(key="geweigerde_bestanden"):
        st.warning(
            f"De laatste lading weigerde {files}: wat erin staat, telt niet mee.",
            icon=":material/block:",
        )
        st.page_link(GEGEVENS_PAGE, label="Zie Gegevens", icon=":material/dataset:")


def chart(item: Chart, selection: Selection) -> None:
    """A chart with its downloads; the chart's own sentence instead when there is no data.

    A page builds all its charts (data.chart) before it draws the first, so it appears
    whole: the browser draws what arrives while the run goes on, and charts sent one by one
    as they were built drew the page piece by piece (at 100x the first visit's times moved
    less than the runs do: bench/browser.py, README)."""
    if item.is_empty:
        st.info(markdown_literal(item.empty), icon=":material/info:")
        return
    with st.container(key=f"grafiek_{item.key}"):  # printed whole, title with its chart
        st.markdown(f"**{markdown_literal(item.title)}**")
        if item.panels:  # small multiples: as many side by side as fit, each with its name
            grid = st.container(key=f"panelen_{item.key}")
            for number, (name, panel) in enumerate(item.panels):
                box = grid.container(key=f"paneel_{item.key}_{number}")
                box.markdown(markdown_literal(name))
                box.plotly_chart(
                    panel,
                    width="stretch",
                    theme=None,
                    key=f"plot_{item.key}_{number}",
                    config=PLOTLY_CONFIG,
                )
        else:
            st.plotly_chart(
                item.figure,  # as data.chart made it for the screen
                width="stretch",
                theme=None,
                key=f"plot_{item.key}",
                config=PLOTLY_CONFIG,
            )
        if item.note:
            st.caption(markdown_literal(item.note))
        _downloads(item, selection)


def download_menu_key(item: Chart) -> str:
    """The key of a chart's "Downloaden" menu: True in the session state while it is open."""
    return f"downloaden_{item.key}"


@st.fragment
def _downloads(item: Chart, selection: Selection) -> None:
    """The chart's "Downloaden" menu. Its buttons (images, HTML, CSV and XLSX) are made only
    while it is open: opening it reruns this fragment alone. Six buttons for each of a page's
    charts in every run were a third of a page's run; files are made only when a button is
    clicked (a callable as data)."""
    menu = st.popover(
        "Downloaden", icon=":material/download:", key=download_menu_key(item), on_change="rerun"
    )
    if menu.open:
        with menu:
            _download_buttons(item, selection)


def _download_buttons(item: Chart, selection: Selection) -> None:
    context = chart_files.context(item.title, selection, data.get(data_status), item.note)

    def button(label: str, ext: str, make: Callable[..., bytes], *args: str) -> None:
        access.download_button(
            label,
            partial(make, item, context, *args),
            what=f"{item.title} ({label})",
            file_name=export_file_name(item.key, selection, ext),
            mime=chart_files.MIME_TYPES[ext],
            key=f"{ext}_{item.key}",
            icon=":material/download:",
            on_click="ignore",
            width="stretch",
        )

    problem = chart_files.image_problem()
    if problem is None:
        st.caption("Afbeelding met titel, filters en bron, klaar voor het jaarverslag.")
        button("PNG (afdruk)", "png", chart_files.image, "png")
        button("SVG (vector)", "svg", chart_files.image, "svg")
        button("PDF", "pdf", chart_files.image, "pdf")
    else:
        st.caption(
            f"{markdown_literal(problem)} Download daarom de interactieve grafiek: open ze "
            "in een browser en bewaar ze met de fototoestel-knop als PNG."
        )
        button("Interactieve grafiek (HTML)", "html", chart_files.interactive_html)
    st.caption("De gegevens achter de grafiek, met de filters erbij.")
    button("CSV", "csv", chart_files.data_csv)
    button("Excel (XLSX)", "xlsx", chart_files.data_xlsx)


def card(column: DeltaGenerator, label: str, definition: str) -> DeltaGenerator:
    """A bordered card with the figure's full Dutch label above it (a metric's own label is
    cut off when long) and its definition on hover; the caller puts the metric in it."""
    box = column.container(border=True, height="stretch")
    box.markdown(f"**{markdown_literal(hyphenated(label))}**", help=definition)
    return box


TABLE_CLASS = "statische-tabel"  # page.css styles it; tests read the tables back by it
WIDE_COLUMNS = 6  # from this many columns a table's rows stack on a phone


def table_html(frame: pd.DataFrame) -> str:
    """`frame` as one HTML table of plain text: every header and cell escaped (outside text
    is never markup), a number value as 1.234 and right-aligned (text, also a number the
    caller wrote out, as text), a missing value as '–', no index.
    Columns of more levels (the wijk fiche) get a header row per level, equal neighbours
    joined. A table of WIDE_COLUMNS or more columns is marked: on a phone each of its rows
    is a block of "column: value" lines (page.css), as its columns do not fit beside each
    other there."""
    wide = len(frame.columns) >= WIDE_COLUMNS
    # In a wide table each cell names its column, for that phone layout.
    names = [
        " ".join(str(level) for level in column if str(level))
        if isinstance(column, tuple)
        else str(column)
        for column in frame.columns
    ]
    attributes = [f' data-kolom="{html.escape(name)}"' if wide else "" for name in names]
    rows = []
    # Cell by cell over one object array: DataFrame.map pays pandas' overhead per column.
    for values in frame.to_numpy(dtype=object):
        cells = []
        for attribute, value in zip(attributes, values, strict=True):
            number = isinstance(value, int | float | np.integer | np.floating)
            if number and not isinstance(value, bool | np.bool_) and not pd.isna(value):
                cells.append(f'<td class="getal"{attribute}>{format_number(value)}</td>')
            else:
                text = _cell_text("–" if pd.isna(value) else str(value))
                cells.append(f"<td{attribute}>{text}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    marked = ' class="breed"' if wide else ""
    return (
        f'<div class="{TABLE_CLASS}"><table{marked}><thead>'
        f"{''.join(_header_rows(frame.columns))}</thead><tbody>{''.join(rows)}</tbody>"
        "</table></div>"
    )


_BREAK_AFTER = re.compile(r"([/@_])")  # in file names and addresses


def _cell_text(text: str) -> str:
    # Escaped; a narrow column breaks long words between syllables and names after a
    # slash, @ or underscore, never in the middle of a syllable (page.css).
    return _BREAK_AFTER.sub(r"\1<wbr>", html.escape(hyphenated(text)))


def _header_rows(columns: pd.Index) -> list[str]:
    if not isinstance(columns, pd.MultiIndex):
        return ["<tr>" + "".join(f"<th>{_cell_text(str(c))}</th>" for c in columns) + "</tr>"]
    rows = []
    for depth in range(columns.nlevels):
        # A header spans the neighbours that share it and every level above it.
        groups = itertools.groupby(columns, key=lambda column: column[: depth + 1])
        cells = []
        for group, members in groups:
            span = len(list(members))
            colspan = f' colspan="{span}"' if span > 1 else ""
            cells.append(f"<th{colspan}>{_cell_text(str(group[-1]))}</th>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return rows


def static_table(frame: pd.DataFrame) -> None:
    """A small table whose every cell is shown in full (long reasons wrap, page.css), with
    no English toolbar: one HTML table of escaped text (table_html). st.table drew each cell
    as Markdown of its own, most of the drawing of the Gegevens page (bench/browser.py: its
    warm switch 909 -> 458 ms)."""
    st.html(table_html(frame))


def row_page(total: int, size: int, key: str) -> int:
    """The first row (0-based) of the page of `size` rows the reader picks from `total` rows
    ('Pagina 2 van 14'); 0 without a choice when one page holds them all."""
    pages = -(-total // size)
    if pages <= 1:
        return 0

    def label(number: int) -> str:
        first, last = (number - 1) * size + 1, min(number * size, total)
        return f"{number} van {pages} (rijen {format_number(first)}–{format_number(last)})"

    number = st.selectbox("Pagina", range(1, pages + 1), format_func=label, key=key)
    return (number - 1) * size


def not_public(what: str) -> None:
    """Say that a chart of the page is left out of the public view, and why."""
    st.info(
        f"{what} horen niet bij de publieke cijfers: ze zouden kleine aantallen van een wijk "
        "kunnen verraden.",
        icon=":material/shield:",
    )


def not_per_wijk(selection: Selection, what: str) -> bool:
    """Say so when a wijk filter cannot apply to `what`; True when the caller should stop."""
    if selection.wijken:
        st.info(
            f"{what} telt voor heel Gent en is niet aan een wijk gebonden; "
            "met een wijkfilter is er hier dus niets te tonen.",
            icon=":material/info:",
        )
        return True
    return False
