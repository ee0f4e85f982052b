"""Toestellen: devices by type and way of deployment, over time; loans by organisation."""

import streamlit as st

from dashboard import data, layout
from einclusie.charts import catalogue

selection = layout.page("Toestellen {periode}")

grid = layout.chart_grid()
with grid.container():
    layout.chart(data.chart(catalogue.devices_per_way, selection), selection)
with grid.container():
    layout.chart(data.chart(catalogue.devices_per_type, selection), selection)

layout.chart(data.chart(catalogue.devices_per_month, selection), selection)

st.subheader("Ontleningen van de Digitale Uitleendienst")
if not layout.not_per_wijk(selection, "De Digitale Uitleendienst"):
    layout.chart(data.chart(catalogue.loans_per_organisation, selection), selection)
