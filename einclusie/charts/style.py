"""One chart style for the whole dashboard, and the chart builders the pages use.

The Plotly template `TEMPLATE` carries Stad Gent's blue, legible fonts and
Dutch separators (11.877; 51,3). Month axes are categorical with Dutch labels ("sep 2022"),
because Plotly's own date labels are English without a locale bundle from a CDN.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from einclusie.figures.publication import HIDDEN_COLUMN
from einclusie.format import SHORT_MONTHS, plotly_literal

GENT_BLUE = "#009de0"  # Stad Gent's house colour: bars of one series
DARK_BLUE = "#0a4a7a"
SEQUENTIAL_SCALE = [[0.0, "#e6f5fc"], [0.5, "#4dbbe9"], [1.0, DARK_BLUE]]

# --- One colour per programme, device way, audience and key figure, in every chart ---------
# Every colour stands at least 3:1 against white (WCAG 1.4.11, graphics), and the colours
# one chart shows together stay apart for the three kinds of colour blindness:
# tests/test_palette.py simulates them (colorspacious) and measures the distances.
# A colour means one thing: no two names of these tables share a colour, or one that looks
# like it, unless they mean the same (SAME_MEANING); the test measures that too.
# The order of each table is the order of the legends.
PROGRAMME_COLOURS = {
    "Digipunten": "#0072b2",
    "Aan huis": "#4a96cc",  # the Digipunten's help at home: a lighter Digipunten blue
    "Digibanken": "#d55e00",
    "Allemaal Digitaal": "#3f7f3f",
    "Bibliotheek": "#aa3377",
    "Uitleendienst": "#8c6d00",
    "Vorming": "#332288",
}
# Other names of a programme in the exports and charts: the same colour.
PROGRAMME_ALIASES = {
    "Digipunt": "Digipunten",
    "Digibank": "Digibanken",
    "Allemaal Digitaal (intern)": "Allemaal Digitaal",
}
# Hues no programme has (teal, red, violet): the Digibanken's donations and loans are not
# "Digibanken orange", nor Allemaal Digitaal's green.
DEVICE_WAY_COLOURS = {
    "Publieke computers": "#00827d",
    "Uitleenpool": PROGRAMME_COLOURS["Uitleendienst"],  # the Uitleendienst's pool: its colour
    "Geschonken": "#cd414b",
    "Uitgeleend": "#915fd7",
}
# Brown and olive: neither the Vorming programme's indigo nor the library's purple.
AUDIENCE_COLOURS = {"Burgers": "#8a3d12", "Professionals": "#5a5a37"}
# The overview's key figures per month (by KPI key): a figure that is a device way or an
# audience takes its colour; all help requests a deep blue of their own (not a programme's).
KPI_COLOURS = {
    "help_requests_total": "#004b6e",
    "devices_donated": DEVICE_WAY_COLOURS["Geschonken"],
    "devices_lent": DEVICE_WAY_COLOURS["Uitgeleend"],
    "people_trained": AUDIENCE_COLOURS["Burgers"],
}
# Names of the tables above that mean the same thing, and so share a colour (Aan huis is a
# lighter Digipunten blue on purpose: help of the Digipunten, given at home).
SAME_MEANING: tuple[frozenset[str], ...] = (
    frozenset({"Aan huis", "Digipunten"}),
    frozenset({"Uitleenpool", "Uitleendienst"}),
    frozenset({"devices_donated", "Geschonken"}),
    frozenset({"devices_lent", "Uitgeleend"}),
    frozenset({"people_trained", "Burgers"}),
)
# Years side by side: the newest darkest, older years lighter greys (newest first). Greys:
# a year is no programme, way or audience.
YEAR_COLOURS = ("#2d3237", "#5f646e", "#87919b")
# Series without a colour of their own, in this order: none of them looks like a colour above
# (a fallback that borrowed the Digipunten's blue would say "Digipunten").
OTHER_COLOURS = ("#005541", "#6e0a5a", "#aa8c6e", "#502814", "#9b6e82")
SERIES_COLOURS = {
    **PROGRAMME_COLOURS,
    **{alias: PROGRAMME_COLOURS[name] for alias, name in PROGRAMME_ALIASES.items()},
    **DEVICE_WAY_COLOURS,
    **AUDIENCE_COLOURS,
}
COLOURWAY = list(OTHER_COLOURS)


def series_colours(names: Sequence[str], known: Mapping[str, str] | None = None) -> dict[str, str]:
    """A colour for each series name: its own one where it has one (`known`, else the
    programmes, device ways and audiences), else the next of OTHER_COLOURS."""
    known = SERIES_COLOURS if known is None else known
    others = iter(c for c in OTHER_COLOURS if c not in {known[n] for n in names if n in known})
    return {n: known[n] if n in known else next(others, GENT_BLUE) for n in names}


def year_colours(years: Sequence[str]) -> dict[str, str]:
    """Years as series: the newest in dark blue, the ones before greyer."""
    newest_first = sorted(set(years), reverse=True)
    colours = {y: YEAR_COLOURS[min(i, len(YEAR_COLOURS) - 1)] for i, y in enumerate(newest_first)}
    return dict(sorted(colours.items()))  # the legend reads from the oldest year


def _series(
    frame: pd.DataFrame, colour: str | None, colours: Mapping[str, str] | None
) -> tuple[list[tuple[str | None, pd.DataFrame]], dict[str, str]]:
    """The series of a chart in legend order, and each one's colour: one unnamed series when
    `colour` is None, else one per value of that column."""
    if colour is None:
        return [(None, frame)], {}
    known = SERIES_COLOURS if colours is None else colours
    parts = dict(list(frame.groupby(colour, sort=False)))
    groups = [(n, parts[n]) for n in _in_legend_order(list(parts), known)]
    return groups, series_colours([n for n, _ in groups], known)


def _in_legend_order(names: Sequence[str], known: Mapping[str, str]) -> list[str]:
    """Named series in the order of their colour table, the others after, as they came."""
    rank = {n: i for i, n in enumerate(known)}
    return sorted(names, key=lambda n: rank.get(n, len(rank)))


FONT = "Source Sans Pro, Arial, sans-serif"

# The house template, passed to each figure (not registered in plotly.io on import).
TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT, "size": 14, "color": "#1f2a37"},
        title={
            "font": {"size": 18, "color": "#1f2a37"},
            "x": 0,
            "xanchor": "left",
            "y": 0.97,
            "yanchor": "top",
        },
        colorway=COLOURWAY,
        separators=",.",  # decimal comma, thousands dot
        paper_bgcolor="white",
        plot_bgcolor="white",
        xaxis={"gridcolor": "#e5e9ee", "linecolor": "#c3ccd5", "zeroline": False},
        yaxis={
            "gridcolor": "#e5e9ee",
            "linecolor": "#c3ccd5",
            "ticklabelstandoff": 6,  # labels of horizontal bars do not touch the bars
            "zeroline": False,
            "tickformat": ",d",
            "rangemode": "tozero",
        },
        # A legend on the right never collides with the title, also in a narrow column.
        legend={
            "orientation": "v",
            "yanchor": "top",
            "y": 1,
            "x": 1.02,
            "title": {"text": ""},
            "traceorder": "normal",  # the order of the colour tables, also when stacked
        },
        margin={"l": 70, "r": 20, "t": 70, "b": 60},
        hoverlabel={"font": {"family": FONT}},
        colorscale={"sequential": SEQUENTIAL_SCALE},
    )
)


def month_label(day: dt.date | pd.Timestamp) -> str:
    """'sep 2022': short Dutch month and year."""
    return f"{SHORT_MONTHS[day.month - 1]} {day.year}"


SCREEN_LEGEND = {
    "orientation": "h",
    "x": 0,
    "xanchor": "left",
    "y": 1.02,
    "yanchor": "bottom",
    "traceorder": "normal",
}


LEGEND_ROW = 24  # px per row of a legend across the top
NARROWEST_PLOT = 330  # px: the plot's width on a phone (390 px less the page's margins)


def _legend_rows(figure: go.Figure) -> int:
    """How many rows the legend takes across the narrowest plot (Plotly does not make room
    for a legend above the plot: a second row would cover the bars)."""
    rows, width = 1, 0.0
    for trace in figure.data:
        if trace.showlegend is False:
            continue
        lines = str(trace.name).split("<br>")
        entry = 44 + 7.5 * max(len(line) for line in lines)  # symbol, gap and text at 14 px
        extra = len(lines) - 1
        if width and width + entry > NARROWEST_PLOT:
            rows, width = rows + 1, 0.0
        width += entry
        rows += extra
    return rows


def for_screen(figure: go.Figure) -> go.Figure:
    """The figure as a page shows it, changed in place: without its title, which the page
    shows above it as text that wraps on a narrow screen (Plotly cuts a title), and with
    the legend across the top, so the plot keeps the width of a phone. `meta.titel` keeps
    the title for whoever looks the chart up in the page."""
    title = figure.layout.title.text
    legend = figure.layout.showlegend is not False and len(figure.data) > 1
    figure.update_layout(
        title={"text": None},
        meta={"titel": title},
        margin={"t": 10 + LEGEND_ROW * _legend_rows(figure) if legend else 10},
    )
    if legend:
        figure.update_layout(legend=SCREEN_LEGEND)
    return figure


def axis_months(months: pd.Series) -> pd.Series:
    """A month axis's labels: 'sep' within one year, 'sep 2022' across years."""
    if pd.to_datetime(months).dt.year.nunique() > 1:
        return months.map(month_label)
    return months.map(lambda day: SHORT_MONTHS[day.month - 1])


