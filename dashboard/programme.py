"""The programme pages: the figures the annual report gives per programme, for any period."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, layout
from einclusie.charts import catalogue
from einclusie.figures.queries import parts_frame, programme_figures
from einclusie.format import format_number, markdown_literal


def render(programme: str, intro: str) -> None:
    """A programme page: intro, figure cards, and a table and chart of the per-part figures."""
    selection = layout.page(f"{programme} {{periode}}")
    # Fetched and built before anything below the title is drawn, so the browser draws the
    # page once (layout.chart).
    figures = data.get(programme_figures, selection, programme)
    overall = [f for f in figures if f.parts is None]
    parts = parts_frame(figures)
    chart = None if parts.empty else data.chart(catalogue.programme_parts, selection, programme)
    st.markdown(intro)
    grid = layout.card_grid()
    for figure in overall:
        box = layout.card(grid, figure.label, figure.definition)
        box.metric(figure.label, figure.shown(), label_visibility="collapsed")
        if figure.note:
            box.caption(markdown_literal(figure.note))
    if chart is not None:
        layout.static_table(_parts_table(parts))
        # One panel per figure, as many side by side as the width allows (page.css).
        layout.chart(chart, selection)
    if not overall and parts.empty:
        st.info(f"Er zijn geen cijfers van {programme} voor deze selectie.", icon=":material/info:")


def _parts_table(parts: pd.DataFrame) -> pd.DataFrame:
    """The per-part figures as a table: a row per part, a column per figure, as 1.234."""
    # A part without facts for a figure had none of it: 0.
    table = parts.pivot_table(
        index="onderdeel",
        columns="label",
        values="waarde",
        aggfunc="first",
        fill_value=0,
        sort=False,
    ).reset_index()
    table = table.rename(columns={"onderdeel": "Onderdeel"})
    numbers = [c for c in table.columns if c != "Onderdeel"]
    table[numbers] = table[numbers].map(format_number)  # 1.234, as everywhere
    return table
