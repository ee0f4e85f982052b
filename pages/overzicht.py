"""Overzicht: '<jaar> in cijfers', the twelve headline KPIs and the trends below them."""

import streamlit as st

from dashboard import data, layout
from einclusie import catalogue
from einclusie.format import format_number
from einclusie.kpis import kpi_values
from einclusie.queries import kpi_monthly

selection = layout.page("{periode} in cijfers")
figures = data.get(kpi_values, selection)
before = {f.key: f.value for f in data.get(kpi_values, selection.previous())}
months = data.get(kpi_monthly, selection)
previous_label = selection.previous().period_label()

for start in range(0, len(figures), 3):
    for column, figure in zip(st.columns(3), figures[start : start + 3], strict=True):
        card = column.container(border=True, height="stretch")
        # The full Dutch label above the figure (a metric's own label is cut off when long).
        card.markdown(f"**{figure.label}**", help=figure.definition)
        if figure.note and "niet per wijk" in figure.note:
            card.metric(figure.label, "niet per wijk", label_visibility="collapsed")
            card.caption(figure.note)
            continue
        trend = months[months["kpi"] == figure.key].sort_values("maand")
        change = figure.value - before.get(figure.key, 0)
        card.metric(
            figure.label,
            format_number(figure.value),
            delta=f"{'+' if change > 0 else ''}{format_number(change)}",
            delta_description=f"t.o.v. {previous_label}",
            delta_color="off" if change == 0 else "normal",
            label_visibility="collapsed",
            chart_data=list(trend["waarde"]),
            chart_type="area",
        )
        if figure.note:
            card.caption(figure.note)

st.subheader("Per maand")
layout.chart(catalogue.key_figures_monthly(selection, data.get), selection)

st.subheader("Per jaar")
layout.chart(catalogue.key_figures_yearly(selection, data.get), selection)