def _styled(figure: go.Figure, title: str) -> go.Figure:
    # Margins and legend are set on the figure itself too: Streamlit's renderer does not take
    # them from the template.
    figure.update_layout(
        template=TEMPLATE,
        title={"text": plotly_literal(title)},
        margin=TEMPLATE.layout.margin,
        legend=TEMPLATE.layout.legend,
        font=TEMPLATE.layout.font,
    )
    figure.update_xaxes(automargin=True)
    figure.update_yaxes(automargin=True)
    return figure


LABEL_WIDTH = 26  # characters per line of a bar's name on a horizontal bar chart


def wrapped(label: str, width: int = LABEL_WIDTH) -> str:
    """A (plotly-escaped) label on lines of at most `width` characters."""
    return "<br>".join(textwrap.wrap(label, width)) or label


LEGEND_WIDTH = 32  # characters per line of a legend entry: a phone's width holds it

BAR_THICKNESS = 34  # px per bar (with its gap) of a horizontal bar chart
LINE_HEIGHT = 17  # px per line of a bar's name (14 px text)
FEW_BARS = 12  # up to this many bars carry their value, so a reader needs no hover


def bar(
    frame: pd.DataFrame,
    x: str,
    y: str,
    title: str,
    colour: str | None = None,
    horizontal: bool = False,
    value_label: str = "Aantal",
    colours: Mapping[str, str] | None = None,
    tint: str = GENT_BLUE,
    grouped: bool = False,
) -> go.Figure:
    """A bar chart; with `colour`, stacked by that column, each series in its own colour
    (`colours`, else its programme's, device way's or audience's). One series is `tint`,
    or a bar per programme or device way in that one's colour. A row without a value (a
    city-wide figure under a wijk filter) gets no bar: the chart's note says why, its data
    keeps it. `grouped` puts the series side by side instead of stacked."""
    # The public view's hidden numbers (HIDDEN_COLUMN: '<5', '×') keep their bar's place:
    # no bar, their mark where the value would stand.
    marks = (
        frame[HIDDEN_COLUMN].fillna("") if HIDDEN_COLUMN in frame else pd.Series("", frame.index)
    )
    frame = frame.assign(**{y: frame[y].where(marks == "", 0)})[frame[y].notna() | (marks != "")]
    marks = marks[frame.index]
    figure = go.Figure()
    category, number = ("y", "x") if horizontal else ("x", "y")
    hover = f"%{{{category}}}: %{{{number}:,d}}<extra>%{{fullData.name}}</extra>"
    groups, palette = _series(frame, colour, colours)
    # Values on the bars where they can be read: a few bars, or one series across (a ranking).
    few = len(frame) <= FEW_BARS or (horizontal and colour is None and len(frame) <= 30)
    for name, part in groups:
        # Labels come from outside (locations, organisations, course titles): shown as written.
        labels, values = part[x].astype(str).map(plotly_literal), part[y]
        hidden = marks[part.index]
        shown_value = f"%{{{number}:,d}}" if few else ""
        texts = [f"{m} (afgeschermd)" if m else shown_value for m in hidden]
        hovers = [
            f"%{{{category}}}: {m} (afgeschermd)<extra>%{{fullData.name}}</extra>" if m else hover
            for m in hidden
        ]
        if horizontal:  # long names on two or three lines leave the bars their width
            labels = labels.map(wrapped)
        if name is None:
            own = [SERIES_COLOURS.get(c) for c in part[x].astype(str)]
            marker = {"color": own if own and all(own) else tint}
        else:
            marker = {"color": palette[name]}
        figure.add_trace(
            go.Bar(
                x=values if horizontal else labels,
                y=labels if horizontal else values,
                name=wrapped(plotly_literal(name), LEGEND_WIDTH)
                if name is not None
                else value_label,
                orientation="h" if horizontal else "v",
                hovertemplate=hovers if hidden.any() else hover,
                marker=marker,
                texttemplate=texts if hidden.any() else (shown_value or None),
                textposition="outside" if few or hidden.any() else None,  # inside where stacked
                textangle=0,
                cliponaxis=False,
            )
        )
    figure.update_layout(barmode="group" if grouped else "stack", showlegend=colour is not None)
    if few and not frame.empty:
        # Room beyond the longest bar for its value: Plotly's range leaves none for the text.
        stacked = colour is not None and not grouped
        peak = frame.groupby(x)[y].sum().max() if stacked else frame[y].max()
        if peak > 0:
            value_axis = figure.update_xaxes if horizontal else figure.update_yaxes
            value_axis(range=[0, peak * 1.2])
    if horizontal:
        # Bars of a readable thickness, never one slab filling the chart.
        # Every bar gets the same room (Plotly's slots are equal): enough for the name with
        # the most lines.
        per_series = max(len(groups), 1) if grouped else 1
        names = frame[x].drop_duplicates().astype(str).map(plotly_literal).map(wrapped)
        lines = int((names.str.count("<br>") + 1).max()) if len(names) else 1
        slot = max(BAR_THICKNESS * per_series, lines * LINE_HEIGHT + 10)
        figure.update_layout(height=max(220, 110 + slot * len(names)))
        figure.update_yaxes(autorange="reversed", type="category")
        figure.update_xaxes(tickformat=",d", title=value_label)
    else:
        figure.update_xaxes(type="category")
        figure.update_yaxes(title=value_label)
    return _styled(figure, title)


