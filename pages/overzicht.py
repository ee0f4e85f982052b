"""Overzicht: '<jaar> in cijfers', the twelve headline KPIs and the trends below them."""

import streamlit as st

from dashboard import data, layout
from einclusie.charts import catalogue
from einclusie.figures.queries import kpi_monthly
from einclusie.figures.values import compare
from einclusie.format import markdown_literal

selection = layout.page("{periode} in cijfers")
comparisons = data.get(compare, selection)
months = data.get(kpi_monthly, selection, catalogue.MONTHLY_KEYS)

for start in range(0, len(comparisons), 3):
    for column, comparison in zip(st.columns(3), comparisons[start : start + 3], strict=True):
        figure = comparison.now
        card = layout.card(column, figure.label, figure.definition)
        if not figure.applies:
            card.metric(figure.label, figure.shown(), label_visibility="collapsed")
            card.caption(markdown_literal(figure.note))
            continue
        trend = months[months["figuur"] == figure.key].sort_values("maand")
        change = comparison.change
        card.metric(
            figure.label,
            figure.shown(),
            delta=comparison.change_text() or None,
            delta_description=f"t.o.v. {comparison.before_label}" if change is not None else None,
            delta_color="off" if not change else "normal",
            label_visibility="collapsed",
            chart_data=list(trend["waarde"]) if not trend.empty else None,
            chart_type="area",
        )
        if change is None:
            card.caption(markdown_literal(comparison.text()))
        elif comparison.missing:
            card.caption(markdown_literal(comparison.missing_text()))
        if figure.note:
            card.caption(markdown_literal(figure.note))

st.subheader("Per maand")
layout.chart(catalogue.key_figures_monthly(selection, data.get), selection)

st.subheader("Per jaar")
layout.chart(catalogue.key_figures_yearly(selection, data.get), selection)
