"""Every chart of the dashboard, defined once: its data, its figure, its file name.

The pages show these charts, and the year's export pack renders all of them, so both call
the same builders. A builder takes the selection and a `fetch(query, *args)` that runs a
query function: the dashboard passes its cache, the pack a plain call on a data folder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from einclusie.charts.maps import BoundaryError, boundary_path, load_boundaries, wijk_map
from einclusie.charts.style import (
    KPI_COLOURS,
    PROGRAMME_COLOURS,
    bar,
    month_label,
    monthly,
    monthly_flows_and_stocks,
    panel_figures,
    panels,
    year_colours,
)
from einclusie.figures.publication import HIDDEN_COLUMN
from einclusie.figures.queries import (
    CATEGORY_SPLITS,
    DEVICE_WAYS,
    HELP_REQUEST_PARTS,
    MONTH_KIND_LABELS,
    TRAINING_GROUPS,
    category_split,
    devices_by_type,
    devices_by_way,
    devices_monthly,
    help_requests_by,
    help_requests_by_categories,
    help_requests_monthly_by_programme,
    kpi_by_wijk,
    kpi_monthly,
    kpi_yearly,
    lending_by_organisation,
    parts_frame,
    programme_figures,
    training_by_programme,
    training_monthly,
)
from einclusie.figures.registry import (
    FIGURES,
    HEADLINE_KEYS,
    PARTLY_NOTE,
    PROGRAMME_PAGES,
    Kind,
    WijkSplit,
)
from einclusie.figures.selection import Selection
from einclusie.figures.status import wijk_table
from einclusie.format import slug

Fetch = Callable[..., Any]

# The overview's trends. Per month only flows: devices_total mixes stocks (public computers,
# lending pool) with flows and has no monthly series, so its flow parts stand in for it.
TREND_KEYS = ("help_requests_total", "devices_total", "people_trained")
MONTHLY_TREND_KEYS = ("help_requests_total", "devices_donated", "devices_lent", "people_trained")
# KPIs that can be split over the wijken (the Wijken page and the pack's maps).
PER_WIJK_KEYS = tuple(k for k in HEADLINE_KEYS if FIGURES[k].per_wijk is not WijkSplit.NO)
# Headline KPIs with a monthly series (the cards' sparklines).
MONTHLY_KEYS = tuple(k for k in HEADLINE_KEYS if FIGURES[k].kind is not Kind.MIXED)
# Short Dutch names of the KPIs for file names ('hulpvragen-aan-huis-per-wijk_2022_gent.png').
KPI_FILE_NAMES = {
    "help_requests_total": "hulpvragen",
    "help_requests_digipunten": "hulpvragen-digipunten",
    "help_requests_digibank": "hulpvragen-digibank",
    "help_requests_at_home": "hulpvragen-aan-huis",
    "help_requests_internal": "hulpvragen-intern",
    "devices_total": "toestellen",
    "devices_public_computers": "publieke-computers",
    "devices_lending_pool": "uitleenpool",
    "devices_donated": "toestellen-geschonken",
    "devices_lent": "toestellen-ontleend",
    "people_trained": "vorming-burgers",
    "professionals_coached": "vorming-professionals",
}

NO_HELP = "Er zijn geen hulpvragen voor deze selectie."
NO_DIGIPUNT = "Er zijn geen vragen in de Digipunten voor deze selectie."
NO_DEVICES = "Er zijn geen toestellen voor deze selectie."
NO_TRAINING = "Er is geen vorming voor deze selectie."


@dataclass(frozen=True)
class Chart:
    """A chart ready to show or export: `frame` is the data behind it, as downloaded."""

    key: str  # what it shows, ASCII: the first part of its file names
    title: str
    figure: go.Figure
    frame: pd.DataFrame
    empty: str  # the sentence shown instead when there is nothing to draw
    note: str = ""  # what a reader must know to read it right (shown under it, and in files)
    # Builds the figure for files (PNG, SVG, PDF, HTML) when it is not the screen's: the
    # map's labelled print version, built only when a file is made. None: files draw `figure`.
    print_figure: Callable[[], go.Figure] | None = None
    # Small multiples as a page shows them: (panel's name, figure), put side by side where the
    # width allows. Empty: the page shows `figure`; files always draw `figure` (or print_figure).
    panels: tuple[tuple[str, go.Figure], ...] = ()

    @property
    def is_empty(self) -> bool:
        if HIDDEN_COLUMN in self.frame and self.frame[HIDDEN_COLUMN].fillna("").any():
            return False  # hidden numbers are numbers: the chart shows their marks
        numbers = self.frame.select_dtypes("number")
        return self.frame.empty or numbers.empty or bool((numbers.fillna(0) == 0).all().all())


def _scope_note(selection: Selection, keys: Iterable[str], note: str = "") -> str:
    """`note`, and under a wijk filter which of the chart's figures count for the whole city
    (they have no value here) or count here only in part."""
    if not selection.wijken:
        return note
    keys = list(keys)
    gone = [FIGURES[k].label for k in keys if FIGURES[k].per_wijk is WijkSplit.NO]
    partly = [FIGURES[k].label for k in keys if FIGURES[k].per_wijk is WijkSplit.PARTLY]
    said = [note] if note else []
    if gone:
        said.append(f"Telt voor heel Gent en dus niet in een wijk: {'; '.join(gone)}.")
    if partly:
        said.append(f"Hier {PARTLY_NOTE}: {'; '.join(partly)}.")
    return " ".join(said)


class NoMap(Exception):
    """The map cannot be drawn (no boundary file, or a broken one); str() says why in Dutch."""


def direct(data_dir: Path | None = None) -> Fetch:
    """A fetch without cache, on the loaded data in `data_dir` (default data/parquet)."""
    return lambda query, *args: query(*args, data_dir=data_dir)


# --- Overzicht -------------------------------------------------------------------------------


def key_figures_monthly(selection: Selection, fetch: Fetch) -> Chart:
    period = selection.period_label()
    months = fetch(kpi_monthly, selection, MONTHLY_TREND_KEYS)
    trend = months.assign(reeks=months["figuur"].map(lambda k: FIGURES[k].label))
    title = f"Hulpvragen, geschonken en uitgeleende toestellen en vorming per maand, {period}"
    frame = trend[["maand", "reeks", "waarde", "soort"]].assign(
        maand=trend["maand"].map(month_label), soort=trend["soort"].map(MONTH_KIND_LABELS)
    )
    return Chart(
        "kerncijfers-per-maand",
        title,
        monthly(
            trend,
            "waarde",
            title,
            colour="reeks",
            kind="line",
            colours={FIGURES[k].label: KPI_COLOURS[k] for k in MONTHLY_TREND_KEYS},
        ),
        frame,
        "Er zijn geen kerncijfers voor deze selectie.",
        _scope_note(
            selection,
            MONTHLY_TREND_KEYS,
            f"{FIGURES['devices_total'].label} telt ook standen mee (publieke computers, "
            "uitleenpool) en heeft daarom geen reeks per maand: hier de toestellen die in de "
            "maand geschonken en uitgeleend werden. Elke reeks telt op tot haar cijfer voor de "
            "hele periode.",
        ),
    )


def key_figures_yearly(selection: Selection, fetch: Fetch) -> Chart:
    years = fetch(kpi_yearly, selection, TREND_KEYS)
    years = years.assign(
        reeks=years["figuur"].map(lambda k: FIGURES[k].label), jaar=years["jaar"].astype(str)
    )
    title = "Hulpvragen, toestellen en vorming per jaar"
    figure = bar(
        years,
        "reeks",
        "waarde",
        title,
        colour="jaar",
        horizontal=True,  # the figures' long names read across, also on a phone
        colours=year_colours(years["jaar"]),
        grouped=True,
    )
    return Chart(
        "kerncijfers-per-jaar",
        title,
        figure,
        years[["jaar", "reeks", "waarde"]],
        "Er zijn geen kerncijfers voor deze selectie.",
        _scope_note(
            selection,
            TREND_KEYS,
            "Elk jaar zoals zijn kaart het telt: toestellen ingezet met de standen (publieke "
            "computers, uitleenpool) op 31/12.",
        ),
    )


# --- Hulpvragen ------------------------------------------------------------------------------


def _per_month(
    key: str,
    frame: pd.DataFrame,
    value: str,
    title: str,
    colour: str,
    empty: str,
    note: str = "",
    **style: str,
) -> Chart:
    """Stacked bars per month (flows only); the download names the months as the axis does
    ('sep 2022')."""
    figure = monthly(frame, value, title, colour=colour, **style)
    months = frame.assign(maand=frame["maand"].map(month_label))
    return Chart(key, title, figure, months, empty, note)


def help_requests_monthly(selection: Selection, fetch: Fetch) -> Chart:
    frame = fetch(help_requests_monthly_by_programme, selection)
    title = f"Beantwoorde hulpvragen per maand en programma, {selection.period_label()}"
    note = _scope_note(selection, HELP_REQUEST_PARTS)
    return _per_month("hulpvragen-per-maand", frame, "aantal", title, "programma", NO_HELP, note)


# dimension: (file-name key, title, bars horizontal, sentence when empty)
_HELP_REQUEST_VIEWS = {
    "programma": ("hulpvragen-per-programma", "Per programma", True, NO_HELP),
    # The Digipunten export counts help on the spot and at home: its splits are of both.
    "vraagtype": (
        "hulpvragen-per-vraagtype",
        "Digipunten, ter plaatse en aan huis: per soort vraag",
        True,
        NO_DIGIPUNT,
    ),
    "kanaal": ("hulpvragen-per-kanaal", "Digipunten: ter plaatse of aan huis", True, NO_DIGIPUNT),
    "leeftijdsgroep": (
        "hulpvragen-per-leeftijdsgroep",
        "Digipunten, ter plaatse en aan huis: per leeftijdsgroep",
        False,
        NO_DIGIPUNT,
    ),
    "locatie": ("drukste-locaties", "Drukste locaties (Digipunten)", True, NO_DIGIPUNT),
}


def help_requests_split(selection: Selection, fetch: Fetch, dimension: str) -> Chart:
    """Help requests by programma, vraagtype, kanaal, leeftijdsgroep or locatie."""
    key, label, horizontal, empty = _HELP_REQUEST_VIEWS[dimension]
    if dimension in CATEGORY_SPLITS:  # one query for the three (a page shows them all)
        frame = category_split(fetch(help_requests_by_categories, selection), dimension)
    else:
        frame = fetch(help_requests_by, selection, dimension)
    title = f"{label}, {selection.period_label()}"
    # The splits of the Digipunten export are drawn in the Digipunten's colour.
    tint = PROGRAMME_COLOURS["Digipunten"]
    figure = bar(frame, dimension, "aantal", title, horizontal=horizontal, tint=tint)
    parts = HELP_REQUEST_PARTS if dimension == "programma" else ()
    return Chart(key, title, figure, frame, empty, _scope_note(selection, parts))


# --- Toestellen ------------------------------------------------------------------------------


DEVICES_NOTE = (
    "Publieke computers en de uitleenpool tellen als stand op de laatste dag van de periode; "
    "geschonken en uitgeleende toestellen als aantal in de periode."
)


def devices_per_way(selection: Selection, fetch: Fetch) -> Chart:
    frame = fetch(devices_by_way, selection)
    title = f"Toestellen per manier van inzet, {selection.period_label()}"
    figure = bar(frame, "manier", "aantal", title, horizontal=True)
    note = _scope_note(selection, DEVICE_WAYS, DEVICES_NOTE)
    return Chart("toestellen-per-manier", title, figure, frame, NO_DEVICES, note)


def devices_per_type(selection: Selection, fetch: Fetch) -> Chart:
    frame = fetch(devices_by_type, selection)
    title = f"Toestellen per type, {selection.period_label()}"
    # Side by side, never stacked: two of the ways are stocks, two are flows.
    figure = bar(
        frame, "toesteltype", "aantal", title, colour="manier", horizontal=True, grouped=True
    )
    note = _scope_note(selection, DEVICE_WAYS, DEVICES_NOTE)
    return Chart("toestellen-per-type", title, figure, frame, NO_DEVICES, note)


def devices_per_month(selection: Selection, fetch: Fetch) -> Chart:
    """Donated and lent devices as bars of the month's count, the public computers and the
    lending pool as lines of their month-end level: a stock is never stacked on a flow."""
    frame = fetch(devices_monthly, selection)
    title = f"Toestellen per maand, {selection.period_label()}"
    stock = MONTH_KIND_LABELS[Kind.STOCK.value]
    figure = monthly_flows_and_stocks(frame, "aantal", title, "manier", stock)
    return Chart(
        "toestellen-per-maand",
        title,
        figure,
        frame.assign(maand=frame["maand"].map(month_label)),
        NO_DEVICES,
        _scope_note(
            selection,
            DEVICE_WAYS,
            "Staven: toestellen geschonken en uitgeleend in de maand. Lijnen: de stand van de "
            "publieke computers en de uitleenpool op het einde van de maand. Standen en "
            "aantallen worden niet opgeteld.",
        ),
    )


def loans_per_organisation(selection: Selection, fetch: Fetch) -> Chart:
    """City-wide: the caller says so under a wijk filter instead of showing this."""
    frame = fetch(lending_by_organisation, selection)
    title = f"Ontleende toestellen per organisatie (top 15), {selection.period_label()}"
    figure = bar(
        frame,
        "organisatie",
        "toestellen",
        title,
        horizontal=True,
        value_label="Toestellen",
        tint=PROGRAMME_COLOURS["Uitleendienst"],
    )
    return Chart(
        "ontleningen-per-organisatie",
        title,
        figure,
        frame,
        "Er zijn geen ontleningen in deze periode.",
    )


# --- Vorming ---------------------------------------------------------------------------------

TRAINING_AUDIENCES = {
    "Burgers": "Mensen die hun digitale vaardigheden versterkten",
    "Professionals": "Eerstelijnsprofessionals gecoacht",
}


def training_per_programme(selection: Selection, fetch: Fetch, audience: str) -> Chart:
    """People trained (`Burgers`) or professionals coached, per programme and activity."""
    frame = fetch(training_by_programme, selection)
    part = frame[frame["doelgroep"] == audience]
    title = (
        f"{TRAINING_AUDIENCES[audience]} per programma en activiteit, {selection.period_label()}"
    )
    figure = bar(
        part,
        "onderdeel",
        "deelnemers",
        title,
        colour="programma",
        horizontal=True,
        value_label="Deelnemers",
    )
    key = [k for k, name in TRAINING_GROUPS.items() if name == audience]
    note = _scope_note(selection, key)
    return Chart(
        f"vorming-{audience.lower()}-per-programma", title, figure, part, NO_TRAINING, note
    )


def training_per_month(selection: Selection, fetch: Fetch) -> Chart:
    frame = fetch(training_monthly, selection)
    title = f"Deelnemers aan vorming per maand, {selection.period_label()}"
    return _per_month(
        "vorming-per-maand",
        frame,
        "deelnemers",
        title,
        "doelgroep",
        NO_TRAINING,
        _scope_note(selection, TRAINING_GROUPS),
        value_label="Deelnemers",
    )


# --- Wijken ----------------------------------------------------------------------------------


def _no_wijk_figures(key: str) -> str:
    return f"Er zijn geen cijfers per wijk voor {FIGURES[key].label.lower()} in deze periode."


def _wijk_note(key: str) -> str:
    partly = FIGURES[key].per_wijk is WijkSplit.PARTLY
    return (
        "Alleen de delen die aan een wijk gebonden zijn, tellen hier; het aandeel is dat van "
        "de som van de 25 wijken."
        if partly
        else "Het aandeel is dat van de som van de 25 wijken."
    )


def wijk_ranking(selection: Selection, fetch: Fetch, key: str) -> Chart:
    """One KPI for the 25 wijken, highest first, with each wijk's share of their sum."""
    ranked = fetch(kpi_by_wijk, selection, key).sort_values("waarde", ascending=False)
    title = f"{FIGURES[key].label}: rangschikking, {selection.period_label()}"
    figure = bar(ranked, "wijk", "waarde", title, horizontal=True)
    return _per_wijk_chart(f"{KPI_FILE_NAMES[key]}-per-wijk", title, figure, ranked, key)