PANEL_TITLE_WIDTH = 36  # characters per line of a panel's title: a phone's width holds it
PANEL_TITLE_LINE = 19  # px per line of a panel's title (14 px text)
PANEL_AXIS = 34  # px under a panel for its axis's numbers, and the gap to the next panel


def _panel_parts(
    frame: pd.DataFrame, category: str, panel: str, value: str
) -> tuple[list[str], list[str], dict[str, list[float]]]:
    """The panels' names, the (plotly-escaped, wrapped) categories' labels, and each panel's
    values in that order (0 for a category a panel lacks)."""
    names = list(dict.fromkeys(frame[panel].astype(str)))
    categories = list(dict.fromkeys(frame[category].astype(str)))
    values = {}
    for name in names:
        part = frame[frame[panel].astype(str) == name]
        sums = part.groupby(part[category].astype(str))[value].sum()
        values[name] = sums.reindex(categories, fill_value=0).to_list()
    return names, [wrapped(plotly_literal(c)) for c in categories], values


def _panel_slot(labels: Sequence[str]) -> int:
    """px per bar of a panel: room for the name with the most lines."""
    lines = max((label.count("<br>") + 1 for label in labels), default=1)
    return max(BAR_THICKNESS, lines * LINE_HEIGHT + 10)


def _panel_bar(name: str, labels: Sequence[str], values: Sequence[float], tint: str) -> go.Bar:
    return go.Bar(
        x=list(values),
        y=list(labels),
        orientation="h",
        name=plotly_literal(name),
        marker={"color": tint},
        texttemplate="%{x:,d}",
        textposition="outside",
        textangle=0,
        cliponaxis=False,
        hovertemplate="%{y}: %{x:,d}<extra>%{fullData.name}</extra>",
    )


