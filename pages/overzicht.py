"""Overzicht: '<jaar> in cijfers', the twelve headline KPIs and the trends below them."""

import streamlit as st

from dashboard import data, layout
from einclusie.charts import catalogue
from einclusie.figures.queries import kpi_monthly
from einclusie.figures.values import compare
from einclusie.format import markdown_literal

selection = layout.page("{periode} in cijfers", public=True)
comparisons = data.get(compare, selection)
months = data.get(kpi_monthly, selection, catalogue.MONTHLY_KEYS)
# Built before any is drawn, so the browser draws them once (layout.chart).
per_month = data.chart(catalogue.key_figures_monthly, selection)
per_year = data.chart(catalogue.key_figures_yearly, selection)

grid = layout.card_grid()
for comparison in comparisons:
    figure = comparison.now
    card = layout.card(grid, figure.label, figure.definition)
    if not figure.applies:
        card.metric(figure.label, figure.shown(), label_visibility="collapsed")
        card.caption(markdown_literal(figure.note))
        continue
    trend = months[months["figuur"] == figure.key].sort_values("maand")
    if trend["waarde"].isna().any():  # the public view hid a month: no line of the rest
        trend = trend.iloc[0:0]
    card.metric(
        figure.label,
        figure.shown(),
        delta=comparison.change_text() or None,  # '+1.234 (+11,6 %)', 'nieuw in 2022'
        delta_description=comparison.against() or None,  # 't.o.v. 2021'
        delta_color="normal" if comparison.change else "off",
        label_visibility="collapsed",
        chart_data=list(trend["waarde"]) if not trend.empty else None,
        chart_type="area",
    )
    if comparison.before is None:  # 'geen gegevens voor 2020'
        card.caption(markdown_literal(comparison.text()))
    elif comparison.missing:
        card.caption(markdown_literal(comparison.missing_text()))
    if figure.note:
        card.caption(markdown_literal(figure.note))

st.subheader("Per maand")
layout.chart(per_month, selection)

st.subheader("Per jaar")
layout.chart(per_year, selection)
