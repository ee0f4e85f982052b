"""Toestellen: devices by type and way of deployment, over time; loans by organisation."""

import streamlit as st

from dashboard import data, layout
from einclusie.charts import catalogue

selection = layout.page("Toestellen {periode}")

# Built before any is drawn: the browser then draws the page once (layout.py, "charts first").
per_way = data.chart(catalogue.devices_per_way, selection)
per_type = data.chart(catalogue.devices_per_type, selection)
per_month = data.chart(catalogue.devices_per_month, selection)
city_wide = not selection.wijken
loans = data.chart(catalogue.loans_per_organisation, selection) if city_wide else None

grid = layout.chart_grid()
with grid.container():
    layout.chart(per_way, selection)
with grid.container():
    layout.chart(per_type, selection)

layout.chart(per_month, selection)

st.subheader("Ontleningen van de Digitale Uitleendienst")
if not layout.not_per_wijk(selection, "De Digitale Uitleendienst"):
    layout.chart(loans, selection)