def _panel_axes(values: Sequence[float]) -> tuple[dict, dict]:
    """A panel's value axis (room beyond the longest bar for its value) and category axis."""
    peak = max(values, default=0)
    value_axis = {"range": [0, peak * 1.25 if peak > 0 else 1], "tickformat": ",d"}
    return value_axis, {"type": "category", "autorange": "reversed"}


def panels(
    frame: pd.DataFrame,
    category: str,
    panel: str,
    value: str,
    title: str,
    tint: str = GENT_BLUE,
) -> go.Figure:
    """Small multiples for figures that count different things (help requests, devices,
    workshops), as one figure for files: a horizontal bar panel per value of `panel` below
    each other, its name as the panel's title above it, each with its own axis, so no
    measure is read on another's scale. Every panel lists the values of `category` in the
    same order (as they first come in `frame`); one a panel lacks had none of it (0). All bars
    are `tint` and carry their value. `panel_figures` gives the same panels for a page."""
    names, labels, values = _panel_parts(frame, category, panel, value)
    figure = go.Figure()
    if not names:
        return _styled(figure, title)
    plot = _panel_slot(labels) * len(labels)
    titles = [wrapped(plotly_literal(n), PANEL_TITLE_WIDTH) for n in names]
    heads = [PANEL_TITLE_LINE * (t.count("<br>") + 1) + 8 for t in titles]
    paper = sum(heads) + len(names) * (plot + PANEL_AXIS)
    # The names' column, at least: the panels' titles start at the chart's left edge, over it.
    left = 16 + round(7.2 * max(len(line) for label in labels for line in label.split("<br>")))
    top = paper
    annotations = []
    for number, (name, heading, head) in enumerate(zip(names, titles, heads, strict=True), 1):
        suffix = "" if number == 1 else str(number)
        upper, lower = (top - head) / paper, (top - head - plot) / paper
        top -= head + plot + PANEL_AXIS
        trace = _panel_bar(name, labels, values[name], tint)
        figure.add_trace(trace.update(xaxis=f"x{suffix}", yaxis=f"y{suffix}"))
        value_axis, category_axis = _panel_axes(values[name])
        figure.update_layout(
            {
                f"xaxis{suffix}": {**value_axis, "anchor": f"y{suffix}", "domain": [0, 1]},
                f"yaxis{suffix}": {
                    **category_axis,
                    "anchor": f"x{suffix}",
                    "domain": [lower, upper],
                },
            }
        )
        annotations.append(
            {
                "text": f"<b>{heading}</b>",
                "xref": "paper",
                "x": 0,
                "xanchor": "left",
                "xshift": -left,  # from the chart's left edge, not the bars'
                "yref": "paper",
                "y": upper,
                "yanchor": "bottom",
                "yshift": 2,
                "align": "left",
                "showarrow": False,
                "font": {"size": 14},
            }
        )
    figure = _styled(figure, title)
    figure.update_layout(
        annotations=annotations,
        showlegend=False,
        bargap=0.3,
        height=paper + (TEMPLATE.layout.margin.t or 70) + 10,
        margin={"l": left, "b": 10},
    )
    return figure