def _per_wijk_chart(
    name: str, title: str, figure: go.Figure, values: pd.DataFrame, key: str
) -> Chart:
    """A chart of one KPI over the wijken; its data with each wijk's share (%) of the 25."""
    frame = values.assign(aandeel=values["aandeel"].round(1)).rename(
        columns={"aandeel": "aandeel (%)"}
    )
    return Chart(name, title, figure, frame, _no_wijk_figures(key), _wijk_note(key))


def wijk_choropleth(selection: Selection, fetch: Fetch, key: str) -> Chart:
    """One KPI on the map of the 25 wijken; raises NoMap without a usable boundary file."""
    path = boundary_path()
    if path is None:
        raise NoMap("Geen kaart: er is geen bestand met wijkgrenzen.")
    try:
        boundaries = load_boundaries(path, fetch(wijk_table))
    except BoundaryError as problem:
        raise NoMap(f"Geen kaart: {str(problem).rstrip('.')}.") from problem
    values = fetch(kpi_by_wijk, selection, key)
    title = f"{FIGURES[key].label} per wijk, {selection.period_label()}"
    highlight = selection.wijken[0] if len(selection.wijken) == 1 else None
    figure = wijk_map(values, title, "Aantal", boundaries, highlight=highlight)
    chart = _per_wijk_chart(f"{KPI_FILE_NAMES[key]}-per-wijk-kaart", title, figure, values, key)
    return replace(
        chart,
        print_figure=lambda: wijk_map(
            values, title, "Aantal", boundaries, highlight=highlight, labelled=True
        ),
    )


