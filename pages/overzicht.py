"""Overzicht: '<jaar> in cijfers', the twelve headline KPIs and the trends below them."""

import streamlit as st

from dashboard import data, layout
from einclusie.charts import bar as bar_chart
from einclusie.charts import month_label, monthly
from einclusie.format import format_number
from einclusie.kpis import kpi_values
from einclusie.queries import kpi_monthly, kpi_yearly

TREND_KEYS = ("help_requests_total", "devices_total", "people_trained")

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
trend = months[months["kpi"].isin(TREND_KEYS)].copy()
labels = {f.key: f.label for f in figures}
trend["reeks"] = trend["kpi"].map(labels)
layout.chart(
    monthly(
        trend,
        "waarde",
        f"Hulpvragen, toestellen en vorming per maand, {selection.period_label()}",
        colour="reeks",
        kind="line",
    ),
    trend[["maand", "reeks", "waarde"]].assign(maand=trend["maand"].map(month_label)),
    f"kerncijfers per maand {selection.period_label()}",
)

st.subheader("Per jaar")
years = data.get(kpi_yearly, selection, TREND_KEYS)
years["reeks"] = years["kpi"].map(labels)
years["jaar"] = years["jaar"].astype(str)
layout.chart(
    bar_chart(
        years, "reeks", "waarde", "Hulpvragen, toestellen en vorming per jaar", colour="jaar"
    ).update_layout(barmode="group"),
    years[["jaar", "reeks", "waarde"]],
    "kerncijfers per jaar",
)
