"""Vorming: people trained and professionals coached, by programme and activity."""

import streamlit as st

from dashboard import data, layout
from einclusie.charts import catalogue

selection = layout.page("Vorming {periode}")

for audience, title in catalogue.TRAINING_AUDIENCES.items():
    st.subheader(title)
    layout.chart(data.chart(catalogue.training_per_programme, selection, audience), selection)

layout.chart(data.chart(catalogue.training_per_month, selection), selection)