# --- Programme pages -------------------------------------------------------------------------


def programme_parts(selection: Selection, fetch: Fetch, programme: str) -> Chart:
    """A programme's figures per part (each Digibank, ...): a small panel per figure, each on
    its own axis (help requests, devices and workshops are not counted on one scale), the
    parts in the same order in every panel, in the programme's colour."""
    parts = parts_frame(fetch(programme_figures, selection, programme))
    title = f"{programme}: cijfers per onderdeel, {selection.period_label()}"
    tint = PROGRAMME_COLOURS[programme]
    figure = panels(parts, "onderdeel", "label", "waarde", title, tint=tint)
    return Chart(
        f"{slug(programme)}-per-onderdeel",
        title,
        figure,
        parts[["onderdeel", "label", "waarde"]],
        f"Er zijn geen cijfers van {programme} voor deze selectie.",
        "Elk cijfer heeft zijn eigen schaal: vergelijk de onderdelen binnen een paneel, niet "
        "de lengte van staven in verschillende panelen.",
        panels=panel_figures(parts, "onderdeel", "label", "waarde", tint=tint),
    )


# --- Everything, for the pack ----------------------------------------------------------------


def _per_wijk_charts(selection: Selection, fetch: Fetch) -> Iterator[Chart | NoMap]:
    for key in PER_WIJK_KEYS:
        try:
            yield wijk_choropleth(selection, fetch, key)
        except NoMap as missing:
            yield missing
        yield wijk_ranking(selection, fetch, key)


