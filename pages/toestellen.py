"""Toestellen: devices by type and way of deployment, over time; loans by organisation."""

import streamlit as st

from dashboard import data, layout
from einclusie.charts import catalogue

selection = layout.page("Toestellen {periode}")

# Built before any is drawn, so the browser draws them once (layout.chart).
per_way = data.chart(catalogue.devices_per_way, selection)
per_type = data.chart(catalogue.devices_per_type, selection)
per_month = data.chart(catalogue.devices_per_month, selection)
# City-wide only: under a wijk filter the page says why there is none.
loans = None if selection.wijken else data.chart(catalogue.loans_per_organisation, selection)

grid = layout.chart_grid()
with grid.container():
    layout.chart(per_way, selection)
with grid.container():
    layout.chart(per_type, selection)

layout.chart(per_month, selection)

st.subheader("Ontleningen van de Digitale Uitleendienst")
if loans is None:
    layout.not_per_wijk(selection, "De Digitale Uitleendienst")
else:
    layout.chart(loans, selection)