def panel_figures(
    frame: pd.DataFrame, category: str, panel: str, value: str, tint: str = GENT_BLUE
) -> tuple[tuple[str, go.Figure], ...]:
    """The panels of `panels` as a page shows them: (name, figure) for each, so the page puts
    as many side by side as the width allows, each name as text above its figure."""
    names, labels, values = _panel_parts(frame, category, panel, value)
    shown = []
    for name in names:
        figure = go.Figure(_panel_bar(name, labels, values[name], tint))
        value_axis, category_axis = _panel_axes(values[name])
        figure = _styled(figure, name)
        figure.update_xaxes(**value_axis, nticks=5)  # upright numbers in a narrow panel
        figure.update_yaxes(**category_axis)
        figure.update_layout(
            showlegend=False,
            bargap=0.3,
            height=_panel_slot(labels) * len(labels) + 40,
            margin={"t": 10, "b": 30},  # the page shows the name above it, as text
        )
        shown.append((name, figure))
    return tuple(shown)


def monthly(
    frame: pd.DataFrame,
    y: str,
    title: str,
    colour: str | None = None,
    kind: str = "bar",
    value_label: str = "Aantal",
    colours: Mapping[str, str] | None = None,
) -> go.Figure:
    """Months on a Dutch categorical axis; `frame` has a `maand` date column. Within one
    year the axis says 'jan' ... 'dec' (the title names the year): short enough to stand
    upright on a phone."""
    data = frame.sort_values("maand").assign(maand=lambda f: axis_months(f["maand"]))
    if kind == "bar":
        return bar(data, "maand", y, title, colour=colour, value_label=value_label, colours=colours)
    figure = go.Figure()
    groups, palette = _series(data, colour, colours)
    for name, part in groups:
        figure.add_trace(
            go.Scatter(
                x=part["maand"],
                y=part[y],
                mode="lines+markers",
                name=wrapped(plotly_literal(name), LEGEND_WIDTH)
                if name is not None
                else value_label,
                hovertemplate="%{x}: %{y:,d}<extra>%{fullData.name}</extra>",
                line={"color": palette.get(name, GENT_BLUE)},
                marker={"color": palette.get(name, GENT_BLUE)},
            )
        )
    figure.update_xaxes(type="category")
    figure.update_yaxes(title=value_label)
    figure = _styled(figure, title)
    figure.update_layout(showlegend=colour is not None)
    return figure