def every_chart(
    selection: Selection, fetch: Fetch, public: bool = False
) -> Iterator[Chart | NoMap]:
    """All charts the pages can show for `selection`, in page order; a NoMap in place of a
    map that cannot be drawn. City-wide charts are left out under a wijk filter, as on the
    pages. `public`: only the public pages' charts (Overzicht, Hulpvragen, Wijken)."""
    yield key_figures_monthly(selection, fetch)
    yield key_figures_yearly(selection, fetch)
    yield help_requests_monthly(selection, fetch)
    for dimension in _HELP_REQUEST_VIEWS:
        if not (public and dimension == "locatie"):  # not public: see values.py
            yield help_requests_split(selection, fetch, dimension)
    if public:
        yield from _per_wijk_charts(selection, fetch)
        return
    yield devices_per_way(selection, fetch)
    yield devices_per_type(selection, fetch)
    yield devices_per_month(selection, fetch)
    if not selection.wijken:
        yield loans_per_organisation(selection, fetch)
    for audience in TRAINING_AUDIENCES:
        yield training_per_programme(selection, fetch, audience)
    yield training_per_month(selection, fetch)
    yield from _per_wijk_charts(selection, fetch)
    for programme in PROGRAMME_PAGES:
        parts = programme_parts(selection, fetch, programme)
        if not parts.frame.empty:  # a programme without parts has no such chart on its page
            yield parts
