"""Vorming: people trained and professionals coached, by programme and activity."""

import streamlit as st

from dashboard import data, layout
from einclusie.charts import catalogue

selection = layout.page("Vorming {periode}")

# Built before any is drawn, so the browser draws them once (layout.chart).
per_audience = [
    (title, data.chart(catalogue.training_per_programme, selection, audience))
    for audience, title in catalogue.TRAINING_AUDIENCES.items()
]
per_month = data.chart(catalogue.training_per_month, selection)

for title, chart in per_audience:
    st.subheader(title)
    layout.chart(chart, selection)

layout.chart(per_month, selection)