def monthly_flows_and_stocks(
    frame: pd.DataFrame,
    y: str,
    title: str,
    colour: str,
    stock: str,
    value_label: str = "Aantal",
) -> go.Figure:
    """Flows as stacked bars per month, stocks as lines of their month-end level: never
    stacked on each other. `stock` is the value of the `soort` column that marks a stock."""
    data = frame.sort_values("maand", kind="stable").assign(maand=lambda f: axis_months(f["maand"]))
    flows, stocks = data[data["soort"] != stock], data[data["soort"] == stock]
    figure = bar(flows, "maand", y, title, colour=colour, value_label=value_label)
    parts = dict(list(stocks.groupby(colour, sort=False)))
    names = _in_legend_order(list(parts), SERIES_COLOURS)
    palette = series_colours(names)
    for name in names:
        part = parts[name]
        figure.add_trace(
            go.Scatter(
                x=part["maand"],
                y=part[y],
                mode="lines+markers",
                name=f"{plotly_literal(name)} (stand)",
                line={"dash": "dot", "color": palette[name]},
                marker={"color": palette[name]},
                hovertemplate="%{x}: %{y:,d}<extra>%{fullData.name}</extra>",
            )
        )
    figure.update_layout(showlegend=True)
    return figure


def sparkline(values: Sequence[float], labels: Sequence[str]) -> go.Figure:
    """A small monthly trend for a KPI card: no axes, hover shows month and value."""
    figure = go.Figure(
        go.Scatter(
            x=list(labels),
            y=list(values),
            mode="lines",
            line={"color": GENT_BLUE, "width": 2},
            fill="tozeroy",
            fillcolor="rgba(0,157,224,0.12)",
            hovertemplate="%{x}: %{y:,d}<extra></extra>",
        )
    )
    figure.update_layout(
        template=TEMPLATE, height=70, margin={"l": 0, "r": 0, "t": 0, "b": 0}, showlegend=False
    )
    figure.update_xaxes(visible=False, type="category")
    figure.update_yaxes(visible=False, rangemode="tozero")
    return figure


PRINT_WIDTH = 1100  # px; PNG is rendered at twice this (2200 px wide) for print quality
PRINT_HEIGHT = 560  # for charts without a height of their own
NOTE_WIDTH = 150  # characters per line of a chart's note on an image (13 px on 1100 px)


def for_print(
    figure: go.Figure, title: str, filters: str, source: str, note: str = ""
) -> go.Figure:
    """A copy of `figure` for an exported image: fixed size, and the title, the filters, the
    source and the chart's note written on the image itself, so a picture in a report says
    what it shows (and which numbers are stocks). All sit at the top, where no legend or axis
    title can collide with them."""
    printed = go.Figure(figure)
    margin = printed.layout.margin
    lines = [plotly_literal(t) for t in [filters, source, *textwrap.wrap(note, NOTE_WIDTH)]]
    top = 70 + 22 * len(lines)
    grey = "#5b6773"
    if printed.layout.showlegend is not False and len(printed.data) > 1:
        printed.update_layout(legend=TEMPLATE.layout.legend)  # beside the plot, as designed
    printed.update_layout(
        width=PRINT_WIDTH,
        height=(figure.layout.height or PRINT_HEIGHT) + top - (margin.t or 70),
        margin={"t": top},
        title={
            "text": plotly_literal(title),
            "subtitle": {"text": "<br>".join(lines), "font": {"size": 13, "color": grey}},
            "x": 0.015,
            "y": 1,
            "yref": "container",
            "pad": {"t": 16},
        },
    )
    return printed
