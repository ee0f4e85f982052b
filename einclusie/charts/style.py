"""One chart style for the whole dashboard, and the chart builders the pages use.

The Plotly template `TEMPLATE` carries Stad Gent's blue, legible fonts and
Dutch separators (11.877; 51,3). Month axes are categorical with Dutch labels ("sep 2022"),
because Plotly's own date labels are English without a locale bundle from a CDN.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from einclusie.format import SHORT_MONTHS, plotly_literal

GENT_BLUE = "#009de0"  # Stad Gent's house colour
DARK_BLUE = "#0a4a7a"
COLOURWAY = [GENT_BLUE, DARK_BLUE, "#f2a900", "#e4007c", "#5bb974", "#7f8c99", "#8fd3f5"]
SEQUENTIAL_SCALE = [[0.0, "#e6f5fc"], [0.5, "#4dbbe9"], [1.0, DARK_BLUE]]
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
        legend={"orientation": "v", "yanchor": "top", "y": 1, "x": 1.02, "title": {"text": ""}},
        margin={"l": 70, "r": 20, "t": 70, "b": 60},
        hoverlabel={"font": {"family": FONT}},
        colorscale={"sequential": SEQUENTIAL_SCALE},
    )
)


def month_label(day: dt.date | pd.Timestamp) -> str:
    """'sep 2022': short Dutch month and year."""
    return f"{SHORT_MONTHS[day.month - 1]} {day.year}"


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


def bar(
    frame: pd.DataFrame,
    x: str,
    y: str,
    title: str,
    colour: str | None = None,
    horizontal: bool = False,
    value_label: str = "Aantal",
) -> go.Figure:
    """A bar chart; with `colour`, stacked by that column. A row without a value (a city-wide
    figure under a wijk filter) gets no bar: the chart's note says why, its data keeps it."""
    frame = frame[frame[y].notna()]
    figure = go.Figure()
    groups = [(None, frame)] if colour is None else list(frame.groupby(colour, sort=False))
    category, number = ("y", "x") if horizontal else ("x", "y")
    hover = f"%{{{category}}}: %{{{number}:,d}}<extra>%{{fullData.name}}</extra>"
    for name, part in groups:
        # Labels come from outside (locations, organisations, course titles): shown as written.
        labels, values = part[x].astype(str).map(plotly_literal), part[y]
        figure.add_trace(
            go.Bar(
                x=values if horizontal else labels,
                y=labels if horizontal else values,
                name=plotly_literal(name) if name is not None else value_label,
                orientation="h" if horizontal else "v",
                hovertemplate=hover,
            )
        )
    figure.update_layout(barmode="stack", showlegend=colour is not None)
    if horizontal:
        figure.update_yaxes(autorange="reversed", type="category")
        figure.update_xaxes(tickformat=",d", title=value_label)
    else:
        figure.update_xaxes(type="category")
        figure.update_yaxes(title=value_label)
    return _styled(figure, title)


def monthly(
    frame: pd.DataFrame,
    y: str,
    title: str,
    colour: str | None = None,
    kind: str = "bar",
    value_label: str = "Aantal",
) -> go.Figure:
    """Months on a Dutch categorical axis; `frame` has a `maand` date column."""
    data = frame.sort_values("maand").assign(maand=lambda f: f["maand"].map(month_label))
    if kind == "bar":
        return bar(data, "maand", y, title, colour=colour, value_label=value_label)
    figure = go.Figure()
    groups = [(None, data)] if colour is None else list(data.groupby(colour, sort=False))
    for name, part in groups:
        figure.add_trace(
            go.Scatter(
                x=part["maand"],
                y=part[y],
                mode="lines+markers",
                name=plotly_literal(name) if name is not None else value_label,
                hovertemplate="%{x}: %{y:,d}<extra>%{fullData.name}</extra>",
            )
        )
    figure.update_xaxes(type="category")
    figure.update_yaxes(title=value_label)
    figure = _styled(figure, title)
    # Long series names: a legend under the chart leaves the months their full width.
    figure.update_layout(
        showlegend=colour is not None,
        legend={"orientation": "h", "x": 0, "y": -0.2, "yanchor": "top"},
    )
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
    data = frame.sort_values("maand", kind="stable").assign(
        maand=lambda f: f["maand"].map(month_label)
    )
    flows, stocks = data[data["soort"] != stock], data[data["soort"] == stock]
    figure = bar(flows, "maand", y, title, colour=colour, value_label=value_label)
    for name, part in stocks.groupby(colour, sort=False):
        figure.add_trace(
            go.Scatter(
                x=part["maand"],
                y=part[y],
                mode="lines+markers",
                name=f"{plotly_literal(name)} (stand)",
                line={"dash": "dot"},
                hovertemplate="%{x}: %{y:,d}<extra>%{fullData.name}</extra>",
            )
        )
    figure.update_layout(
        showlegend=True, legend={"orientation": "h", "x": 0, "y": -0.2, "yanchor": "top"}
    )
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
